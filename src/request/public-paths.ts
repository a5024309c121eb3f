// Matches request paths against the public list with Express's own routing semantics.
import type { IncomingMessage } from 'node:http';

/** The parts of an Express request the matcher reads. @internal */
export interface RoutedRequest extends IncomingMessage {
  path?: string;
  baseUrl?: string;
  app?: { get(setting: string): unknown };
}

type PathSet = ReadonlySet<string>;

/**
 * Builds a matcher for exact public paths. Like an Express route, a public path matches
 * case-insensitively and with or without one trailing slash, unless the app has turned on
 * `case sensitive routing` or `strict routing`. Matching is on the raw (still percent-encoded)
 * path relative to where the guard is mounted, as Express's router does, so an encoded spelling
 * never counts as public.
 *
 * With `rootOnly` (used for the default list, which names the app's own `/` and `/v2/`), a
 * guard mounted under a path (`req.baseUrl` not empty) treats nothing as public: otherwise
 * `app.use('/admin', bearerGuard())` would open `/admin` itself, since its relative path is `/`.
 *
 * @param paths - validated public paths, each starting with `/`
 * @param rootOnly - match only when the guard sees the app's root (`req.baseUrl` empty)
 * @returns a predicate on requests
 * @internal
 */
export function createPublicMatcher(paths: readonly string[], rootOnly = false): (req: RoutedRequest) => boolean {
  if (paths.length === 0) return () => false;
  // One set per combination of the two routing settings, computed once.
  const sets: PathSet[] = [0, 1, 2, 3].map(
    (mode) => new Set(paths.map((p) => normalise(p, (mode & 1) !== 0, (mode & 2) !== 0))),
  );
  // Fast rejection without allocating: a path can only match an entry of its own length, give
  // or take the one trailing slash that non-strict matching ignores.
  const lengths = new Set(sets.flatMap((s) => [...s].map((p) => p.length)));
  return function isPublic(req: RoutedRequest): boolean {
    const path = req.path;
    if (typeof path !== 'string') return false;
    if (!lengths.has(path.length) && !lengths.has(path.length - 1)) return false;
    if (rootOnly && req.baseUrl !== '' && req.baseUrl !== undefined) return false;
    const app = req.app;
    const caseSensitive = app !== undefined && app.get('case sensitive routing') === true;
    const strict = app !== undefined && app.get('strict routing') === true;
    const mode = (caseSensitive ? 1 : 0) | (strict ? 2 : 0);
    if (path === '//' && !strict && isExpress4(app)) return false;
    return sets[mode]!.has(normalise(path, caseSensitive, strict));
  };
}

/**
 * The form two paths share when Express would route them alike: without one trailing slash
 * unless `strict`, lower-cased unless `caseSensitive`.
 * @internal
 */
export function normalise(path: string, caseSensitive: boolean, strict: boolean): string {
  let p = path;
  if (!strict && p.length > 1 && p.charCodeAt(p.length - 1) === 47 /* / */) p = p.slice(0, -1);
  return caseSensitive ? p : p.toLowerCase();
}

/**
 * Express 4's router sends `//` to no route, while Express 5 routes it to `/` (its `/` route takes
 * one optional trailing slash, as every other route does). So `//` counts as the public `/` only
 * on Express 5: on Express 4 a catch-all route would otherwise run for `//` without a token.
 * Express 4 is told apart by `app.lazyrouter`, which Express 5 removed.
 * @internal
 */
export function isExpress4(app: unknown): boolean {
  return typeof (app as { lazyrouter?: unknown } | null | undefined)?.lazyrouter === 'function';
}
