// 405 with `Allow` for a known path called with the wrong method (after the guard, like every answer but the public ones).
import type { Express, RequestHandler } from 'express';

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
}

/** One route's path as a matcher: `:param` is one segment; case-insensitive, optional trailing `/` (Express's defaults). */
function pathMatcher(path: string): RegExp {
  const pattern = path
    .replace(/\/$/, '')
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}/?$`, 'i');
}

/** Every path route of the app with its methods, read from Express's own router when first needed. */
function routeTable(app: Express): Array<{ match: RegExp; methods: string[] }> {
  const stack = (app as unknown as { router: { stack: RouteLayer[] } }).router.stack;
  return stack.flatMap((layer) => {
    const route = layer.route;
    if (route === undefined || typeof route.path !== 'string') return [];
    const methods = Object.keys(route.methods).filter((m) => route.methods[m] === true && m !== '_all');
    return [{ match: pathMatcher(route.path), methods: methods.map((m) => m.toUpperCase()) }];
  });
}

/**
 * Mounted after the routes and before the 404: a path that has routes, but none for this method,
 * gets `405 {"detail":"Method not allowed"}` with `Allow` listing its methods (HEAD with GET), as
 * DEEPaaS answers `GET .../predict`. Unknown paths fall through to the 404. OPTIONS is left alone.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  let table: ReturnType<typeof routeTable> | undefined;
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    table ??= routeTable(app);
    const allowed = new Set(table.filter((r) => r.match.test(req.path)).flatMap((r) => r.methods));
    if (allowed.size === 0) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    res.status(405).set('Allow', [...allowed].sort().join(', ')).json({ detail: 'Method not allowed' });
  };
}
