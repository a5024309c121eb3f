// A small load generator for the replica tests: keep-alive loops per replica, each request recorded with its times and status.
import { Agent, request } from 'node:http';

/** One request as the load generator saw it. */
export interface Sample {
  /** Which stream sent it (e.g. `steady`, `target`). */
  stream: string;
  /** What the stream's token was at send time (e.g. the round), so samples can be grouped. */
  label: string;
  replica: number;
  /** Epoch ms when it was sent and when its response ended (or it failed). */
  sent: number;
  done: number;
  /** HTTP status; 0 for a connection error or a timeout. */
  status: number;
  /** The response headers that the staleness checks read. */
  retryAfter?: string | undefined;
  cacheControl?: string | undefined;
  body?: string | undefined;
}

/** A stream of requests: what each request presents. `token()` undefined means: pause this stream. */
export interface Stream {
  name: string;
  /** Loops per replica (default 1). */
  loops?: number;
  /** The token and label for the next request, or undefined to idle for a moment. */
  next(): { token: string; label: string } | undefined;
  /** Path to GET (default `/v2/models/`). */
  path?: string;
  /** Keep bodies of non-200 answers (default false). */
  keepBody?: boolean;
}

/**
 * Sends requests to every replica in back-to-back loops over keep-alive connections (one agent
 * per replica) until {@link Load.stop}, and keeps every {@link Sample}.
 */
export class Load {
  readonly samples: Sample[] = [];
  readonly #agents: Agent[];
  readonly #bases: readonly string[];
  #running = true;
  readonly #loops: Promise<void>[] = [];

  /**
   * @param bases - the replicas' base URLs, in replica order
   * @param streams - what to send; each stream runs `loops` loops against every replica
   */
  constructor(bases: readonly string[], streams: readonly Stream[]) {
    this.#bases = bases;
    this.#agents = bases.map(() => new Agent({ keepAlive: true, maxSockets: 16 }));
    for (const stream of streams) {
      for (let replica = 0; replica < bases.length; replica++) {
        for (let k = 0; k < (stream.loops ?? 1); k++) this.#loops.push(this.#loop(stream, replica));
      }
    }
  }

  async #loop(stream: Stream, replica: number): Promise<void> {
    while (this.#running) {
      const next = stream.next();
      if (next === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      this.samples.push(await this.#send(stream, replica, next.token, next.label));
    }
  }

  #send(stream: Stream, replica: number, token: string, label: string): Promise<Sample> {
    const sent = Date.now();
    return new Promise((resolve) => {
      const base: Sample = { stream: stream.name, label, replica, sent, done: 0, status: 0 };
      const req = request(`${this.#bases[replica]}${stream.path ?? '/v2/models/'}`, {
        agent: this.#agents[replica],
        headers: { authorization: `Bearer ${token}` },
        timeout: 10_000,
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({
            ...base,
            done: Date.now(),
            status,
            retryAfter: res.headers['retry-after'],
            cacheControl: res.headers['cache-control'],
            body: status !== 200 && stream.keepBody === true ? body : undefined,
          });
        });
        res.on('error', () => resolve({ ...base, done: Date.now() }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ ...base, done: Date.now() }));
      req.end();
    });
  }

  /** Samples of one stream (and label), optionally of one replica. */
  of(stream: string, label?: string, replica?: number): Sample[] {
    return this.samples.filter((s) => s.stream === stream && (label === undefined || s.label === label) && (replica === undefined || s.replica === replica));
  }

  /** Stops every loop, waits for the requests in flight, and closes the connections. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    for (const agent of this.#agents) agent.destroy();
  }
}

/** Linear-interpolated quantile of `xs` (NaN when empty): the bench's own. */
export { quantile } from '../../bench/measure.js';

/** Waits `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
