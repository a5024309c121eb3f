// What the approval commands share: checks of kids, environments, postures and capabilities, and reading a spec.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { POSTURES } from '../../approval/payload.js';
import { specHash } from '../../approval/spec-hash.js';
import { KID } from '../../approval/trusted-keys.js';
import type { EnvironmentPosture } from '../../request/environment-context.js';
import { fsReason, shownPath } from '../../safety/paths.js';
import type { CliContext } from '../context.js';
import { failure, usageError } from '../errors.js';
import { quoted } from '../key-input.js';
import { readAll } from '../stdin.js';

/** Text a payload field may hold: 1 to 256 printable characters, no control characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT = /^[^\u0000-\u001f\u007f]{1,256}$/u;

/** `--kid`: 1 to 64 of `A-Za-z0-9._:-`. */
export function checkKid(cmd: Command, kid: string): string {
  if (!KID.test(kid)) throw usageError(cmd, '--kid must be 1 to 64 characters of A-Z a-z 0-9 . _ : - (e.g. approver-alice-2027)');
  return kid;
}

/** `--posture`: dev, staging or prod. */
export function checkPosture(cmd: Command, posture: string): EnvironmentPosture {
  if (!POSTURES.includes(posture as EnvironmentPosture)) throw usageError(cmd, `--posture ${quoted(posture)} is not a posture: use dev, staging or prod`);
  return posture as EnvironmentPosture;
}

/** A free-text field (`--environment`, `--issued-by`, ...): 1 to 256 characters without control characters. */
export function checkText(cmd: Command, flag: string, value: string): string {
  if (!TEXT.test(value)) throw usageError(cmd, `${flag} must be 1 to 256 characters without control characters`);
  return value;
}

/** `--capability`, repeatable: lower-case words joined by ":" (no wildcard), repeats dropped. */
export function checkCapabilities(cmd: Command, capabilities: readonly string[]): string[] {
  if (capabilities.length === 0) throw usageError(cmd, 'give at least one --capability, e.g. --capability models:train');
  for (const c of capabilities) {
    if (!/^[a-z0-9_.-]+(:[a-z0-9_.-]+)*$/.test(c)) throw usageError(cmd, `--capability ${quoted(c)} is not a capability: use lower-case words joined by ":" such as models:train (no wildcards)`);
  }
  return [...new Set(capabilities)];
}

/** Collects a repeatable option into an array. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * The spec hash of `--spec FILE` (or `-` for stdin): the file is read as JSON and hashed as its
 * RFC 8785 canonical form, as the server hashes a parsed JSON body; with `raw`, its bytes as they are.
 */
export async function specHashOf(ctx: CliContext, file: string, raw: boolean): Promise<string> {
  let bytes: Buffer;
  if (file === '-') bytes = Buffer.from(await readAll(ctx.stdin), 'utf8');
  else {
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw failure(`spec file ${shownPath(file)} cannot be read: ${fsReason(err)}`);
    }
  }
  if (raw) return specHash(bytes);
  try {
    return specHash(JSON.parse(bytes.toString('utf8')) as object);
  } catch {
    throw failure(`the spec ${file === '-' ? 'on stdin' : `file ${shownPath(file)}`} is not JSON; give the JSON the route receives, or add --raw-spec to hash its bytes as they are`);
  }
}
