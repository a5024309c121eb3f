// `bearer-guard context list` and `context current`: saved contexts and the credentials in use, tokens masked.
import type { Command } from 'commander';
import { readContexts } from '../../client/contexts-file.js';
import { shownUrl } from '../../client/endpoint.js';
import { credentialsFor, describeIdentity, describeSource, fileOf, maskToken, table } from '../client-session.js';
import type { CliContext } from '../context.js';
import { jsonOption } from './shared-options.js';

/** Adds `context list` and `context current` to the `context` group. */
export function addContextShow(group: Command, ctx: CliContext): void {
  group
    .command('list')
    .description('list the saved contexts: name, endpoint, identity and token (masked); * marks the current one')
    .addOption(jsonOption('print a JSON array of {name, current, endpoint, token (masked), identity, saved_at}'))
    .action((opts: { json?: boolean }) => {
      const { file, warn } = fileOf(ctx);
      const data = readContexts(file, warn);
      const names = Object.keys(data.contexts).sort();
      if (opts.json === true) {
        const list = names.map((name) => {
          const c = data.contexts[name]!;
          return { name, current: name === data.current, endpoint: shownUrl(c.endpoint), token: maskToken(c.token), identity: c.identity, saved_at: c.saved_at };
        });
        ctx.out(`${JSON.stringify(list)}\n`);
        return;
      }
      if (names.length === 0) {
        ctx.err(`no saved contexts in ${file}; run bearer-guard login\n`);
        return;
      }
      const rows = [['', 'NAME', 'ENDPOINT', 'TOKEN', 'IDENTITY', 'SAVED']];
      for (const name of names) {
        const c = data.contexts[name]!;
        rows.push([name === data.current ? '*' : '', name, shownUrl(c.endpoint), maskToken(c.token), describeIdentity(c.identity), c.saved_at]);
      }
      ctx.out(table(rows));
    });

  group
    .command('current')
    .description('show the credentials commands use now (BEARER_GUARD_TOKEN, else BEARER_GUARD_CONTEXT, else the current context); the token is masked')
    .option('--show-token', 'print the whole token on stdout, alone (the only command that ever prints it)')
    .addOption(jsonOption('print one JSON object {context, source, endpoint, token, identity}'))
    .action((opts: { json?: boolean; showToken?: boolean }) => {
      const c = credentialsFor(ctx, undefined);
      const token = opts.showToken === true ? c.token : maskToken(c.token);
      if (opts.json === true) {
        ctx.out(`${JSON.stringify({ context: c.context, source: c.via, endpoint: shownUrl(c.endpoint), token, identity: c.identity })}\n`);
        return;
      }
      // stdout: the name, or with --show-token the token alone (TOKEN=$(... --show-token)); stderr never holds it.
      ctx.out(`${opts.showToken === true ? c.token : c.context ?? '(env)'}\n`);
      const shown = opts.showToken === true ? `${maskToken(c.token)} (whole on stdout)` : token;
      ctx.err(`context: ${c.context ?? '(none: env credentials)'}, from ${describeSource(c)}\nendpoint: ${shownUrl(c.endpoint)}\ntoken: ${shown}\nidentity: ${describeIdentity(c.identity)}\n`);
    });
}
