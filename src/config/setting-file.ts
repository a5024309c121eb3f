// The `-file` / `_FILE` twins of settings other than the token: the winning level's file, read as one line.
import { existsSync, readFileSync } from 'node:fs';
import { BearerGuardConfigError, type BearerGuardErrorCode } from '../errors/startup.js';
import { fsReason, hidePath } from '../safety/paths.js';
import type { SourceValues } from './argv.js';
import type { EnvValues } from './env.js';
import { SETTINGS, type SettingKey } from './settings.js';

/** The error code of a twin file that cannot be used, by setting (the token's own lives in token-file.ts). */
const CODES: Partial<Record<SettingKey, BearerGuardErrorCode>> = { redisUrl: 'ERR_BEARER_GUARD_REDIS' };

/** Values read from twin files, and how `sources` names where each came from. @internal */
export interface TwinValues {
  readonly args: SourceValues['values'];
  readonly env: SourceValues['values'];
  /** `--auth-redis-url-file (/run/secrets/redis-url)`, by setting. */
  readonly sources: Partial<Record<SettingKey, string>>;
}

/**
 * For every setting with a file twin except the token (see pick-token.ts): refuses a level that
 * gives both the value and its file, and reads the file only when its level wins (flags beat env
 * vars), so a stale lower-precedence path is harmless.
 *
 * @returns each level's values with the winning file's content filled in
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_CONFLICTING_SOURCES`, or the setting's file code) naming the source, never the value
 * @internal
 */
export function readTwinFiles(args: SourceValues, env: EnvValues): TwinValues {
  const out = { args: { ...args.values }, env: { ...env.values }, sources: {} as Partial<Record<SettingKey, string>> };
  for (const s of SETTINGS) {
    if (!s.fileTwin || s.group === 'token') continue;
    if (args.values[s.key] !== undefined && args.files[s.key] !== undefined) {
      throw conflict(`${s.flag} and ${s.flag}-file were both given; give one`);
    }
    if (env.values[s.key] !== undefined && env.files[s.key] !== undefined) {
      throw conflict(`env ${env.names[s.key]} and ${env.fileNames[s.key]} are both set; set one`);
    }
    if (args.values[s.key] !== undefined) continue;
    const level = args.files[s.key] !== undefined ? { path: args.files[s.key]!, named: `${s.flag}-file`, into: out.args }
      : env.values[s.key] === undefined && env.files[s.key] !== undefined ? { path: env.files[s.key]!, named: `env ${env.fileNames[s.key]}`, into: out.env }
      : undefined;
    if (level === undefined) continue;
    level.into[s.key] = readSettingFile(level.path, level.named, s.noun, CODES[s.key] ?? 'ERR_BEARER_GUARD_INVALID_VALUE');
    out.sources[s.key] = `${level.named} (${shownFilePath(level.path)})`;
  }
  return out;
}

/**
 * Reads a file that holds one value (Docker/Kubernetes secrets convention): one trailing newline
 * stripped, nothing else allowed.
 *
 * @param path - the file
 * @param source - how it was named, e.g. `env AUTH_REDIS_URL_FILE`
 * @param noun - what it holds, e.g. `a Redis URL`
 * @param code - the error code of a file that cannot be used
 * @throws BearerGuardConfigError when the file is missing, unreadable, empty or holds more than one line
 * @internal
 */
export function readSettingFile(path: string, source: string, noun: string, code: BearerGuardErrorCode): string {
  const shown = shownFilePath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BearerGuardConfigError(code, `cannot read the file ${shown} named by ${source}: ${fsReason(err)}; give the path of a file that holds ${noun}, not ${noun} itself`);
  }
  const value = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  if (value === '') throw new BearerGuardConfigError(code, `the file ${shown} named by ${source} is empty; write ${noun} into it, or unset ${source}`);
  if (/[\r\n]/.test(value)) throw new BearerGuardConfigError(code, `the file ${shown} named by ${source} has more than one line; it must hold ${noun} on one line (one trailing newline is allowed)`);
  return value;
}

// A missing path that looks like a token or a URL with credentials is the value pasted where its path goes.
function shownFilePath(path: string): string {
  if (!existsSync(path) && (hidePath(path) || /:\/\/|@/.test(path))) return `(the path given, ${path.length} characters, is not shown because it looks like a secret)`;
  return path;
}

function conflict(message: string): BearerGuardConfigError {
  return new BearerGuardConfigError('ERR_BEARER_GUARD_CONFLICTING_SOURCES', message);
}
