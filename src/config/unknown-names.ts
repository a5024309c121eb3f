// Names that look like ours but are not: misspelt --auth flags, unknown <prefix>AUTH_ variables, unprefixed ones.
import { BearerGuardConfigError, warning, type BearerGuardWarning } from '../errors/startup.js';
import { mayContainToken } from '../safety/redact.js';
import { closest } from './did-you-mean.js';
import { SETTINGS } from './settings.js';

// `--auth...` in any case, with `-` or `_`, one dash or two, and the `--no-` form of a boolean.
const OURS = /^--?(no-)?auth($|-)/;

/**
 * Throws when `name` (an argument up to its `=`) looks like one of our flags but is not one:
 * `--auth` followed by `-`, `_` or nothing, in any case, or a near miss of a known flag. Other
 * arguments (`--author`, `--port`) belong to the app.
 *
 * @throws BearerGuardConfigError `ERR_BEARER_GUARD_UNKNOWN_ARGUMENT`, with "did you mean"
 * @internal
 */
export function checkFlagName(name: string, known: readonly string[]): void {
  if (!name.startsWith('-')) return;
  const normal = name.toLowerCase().replace(/_/g, '-');
  const hint = closest(normal, known);
  // `--config_file` and `--CONFIG-FILE` are ours too: only case or `_` differ.
  const respelt = known.includes(normal);
  if (!respelt && !OURS.test(normal) && (hint === undefined || !/^--?(no-)?auth/.test(normal))) return;
  // A near miss is a typo, safe to show; anything else that looks like a token is described.
  const shown = hint !== undefined || !mayContainToken(name) ? name : `starting with ${name.slice(0, 6)} (${name.length} characters, not shown because they look like a token)`;
  throw new BearerGuardConfigError(
    'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT',
    `unknown argument ${shown}${hint ? `; did you mean ${hint}?` : ''} (bearer-guard's flags: ${known.join(', ')}); arguments starting with --auth are bearer-guard's, so a misspelt one stops start-up instead of leaving auth off`,
  );
}

/** What the environment holds that looks like ours but is not read. @internal */
export interface StrayEnv {
  /** `<prefix>AUTH_*` names that are not ours, each with its nearest known name. */
  readonly unknown: ReadonlyArray<{ name: string; hint: string | undefined }>;
  /** Our unprefixed names set while a prefix is in use, each with the name that is read. */
  readonly unprefixed: ReadonlyArray<{ name: string; reads: string }>;
}

/** Every env var name bearer-guard reads behind `prefix`. @internal */
export function knownEnvNames(prefix: string): string[] {
  return SETTINGS.flatMap((s) => [`${prefix}${s.env}`, ...(s.fileTwin ? [`${prefix}${s.env}_FILE`] : [])]);
}

/**
 * Finds `<prefix>AUTH_*` variables that bearer-guard does not read (any case), and, with a
 * prefix, our own names set without it. Values are never looked at.
 * @internal
 */
export function findStrayEnv(env: Readonly<Record<string, string | undefined>>, prefix: string): StrayEnv {
  const known = knownEnvNames(prefix);
  const bare = knownEnvNames('');
  const head = `${prefix}AUTH_`.toUpperCase();
  const unknown: Array<{ name: string; hint: string | undefined }> = [];
  const unprefixed: Array<{ name: string; reads: string }> = [];
  for (const name of Object.keys(env)) {
    if (env[name] === undefined || known.includes(name)) continue;
    if (name.toUpperCase().startsWith(head)) {
      // Compared without the prefix, so that a long shared prefix does not make anything "close".
      const hint = closest(name.slice(prefix.length), bare);
      unknown.push({ name, hint: hint === undefined ? undefined : `${prefix}${hint}` });
    }
    else if (prefix !== '' && bare.includes(name)) unprefixed.push({ name, reads: `${prefix}${name}` });
  }
  return { unknown, unprefixed };
}

/**
 * Turns the stray variables into errors and warnings. With a prefix, any unknown
 * `<prefix>AUTH_*` name is an error. Without one, `AUTH_*` names may belong to other software:
 * a near miss of ours is an error, and so is any other one while auth would be off; otherwise
 * it is a warning. An unprefixed name of ours is an error while auth would be off, else a warning.
 *
 * @param shown - how messages show the prefix (`<envPrefix>` for one that looks like a token)
 * @param authOn - whether a token, digest, keys file, store or verify is configured
 * @throws BearerGuardConfigError `ERR_BEARER_GUARD_UNKNOWN_ENV` or `ERR_BEARER_GUARD_UNPREFIXED_ENV`
 * @internal
 */
export function judgeStrayEnv(stray: StrayEnv, prefix: string, shown: string, authOn: boolean): BearerGuardWarning[] {
  const show = (name: string): string => {
    const visible = name.startsWith(prefix) ? `${shown}${name.slice(prefix.length)}` : name;
    return mayContainToken(visible) ? `a variable of ${visible.length} characters (not shown because it looks like a token)` : visible;
  };
  const warnings: BearerGuardWarning[] = [];
  const known = knownEnvNames(shown).join(', ');
  for (const { name, hint } of stray.unknown) {
    const why = `bearer-guard reads only ${known}`;
    if (prefix !== '' || hint !== undefined || !authOn) {
      const off = prefix === '' && hint === undefined ? ', and no token or keys file is configured, so auth would be off' : '';
      throw new BearerGuardConfigError(
        'ERR_BEARER_GUARD_UNKNOWN_ENV',
        `env ${show(name)} is not a bearer-guard variable${hint ? `; did you mean ${show(hint)}?` : ''} (${why})${off}; rename or unset it`,
      );
    }
    warnings.push(warning('W_BEARER_GUARD_UNKNOWN_ENV', `env ${show(name)} is set, but is not a bearer-guard variable (${why}); if it is meant for bearer-guard, rename it; if it belongs to other software, give the app an envPrefix`));
  }
  for (const { name, reads } of stray.unprefixed) {
    const text = `${name} is set, but this app reads ${show(reads)}`;
    if (!authOn) {
      throw new BearerGuardConfigError('ERR_BEARER_GUARD_UNPREFIXED_ENV', `${text}, and no token or keys file is configured, so auth would be off; rename it to ${show(reads)}`);
    }
    warnings.push(warning('W_BEARER_GUARD_UNPREFIXED_ENV', `${text}; rename it to ${show(reads)}, or unset it`));
  }
  return warnings;
}
