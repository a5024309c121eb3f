/**
 * Child-process entry of the hostile-load test: an Express app (major from argv[2], `express5` or
 * `express4`) guarded by `bearerGuard({ token })`, whose routes WOULD buffer a body that got past
 * the guard (express.json with a 20 MB limit, multer memoryStorage), and which reports its RSS,
 * handler hits, parser runs and open connections over IPC (see protocol.ts). Run only via fork()
 * by server-process.ts, with `--import tsx --expose-gc`; the token comes in HOSTILE_LOAD_TOKEN.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import express5 from 'express';
import express4 from 'express4';
import multer from 'multer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { bearerGuard } from '../../../src/index.js';
import { PATHS, type CommandMessage, type Stats } from './protocol.js';

const express = process.argv[2] === 'express4' ? (express4 as unknown as typeof express5) : express5;
const token = process.env.HOSTILE_LOAD_TOKEN ?? '';
const send = (message: unknown): void => void process.send?.(message);

const statuses: Record<string, number> = {};
const hits: Record<string, number> = {};
const parsed: Record<string, number> = {};
const settled: Record<string, number> = {};
let errors: string[] = [];
let active = 0;
let bytesRead = { total: 0, max: 0, sockets: 0 };
let peakRss = 0;
let sampler: ReturnType<typeof setInterval> | undefined;

/** Counts each run of `parser` and each time it calls back. */
function counted(name: string, parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    parsed[name] = (parsed[name] ?? 0) + 1;
    parser(req, res, (err?: unknown) => {
      settled[name] = (settled[name] ?? 0) + 1;
      next(err);
    });
  };
}

const echo = (name: string): RequestHandler => (req, res) => {
  hits[name] = (hits[name] ?? 0) + 1;
  const file = req.file === undefined ? undefined : { field: req.file.fieldname, size: req.file.size, text: req.file.buffer.toString() };
  res.json({ status: 'OK', route: name, json: req.body as unknown, file });
};

const json = express.json({ limit: '20mb' });
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 20 * 1024 * 1024 } }).single('data');

const app = express();
// The control: a parsing route mounted before the guard, so that the test can show its RSS
// measurement does see bodies being buffered.
app.post(PATHS.open, counted('open', json), echo('open'));
app.use(bearerGuard({ token, logger: { warn: () => undefined } }));
app.use((_req, res, next) => {
  active++;
  res.once('close', () => void active--);
  next();
});
app.get(PATHS.models, echo('models'));
app.post('/v2/models/:name/predict', counted('json', json), counted('multipart', upload), echo('predict'));
const onError: ErrorRequestHandler = (err: { type?: unknown; code?: unknown; message?: unknown; status?: unknown }, _req, res, _next) => {
  errors.push(String(err.type ?? err.code ?? err.message));
  if (!res.headersSent && !res.destroyed) res.status(typeof err.status === 'number' ? err.status : 500).json({ error: 'failed' });
};
app.use(onError);

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ ready: true, port: typeof address === 'object' && address !== null ? address.port : 0 });
});

// Every response the server sends, seen from the server: a second 'request' listener beside the app.
server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
  res.once('close', () => {
    const key = res.writableFinished ? String(res.statusCode) : 'closed';
    statuses[key] = (statuses[key] ?? 0) + 1;
  });
});

// How much of each connection the server pulled off the wire, counted when the socket closes.
server.on('connection', (socket: Socket) => {
  socket.once('close', () => {
    bytesRead = { total: bytesRead.total + socket.bytesRead, max: Math.max(bytesRead.max, socket.bytesRead), sockets: bytesRead.sockets + 1 };
  });
});

function connections(): Promise<number> {
  return new Promise((resolve) => server.getConnections((_err, count) => resolve(count)));
}

async function stats(): Promise<Stats> {
  const m = process.memoryUsage();
  return {
    rss: m.rss, peakRss: Math.max(peakRss, m.rss), heapUsed: m.heapUsed, external: m.external,
    connections: await connections(), active, statuses: { ...statuses }, bytesRead, hits: { ...hits }, parsed: { ...parsed }, settled: { ...settled }, errors: [...errors],
  };
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('start the fixture with --expose-gc');
  gc();
  gc();
}

process.on('message', (message: CommandMessage) => {
  switch (message.cmd) {
    case 'gc':
      collectGarbage();
      break;
    case 'reset':
      for (const counter of [statuses, hits, parsed, settled]) for (const k of Object.keys(counter)) delete counter[k];
      errors = [];
      bytesRead = { total: 0, max: 0, sockets: 0 };
      break;
    case 'sample-start':
      peakRss = process.memoryUsage.rss();
      clearInterval(sampler);
      sampler = setInterval(() => void (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 5);
      break;
    case 'sample-stop':
      clearInterval(sampler);
      sampler = undefined;
      break;
    case 'stats':
      break;
  }
  void stats().then((s) => send({ id: message.id, stats: s }));
});
// The parent went away (test finished or crashed): do not linger.
process.on('disconnect', () => process.exit(0));
