// Route middleware reached without the guard before it: one warning, then 500 on every request (fail closed).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendInternalError } from './respond.js';

/**
 * The refusal of route middleware (`requireScopes`, `requireFamily`, `whoami`) that finds no
 * principal of a guard on the request: a 500, and once per middleware a console warning naming it.
 * @param fn - the middleware's name as users write it, e.g. `requireScopes()`
 * @param fix - what to do, e.g. `mount the guard before the routes`
 * @internal
 */
export function refuseWithoutGuard(fn: string, fix: string): (req: IncomingMessage, res: ServerResponse) => void {
  let warned = false;
  return (req, res) => {
    if (!warned) {
      warned = true;
      try {
        console.warn(`bearer-guard: ${fn} ran without bearerGuard() (or createBearerStrategy()) before it${fix}. Requests are refused with 500.`);
      } catch {
        // A failing console must not change the refusal.
      }
    }
    sendInternalError(req, res);
  };
}
