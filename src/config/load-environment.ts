// The environment and enrollment settings of a load: their option layer, and their values checked against the rules.
import { BearerGuardConfigError } from '../errors/startup.js';
import type { EnvironmentPosture } from '../request/environment-context.js';
import { ENVIRONMENT_RULE, isEnvironmentName, isPosture, POSTURE_RULE, validateEnrollmentPath } from './environment-rules.js';
import type { ResolvedLoadOptions } from './resolve.js';
import type { Layer, Merged } from './schema.js';

/** The environment and enrollment part of a loaded configuration. @internal */
export interface LoadedEnvironment {
  readonly environment: string | undefined;
  readonly environmentPosture: EnvironmentPosture | undefined;
  readonly enrollmentPath: string | undefined;
}

// INI-style name -> the option that gives the lowest layer.
const OPTIONS = [
  ['auth_environment', 'environment', 'the environment option'],
  ['auth_environment_posture', 'environmentPosture', 'the environmentPosture option'],
  ['auth_enrollment_path', 'enrollmentPath', 'the enrollment option'],
] as const;

/**
 * The layer the options give (below every other source), recording their sources in `sources`
 * for settings no other source set. Call after the other sources have been recorded.
 * @internal
 */
export function environmentOptionLayer(o: ResolvedLoadOptions, sources: Record<string, string>): Layer {
  const layer: Layer = {};
  for (const [name, key, source] of OPTIONS) {
    const value = o[key];
    if (value === undefined) continue;
    layer[name] = value;
    sources[name] ??= source;
  }
  return layer;
}

/**
 * Checks the merged values; a bad one is a start-up error naming its source, never its value.
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_INVALID_VALUE`)
 * @internal
 */
export function checkEnvironment(merged: Merged, sources: Readonly<Record<string, string>>): LoadedEnvironment {
  const fail = (name: string, problem: string): never => {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_INVALID_VALUE', `${sources[name] ?? name} (${name}) ${problem}`);
  };
  const environment = merged.environment === '' ? undefined : merged.environment;
  const posture = merged.environmentPosture === '' ? undefined : merged.environmentPosture;
  const path = merged.enrollmentPath === '' ? undefined : merged.enrollmentPath;
  if (environment !== undefined && !isEnvironmentName(environment)) fail('auth_environment', `must be ${ENVIRONMENT_RULE}`);
  if (posture !== undefined && !isPosture(posture)) fail('auth_environment_posture', `must be ${POSTURE_RULE}`);
  if (path !== undefined) validateEnrollmentPath(path, (problem) => fail('auth_enrollment_path', problem));
  return Object.freeze({ environment, environmentPosture: posture as EnvironmentPosture | undefined, enrollmentPath: path });
}
