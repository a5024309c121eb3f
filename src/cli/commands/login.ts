// `bearer-guard login`: checks a token against the server (whoami, else the models list), then saves it as a named context.
import { Option, type Command } from 'commander';
import { checkToken as checkWithServer } from '../../client/check-token.js';
import { updateContexts } from '../../client/contexts-file.js';
import { checkEndpoint, DEFAULT_ENDPOINT, shownUrl } from '../../client/endpoint.js';
import { BearerGuardClientError } from '../../client/errors.js';
import { checkContextName } from '../../client/resolve.js';
import { toIsoUtc } from '../../keys/duration.js';
import { asUsage, contextOption, describeIdentity, fileOf, maskToken, timeoutMsOf, timeoutOption } from '../client-session.js';
import type { CliContext } from '../context.js';
import { failure } from '../errors.js';
import { readLoginToken, type TokenSourceOptions } from '../login-token.js';
import { jsonOption } from './shared-options.js';

interface LoginOptions extends TokenSourceOptions {
  endpoint?: string;
  context?: string;
  use?: boolean;
  timeout?: string;
  json?: boolean;
}

/** Adds `login` to the program. */
export function addLogin(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('check a token against a server, then save it as a named context (the token is never taken from an argument)')
    .usage('[--endpoint URL] [--context NAME] [--use] [--with-token | --token-file PATH] [--timeout S] [--json]')
    .option('--endpoint <url>', `the server's URL (default: BEARER_GUARD_ENDPOINT, else ${DEFAULT_ENDPOINT})`)
    .addOption(contextOption('the context to write (default: default)'))
    .option('--use', 'also make it the current context (the first context saved always becomes current)')
    .option('--with-token', 'read the token from stdin, as gh auth login --with-token does')
    .option('--token-file <path>', 'read the token from this file (one trailing newline is dropped)')
    .addOption(timeoutOption())
    .addOption(jsonOption('print one JSON object {context, endpoint, token (masked), identity, checked_with, current, file}'))
    .addOption(new Option('--token [token]').hideHelp())
    .allowExcessArguments(true)
    .addHelpText('after', [
      '',
      'The token is checked with GET <endpoint>/v2/auth/whoami (or, on a server without it, GET /v2/models/)',
      'and saved only when the server accepts it. Without --with-token or --token-file, BEARER_GUARD_TOKEN is',
      'used when set; else you are prompted (hidden input) when stdin is a terminal.',
      'Examples:',
      '  bearer-guard login --endpoint https://models.example.org --context prod --use',
      '  bearer-guard login --with-token --context ci < token.txt',
      '',
    ].join('\n'))
    .action(async (opts: LoginOptions, cmd: Command) => {
      const name = asUsage(cmd, () => checkContextName(opts.context ?? 'default', '--context'));
      const timeoutMs = timeoutMsOf(cmd, opts.timeout);
      const given = opts.endpoint ?? (ctx.env.BEARER_GUARD_ENDPOINT || undefined);
      const endpoint = asUsage(cmd, () => checkEndpoint(given ?? DEFAULT_ENDPOINT, opts.endpoint !== undefined ? '--endpoint' : 'BEARER_GUARD_ENDPOINT'));
      const { token, from } = await readLoginToken(cmd, ctx, opts, endpoint);
      let check;
      try {
        check = await checkWithServer({ endpoint, token, timeoutMs });
      } catch (err) {
        if (err instanceof BearerGuardClientError) throw failure(`login: ${err.message}; nothing was saved`);
        throw err;
      }
      const { file, warn } = fileOf(ctx);
      const saved = await updateContexts(file, warn, (data) => ({
        version: 1,
        current: opts.use === true || data.current === null ? name : data.current,
        contexts: Object.assign(Object.create(null) as object, data.contexts, {
          [name]: { endpoint, token, identity: check.identity, saved_at: toIsoUtc(ctx.now()) },
        }),
      }));
      const masked = maskToken(token);
      if (opts.json === true) {
        const out = { context: name, endpoint: shownUrl(endpoint), token: masked, identity: check.identity, checked_with: check.via, current: saved.current, file };
        ctx.out(`${JSON.stringify(out)}\n`);
      }
      const accepted = check.via === 'whoami'
        ? describeIdentity(check.identity)
        : `the server has no /v2/auth/whoami; GET /v2/models/ accepted the token${check.limited ? ' (403: valid, but without the scope to list models)' : ''}`;
      ctx.err(`token from ${from} accepted by ${shownUrl(endpoint)}: ${accepted}\n`);
      ctx.err(`saved context "${name}" (token ${masked}) in ${file}\n`);
      ctx.err(saved.current === name
        ? `current context: "${name}"\n`
        : `current context: "${saved.current!}" (unchanged); switch with bearer-guard context use ${name}\n`);
    });
}
