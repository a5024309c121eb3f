// Deliberate leaks, one per capture channel, so the audit proves it can fail: if a channel's
// capture broke, its planted leak would go unseen and the self-check would say so.
import type { Server } from 'node:http';
import { listen, type ExpressFactory } from '../../helpers/apps.js';
import type { Recorder } from './capture.js';
import { PLAIN, TOKEN, WRONG } from './needles.js';
import { spy, type Holder } from './servers.js';

const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const hex = (s: string): string => Buffer.from(s).toString('hex');

/** A start-up call that leaks through one channel; `channel` is the prefix the audit must report. */
export interface PlantedCall {
  channel: string;
  run(rec: Recorder): unknown;
}

export const PLANTED_CALLS: readonly PlantedCall[] = [
  { channel: 'stdout', run: () => void process.stdout.write(`token=${b64url(TOKEN)}\n`) },
  { channel: 'stderr', run: () => console.error('checking', TOKEN.toLowerCase()) },
  { channel: 'process warning', run: () => void process.emitWarning(`weak ${WRONG.slice(3, 17)}`) },
  { channel: 'logger', run: (rec) => rec.logger().warn(`digest ${hex(PLAIN)}`) },
  {
    channel: 'thrown[message]',
    run: () => {
      throw new Error(`bad token ${encodeURIComponent(TOKEN)}`);
    },
  },
  {
    channel: 'thrown.cause',
    run: () => {
      throw new Error('clean', { cause: new Error(`inner ${TOKEN.slice(-14)}`) });
    },
  },
  {
    channel: 'thrown[code]',
    run: () => {
      throw Object.assign(new Error('clean'), { code: WRONG.toUpperCase() });
    },
  },
  {
    channel: 'thrown inspect(showHidden)',
    run: () => {
      const err = new Error('clean');
      Object.defineProperty(err, 'detail', { value: { token: TOKEN }, enumerable: false });
      throw err;
    },
  },
  {
    channel: 'returned inspect(showHidden)',
    run: () => Object.defineProperty({ ok: true }, 'hidden', { value: PLAIN, enumerable: false }),
  },
  {
    channel: 'returned JSON.stringify',
    run: () => ({ [Symbol.for('nodejs.util.inspect.custom')]: () => 'clean', toJSON: () => ({ t: TOKEN }) }),
  },
  {
    channel: 'returned String()',
    run: () => ({ toString: () => `token ${WRONG}`, [Symbol.for('nodejs.util.inspect.custom')]: () => 'clean', toJSON: () => 'clean' }),
  },
  { channel: 'returned inspect', run: () => Object.assign(() => undefined, { token: TOKEN }) },
];

type Plant = (req: Record<string, unknown>, res: Record<string, unknown> & Express5Res) => void;
interface Express5Res {
  setHeader(n: string, v: string): void;
  status(n: number): { json(b: unknown): void };
  statusMessage: string;
  locals: Record<string, unknown>;
}
const refuse = (res: Express5Res): void => res.status(401).json({ detail: 'Invalid bearer token' });

/** Request-side plants, named by the `X-Plant` header; each channel is the audit's label prefix. */
export const PLANTED_REQUESTS: Record<string, { channel: string; plant: Plant }> = {
  header: { channel: 'response', plant: (_q, r) => { r.setHeader('X-Debug', b64url(TOKEN)); refuse(r); } },
  'reason phrase': { channel: 'response', plant: (_q, r) => { r.statusMessage = `Denied ${TOKEN.slice(0, 14)}`; refuse(r); } },
  body: { channel: 'response', plant: (_q, r) => r.status(401).json({ got: TOKEN }) },
  'req attachment': { channel: 'req.auth', plant: (q, r) => { q.auth = { candidate: WRONG }; refuse(r); } },
  'hidden req attachment': {
    channel: 'req.tokenHash',
    plant: (q, r) => { Object.defineProperty(q, 'tokenHash', { value: hex(TOKEN), enumerable: false }); refuse(r); },
  },
  'res.locals': { channel: 'res.locals', plant: (_q, r) => { r.locals.token = PLAIN; refuse(r); } },
  'res header map': { channel: 'res.getHeaders()', plant: (_q, r) => { r.setHeader('X-Trace', TOKEN.toLowerCase()); r.statusMessage = 'x'; refuse(r); } },
  stderr: { channel: 'stderr', plant: (_q, r) => { console.error('refused', TOKEN); refuse(r); } },
  stdout: { channel: 'stdout', plant: (_q, r) => { console.log('refused', encodeURIComponent(WRONG)); refuse(r); } },
};

/** A server with the audit's spy and the plants. */
export async function startPlantedServer(express: ExpressFactory, holder: Holder): Promise<Server> {
  const app = express();
  app.use(spy(holder) as never);
  app.use(((req: Record<string, unknown> & { headers: Record<string, string> }, res: Record<string, unknown> & Express5Res) => {
    const plant = PLANTED_REQUESTS[req.headers['x-plant'] ?? ''];
    plant?.plant(req, res);
  }) as never);
  return listen(app);
}
