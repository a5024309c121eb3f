// The servers of the request audit: bearerGuard and createBearerStrategy (private Passport), each
// with a captured logger and with the default console, plus app.use(bearerGuard) uncalled. A spy
// ahead of them records what the library attaches to req and res.
import type { Server } from 'node:http';
import { Passport } from 'passport';
import { bearerGuard, createBearerStrategy } from '../../../src/index.js';
import { listen, type ExpressFactory } from '../../helpers/apps.js';
import type { Recorder } from './capture.js';
import { TOKEN } from './needles.js';
import { SABOTAGE } from './request-paths.js';

export type MountKind = 'bearerGuard' | 'createBearerStrategy' | 'app.use(bearerGuard) uncalled';

/** Per-request state shared with the server side. */
export interface Holder {
  rec: Recorder | undefined;
  /** When true, the captured logger throws an error naming the token. */
  loggerThrows: boolean;
  /** Settles once the spy has recorded the attachments of the current request. */
  pending: Promise<void> | undefined;
}

export interface Mount {
  name: string;
  kind: MountKind;
  /** True when the library was given no logger and so writes to console. */
  console: boolean;
  server: Server;
  holder: Holder;
}

type Req = Record<PropertyKey, unknown> & { headers: Record<string, string | undefined> };
type Res = Record<PropertyKey, unknown> & { on(e: string, f: () => void): void; getHeaders(): unknown; statusMessage: string; locals: unknown };
type Middleware = (req: Req, res: Res, next: () => void) => void;

/** Starts every mount for one Express major. */
export async function startMounts(label: string, express: ExpressFactory): Promise<Mount[]> {
  const mounts: Mount[] = [];
  const specs: Array<[MountKind, boolean]> = [
    ['bearerGuard', false],
    ['bearerGuard', true],
    ['createBearerStrategy', false],
    ['createBearerStrategy', true],
    ['app.use(bearerGuard) uncalled', true],
  ];
  for (const [kind, useConsole] of specs) {
    const holder: Holder = { rec: undefined, loggerThrows: false, pending: undefined };
    const logger = {
      warn(line: string): void {
        if (holder.loggerThrows) throw new Error(`logger down: ${TOKEN} (${line})`);
        holder.rec?.add('logger', line);
      },
    };
    // Every audit event is searched too; a throwing logger means a throwing sink as well.
    const audit = (event: unknown): void => {
      if (holder.loggerThrows) throw new Error(`audit sink down: ${TOKEN}`);
      holder.rec?.views('audit event', event);
    };
    const options = useConsole ? { token: TOKEN, audit } : { token: TOKEN, logger, audit };
    const app = express();
    // Express's error handler prints stacks to stderr and into the body outside production:
    // keep it that way so an error escaping the guard is caught by the audit.
    app.set('env', 'development');
    app.use(spy(holder) as never);
    if (kind === 'bearerGuard') app.use(bearerGuard(options) as never);
    if (kind === 'createBearerStrategy') app.use(new Passport().authenticate(createBearerStrategy(options), { session: false }) as never);
    if (kind === 'app.use(bearerGuard) uncalled') app.use(bearerGuard as never);
    app.use(((req: Req, res: Res & { json(b: unknown): void }) => {
      record(holder, req, res, 'handler');
      res.json({ ok: true });
    }) as never);
    const name = `${label} ${kind}${kind === 'app.use(bearerGuard) uncalled' ? '' : useConsole ? ' (console)' : ' (logger)'}`;
    mounts.push({ name, kind, console: useConsole, server: await listen(app), holder });
  }
  return mounts;
}

const BEFORE = Symbol('leak-audit snapshot');

// Installs the requested sabotage, then snapshots req and res so that later changes show.
export function spy(holder: Holder): Middleware {
  return (req, res, next) => {
    const sabotage = SABOTAGE.find((s) => s.name === req.headers['x-sabotage']);
    sabotage?.install(req);
    Object.defineProperty(req, BEFORE, { value: snapshot(req), enumerable: false });
    Object.defineProperty(res, BEFORE, { value: snapshot(res), enumerable: false });
    holder.pending = new Promise((resolve) => {
      res.on('close', () => {
        record(holder, req, res, 'after response');
        resolve();
      });
    });
    next();
  };
}

type Snapshot = Map<PropertyKey, PropertyDescriptor>;

function snapshot(obj: object): Snapshot {
  return new Map(Reflect.ownKeys(obj).map((k) => [k, Reflect.getOwnPropertyDescriptor(obj, k)!]));
}

/** Every own property of req and res that is new or changed since the spy ran, in all views. */
export function record(holder: Holder, req: Req, res: Res, when: string): void {
  const rec = holder.rec;
  if (rec === undefined) return;
  for (const [obj, name] of [[req, 'req'], [res, 'res']] as const) {
    const before = (obj as Record<symbol, Snapshot | undefined>)[BEFORE];
    if (before === undefined) continue;
    const changed: string[] = [];
    for (const key of Reflect.ownKeys(obj)) {
      if (key === BEFORE) continue;
      const now = Reflect.getOwnPropertyDescriptor(obj, key)!;
      const was = before.get(key);
      if (was !== undefined && was.value === now.value && was.get === now.get) continue;
      changed.push(String(key));
      let value: unknown;
      try {
        value = 'value' in now ? now.value : now.get?.call(obj);
      } catch (err) {
        value = err;
      }
      rec.views(`${name}.${String(key)} (${when})`, value);
    }
    rec.add(`${name} changed keys (${when})`, changed.join(','));
  }
  // Objects Express creates before the spy, which a library could fill in without a new key.
  rec.views(`res.locals (${when})`, res.locals);
  rec.views(`res.getHeaders() (${when})`, res.getHeaders());
  rec.add(`res.statusMessage (${when})`, String(res.statusMessage));
}
