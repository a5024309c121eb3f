// Start-up warnings to the logger: the weak-token warning once per process and source, the others each time.
import type { BearerGuardWarning } from '../errors/startup.js';
import type { BearerGuardLogger } from './options.js';

// Weak-token messages already logged in this process. The message names the source, never the value.
const loggedWeak = new Set<string>();

/**
 * Logs each warning. `W_BEARER_GUARD_WEAK_TOKEN` is logged once per process for each source
 * (an app with a guard per route would otherwise repeat it per guard); a logger that throws
 * leaves it unmarked, so the next guard tries again.
 * @internal
 */
export function logWarnings(logger: BearerGuardLogger, warnings: readonly BearerGuardWarning[]): void {
  for (const w of warnings) {
    const once = w.code === 'W_BEARER_GUARD_WEAK_TOKEN';
    if (once && loggedWeak.has(w.message)) continue;
    logger.warn(w.message);
    if (once) loggedWeak.add(w.message);
  }
}
