// What `config check` reports: each setting's names and source, the keys file summary, the warnings.
import type { AuthConfig } from '../config/load.js';
import { SETTINGS, type SettingKey } from '../config/settings.js';
import { FileKeyStore } from '../keys/file-store.js';
import { mayContainToken } from '../safety/redact.js';
import { countByStatus } from './key-view.js';

/** One setting in the report. `value` is there only for a set, non-sensitive setting. */
export interface SettingReport {
  readonly name: string;
  readonly flag: string;
  readonly env: string;
  readonly ini: string | null;
  readonly source: string | null;
  readonly value?: string | number | boolean;
}

/** The report `config check --json` prints. */
export interface ConfigReport {
  readonly settings: readonly SettingReport[];
  readonly keys?: { file: string; total: number; active: number; expired: number; revoked: number };
  readonly warnings: readonly { code: string; message: string }[];
  readonly ok: true;
}

/** The value of a non-sensitive setting as loaded (paths, booleans and plain text; never a token). */
function valueOf(config: AuthConfig, key: SettingKey): string | number | boolean | undefined {
  const values: Partial<Record<SettingKey, string | number | boolean | undefined>> = {
    keysFile: config.keysFile,
    approvalKeysFile: config.approvalKeysFile,
    configFile: config.configFile,
    required: config.required,
    environment: config.environment,
    environmentPosture: config.environmentPosture,
    enrollmentPath: config.enrollmentPath,
    redisPrefix: config.redisPrefix,
    redisResyncInterval: config.redisResyncInterval,
    redisMaxStaleness: config.redisMaxStaleness,
    throttle: config.throttle,
    throttleFailures: config.throttleFailures,
    throttleWindowSeconds: config.throttleWindowSeconds,
    throttleBlockSeconds: config.throttleBlockSeconds,
  };
  return values[key];
}

/** Builds the report of a loaded configuration; reads the keys file to count its keys. */
export function buildReport(config: AuthConfig, envPrefix: string, now: number): ConfigReport {
  const prefix = mayContainToken(envPrefix) ? '<envPrefix>' : envPrefix;
  const settings = SETTINGS.map((s): SettingReport => {
    const source = config.sources[s.name] ?? null;
    const value = s.sensitive || source === null ? undefined : valueOf(config, s.key);
    return { name: s.name, flag: s.flag, env: `${prefix}${s.env}`, ini: s.ini ?? null, source, ...(value !== undefined && { value }) };
  });
  const warnings = config.warnings.map(({ code, message }) => ({ code, message }));
  if (config.keysFile === undefined) return { settings, warnings, ok: true };
  const counts = countByStatus(new FileKeyStore(config.keysFile).list(), now);
  const total = counts.active + counts.expired + counts.revoked;
  return { settings, keys: { file: config.keysFile, total, ...counts }, warnings, ok: true };
}

/** The report as text: a table of settings, the keys file summary, then each warning. */
export function formatReport(report: ConfigReport): string {
  const rows = [['SETTING', 'FLAG', 'ENV', 'INI', 'VALUE']];
  for (const s of report.settings) {
    const shown = s.source === null ? 'not set' : `${s.value === undefined ? 'set' : String(s.value)} (from ${s.source})`;
    rows.push([s.name, s.flag, s.env, s.ini ?? '-', shown]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd());
  const k = report.keys;
  if (k !== undefined) lines.push(`keys file ${k.file}: ${k.total} key${k.total === 1 ? '' : 's'} (${k.active} active, ${k.expired} expired, ${k.revoked} revoked)`);
  for (const w of report.warnings) lines.push(w.message);
  lines.push(report.warnings.length === 0 ? 'configuration OK' : `configuration OK, with ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}`);
  return lines.map((line) => `${line}\n`).join('');
}
