// Reads bearer-guard's env vars, each behind the configured prefix.
import { BearerGuardConfigError } from '../errors/startup.js';
import { mayContainToken } from '../safety/redact.js';
import type { SourceValues } from './argv.js';
import { SETTINGS, type SettingKey } from './settings.js';

/** Values found in the environment, and the variable names that messages use. @internal */
export interface EnvValues extends SourceValues {
  /** Each setting's variable name as messages show it (`<envPrefix>` for a prefix that looks like a token). */
  names: Record<SettingKey, string>;
  /** The same for the `_FILE` twins. */
  fileNames: Record<SettingKey, string>;
  /** The prefix as messages show it. */
  shownPrefix: string;
}

function namesFor(prefix: string, suffix: string): Record<SettingKey, string> {
  return Object.fromEntries(SETTINGS.map((s) => [s.key, `${prefix}${s.env}${suffix}`])) as Record<SettingKey, string>;
}

/**
 * Reads every setting's env var (and `_FILE` twin) behind `prefix`. A variable set to the empty
 * string is recorded in `empty`, not taken as unset.
 *
 * @throws BearerGuardConfigError when a boolean variable is not a boolean
 * @internal
 */
export function readEnv(env: Readonly<Record<string, string | undefined>>, prefix: string): EnvValues {
  // Messages name the variables; a token pasted as the prefix must not come along with them.
  const shown = mayContainToken(prefix) ? '<envPrefix>' : prefix;
  const found: EnvValues = { values: {}, files: {}, empty: [], names: namesFor(shown, ''), fileNames: namesFor(shown, '_FILE'), shownPrefix: shown };
  for (const s of SETTINGS) {
    const value = own(env, `${prefix}${s.env}`);
    if (value === '') found.empty.push({ key: s.key, twin: false });
    else if (value !== undefined) found.values[s.key] = s.type === 'boolean' ? parseEnvBoolean(value, found.names[s.key]) : value;
    const file = s.fileTwin ? own(env, `${prefix}${s.env}_FILE`) : undefined;
    if (file === '') found.empty.push({ key: s.key, twin: true });
    else if (file !== undefined) found.files[s.key] = file;
  }
  return found;
}

function own(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function parseEnvBoolean(raw: string, name: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_VALUE', `env ${name} must be true, false, 1 or 0`);
}
