// Where `login` gets the token: stdin (--with-token), a file (--token-file), BEARER_GUARD_TOKEN, or a hidden prompt; never an argument.
import type { Command } from 'commander';
import { shownUrl } from '../client/endpoint.js';
import { checkToken, envToken, readTokenFile } from '../client/resolve.js';
import type { CliContext } from './context.js';
import { failure, usageError } from './errors.js';
import { readAll, stripNewline } from './stdin.js';

/** Why a token is never taken from an argument. */
export const NOT_FROM_ARGV =
  'a token is never taken from the command line, where it would show in ps and in shell history; pipe it with --with-token (bearer-guard login --with-token < token.txt), give --token-file PATH, or run login in a terminal to be prompted';

/** The options that choose the token source. */
export interface TokenSourceOptions {
  withToken?: boolean;
  tokenFile?: string;
  token?: string | true;
}

/** A token and a phrase saying where it came from. */
export interface TokenInput {
  readonly token: string;
  readonly from: string;
}

/** The hidden prompt (no echo), on stderr so that stdout stays data. */
async function prompt(ctx: CliContext, endpoint: string): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  try {
    return await password({ message: `Token for ${shownUrl(endpoint)}:` }, { input: ctx.stdin, output: process.stderr, clearPromptOnDone: true });
  } catch (err) {
    if ((err as { name?: unknown }).name === 'ExitPromptError') throw failure('login: cancelled; nothing was saved');
    throw err;
  }
}

/**
 * The token to log in with, from exactly one source: `--with-token` (stdin), `--token-file`,
 * `BEARER_GUARD_TOKEN` / `_FILE` (said on stderr), or the hidden prompt when stdin is a terminal.
 * @throws CliError (usage) for `--token`, extra arguments, two sources, or no source at all
 */
export async function readLoginToken(cmd: Command, ctx: CliContext, opts: TokenSourceOptions, endpoint: string): Promise<TokenInput> {
  if (opts.token !== undefined || cmd.args.length > 0) throw usageError(cmd, NOT_FROM_ARGV);
  if (opts.withToken === true && opts.tokenFile !== undefined) throw usageError(cmd, 'give either --with-token (stdin) or --token-file, not both');
  if (opts.withToken === true) {
    if (envToken(ctx.env) !== undefined) ctx.err('note: --with-token given: the token is read from stdin, and BEARER_GUARD_TOKEN is not used\n');
    if (ctx.stdin.isTTY === true) ctx.err('reading the token from stdin; end with Ctrl-D\n');
    const text = stripNewline(await readAll(ctx.stdin));
    if (text === '') throw failure('login: stdin is empty; pipe the token in, e.g. bearer-guard login --with-token < token.txt');
    if (/[\r\n]/.test(text)) throw failure('login: stdin holds more than one line; give the token alone');
    return { token: checkToken(text, 'login: the token on stdin'), from: 'stdin' };
  }
  if (opts.tokenFile !== undefined) return { token: readTokenFile(opts.tokenFile, '--token-file'), from: 'the token file' };
  const fromEnv = envToken(ctx.env);
  if (fromEnv !== undefined) {
    ctx.err(`note: using the token in ${fromEnv.via} (pass --with-token to read one from stdin instead)\n`);
    return { token: fromEnv.token, from: fromEnv.via };
  }
  if (ctx.stdin.isTTY !== true) {
    throw usageError(cmd, 'no token given and stdin is not a terminal: pipe it with --with-token, or give --token-file PATH');
  }
  const typed = (await prompt(ctx, endpoint)).trim();
  if (typed === '') throw failure('login: no token was typed; nothing was saved');
  return { token: checkToken(typed, 'login: the token typed'), from: 'the prompt' };
}
