// The command-line flags bearer-guard reads, for apps that check their own command line.
import { SETTINGS } from './settings.js';

/** One command-line flag that `bearerGuard({ argv })` and `loadAuthConfig({ argv })` read. */
export interface BearerGuardFlag {
  /** The flag, e.g. `--auth-bearer-token`. */
  readonly flag: string;
  /**
   * Whether it takes a value (`--flag value` or `--flag=value`). A flag without one is a switch:
   * `--flag`, or `--flag=true` / `--flag=false`.
   */
  readonly takesValue: boolean;
  /** One line for a usage text. */
  readonly description: string;
}

/**
 * Every flag bearer-guard reads from `argv`, derived from its settings table, so that an app
 * parsing the same command line can tell bearer-guard's flags (and their values) from its own,
 * refuse unknown ones and list these in its usage text.
 *
 * @example
 * ```ts
 * const known = new Set([...BEARER_GUARD_FLAGS.map((f) => f.flag), '--listen-port']);
 * ```
 */
export const BEARER_GUARD_FLAGS: readonly BearerGuardFlag[] = Object.freeze(
  SETTINGS.flatMap((s) => [
    Object.freeze({ flag: s.flag, takesValue: s.type !== 'boolean', description: s.doc }),
    ...(s.type === 'boolean' ? [Object.freeze({ flag: `--no-${s.flag.slice(2)}`, takesValue: false, description: `The same as ${s.flag}=false.` })] : []),
    ...(s.fileTwin ? [Object.freeze({ flag: `${s.flag}-file`, takesValue: true, description: `A file holding the value of ${s.flag} (one line).` })] : []),
  ]),
);
