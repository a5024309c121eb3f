// Until the environment settings land (--auth-environment, --auth-environment-posture, issue 11
// section 1, another branch), tests give the server its environment with this middleware placed
// right after the guard. The lead switches these tests to the guard's own settings after merging.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setServerEnvironment, type EnvironmentPosture } from '../../src/request/environment-context.js';

/** Middleware that records `name`/`posture` as the server environment of every request. */
export function serverEnvironment(name: string | undefined, posture: EnvironmentPosture | undefined) {
  const env = Object.freeze({ name, posture });
  return (req: IncomingMessage, _res: ServerResponse, next: () => void): void => {
    setServerEnvironment(req, env);
    next();
  };
}
