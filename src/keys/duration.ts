// CLI durations (`30d`) and instants (`2027-01-31`, ISO timestamps) as milliseconds, and their display.
import { mayContainToken } from '../safety/redact.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d{1,16})([smhdw])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** The largest time value a `Date` holds. */
const MAX_TIME = 8.64e15;

const DURATION_FORMS = 'an integer and a unit s, m, h, d or w (e.g. 90s, 15m, 30d, 1w), or 0';
const EXPIRY_FORMS = `a duration (${DURATION_FORMS}), a date YYYY-MM-DD (midnight UTC), or a timestamp with Z or an offset (e.g. 2027-01-31T12:00:00Z, 2027-01-31T12:00:00.000+02:00)`;

/** The input, quoted, when it is short, plain, and does not look like a pasted token. */
function shown(text: string): string {
  return text.length <= 32 && /^[\w.:+-]*$/.test(text) && !mayContainToken(text) ? `"${text}"` : '(not shown)';
}

/** The duration in ms, or undefined when `text` is not a duration. */
function durationMs(text: string): number | undefined {
  if (text === '0') return 0;
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms <= MAX_TIME ? ms : undefined;
}

/**
 * Milliseconds in a CLI duration: `<integer><unit>` with unit `s`, `m`, `h`, `d` (24 h) or `w`
 * (7 d), e.g. `90s`, `15m`, `30d`, `1w`; or `0` alone. No sign, space, fraction or combination.
 *
 * @throws RangeError naming the accepted forms (the input is echoed only when short and plain)
 */
export function parseDuration(text: string): number {
  const ms = durationMs(text);
  if (ms === undefined) throw new RangeError(`invalid duration ${shown(text)}: use ${DURATION_FORMS}`);
  return ms;
}

/** Epoch ms of a UTC calendar date and time, or undefined when a field is out of range (2027-02-30). */
function utc(fields: readonly number[]): number | undefined {
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0] = fields;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  const same =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return same ? date.getTime() : undefined;
}

/**
 * The instant meant by a CLI expiry, in epoch ms: a duration after `now` (see
 * {@link parseDuration}), a date `YYYY-MM-DD` (its midnight UTC), or a timestamp
 * `YYYY-MM-DDTHH:MM[:SS[.sss]]` with `Z` or an offset `±HH:MM`, converted to UTC. A timestamp
 * without a zone is refused as ambiguous. Past instants are returned as such: the caller decides.
 *
 * @param now - the current time in epoch ms
 * @throws RangeError for anything else, including impossible dates such as `2027-02-30`
 */
export function parseExpiry(text: string, now: number): number {
  const relative = durationMs(text);
  let at: number | undefined;
  if (relative !== undefined) at = now + relative;
  else {
    const date = DATE.exec(text);
    const stamp = date ? undefined : TIMESTAMP.exec(text);
    if (date) at = utc(date.slice(1).map(Number));
    else if (stamp) {
      const [, y, mo, d, h, mi, s = '0', frac = '0', sign, oh = '0', om = '0'] = stamp;
      const local = utc([y, mo, d, h, mi, s].map(Number).concat(Number(frac.padEnd(3, '0'))));
      const offset = Number(oh) * 60 + Number(om);
      const validOffset = Number(oh) <= 23 && Number(om) <= 59;
      at = local === undefined || !validOffset ? undefined : local - (sign === '-' ? -offset : offset) * 60_000;
    }
  }
  if (at === undefined || !Number.isFinite(at) || Math.abs(at) > MAX_TIME) {
    throw new RangeError(`invalid expiry ${shown(text)}: use ${EXPIRY_FORMS}`);
  }
  return at;
}

/**
 * An instant as an ISO 8601 UTC string with milliseconds, e.g. `2027-01-31T00:00:00.000Z`.
 *
 * @throws RangeError when `ms` is not a valid time value
 */
export function toIsoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A short human distance from `now` to `ms`, e.g. `in 3d`, `2h ago`, `in 45s`, or `now` within
 * a second. Whole units, rounded towards zero: seconds under a minute, minutes under an hour,
 * hours under a day, then days.
 *
 * @throws RangeError when either argument is not finite
 */
export function formatRelative(ms: number, now: number): string {
  if (!Number.isFinite(ms) || !Number.isFinite(now)) throw new RangeError('formatRelative: instants must be finite');
  const delta = ms - now;
  const size = Math.abs(delta);
  if (size < 1_000) return 'now';
  const [unit, per] =
    size < 60_000 ? ['s', 1_000] : size < 3_600_000 ? ['m', 60_000] : size < 86_400_000 ? ['h', 3_600_000] : ['d', 86_400_000];
  const amount = `${Math.floor(size / per)}${unit}`;
  return delta > 0 ? `in ${amount}` : `${amount} ago`;
}
