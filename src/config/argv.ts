// Reads bearer-guard's own flags from an argv array, byte for byte (no number or dash mangling).
import { BearerGuardConfigError } from '../errors/startup.js';

/** Values found on the command line. @internal */
export interface ArgvValues {
  token?: string;
  tokenFile?: string;
  configFile?: string;
  required?: boolean;
}

const VALUE_FLAGS = {
  '--auth-bearer-token': 'token',
  '--auth-bearer-token-file': 'tokenFile',
  '--config-file': 'configFile',
} as const;
type ValueFlag = keyof typeof VALUE_FLAGS;

/**
 * Scans `argv` (shaped like `process.argv`: the first two entries are skipped) for
 * `--auth-bearer-token[=]`, `--auth-bearer-token-file[=]`, `--config-file[=]` and
 * `--auth-required[=true|false]`. Other arguments are left to the app. Parsing stops at `--`.
 * A value flag takes the next argument as is, even when it starts with `-` (but not `--`: that
 * is taken for a forgotten value; use `--flag=--value`). An empty value counts as unset.
 *
 * @throws BearerGuardConfigError for a flag without a value, a flag given twice, or a bad boolean
 * @internal
 */
export function readArgv(argv: readonly string[]): ArgvValues {
  const found: ArgvValues = {};
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (name === '--auth-required') {
      setOnce(found, 'required', eq === -1 ? true : parseFlagBoolean(arg.slice(eq + 1)), name);
      continue;
    }
    if (!(name in VALUE_FLAGS)) continue;
    const key = VALUE_FLAGS[name as ValueFlag];
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length) {
        throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_ARGUMENT', `${name} needs a value: ${name} <value> or ${name}=<value>`);
      }
      value = argv[++i]!;
      // "--auth-bearer-token --listen-port 5000" would otherwise take a flag as the token.
      if (value.startsWith('--')) {
        throw new BearerGuardConfigError(
          'ERR_BEARER_GUARD_INVALID_ARGUMENT',
          `${name} is followed by another flag instead of a value; a value that starts with "--" must be given as ${name}=<value>`,
        );
      }
    }
    // An empty value counts as unset, as it does for env vars and INI keys.
    if (value === '') continue;
    setOnce(found, key, value, name);
  }
  return found;
}

function setOnce<K extends keyof ArgvValues>(found: ArgvValues, key: K, value: ArgvValues[K], flag: string): void {
  if (found[key] !== undefined) {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_CONFLICTING_SOURCES', `${flag} was given more than once; give it once`);
  }
  found[key] = value;
}

function parseFlagBoolean(raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_VALUE', '--auth-required takes no value, or =true or =false');
}
