// Where the credentials file lives: BEARER_GUARD_CONFIG_DIR, else $XDG_CONFIG_HOME/bearer-guard, else ~/.config/bearer-guard.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The environment the client reads (process.env, or a CLI's). */
export type ClientEnv = Readonly<Record<string, string | undefined>>;

/** The file name inside the config directory. */
export const CONTEXTS_FILE_NAME = 'contexts.json';

const set = (v: string | undefined): v is string => v !== undefined && v !== '';

/**
 * The config directory: `BEARER_GUARD_CONFIG_DIR` (made absolute), else `$XDG_CONFIG_HOME/bearer-guard`
 * (when absolute, as the XDG spec asks), else `~/.config/bearer-guard` (`HOME` from `env` first).
 */
export function configDir(env: ClientEnv): string {
  if (set(env.BEARER_GUARD_CONFIG_DIR)) return resolve(env.BEARER_GUARD_CONFIG_DIR);
  if (set(env.XDG_CONFIG_HOME) && isAbsolute(env.XDG_CONFIG_HOME)) return join(env.XDG_CONFIG_HOME, 'bearer-guard');
  return join(set(env.HOME) ? env.HOME : homedir(), '.config', 'bearer-guard');
}

/** The credentials file, `<configDir>/contexts.json`. */
export function contextsFilePath(env: ClientEnv): string {
  return join(configDir(env), CONTEXTS_FILE_NAME);
}
