// loadAuthConfig: argv > env > INI file > default, with token files and start-up checks.
import { BearerGuardConfigError, warning, type BearerGuardWarning } from '../errors/startup.js';
import { DEFAULT_MAX_TOKEN_LENGTH, type LoadAuthConfigOptions } from './options.js';
import { Secret } from '../safety/secret.js';
import { checkConfiguredToken } from './token-rules.js';
import { LOAD_KEYS, validateOptions } from './validate-options.js';
import { readArgv } from './argv.js';
import { readEnv } from './env.js';
import { readIniFile } from './ini-file.js';
import { mergeLayers, type Layer } from './schema.js';
import { readTokenFile } from './token-file.js';

/** The loaded configuration. Printing, inspecting or serialising it never shows the token. */
export interface AuthConfig {
  /** The token, wrapped so that it never prints; `undefined` when none is configured (auth off). */
  readonly token: Secret | undefined;
  /** Where the token came from, e.g. `--auth-bearer-token` or `env DEEPAAS_AUTH_BEARER_TOKEN`. */
  readonly tokenSource: string | undefined;
  /** Whether some source demanded a token (it is then present: otherwise loading throws). */
  readonly required: boolean;
  /** The config file that was read, if any. */
  readonly configFile: string | undefined;
  /** Start-up warnings for an operator (auth off, weak token, readable config file). */
  readonly warnings: readonly BearerGuardWarning[];
}

/**
 * Loads the token the way `bearerGuard()` does: `--auth-bearer-token` / `--auth-bearer-token-file`,
 * then `AUTH_BEARER_TOKEN` / `AUTH_BEARER_TOKEN_FILE`, then `auth_bearer_token` in the INI file
 * named by `--config-file`, `AUTH_CONFIG_FILE` or `configFile`. Empty values count as unset.
 *
 * @param options - sources to read instead of the process's own
 * @returns the configuration; its `token` is a {@link Secret}
 * @throws BearerGuardConfigError (or TypeError/RangeError for bad options) naming the source, never the value
 * @example
 * ```ts
 * const config = loadAuthConfig({ envPrefix: 'DEEPAAS_' });
 * console.log(config); // token: Secret [redacted]
 * ```
 */
export function loadAuthConfig(options?: LoadAuthConfigOptions): AuthConfig {
  const o = validateOptions(options, LOAD_KEYS, 'loadAuthConfig');
  const prefix = o.envPrefix ?? '';
  const maxLength = o.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  const args = readArgv(o.argv ?? process.argv);
  const env = readEnv(o.env ?? process.env, prefix);
  const warnings: BearerGuardWarning[] = [];

  if (args.token !== undefined && args.tokenFile !== undefined) {
    throw conflict('--auth-bearer-token and --auth-bearer-token-file were both given; give one');
  }
  if (env.token !== undefined && env.tokenFile !== undefined) {
    throw conflict(`env ${env.names.token} and ${env.names.tokenFile} are both set; set one`);
  }

  const [configFile, configSource] =
    args.configFile !== undefined ? [args.configFile, '--config-file']
    : env.configFile !== undefined ? [env.configFile, `env ${env.names.configFile}`]
    : o.configFile !== undefined ? [o.configFile, 'the configFile option']
    : [undefined, undefined];
  const ini = configFile !== undefined ? readIniFile(configFile, configSource!) : undefined;

  // Token files are read only when they win, so a stale lower-precedence path is harmless.
  const candidates: Array<[source: string, read: () => string] | false> = [
    args.token !== undefined && ['--auth-bearer-token', () => args.token!],
    args.tokenFile !== undefined && [`--auth-bearer-token-file (${args.tokenFile})`, () => readTokenFile(args.tokenFile!, '--auth-bearer-token-file')],
    env.token !== undefined && [`env ${env.names.token}`, () => env.token!],
    env.tokenFile !== undefined && [`env ${env.names.tokenFile} (${env.tokenFile})`, () => readTokenFile(env.tokenFile!, `env ${env.names.tokenFile}`)],
    ini?.token !== undefined && [`config file ${configFile}`, () => ini.token!],
  ];
  const winner = candidates.find((c) => c !== false) || undefined;
  const tokenValue = winner?.[1]();
  const tokenSource = winner?.[0];

  const layers: Layer[] = [];
  if (ini?.required !== undefined) layers.push({ auth_required: ini.required });
  if (env.required !== undefined) layers.push({ auth_required: env.required });
  if (args.required !== undefined) layers.push({ auth_required: args.required });
  if (tokenValue !== undefined) layers.push({ auth_bearer_token: tokenValue });
  const merged = mergeLayers(layers);
  // Any source may demand a token; none can waive the demand of another.
  const required = o.required === true || args.required === true || env.required === true || ini?.required === true || merged.required;

  if (ini !== undefined) warnings.push(...ini.warnings);
  let token: Secret | undefined;
  if (merged.token !== '') {
    const weak = checkConfiguredToken(merged.token, tokenSource!, maxLength, (code, message) => new BearerGuardConfigError(code, message));
    if (weak) warnings.push(weak);
    token = new Secret(merged.token);
  } else if (required) {
    throw new BearerGuardConfigError(
      'ERR_BEARER_GUARD_TOKEN_REQUIRED',
      `a bearer token is required but none is configured; set --auth-bearer-token-file <path>, env ${env.names.token} or ${env.names.tokenFile}, or auth_bearer_token under [DEFAULT] in the config file`,
    );
  } else {
    warnings.push(
      warning(
        'W_BEARER_GUARD_AUTH_OFF',
        `no bearer token is configured, so every route is open; set --auth-bearer-token-file <path>, env ${env.names.token} or ${env.names.tokenFile}, or auth_bearer_token in a config file (add --auth-required to refuse to start without one)`,
      ),
    );
  }
  return Object.freeze({ token, tokenSource, required, configFile, warnings: Object.freeze(warnings) });
}

function conflict(message: string): BearerGuardConfigError {
  return new BearerGuardConfigError('ERR_BEARER_GUARD_CONFLICTING_SOURCES', message);
}
