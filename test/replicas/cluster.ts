// The replica harness: one real redis-server, a writer store on it, and N example-server replicas (child processes) reading it.
import { RedisKeyStore } from '../../src/redis/index.js';
import type { KeyEntry } from '../../src/keys/types.js';
import { cleanEnv, startServer, type Exit, type StartedServer } from '../helpers/example-server.js';
import { makeKey, type TestKey } from '../helpers/keys.js';
import { startRedis, type StartRedisOptions, type TestRedis } from '../helpers/redis-server.js';

/** One example-server replica. */
export interface Replica extends StartedServer {
  /** 0, 1, 2... */
  readonly index: number;
  readonly pid: number;
  /** Everything it printed (stdout then stderr), for the log checks. */
  output(): string;
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** How many replicas (default 3). */
  replicas?: number;
  /** Extra example-server arguments for every replica (each also gets `--auth-redis-url`). */
  args?: readonly string[];
  /** Options of the redis-server (`persist: true` to survive kill/restart). */
  redis?: StartRedisOptions;
  /** A password Redis requires (`--requirepass`); the URL every replica and the writer get then holds it. */
  password?: string;
  /** Entries written to Redis before any replica starts, besides {@link Cluster.key}. */
  seed?: readonly KeyEntry[];
  /**
   * Leave the example server's brute-force throttle on (default false: `--no-auth-throttle`, since
   * the tests send many refused requests from one address on purpose). The throttle's own flags go in `args`.
   */
  throttle?: boolean;
}

/** A running cluster: Redis, a writer store on it, the replicas. */
export interface Cluster {
  readonly redis: TestRedis;
  /** The URL the replicas were given (with the password, if any). */
  readonly url: string;
  /** The test's own connection to the keyring: what the CLI does, without a process start. */
  readonly store: RedisKeyStore;
  readonly replicas: readonly Replica[];
  /** A valid service key seeded before start-up (scopes `*`), for traffic that must never fail. */
  readonly key: TestKey;
  /** Adds `entry`; resolves with the instant (ms) the write was started, which is when it counts from. */
  add(entry: KeyEntry): Promise<number>;
  /** Marks key `id` revoked now, as `bearer-guard keys revoke` does; resolves with the instant the write started. */
  revoke(id: string): Promise<number>;
  /** Stops every replica, the store and Redis. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts `n` replicas with `args` at once, and waits for every `listening` line. */
export async function startReplicas(n: number, args: readonly string[]): Promise<Replica[]> {
  const started = await Promise.allSettled(Array.from({ length: n }, () => startServer(args, cleanEnv())));
  const replicas = started.flatMap((s, index) => (s.status === 'fulfilled' ? [asReplica(s.value, index)] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(replicas.map((r) => r.stop()));
    throw failed.reason;
  }
  return replicas;
}

function asReplica(server: StartedServer, index: number): Replica {
  return { ...server, index, pid: server.child.pid!, output: () => `${server.stdout()}\n${server.stderr()}` };
}

/** A silent logger for the writer store: the test reads what the replicas log, not its own. */
const quiet = { warn: () => undefined };

/**
 * Starts redis-server, seeds the keyring through a {@link RedisKeyStore}, then the replicas, and
 * waits until each answers the seeded key with 200 (listening is not enough: the keyring loads
 * after). Everything started is stopped again if a step fails.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const password = options.password === undefined ? [] : ['--requirepass', options.password];
  const redis = await startRedis({ ...options.redis, args: [...(options.redis?.args ?? []), ...password] });
  const url = options.password === undefined ? redis.url : `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${redis.port}`;
  const key = makeKey('service', { name: 'steady' });
  let store: RedisKeyStore | undefined;
  let replicas: Replica[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(replicas.map((r) => r.stop()));
    replicas = [];
    await store?.close();
    store = undefined;
    await redis.stop();
  };
  try {
    store = await RedisKeyStore.connect({ url, logger: quiet, source: 'the replica harness' });
    const seed = [key.entry, ...(options.seed ?? [])];
    await store.update(() => seed);
    const throttle = options.throttle === true ? [] : ['--no-auth-throttle'];
    replicas = await startReplicas(options.replicas ?? 3, ['--auth-redis-url', url, ...throttle, ...(options.args ?? [])]);
    await Promise.all(replicas.map((r) => waitForStatus(r.url, key.token, 200, 20_000)));
  } catch (err) {
    await stop();
    throw err;
  }
  const writer = store;
  const write = async (mutate: (entries: readonly KeyEntry[]) => readonly KeyEntry[]): Promise<number> => {
    const at = Date.now();
    await writer.update(mutate);
    return at;
  };
  return {
    redis,
    url,
    store: writer,
    get replicas() {
      return replicas;
    },
    key,
    add: (entry) => write((entries) => [...entries, entry]),
    revoke: (id) => write((entries) => entries.map((e) => (e.id === id ? { ...e, revoked_at: new Date().toISOString() } : e))),
    stop,
  };
}

/** Polls `GET /v2/models/` with `token` until it answers `status`. */
export async function waitForStatus(base: string, token: string, status: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = 0;
  while (Date.now() < deadline) {
    last = await fetch(`${base}/v2/models/`, { headers: { authorization: `Bearer ${token}` } }).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => 0,
    );
    if (last === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${base}: GET /v2/models/ did not answer ${status} within ${ms} ms (last ${last})`);
}

/** The exits of stopped replicas, for the "everything stopped" checks. */
export function exits(replicas: readonly Replica[]): Promise<Exit[]> {
  return Promise.all(replicas.map((r) => r.exited));
}
