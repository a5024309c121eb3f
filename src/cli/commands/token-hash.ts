// `bearer-guard token hash`: the sha256:<hex> digest of a token read from stdin (never from an argument).
import { Option, type Command } from 'commander';
import { formatDigest } from '../../keys/digest.js';
import type { CliContext } from '../context.js';
import { failure, usageError } from '../errors.js';
import { readAll, stripNewline } from '../stdin.js';

const STDIN_ONLY =
  'the token is read from stdin only, because arguments show in ps and in shell history; run: bearer-guard token hash < token.txt';

/** Adds `token hash` to the `token` group. */
export function addTokenHash(token: Command, ctx: CliContext): void {
  token
    .command('hash')
    .description('print sha256:<64 hex> of the token read from stdin, for --auth-bearer-token-sha256')
    // Accepted only to be refused with a clear message.
    .addOption(new Option('--token [token]').hideHelp())
    .allowExcessArguments(true)
    .addHelpText('after', '\nThe token is read from stdin (one trailing newline is dropped), never from an argument.\nExample:\n  bearer-guard token hash < token.txt\n')
    .action(async (opts: { token?: string | true }, cmd: Command) => {
      if (opts.token !== undefined || cmd.args.length > 0) throw usageError(cmd, STDIN_ONLY);
      if (ctx.stdin.isTTY === true) ctx.err('reading the token from stdin; end with Ctrl-D\n');
      const value = stripNewline(await readAll(ctx.stdin));
      if (value === '') throw failure('token hash: stdin is empty; pipe the token in, e.g. bearer-guard token hash < token.txt');
      if (/[\r\n]/.test(value)) throw failure('token hash: stdin holds more than one line; give the token alone');
      ctx.out(`${formatDigest(value)}\n`);
    });
}
