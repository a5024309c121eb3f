// The server environment a guard runs in, handed from the guard to route middleware such as requireApproval.
import type { IncomingMessage } from 'node:http';

/** The environment posture: how strict the environment is. */
export type EnvironmentPosture = 'dev' | 'staging' | 'prod';

/** Where a server runs: `--auth-environment` and `--auth-environment-posture`. */
export interface ServerEnvironment {
  readonly name: string | undefined;
  readonly posture: EnvironmentPosture | undefined;
}

const byRequest = new WeakMap<IncomingMessage, ServerEnvironment>();

/** Records the guard's environment on a request it let through. @internal */
export function setServerEnvironment(req: IncomingMessage, env: ServerEnvironment): void {
  byRequest.set(req, env);
}

/** The environment of the guard that let `req` through, if it has one. @internal */
export function serverEnvironmentOf(req: IncomingMessage): ServerEnvironment | undefined {
  return byRequest.get(req);
}
