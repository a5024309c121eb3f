// `bearer-guard approval sign`: an approval credential for one spec, environment and capability, printed alone on stdout.
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isV1Payload, type ApprovalPayload } from '../../approval/payload.js';
import { signApproval } from '../../approval/sign.js';
import { formatRelative, parseDuration, toIsoUtc } from '../../keys/duration.js';
import { fsReason, modeOpenToOthers, shownPath } from '../../safety/paths.js';
import type { CliContext } from '../context.js';
import { failure, usageError } from '../errors.js';
import { checkCapabilities, checkKid, checkPosture, checkText, collect, specHashOf } from './approval-shared.js';
import { jsonOption } from './shared-options.js';

interface SignOptions {
  privateKey: string;
  kid: string;
  environment: string;
  posture: string;
  spec: string;
  rawSpec?: boolean;
  capability: string[];
  expires: string;
  issuedBy: string;
  approvalId?: string;
  orgId?: string;
  projectId?: string;
  json?: boolean;
}

/** Longest lifetime `--expires` accepts; servers accept 24 h unless their maxLifetime says otherwise. */
const MAX_EXPIRES_S = 30 * 86_400;
const SERVER_DEFAULT_S = 86_400;

async function readPrivateKey(path: string): Promise<KeyObject> {
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw failure(`private key ${shownPath(path)} cannot be read: ${fsReason(err)}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw failure(`private key ${shownPath(path)} is not a private key in PEM (make one with bearer-guard approval keygen)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw failure(`private key ${shownPath(path)} is not an Ed25519 key; approvals are signed with Ed25519 (bearer-guard approval keygen)`);
  return key;
}

/** Adds `approval sign` to the `approval` group. */
export function addApprovalSign(group: Command, ctx: CliContext): void {
  group
    .command('sign')
    .description('sign an approval credential for one spec, environment and capability; prints only the credential on stdout')
    .requiredOption('--private-key <file>', "the approver's Ed25519 private key (PKCS#8 PEM, from approval keygen)")
    .requiredOption('--kid <kid>', 'the kid of that key in the JWKS file the server trusts')
    .requiredOption('--environment <name>', 'the environment the approval is for, e.g. prod-eu (the server\'s --auth-environment)')
    .requiredOption('--posture <posture>', "the environment's posture: dev, staging or prod (the server's --auth-environment-posture)")
    .requiredOption('--spec <file>', 'the spec: a JSON file (hashed as its RFC 8785 canonical JSON, as the server hashes the parsed body), or - for stdin')
    .option('--raw-spec', 'hash the spec file as raw bytes, for routes whose spec is a string or Buffer')
    .requiredOption('--capability <capability>', 'a capability the approval grants, e.g. models:train (repeat for more)', collect)
    .option('--expires <duration>', 'how long the approval is valid: a duration such as 15m, 1h (servers accept at most 24h by default)', '15m')
    .requiredOption('--issued-by <name>', 'who approves, e.g. alice@example.com (goes into audit events)')
    .option('--approval-id <id>', 'the approval id, used once by the server; default: a random UUID')
    .option('--org-id <id>', 'optional organization id')
    .option('--project-id <id>', 'optional project id')
    .addOption(jsonOption('print one JSON line: credential, approval_id, spec_hash, issued_at and expires_at'))
    .addHelpText('after', '\nThe credential goes in the Approval-Credential header. It is a secret until it expires or is used: do not log it.\nExample:\n  bearer-guard approval sign --private-key alice.pem --kid alice-2027 --environment prod-eu --posture prod \\\n    --spec train.json --capability models:train --issued-by alice@example.com > approval.txt\n')
    .action(async (opts: SignOptions, cmd: Command) => {
      const kid = checkKid(cmd, opts.kid);
      const environment = checkText(cmd, '--environment', opts.environment);
      const posture = checkPosture(cmd, opts.posture);
      const capabilities = checkCapabilities(cmd, opts.capability);
      const issuedBy = checkText(cmd, '--issued-by', opts.issuedBy);
      const approvalId = opts.approvalId === undefined ? randomUUID() : checkText(cmd, '--approval-id', opts.approvalId);
      let lifetimeS: number;
      try {
        lifetimeS = parseDuration(opts.expires) / 1000;
      } catch (err) {
        throw usageError(cmd, `--expires: ${(err as Error).message}`);
      }
      if (!(lifetimeS >= 1 && lifetimeS <= MAX_EXPIRES_S)) throw usageError(cmd, '--expires must be from 1s to 30d');
      const key = await readPrivateKey(opts.privateKey);
      const mode = modeOpenToOthers(opts.privateKey);
      if (mode !== undefined) ctx.err(`warning: private key ${shownPath(opts.privateKey)} can be read by group or others (mode ${mode}); run: chmod 600 ${shownPath(opts.privateKey)}\n`);
      const spec_hash = await specHashOf(ctx, opts.spec, opts.rawSpec === true);
      const issued_at = Math.floor(ctx.now() / 1000);
      const payload: Record<string, unknown> = {
        v: 1,
        kid,
        environment,
        environment_posture: posture,
        spec_hash,
        capabilities,
        issued_at,
        expires_at: issued_at + lifetimeS,
        issued_by: issuedBy,
        approval_id: approvalId,
      };
      if (opts.orgId !== undefined) payload.org_id = checkText(cmd, '--org-id', opts.orgId);
      if (opts.projectId !== undefined) payload.project_id = checkText(cmd, '--project-id', opts.projectId);
      if (!isV1Payload(payload)) throw failure('the approval payload is not valid (a bug: please report it)');
      const credential = signApproval(payload as ApprovalPayload, key);
      ctx.out(opts.json === true ? `${JSON.stringify({ credential, approval_id: approvalId, spec_hash, issued_at, expires_at: issued_at + lifetimeS })}\n` : `${credential}\n`);
      const expires = (issued_at + lifetimeS) * 1000;
      ctx.err(`signed approval ${approvalId} for ${capabilities.join(', ')} in ${environment} (${posture}), spec ${spec_hash}, expires at ${toIsoUtc(expires)} (${formatRelative(expires, ctx.now())})\n`);
      if (lifetimeS > SERVER_DEFAULT_S) ctx.err('warning: servers refuse approvals valid for more than 24h unless their requireApproval maxLifetime allows it\n');
    });
}
