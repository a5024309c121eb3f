// Empty values given on purpose: an error naming the source, unless another source gives the setting.
import { BearerGuardConfigError, warning, type BearerGuardWarning } from '../errors/startup.js';
import type { SourceValues } from './argv.js';
import type { EnvValues } from './env.js';
import type { ResolvedLoadOptions } from './resolve.js';
import { SETTINGS, setting, type SettingKey } from './settings.js';

/** A setting given empty, and how messages name where. @internal */
export interface EmptySource {
  readonly key: SettingKey;
  readonly kind: 'flag' | 'env' | 'ini';
  /** `--auth-keys-file`, `env AUTH_KEYS_FILE` or `config file <path>`. */
  readonly where: string;
  /** The INI key, for `ini`. */
  readonly ini?: string | undefined;
}

/** A source that gives a setting a value, named as messages show it. @internal */
export interface Supplier {
  readonly key: SettingKey;
  readonly where: string;
}

/**
 * Checks every empty source against the sources that give a value. An empty source is refused
 * unless a source of the same setting group (the token and its digest are one group) gives a
 * value; then it is a warning. `suppliers` are in precedence order: the first one is named.
 *
 * @returns one `W_BEARER_GUARD_EMPTY_VALUE` per empty source that another source covers
 * @throws BearerGuardConfigError `ERR_BEARER_GUARD_EMPTY_VALUE` for the first uncovered one
 * @internal
 */
export function judgeEmpty(empties: readonly EmptySource[], suppliers: readonly Supplier[]): BearerGuardWarning[] {
  const warnings: BearerGuardWarning[] = [];
  for (const e of empties) {
    const group = setting(e.key).group;
    const what = `a value for ${SETTINGS.filter((s) => s.group === group).map((s) => s.name).join(' or ')}`;
    const covering = suppliers.find((s) => setting(s.key).group === group);
    const said =
      e.kind === 'flag' ? `${e.where} was given an empty value`
      : e.kind === 'env' ? `${e.where} is set to the empty string`
      : `${e.where} sets ${e.ini} to an empty value`;
    if (covering === undefined) {
      const fix =
        e.kind === 'flag' ? `give a value, or leave ${e.where} out`
        : e.kind === 'env' ? 'set it to a value, or unset it'
        : `give a value, or remove the ${e.ini} line`;
      const unset = e.kind === 'flag' ? ` (an unset shell variable, as in ${e.where} "$VAR"?)` : '';
      throw new BearerGuardConfigError('ERR_BEARER_GUARD_EMPTY_VALUE', `${said}${unset}, and no other source gives ${what}, so it would stay unset; ${fix}`);
    }
    warnings.push(warning('W_BEARER_GUARD_EMPTY_VALUE', `${said}; it is ignored, and ${what} comes from ${covering.where}; remove the empty one`));
  }
  return warnings;
}

/** Every source given empty, in precedence order, named as messages show it. @internal */
export function emptySources(args: SourceValues, env: EnvValues, configFile: string | undefined, ini: SourceValues['empty']): EmptySource[] {
  return [
    ...args.empty.map((e): EmptySource => ({ key: e.key, kind: 'flag', where: `${setting(e.key).flag}${e.twin ? '-file' : ''}` })),
    ...env.empty.map((e): EmptySource => ({ key: e.key, kind: 'env', where: `env ${e.twin ? env.fileNames[e.key] : env.names[e.key]}` })),
    ...ini.map((e): EmptySource => ({ key: e.key, kind: 'ini', where: `config file ${configFile}`, ini: setting(e.key).ini })),
  ];
}

/** Every source that gives a setting a value, in precedence order: flags, env, INI file, options. @internal */
export function suppliers(o: ResolvedLoadOptions, args: SourceValues, env: EnvValues, configFile: string | undefined, ini: SourceValues['values'] | undefined): Supplier[] {
  const list: Supplier[] = [];
  const given = (values: SourceValues['values'] | SourceValues['files'] | undefined, where: (k: SettingKey) => string): void => {
    for (const s of SETTINGS) if (values?.[s.key] !== undefined) list.push({ key: s.key, where: where(s.key) });
  };
  given(args.values, (k) => setting(k).flag);
  given(args.files, (k) => `${setting(k).flag}-file`);
  given(env.values, (k) => `env ${env.names[k]}`);
  given(env.files, (k) => `env ${env.fileNames[k]}`);
  given(ini, () => `config file ${configFile}`);
  // An option named like the setting (keysFile, configFile, required) counts when it gives something.
  const options = o as unknown as Record<string, unknown>;
  for (const s of SETTINGS) {
    const v = options[s.key];
    if (v !== undefined && v !== false && v !== '') list.push({ key: s.key, where: `the ${s.key} option` });
  }
  // The redis option gives the Redis settings under other names.
  const redis = o.redis;
  const given2: Array<[SettingKey, unknown]> = [['redisUrl', redis?.url ?? redis?.client], ['redisPrefix', redis?.prefix], ['redisResyncInterval', redis?.resyncInterval], ['redisMaxStaleness', redis?.maxStaleness]];
  for (const [key, v] of given2) if (v !== undefined) list.push({ key, where: 'the redis option' });
  return list;
}
