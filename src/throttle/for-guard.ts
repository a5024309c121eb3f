// The throttle of one guard or strategy: its settings from the option and the loaded configuration, started when on.
import type { ResolvedCheckOptions } from '../config/resolve.js';
import type { Authenticator } from '../request/authenticate.js';
import { resolveThrottle } from './settings.js';
import { createThrottle, type Throttle, type ThrottleRedis } from './throttle.js';

/**
 * The throttle a guard uses, or undefined when it is off (or auth is off: nothing is refused).
 * @param o - the resolved options (`o.throttle`)
 * @param auth - the authenticator, for its loaded configuration and logger
 * @param redis - share counts and blocks through this Redis (every replica); omit for memory
 * @internal
 */
export function guardThrottle(o: ResolvedCheckOptions, auth: Authenticator, redis?: ThrottleRedis): Throttle | undefined {
  if (auth.mode === 'off') return undefined;
  const settings = resolveThrottle(o.throttle, auth.config);
  return settings === undefined ? undefined : createThrottle(settings, auth.logger, redis);
}
