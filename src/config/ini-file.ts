// Reads bearer-guard's keys from an INI file: [DEFAULT] or top level, nothing unknown.
import { readFileSync } from 'node:fs';
import { parse } from 'ini';
import { BearerGuardConfigError, warning, type BearerGuardWarning } from '../errors/startup.js';
import type { EmptyGiven } from './argv.js';
import { DEEPAAS_KEYS } from './deepaas-keys.js';
import { closest } from './did-you-mean.js';
import { INI_KEYS, SETTINGS, type SettingKey } from './settings.js';
import { fsReason, hidePath, modeOpenToOthers, UNSHOWN } from '../safety/paths.js';

/** What a config file said. @internal */
export interface IniValues {
  values: Partial<Record<SettingKey, string | boolean>>;
  /** Keys present with an empty value (`auth_keys_file =`). */
  empty: EmptyGiven[];
  warnings: BearerGuardWarning[];
}

const KNOWN = `known keys: ${INI_KEYS.join(', ')}`;
const PUT_UNDER_DEFAULT = `put ${INI_KEYS.join(', ')} under [DEFAULT]`;

/**
 * Reads and checks the config file. Keys may sit under `[DEFAULT]` or before any section.
 *
 * @param path - the file
 * @param source - how it was named, e.g. `--config-file`
 * @throws BearerGuardConfigError naming the file and the problem (never a value)
 * @internal
 */
export function readIniFile(path: string, source: string): IniValues {
  const where = `config file ${path} (from ${source})`;
  const fail = (problem: string): never => {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_CONFIG_FILE', `${where}: ${problem}`);
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    // Only a file that could not be read may be a token pasted where its path goes.
    if (hidePath(path)) {
      throw new BearerGuardConfigError(
        'ERR_BEARER_GUARD_CONFIG_FILE',
        `the config file named by ${source} cannot be read: ${fsReason(err)}; ${UNSHOWN(path)}: give the path of an INI file`,
      );
    }
    fail(`cannot be read: ${fsReason(err)}`);
  }
  const deepaas = checkSyntax(text, fail);
  const parsed = parse(text) as Record<string, unknown>;
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'DEFAULT' && typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) assignKey(flat, k, v, fail);
    } else if (typeof value === 'object' && value !== null) {
      fail(`has a section other than [DEFAULT]; ${PUT_UNDER_DEFAULT}`);
    } else {
      assignKey(flat, key, value, fail);
    }
  }
  const result: IniValues = { values: {}, empty: [], warnings: [] };
  for (const setting of SETTINGS) {
    const raw = setting.ini === undefined ? undefined : flat[setting.ini];
    if (raw === undefined) continue;
    if (raw === '' || raw === '""' || raw === "''") {
      result.empty.push({ key: setting.key, twin: false });
      continue;
    }
    if (setting.type === 'boolean') {
      if (raw === true || raw === 'true') result.values[setting.key] = true;
      else if (raw === false || raw === 'false') result.values[setting.key] = false;
      else fail(`${setting.ini} must be true or false`);
    } else {
      // ini turns bare true/false into booleans; a value is text, so take them back as written.
      // ini also keeps the quotes of a quoted value followed by a comment; quotes are never part
      // of a valid token or sensible path, so they are removed.
      result.values[setting.key] = String(raw).replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
    }
  }
  // Says what the file holds (a token, a token digest, a Redis URL), never the value.
  const held = SETTINGS.filter((x) => x.sensitive && result.values[x.key] !== undefined).map((x) => x.noun);
  const mode = held.length > 0 ? modeOpenToOthers(path) : undefined;
  if (mode !== undefined) {
    result.warnings.push(
      warning('W_BEARER_GUARD_CONFIG_FILE_MODE', `${where} holds ${held.join(' and ')} and can be read by group or others (mode ${mode}); run: chmod 600 ${path}`),
    );
  }
  if (deepaas.length > 0) {
    result.warnings.push(
      warning(
        'W_BEARER_GUARD_CONFIG_FILE_DEEPAAS_KEY',
        `${where} has DEEPaaS's own key${deepaas.length === 1 ? '' : 's'} ${deepaas.join(', ')}; bearer-guard reads only its own keys (${INI_KEYS.join(', ')}) and ignores ${deepaas.length === 1 ? 'it' : 'them'}`,
      ),
    );
  }
  return result;
}

function assignKey(flat: Record<string, unknown>, key: string, value: unknown, fail: (p: string) => never): void {
  if (DEEPAAS_KEYS.has(key)) return;
  // checkSyntax has already refused unknown keys; this guards keys that only ini's parse produces.
  if (!INI_KEYS.includes(key)) fail(`has a key bearer-guard does not know (${KNOWN})`);
  if (Object.hasOwn(flat, key)) fail(`${key} is set twice (at the top and under [DEFAULT]); keep one`);
  flat[key] = value;
}

// ini accepts almost anything; refuse what is clearly not INI so that a wrong file is caught.
// Messages cite line numbers, never the text: a token file given by mistake must not be echoed.
// Returns DEEPaaS's own keys found, with their lines: they are named, since they are not secrets.
function checkSyntax(text: string, fail: (p: string) => never): string[] {
  const deepaas: string[] = [];
  if (text.includes('\u0000') || text.includes('\uFFFD')) fail('is not a text file');
  const lines = text.split(/\r?\n/);
  const seen = new Map<string, number>();
  let section = '';
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const at = `line ${index + 1}`;
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      if (section !== 'DEFAULT') fail(`${at} starts a section other than [DEFAULT]; ${PUT_UNDER_DEFAULT}`);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) fail(`${at} is not "key = value" or "[section]"`);
    const name = line.slice(0, eq).trim();
    if (DEEPAAS_KEYS.has(name)) {
      deepaas.push(`${name} (${at})`);
      return;
    }
    if (!INI_KEYS.includes(name)) {
      // Only a near miss of a known key is safe to name; anything else could be a secret.
      const hint = closest(name, INI_KEYS);
      fail(`${at} has an unknown key${hint ? `; did you mean ${hint}?` : ''} (${KNOWN})`);
    }
    const key = `${section}\u0000${name}`;
    if (seen.has(key)) fail(`${at} repeats a key already set on line ${seen.get(key)}; keep one`);
    seen.set(key, index + 1);
  });
  return deepaas;
}
