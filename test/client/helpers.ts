// Fixtures for the client tests: an isolated config dir per test, the CLI run against it, and small real servers.
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { bearerGuard, MemoryKeyStore, requireScopes, whoami, type KeyEntry } from '../../src/index.js';
import type { ContextsData } from '../../src/client/contexts-format.js';
import type { TempDirs} from '../cli/helpers.js';
import { runCli, type CliResult } from '../cli/helpers.js';
import { cleanEnv, startServer, type StartedServer } from '../helpers/example-server.js';

/** Every variable the client reads, blanked (empty counts as unset), so the test process's own never leak in. */
export const BLANK_ENV: Record<string, string> = {
  BEARER_GUARD_TOKEN: '',
  BEARER_GUARD_TOKEN_FILE: '',
  BEARER_GUARD_ENDPOINT: '',
  BEARER_GUARD_CONTEXT: '',
  BEARER_GUARD_CONFIG_DIR: '',
  XDG_CONFIG_HOME: '',
};

/** A home directory of its own: the CLI run in it, and its credentials file. */
export class ClientHome {
  readonly home: string;
  readonly configDir: string;
  readonly file: string;
  readonly record: CliResult[];

  constructor(tmp: TempDirs, record: CliResult[] = []) {
    this.home = tmp.make();
    this.configDir = path.join(this.home, 'config', 'bearer-guard');
    this.file = path.join(this.configDir, 'contexts.json');
    this.record = record;
  }

  /** The env of a run: blanked client vars, this HOME and config dir, then `extra`. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { ...BLANK_ENV, HOME: this.home, BEARER_GUARD_CONFIG_DIR: this.configDir, ...extra };
  }

  /** Runs `bearer-guard <args>` with this home. */
  cli(args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
    return runCli(args, { env: this.env(options.env), record: this.record, ...(options.input !== undefined && { input: options.input }) });
  }

  /** `login --with-token` with `token` on stdin. */
  login(endpoint: string, token: string, ...extra: string[]): Promise<CliResult> {
    return this.cli(['login', '--with-token', '--endpoint', endpoint, ...extra], { input: `${token}\n` });
  }

  /** The credentials file, parsed. */
  read(): ContextsData {
    return JSON.parse(fs.readFileSync(this.file, 'utf8')) as ContextsData;
  }

  /** Writes the credentials file as given (mode 0600). */
  write(data: unknown): void {
    fs.mkdirSync(this.configDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(this.file, typeof data === 'string' ? data : JSON.stringify(data), { mode: 0o600 });
  }
}

/** A saved context as the file holds it. */
export const saved = (endpoint: string, token: string, identity: unknown = null): object => ({ endpoint, token, identity, saved_at: '2026-01-01T00:00:00.000Z' });

/** The example model server with `args` (e.g. `--auth-keys-file F`) and env vars (e.g. `DEEPAAS_AUTH_BEARER_TOKEN`). */
export const startExample = (args: readonly string[], env: Record<string, string> = {}): Promise<StartedServer> => startServer(args, cleanEnv(env));

/** A started in-process server and its base URL. */
export interface Local {
  readonly url: string;
  close(): void;
}

/** Listens on a free loopback port. */
export function serve(server: Server): Promise<Local> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ url, close: () => {
        server.closeAllConnections();
        server.close();
      } });
    });
  });
}

/**
 * A plain DEEPaaS-like app with the guard but no whoami: `/v2/models/` needs `models:read`.
 * With `withWhoami`, it also mounts whoami (for keys held in memory: revoked, expired...).
 */
export function plainApp(options: { token?: string; keys?: KeyEntry[]; withWhoami?: boolean }): Promise<Local> {
  const app = express();
  const logger = { warn: () => undefined };
  app.use(bearerGuard({ logger, env: {}, argv: [], ...(options.token !== undefined && { token: options.token }), ...(options.keys && { keyStore: new MemoryKeyStore(options.keys) }) }));
  if (options.withWhoami === true) app.get('/v2/auth/whoami', whoami());
  app.get('/v2/models/', requireScopes('models:read'), (_req, res) => void res.json({ models: [] }));
  app.use((_req: express.Request, res: express.Response) => void res.status(404).json({ detail: 'Not found' }));
  return serve(createServer(app));
}
