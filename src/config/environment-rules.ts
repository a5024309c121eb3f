// The rules for the environment name, its posture and the enrollment path, shared by options and configuration.
import type { EnvironmentPosture } from '../request/environment-context.js';

/** What an environment name must be (the same rule as a key entry's `environment`). @internal */
export const ENVIRONMENT_RULE = '1 to 64 characters from A-Z, a-z, 0-9, "_", "." and "-", e.g. prod';
/** What a posture must be. @internal */
export const POSTURE_RULE = 'one of dev, staging, prod';

/** True for a valid environment name. @internal */
export function isEnvironmentName(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value);
}

/** True for `dev`, `staging` or `prod`. @internal */
export function isPosture(value: unknown): value is EnvironmentPosture {
  return value === 'dev' || value === 'staging' || value === 'prod';
}

/**
 * Checks an enrollment path: an exact path starting with `/`, as a public path must be. Calls
 * `fail` with the problem (which repeats the path only when it is plainly a path).
 * @internal
 */
export function validateEnrollmentPath(path: string, fail: (problem: string) => never): void {
  if (!path.startsWith('/') || path === '/') fail('must be a path starting with "/" such as "/v2/agents" (not "/" itself)');
  if (/[*:?#()[\]{}\s\\%]/.test(path) || path.includes('//') || path.length > 256) {
    fail('must be an exact path of at most 256 characters: patterns, parameters, query strings, percent-encoding, spaces and "//" are not supported');
  }
}
