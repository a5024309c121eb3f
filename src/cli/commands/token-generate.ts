// `bearer-guard token generate`: a strong random token for the single-token setup.
import type { Command } from 'commander';
import { generateLegacyToken } from '../../keys/format.js';
import type { CliContext } from '../context.js';
import { jsonOption } from './shared-options.js';

/** Adds `token generate` to the `token` group. */
export function addTokenGenerate(token: Command, ctx: CliContext): void {
  token
    .command('generate')
    .description('print a new random token (32 bytes as base64url, 43 characters) for AUTH_BEARER_TOKEN')
    .addOption(jsonOption('print {"token": ...} as one JSON line'))
    .addHelpText('after', '\nExample:\n  bearer-guard token generate > token.txt && chmod 600 token.txt\n')
    .action((opts: { json?: boolean }) => {
      const value = generateLegacyToken();
      ctx.out(opts.json === true ? `${JSON.stringify({ token: value })}\n` : `${value}\n`);
    });
}
