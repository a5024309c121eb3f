// Start-up of the environment and the enrollment endpoint: the server environment, and a store that can enroll.
import type { LoadedEnvironment } from '../config/load-environment.js';
import { BearerGuardConfigError } from '../errors/startup.js';
import type { KeyStore } from '../keys/store.js';
import type { ServerEnvironment } from './environment-context.js';

/**
 * The server environment (undefined when neither name nor posture is set) and the enrollment
 * path, checked against the keys: enrollment writes agent keys, so it needs a keys file or a
 * key store with `enroll()`; the single token and the token array cannot enroll.
 *
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_ENROLLMENT`) for enrollment without such a store
 * @internal
 */
export function resolveEnvironment(fn: string, loaded: LoadedEnvironment, store: KeyStore | undefined): {
  environment: ServerEnvironment | undefined;
  enrollmentPath: string | undefined;
} {
  const { environment: name, environmentPosture: posture, enrollmentPath } = loaded;
  if (enrollmentPath !== undefined && store?.enroll === undefined) {
    throw new BearerGuardConfigError(
      'ERR_BEARER_GUARD_ENROLLMENT',
      `${fn}: an enrollment path is configured (auth_enrollment_path or the enrollment option), but enrollment stores agent keys and ${
        store === undefined ? 'no keys file is configured' : `${store.description} has no enroll() method`
      }; name a keys file with --auth-keys-file (or AUTH_KEYS_FILE, auth_keys_file, the keysFile option) or Redis with --auth-redis-url, or remove the enrollment path`,
    );
  }
  const environment = name === undefined && posture === undefined ? undefined : Object.freeze({ name, posture });
  return { environment, enrollmentPath };
}
