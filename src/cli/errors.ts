// CLI errors and their exit codes: 1 when the operation failed, 2 for a usage error.
import type { Command } from 'commander';
import { mayContainToken } from '../safety/redact.js';

/** Exit code of a failed operation (bad or unreadable file, unknown id, bad config). */
export const EXIT_FAILED = 1;
/** Exit code of a usage error (unknown option, missing argument, bad value). */
export const EXIT_USAGE = 2;

/** An error the CLI reports in one or two lines, without a stack trace. */
export class CliError extends Error {
  /** The exit code to end with. */
  readonly exitCode: typeof EXIT_FAILED | typeof EXIT_USAGE;
  /** For a usage error, the command whose `--help` to point at, e.g. `bearer-guard keys create`. */
  readonly command: string | undefined;

  /**
   * @param message - what went wrong, naming the file and the problem; never a token
   * @param exitCode - {@link EXIT_FAILED} or {@link EXIT_USAGE}
   * @param command - the command path, for usage errors
   */
  constructor(message: string, exitCode: typeof EXIT_FAILED | typeof EXIT_USAGE, command?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.command = command;
  }
}

/** The full name of a command, e.g. `bearer-guard keys create`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** A usage error of `cmd` (exit 2): the message, then "see <cmd> --help". */
export function usageError(cmd: Command, message: string): CliError {
  return new CliError(message, EXIT_USAGE, commandPath(cmd));
}

/** A failed operation (exit 1). */
export function failure(message: string): CliError {
  return new CliError(message, EXIT_FAILED);
}

/** The lines that report a usage error of `command`. */
export function usageText(command: string, message: string): string {
  return `${command}: ${message}\nsee ${command} --help\n`;
}

/** The line that reports a failure: the message behind one `bearer-guard:` prefix. */
export function failureText(message: string): string {
  return `${message.startsWith('bearer-guard:') ? message : `bearer-guard: ${message}`}\n`;
}

/**
 * `text` with every word that looks like a token replaced by `(not shown)`: for messages that
 * echo what was typed, such as commander's `unknown option '--x=<value>'`.
 */
export function redactWords(text: string): string {
  return text.replace(/[^\s'"=,]+/g, (word) => (mayContainToken(word) ? '(not shown)' : word));
}

/** True for an error bearer-guard threw with a stable code (config, keys file, option checks). */
export function isCodedError(err: unknown): err is Error & { code: string } {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_BEARER_GUARD_');
}
