// Validation of the `throttle` option, with fix-it messages naming the field.
import { closest } from '../config/did-you-mean.js';
import { THROTTLE_FIELDS } from './settings.js';

/** How a rule reports a problem (see validate-options.ts). @internal */
export interface OptionFail {
  type(expected: string): never;
  range(message: string): never;
}

const FORMS = 'true, false, or { failures, windowSeconds, blockSeconds }';

/**
 * Checks the `throttle` option: a boolean, or an object with only the three known number fields,
 * each a whole number within its range.
 * @internal
 */
export function validateThrottleOption(value: unknown, fail: OptionFail): void {
  if (typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail.type(FORMS);
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (Object.hasOwn(THROTTLE_FIELDS, key)) continue;
    const hint = closest(key, Object.keys(THROTTLE_FIELDS));
    // A near miss is a typo, safe to echo; anything else might be pasted text.
    fail.range(`has an unknown field${hint === undefined ? '' : ` \`${key}\`; did you mean \`${hint}\`?`} (known: failures, windowSeconds, blockSeconds)`);
  }
  for (const [key, { min, max, unit }] of Object.entries(THROTTLE_FIELDS)) {
    const n = fields[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      fail.range(`field \`${key}\` must be a whole number of ${unit} from ${min} to ${max} (received ${typeof n === 'number' ? n : typeof n})`);
    }
  }
}
