// The throttle's settings: the `throttle` option's forms, its defaults, and the merge with argv, env and the INI file.
import type { AuthConfig } from '../config/load.js';

/** How many failed attempts start a block, in what window, for how long. */
export interface ThrottleSettings {
  /** Failed attempts from one client IP within the window that are still answered 401; the next starts a block. */
  readonly failures: number;
  /** The window the failures are counted in, in seconds. */
  readonly windowSeconds: number;
  /** How long a blocked IP is answered 429, in seconds. */
  readonly blockSeconds: number;
}

/**
 * The `throttle` option: `true` for the defaults (50 failures per 60 s window, 300 s block),
 * `false` for off, or the settings to change (the others keep their defaults).
 */
export type ThrottleOption = boolean | { failures?: number | undefined; windowSeconds?: number | undefined; blockSeconds?: number | undefined };

/** The defaults `throttle: true` turns on. @internal */
export const DEFAULT_THROTTLE: ThrottleSettings = Object.freeze({ failures: 50, windowSeconds: 60, blockSeconds: 300 });

/** The option's numbers and their accepted values (the same as the settings table's). @internal */
export const THROTTLE_FIELDS = Object.freeze({
  failures: { min: 1, max: 1_000_000, unit: 'failures' },
  windowSeconds: { min: 1, max: 86400, unit: 'seconds' },
  blockSeconds: { min: 1, max: 86400, unit: 'seconds' },
} as const);

type Loaded = Pick<AuthConfig, 'throttle' | 'throttleFailures' | 'throttleWindowSeconds' | 'throttleBlockSeconds'>;

/**
 * The settings in force, or undefined when the throttle is off. On/off and each number are taken
 * from the first of: flag, env var, INI key (already merged in `loaded`), then the option, then
 * the default. The throttle is on when a source says so, or when no source says and the option
 * is `true` or an object; giving a number alone (say `--auth-throttle-failures 20`) does not turn
 * it on.
 *
 * @param option - the validated `throttle` option
 * @param loaded - the loaded configuration, or undefined when the token was given in code
 * @internal
 */
export function resolveThrottle(option: ThrottleOption | undefined, loaded: Loaded | undefined): ThrottleSettings | undefined {
  const on = loaded?.throttle ?? (option !== undefined && option !== false);
  if (!on) return undefined;
  const given = typeof option === 'object' ? option : {};
  return Object.freeze({
    failures: loaded?.throttleFailures ?? given.failures ?? DEFAULT_THROTTLE.failures,
    windowSeconds: loaded?.throttleWindowSeconds ?? given.windowSeconds ?? DEFAULT_THROTTLE.windowSeconds,
    blockSeconds: loaded?.throttleBlockSeconds ?? given.blockSeconds ?? DEFAULT_THROTTLE.blockSeconds,
  });
}

/**
 * One line for start-up output, e.g. `50 failures/60 s per IP, 300 s block`.
 * @param settings - the settings in force
 * @returns the line, without a trailing period
 */
export function describeThrottle(settings: ThrottleSettings): string {
  return `${settings.failures} failures/${settings.windowSeconds} s per IP, ${settings.blockSeconds} s block`;
}
