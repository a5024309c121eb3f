// `bearer-guard approval verify`: checks a credential (from stdin) the way a server would, and prints its payload and the verdict.
import { Option, type Command } from 'commander';
import { decodeBase64url } from '../../approval/base64url.js';
import { readTrustedKeysFile } from '../../approval/live-keys.js';
import { DEFAULT_MAX_LIFETIME_S, verifyApproval } from '../../approval/verify.js';
import { parseDuration } from '../../keys/duration.js';
import type { CliContext } from '../context.js';
import { failure, usageError } from '../errors.js';
import { readAll, stripNewline } from '../stdin.js';
import { claimApproval, claimTarget, type ClaimOptions } from './approval-claim.js';
import { checkCapabilities, checkPosture, checkText, specHashOf } from './approval-shared.js';
import { jsonOption, redisPrefixOption } from './shared-options.js';

interface VerifyOptions extends ClaimOptions {
  jwks: string;
  environment: string;
  posture: string;
  spec: string;
  rawSpec?: boolean;
  capability: string;
  maxLifetime?: string;
  credential?: string | true;
  json?: boolean;
}

const STDIN_ONLY = 'the credential is read from stdin only, because arguments show in ps and in shell history; run: bearer-guard approval verify ... < approval.txt';

/** The payload as JSON, when the credential's first part decodes to JSON at all (signed or not). */
function decodedPayload(credential: string): unknown {
  const bytes = decodeBase64url(credential.split('.')[0] ?? '');
  if (bytes === undefined) return null;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Adds `approval verify` to the `approval` group. */
export function addApprovalVerify(group: Command, ctx: CliContext): void {
  group
    .command('verify')
    .description('check an approval credential read from stdin as a server would (steps 1 to 8), print its payload and the verdict; exit 1 when refused')
    .requiredOption('--jwks <file>', 'the JWKS file of trusted approver keys')
    .requiredOption('--environment <name>', "the server's environment name")
    .requiredOption('--posture <posture>', "the server's posture: dev, staging or prod")
    .requiredOption('--spec <file>', 'the spec: a JSON file (hashed as its canonical JSON), as the route receives it')
    .option('--raw-spec', 'hash the spec file as raw bytes')
    .requiredOption('--capability <capability>', 'the capability the route requires, e.g. models:train')
    .option('--max-lifetime <duration>', "the route's maxLifetime", '24h')
    .option('--claim', "step 9 as a server with once: true does: claim the approval's id in Redis (--redis-url, or env AUTH_REDIS_URL / AUTH_REDIS_URL_FILE), so that it is accepted once across every replica and this command; a replay is refused (replayed)")
    .option('--redis-url <url>', 'the Redis the servers share for replay records, e.g. redis://127.0.0.1:6379/0; implies --claim')
    .addOption(redisPrefixOption())
    // Accepted only to be refused with a clear message.
    .addOption(new Option('--credential [credential]').hideHelp())
    .allowExcessArguments(true)
    .addOption(jsonOption('print one JSON line: verdict, reason, signature_verified and payload'))
    .addHelpText(
      'after',
      '\nThe credential is read from stdin (one trailing newline is dropped), never from an argument.\nReasons: malformed, unknown_kid, bad_signature, unsupported_version, spec_mismatch,\nenvironment_mismatch, expired, missing_capability, and replayed with --claim (which uses up the\napproval: the servers sharing that Redis then refuse it). Without --claim, replays are not checked.\nExit codes: 0 accepted, 1 refused (or the check could not run), 2 usage error.\nExample:\n  bearer-guard approval verify --jwks approvers.jwks --environment prod-eu --posture prod \\\n    --spec train.json --capability models:train < approval.txt\n',
    )
    .action(async (opts: VerifyOptions, cmd: Command) => {
      if (opts.credential !== undefined || cmd.args.length > 0) throw usageError(cmd, STDIN_ONLY);
      if (opts.spec === '-') throw usageError(cmd, '--spec must be a file here: stdin carries the credential');
      const environment = checkText(cmd, '--environment', opts.environment);
      const posture = checkPosture(cmd, opts.posture);
      const [capability] = checkCapabilities(cmd, [opts.capability]) as [string];
      let maxLifetimeS: number;
      try {
        maxLifetimeS = opts.maxLifetime === undefined ? DEFAULT_MAX_LIFETIME_S : parseDuration(opts.maxLifetime) / 1000;
      } catch (err) {
        throw usageError(cmd, `--max-lifetime: ${(err as Error).message}`);
      }
      const claim = claimTarget(cmd, opts, ctx);
      const { keys } = readTrustedKeysFile(opts.jwks);
      const specHash = await specHashOf(ctx, opts.spec, opts.rawSpec === true);
      if (ctx.stdin.isTTY === true) ctx.err('reading the credential from stdin; end with Ctrl-D\n');
      const credential = stripNewline(await readAll(ctx.stdin));
      if (credential === '') throw failure('approval verify: stdin is empty; pipe the credential in, e.g. < approval.txt');
      let verdict = verifyApproval(credential, { keys, specHash, environment: { name: environment, posture }, capability, nowMs: ctx.now(), maxLifetimeS });
      if (verdict.ok && claim !== undefined && !(await claimApproval(claim, verdict.payload))) verdict = { ok: false, reason: 'replayed', payload: verdict.payload };
      const signed = verdict.ok || verdict.payload !== undefined || verdict.reason === 'unsupported_version';
      const payload = decodedPayload(credential);
      const reason = verdict.ok ? null : verdict.reason;
      if (opts.json === true) {
        ctx.out(`${JSON.stringify({ verdict: verdict.ok ? 'accepted' : 'refused', reason, signature_verified: signed, payload })}\n`);
      } else {
        ctx.out(`payload (signature ${signed ? 'verified' : 'NOT verified'}):\n${payload === null ? '(cannot be decoded)' : JSON.stringify(payload, null, 2)}\n`);
        ctx.out(`verdict: ${verdict.ok ? 'accepted' : `refused (${reason!})`}\n`);
      }
      if (!verdict.ok) throw failure(`approval refused: ${reason!}`);
    });
}
