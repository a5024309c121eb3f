// Runs the CLI once: parses the arguments, runs the command, and turns every outcome into an exit code.
import { CommanderError } from 'commander';
import { BearerGuardClientError } from '../client/errors.js';
import type { CliContext } from './context.js';
import { CliError, EXIT_FAILED, EXIT_USAGE, failureText, isCodedError, redactWords, usageText } from './errors.js';
import { buildProgram } from './program.js';

/**
 * Runs `bearer-guard` with `args` (the arguments after the script). Never throws and never
 * prints a stack trace: errors become one or two lines on stderr.
 *
 * @param args - e.g. `['keys', 'list', '--json']`
 * @param ctx - the outside world (see processContext)
 * @param version - what `--version` prints
 * @returns the exit code: 0 success, 1 the operation failed, 2 usage error
 */
export async function run(args: readonly string[], ctx: CliContext, version: string): Promise<number> {
  try {
    await buildProgram(ctx, version).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; a group called without a command shows its help and exits 2.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof CliError) {
      ctx.err(err.command === undefined ? failureText(err.message) : usageText(err.command, err.message));
      return err.exitCode;
    }
    if (isCodedError(err) || err instanceof BearerGuardClientError) {
      // bearer-guard's own errors name the file or source and the problem, never a token.
      ctx.err(failureText(err.message));
      return EXIT_FAILED;
    }
    const what = err instanceof Error ? `${err.name}: ${redactWords(err.message)}` : typeof err;
    ctx.err(failureText(`unexpected error (${what})`));
    return EXIT_FAILED;
  }
}
