// Reads bearer-guard's env vars, each behind the configured prefix.
import { BearerGuardConfigError } from '../errors/startup.js';
import { mayContainToken } from '../safety/redact.js';

/** Values found in the environment, and the variable names that messages use. @internal */
export interface EnvValues {
  token?: string;
  tokenFile?: string;
  configFile?: string;
  required?: boolean;
  /** The names to show in messages (an envPrefix that looks like a token shows as `<envPrefix>`). */
  names: { token: string; tokenFile: string; configFile: string; required: string };
}

/** The four variable names behind `prefix`. */
function namesFor(prefix: string): EnvValues['names'] {
  return {
    token: `${prefix}AUTH_BEARER_TOKEN`,
    tokenFile: `${prefix}AUTH_BEARER_TOKEN_FILE`,
    configFile: `${prefix}AUTH_CONFIG_FILE`,
    required: `${prefix}AUTH_REQUIRED`,
  };
}

/**
 * Reads `AUTH_BEARER_TOKEN`, `AUTH_BEARER_TOKEN_FILE`, `AUTH_CONFIG_FILE` and `AUTH_REQUIRED`
 * behind `prefix`. An empty variable counts as unset.
 *
 * @throws BearerGuardConfigError when `AUTH_REQUIRED` is not a boolean
 * @internal
 */
export function readEnv(env: Readonly<Record<string, string | undefined>>, prefix: string): EnvValues {
  const names = namesFor(prefix);
  // Messages name the variables; a token pasted as the prefix must not come along with them.
  const values: EnvValues = { names: mayContainToken(prefix) ? namesFor('<envPrefix>') : names };
  const token = nonEmpty(env, names.token);
  const tokenFile = nonEmpty(env, names.tokenFile);
  const configFile = nonEmpty(env, names.configFile);
  const required = nonEmpty(env, names.required);
  if (token !== undefined) values.token = token;
  if (tokenFile !== undefined) values.tokenFile = tokenFile;
  if (configFile !== undefined) values.configFile = configFile;
  if (required !== undefined) values.required = parseEnvBoolean(required, values.names.required);
  return values;
}

function nonEmpty(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseEnvBoolean(raw: string, name: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_VALUE', `env ${name} must be true, false, 1 or 0`);
}
