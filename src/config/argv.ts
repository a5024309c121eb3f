// Reads bearer-guard's own flags from an argv array, byte for byte (no number or dash mangling).
import { BearerGuardConfigError } from '../errors/startup.js';
import { SETTINGS, type SettingKey } from './settings.js';

/** What one source gave for the settings: a value, or the path of a file holding it. @internal */
export interface SourceValues {
  values: Partial<Record<SettingKey, string | boolean>>;
  /** Paths from `<flag>-file` / `<env>_FILE` twins. */
  files: Partial<Record<SettingKey, string>>;
}

type Target = { key: SettingKey; twin: boolean; boolean: boolean };

// Every flag spelling, derived from the settings table.
const FLAGS: ReadonlyMap<string, Target> = new Map(
  SETTINGS.flatMap((s): Array<[string, Target]> => [
    [s.flag, { key: s.key, twin: false, boolean: s.type === 'boolean' }],
    ...(s.fileTwin ? [[`${s.flag}-file`, { key: s.key, twin: true, boolean: false }] as [string, Target]] : []),
  ]),
);

/**
 * Scans `argv` (shaped like `process.argv`: the first two entries are skipped) for the flags of
 * the settings table. Other arguments are left to the app. Parsing stops at `--`. A value flag
 * takes the next argument as is, even when it starts with `-` (but not `--`: that is taken for a
 * forgotten value; use `--flag=--value`). An empty value counts as unset. A boolean flag takes no
 * value, or `=true` / `=false`.
 *
 * @throws BearerGuardConfigError for a flag without a value, a flag given twice, or a bad boolean
 * @internal
 */
export function readArgv(argv: readonly string[]): SourceValues {
  const found: SourceValues = { values: {}, files: {} };
  const seen = new Set<string>();
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const target = FLAGS.get(name);
    if (target === undefined) continue;
    const once = (): void => {
      if (seen.has(name)) {
        throw new BearerGuardConfigError('ERR_BEARER_GUARD_CONFLICTING_SOURCES', `${name} was given more than once; give it once`);
      }
      seen.add(name);
    };
    if (target.boolean) {
      once();
      found.values[target.key] = eq === -1 ? true : parseFlagBoolean(arg.slice(eq + 1), name);
      continue;
    }
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
    once();
    (target.twin ? found.files : found.values)[target.key] = value;
  }
  return found;
}

function parseFlagBoolean(raw: string, name: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_VALUE', `${name} takes no value, or =true or =false`);
}
