// `bearer-guard status`: checks every saved context (and env credentials) against its server, like gh auth status.
import type { Command } from 'commander';
import { checkToken } from '../../client/check-token.js';
import { readContexts } from '../../client/contexts-file.js';
import type { SavedIdentity } from '../../client/contexts-format.js';
import { shownUrl } from '../../client/endpoint.js';
import { BearerGuardClientError } from '../../client/errors.js';
import { envToken } from '../../client/resolve.js';
import { credentialsFor, describeIdentity, fileOf, maskToken, table, timeoutMsOf, timeoutOption } from '../client-session.js';
import type { CliContext } from '../context.js';
import { failure } from '../errors.js';
import { jsonOption } from './shared-options.js';

/** What status says of one set of credentials. */
export type CredentialsState = 'valid' | 'expired' | 'revoked' | 'invalid' | 'unreachable' | 'error';

interface Row {
  name: string | null;
  endpoint: string;
  token: string;
  inUse: boolean;
  state: CredentialsState;
  identity: SavedIdentity | null;
  problem: string | null;
}

const UNREACHABLE = new Set(['ERR_UNREACHABLE', 'ERR_DNS', 'ERR_TLS', 'ERR_TIMEOUT']);

async function probe(endpoint: string, token: string, timeoutMs: number): Promise<Pick<Row, 'state' | 'identity' | 'problem'>> {
  try {
    const { identity } = await checkToken({ endpoint, token, timeoutMs });
    return { state: 'valid', identity, problem: null };
  } catch (err) {
    if (!(err instanceof BearerGuardClientError)) throw err;
    const state: CredentialsState = err.code === 'ERR_TOKEN_REJECTED' ? err.reason! : UNREACHABLE.has(err.code) ? 'unreachable' : 'error';
    return { state, identity: null, problem: err.message };
  }
}

/** Adds `status` to the program. */
export function addStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('check every saved context (and BEARER_GUARD_TOKEN, if set) against its server: valid, expired, revoked, invalid or unreachable')
    .addOption(timeoutOption())
    .addOption(jsonOption('print a JSON array of {context, endpoint, token (masked), in_use, state, identity, problem}'))
    .addHelpText('after', '\nExits 1 when the credentials commands use now (see bearer-guard context current) are not valid.\n')
    .action(async (opts: { timeout?: string; json?: boolean }, cmd: Command) => {
      const timeoutMs = timeoutMsOf(cmd, opts.timeout);
      const { file, warn } = fileOf(ctx);
      const data = readContexts(file, warn);
      let inUse: { context: string | null; endpoint: string; token: string } | undefined;
      try {
        inUse = credentialsFor(ctx, undefined);
      } catch (err) {
        if (!(err instanceof BearerGuardClientError)) throw err;
        ctx.err(`${err.message}\n`);
      }
      const targets: Array<Omit<Row, 'state' | 'identity' | 'problem'>> = Object.keys(data.contexts).sort().map((name) => {
        const c = data.contexts[name]!;
        return { name, endpoint: c.endpoint, token: c.token, inUse: inUse?.context === name };
      });
      if (inUse !== undefined && inUse.context === null) targets.unshift({ name: null, endpoint: inUse.endpoint, token: inUse.token, inUse: true });
      else if (envToken(ctx.env) === undefined && targets.length === 0) ctx.err(`no saved contexts in ${file}; run bearer-guard login\n`);
      const rows: Row[] = await Promise.all(targets.map(async (t) => ({ ...t, ...(await probe(t.endpoint, t.token, timeoutMs)) })));
      if (opts.json === true) {
        ctx.out(`${JSON.stringify(rows.map((r) => ({ context: r.name, endpoint: shownUrl(r.endpoint), token: maskToken(r.token), in_use: r.inUse, state: r.state, identity: r.identity, problem: r.problem })))}\n`);
      } else if (rows.length > 0) {
        const lines = [['', 'CONTEXT', 'ENDPOINT', 'TOKEN', 'STATE', 'DETAIL']];
        for (const r of rows) lines.push([r.inUse ? '*' : '', r.name ?? '(env)', shownUrl(r.endpoint), maskToken(r.token), r.state, r.state === 'valid' ? describeIdentity(r.identity) : r.problem ?? '']);
        ctx.out(table(lines));
      }
      const used = rows.find((r) => r.inUse);
      if (used === undefined) throw failure('status: no credentials in use (see above)');
      if (used.state !== 'valid') throw failure(`status: the credentials in use (${used.name === null ? 'env' : `context "${used.name}"`}) are ${used.state}`);
    });
}
