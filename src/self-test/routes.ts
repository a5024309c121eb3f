// Finds the routes of an Express 4 or 5 app and records which of their handlers run.
// Reads Express internals (router stacks and layers); anything it cannot read is reported as
// unprobed rather than guessed.
import type { IncomingMessage } from 'node:http';

/** The parts of an Express layer this module reads (Express 4 `layer.js`, router 2 `layer.js`). */
interface Layer {
  handle: ((...args: unknown[]) => unknown) & { stack?: unknown };
  method?: string;
  route?: { path: unknown; methods: Record<string, boolean>; stack: Layer[] };
  /** Express 5 (router 2): the path given to `use()`. */
  rawPath?: unknown;
  /** Express 4: the compiled path. */
  regexp?: RegExp & { fast_slash?: boolean };
}

/** A route found in the app, with the full path pattern as registered. */
export interface FoundRoute {
  /** Mount paths and route path joined, e.g. `/v2/models/:name`. */
  readonly pattern: string;
  /** Upper-case methods it answers. */
  readonly methods: readonly string[];
}

/** What instrumenting found. */
export interface Instrumented {
  readonly routes: readonly FoundRoute[];
  /** Routes and mounts whose paths are regular expressions: probe them through `paths`. */
  readonly unprobed: readonly string[];
  /** Puts every handler back. */
  restore(): void;
}

/** Called when the last handler of a route runs for a request. */
export type HitListener = (req: IncomingMessage, route: string) => void;

const SAMPLE = 'bgprobe1';

/**
 * Wraps the final handler of every route (for each method) so that `onHit` learns when a request
 * reached it; route-level middleware before it (a per-route guard) is left alone.
 *
 * @param app - an Express 4 or 5 application
 * @param onHit - receives the request and the route's pattern
 * @returns the routes found, what could not be read, and `restore()`
 */
export function instrumentRoutes(app: unknown, onHit: HitListener): Instrumented {
  const routes: FoundRoute[] = [];
  const unprobed: string[] = [];
  const undo: (() => void)[] = [];
  const a = app as { _router?: { stack?: Layer[] }; router?: { stack?: Layer[] } };
  const stack = a._router?.stack ?? (typeof a.router === 'object' || typeof a.router === 'function' ? a.router.stack : undefined);
  if (Array.isArray(stack)) walk(stack, '', 0);
  return { routes, unprobed, restore: () => undo.forEach((fn) => fn()) };

  function walk(layers: Layer[], prefix: string, depth: number): void {
    for (const layer of layers) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? (layer.route.path as unknown[]).flat(Infinity) : [layer.route.path];
        for (const p of paths) {
          if (typeof p !== 'string') unprobed.push(`route ${String(p)}${prefix ? ` under ${prefix}` : ''}`);
          else routes.push({ pattern: prefix + p, methods: methodsOf(layer.route.methods) });
        }
        wrapFinalHandlers(layer.route.stack, paths.map(String).join(','), prefix);
      } else if (Array.isArray(layer.handle.stack) && depth < 16) {
        const mounts = mountPaths(layer);
        if (mounts === undefined) unprobed.push(`router mounted at ${describeMount(layer)}${prefix ? ` under ${prefix}` : ''}`);
        else for (const m of mounts) walk(layer.handle.stack as Layer[], prefix + m, depth + 1);
      }
    }
  }

  function wrapFinalHandlers(stack: Layer[], path: string, prefix: string): void {
    stack.forEach((layer, i) => {
      const later = stack.slice(i + 1).some((l) => l.method === layer.method || l.method === undefined);
      const original = layer.handle;
      if (later || original.length > 3) return;
      layer.handle = function bearerGuardSelfTestProbe(this: unknown, req: unknown, res: unknown, next: unknown) {
        onHit(req as IncomingMessage, prefix + path);
        return original.call(this, req, res, next);
      } as Layer['handle'];
      undo.push(() => void (layer.handle = original));
    });
  }
}

function methodsOf(methods: Record<string, boolean>): string[] {
  return Object.keys(methods).filter((m) => methods[m] && m !== '_all').map((m) => m.toUpperCase());
}

/** The literal mount paths of a router layer ('' for `/`), or undefined when it is a regexp. */
function mountPaths(layer: Layer): string[] | undefined {
  if ('rawPath' in layer) {
    const raw = Array.isArray(layer.rawPath) ? (layer.rawPath as unknown[]).flat(Infinity) : [layer.rawPath];
    if (!raw.every((p): p is string => typeof p === 'string')) return undefined;
    return raw.map((p) => (p === '/' ? '' : p.replace(/\/$/, '')));
  }
  const re = layer.regexp;
  if (!re) return undefined;
  if (re.fast_slash) return [''];
  // Express 4 compiles app.use('/a/:b', r) to ^\/a\/(?:([^\/]+?))\/?(?=\/|$) with flag i.
  const m = /^\^(.*)\\\/\?\(\?=\\\/\|\$\)$/.exec(re.source);
  if (!m) return undefined;
  const body = m[1]!.replace(/\(\?:\(\[\^\\\/\]\+\?\)\)/g, `:${SAMPLE}`);
  if (/[()[\]{}*+?|^$]/.test(body.replace(/\\\//g, ''))) return undefined;
  return [body.replace(/\\\//g, '/').replace(/\\(.)/g, '$1')];
}

function describeMount(layer: Layer): string {
  return String(layer.rawPath ?? layer.regexp ?? '?');
}

/**
 * Turns a route pattern into concrete paths: parameters get a sample value, optional parts
 * appear both with and without, wildcards match one segment. Express 4 and 5 syntaxes.
 * @returns the paths, or an empty list when the pattern holds a regular expression
 */
export function concretePaths(pattern: string): string[] {
  const optional = /\{([^{}]*)\}/.exec(pattern);
  if (optional) {
    const before = pattern.slice(0, optional.index);
    const after = pattern.slice(optional.index + optional[0].length);
    return [...concretePaths(before + optional[1]! + after), ...concretePaths(before + after)];
  }
  const v4Optional = /\/:(\w+)\?/.exec(pattern);
  if (v4Optional) {
    const rest = pattern.slice(v4Optional.index + v4Optional[0].length);
    return [...concretePaths(pattern.slice(0, v4Optional.index) + `/:${v4Optional[1]}` + rest), ...concretePaths(pattern.slice(0, v4Optional.index) + rest)];
  }
  const filled = pattern
    .replace(/:(\w+)\(\\\\?d\+?\)/g, '1')
    .replace(/:\w+/g, SAMPLE)
    .replace(/\*\w*/g, SAMPLE);
  if (/[()[\]?+]/.test(filled)) return [];
  return [filled === '' ? '/' : filled];
}
