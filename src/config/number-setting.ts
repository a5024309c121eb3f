// Reads the `number` settings of the table (seconds, counts) from their merged text, each checked against its range.
import { BearerGuardConfigError } from '../errors/startup.js';
import type { Merged } from './schema.js';
import { SETTINGS, type SettingKey } from './settings.js';

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;

/**
 * The number settings that some source gave, parsed. A value that is not a plain decimal
 * (`5`, `0.5`), not whole where the setting wants a count, or outside the setting's range stops
 * start-up with `ERR_BEARER_GUARD_INVALID_VALUE`, naming the source and the accepted range.
 *
 * @param merged - the merged settings ('' for unset)
 * @param sources - where each set setting came from, by INI-style name
 * @internal
 */
export function readNumberSettings(merged: Merged, sources: Readonly<Record<string, string>>): Partial<Record<SettingKey, number>> {
  const out: Partial<Record<SettingKey, number>> = {};
  for (const s of SETTINGS) {
    if (s.type !== 'number' || s.range === undefined) continue;
    const raw = (merged[s.key] as string).trim();
    if (raw === '') continue;
    const { min, max, integer, unit } = s.range;
    const value = DECIMAL.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max) || (integer && !Number.isInteger(value))) {
      const where = sources[s.name] ?? s.name;
      throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_VALUE', `${where} must be ${integer ? 'a whole number' : 'a number'} of ${unit} from ${min} to ${max}`);
    }
    out[s.key] = value;
  }
  return out;
}
