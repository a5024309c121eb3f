// Reads bearer-guard's own flags from an argv array, byte for byte (no number or dash mangling).
import { BearerGuardConfigError } from '../errors/startup.js';
import { SETTINGS, type SettingKey } from './settings.js';
import { checkFlagName } from './unknown-names.js';

/** A setting given explicitly but empty: `twin` for its `-file` / `_FILE` twin. @internal */
export interface EmptyGiven {
  readonly key: SettingKey;
  readonly twin: boolean;
}

/** What one source gave for the settings: a value, or the path of a file holding it. @internal */
export interface SourceValues {
  values: Partial<Record<SettingKey, string | boolean>>;
  /** Paths from `<flag>-file` / `<env>_FILE` twins. */
  files: Partial<Record<SettingKey, string>>;
  /** Settings given explicitly but empty (`--flag=`, `X=""`, `key =`), in the order found. */
  empty: EmptyGiven[];
}

type Kind = 'value' | 'file' | 'boolean' | 'negated';
type Target = { key: SettingKey; kind: Kind; plain: string };

// Every flag spelling, derived from the settings table: `--x`, `--x-file` for a twin, `--no-x` for a boolean.
const FLAGS: ReadonlyMap<string, Target> = new Map(
  SETTINGS.flatMap((s): Array<[string, Target]> => {
    if (s.type === 'boolean') return [[s.flag, { key: s.key, kind: 'boolean', plain: s.flag }], [`--no-${s.flag.slice(2)}`, { key: s.key, kind: 'negated', plain: s.flag }]];
    const twin: Array<[string, Target]> = s.fileTwin ? [[`${s.flag}-file`, { key: s.key, kind: 'file', plain: s.flag }]] : [];
    return [[s.flag, { key: s.key, kind: 'value', plain: s.flag }], ...twin];
  }),
);

/** Every flag bearer-guard reads, for "did you mean" and messages. @internal */
export const KNOWN_FLAGS: readonly string[] = Object.freeze([...FLAGS.keys()]);

// What a stray value after a boolean flag looks like (`--auth-required false`).
const BOOLEAN_WORD = /^(true|false|yes|no|on|off|1|0)$/i;

/**
 * Scans `argv` (shaped like `process.argv`: the first two entries are skipped) for the flags of
 * the settings table. Other arguments are left to the app, except ones that look like a misspelt
 * flag of ours (`--auth...`). Parsing stops at `--`. A value flag takes the next argument as is,
 * even when it starts with `-` (but not `--`: that is taken for a forgotten value; use
 * `--flag=--value`). An empty value is recorded in `empty`. A boolean flag takes no value, or
 * `=true` / `=false`; `--no-<flag>` is `=false`.
 *
 * @throws BearerGuardConfigError for an unknown `--auth...` flag, a flag without a value, a flag
 *   given twice, a bad boolean, or a stray value after a boolean flag
 * @internal
 */
export function readArgv(argv: readonly string[]): SourceValues {
  const found: SourceValues = { values: {}, files: {}, empty: [] };
  const seen = new Set<string>();
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const target = FLAGS.get(name);
    if (target === undefined) {
      checkFlagName(name, KNOWN_FLAGS);
      continue;
    }
    // A setting is given once, in one spelling (--x and --no-x are the same setting).
    const slot = `${target.key}:${target.kind === 'file' ? 'file' : 'value'}`;
    if (seen.has(slot)) {
      throw new BearerGuardConfigError('ERR_BEARER_GUARD_CONFLICTING_SOURCES', `${name} was given more than once; give it once`);
    }
    seen.add(slot);
    if (target.kind === 'boolean' || target.kind === 'negated') {
      found.values[target.key] = readBoolean(target, name, eq === -1 ? undefined : arg.slice(eq + 1), argv[i + 1]);
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
    const twin = target.kind === 'file';
    if (value === '') found.empty.push({ key: target.key, twin });
    else (twin ? found.files : found.values)[target.key] = value;
  }
  return found;
}

function readBoolean(target: Target, name: string, raw: string | undefined, next: string | undefined): boolean {
  const spellings = `${target.plain}, ${target.plain}=true, ${target.plain}=false or --no-${target.plain.slice(2)}`;
  if (raw === undefined) {
    // "--auth-required false" would otherwise demand a token and leave "false" to the app.
    if (next !== undefined && BOOLEAN_WORD.test(next)) {
      const fix = target.kind === 'negated' ? spellings : `${target.plain}=${/^(false|no|off|0)$/i.test(next) ? 'false' : 'true'}`;
      throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_ARGUMENT', `${name} takes no separate value, but is followed by "${next}"; write ${fix}`);
    }
    return target.kind === 'boolean';
  }
  if (target.kind === 'negated') {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_VALUE', `${name} takes no value; write ${spellings}`);
  }
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_VALUE', `${name} takes no value, or =true or =false (${spellings})`);
}
