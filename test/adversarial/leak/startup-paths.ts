// Every start-up error code and warning, driven through options and through real config sources
// (flags, env, _FILE files, INI files on disk), with the secrets pasted where they do not belong.
import { createHash } from 'node:crypto';
import type { TempDir } from '../../helpers/config-fixtures.js';
import { PLAIN, TOKEN, WRONG } from './needles.js';

export type Entry = 'loadAuthConfig' | 'bearerGuard' | 'bearerGuard (console)' | 'createBearerStrategy';
export const ALL_ENTRIES: readonly Entry[] = ['loadAuthConfig', 'bearerGuard', 'bearerGuard (console)', 'createBearerStrategy'];
const CHECK_ENTRIES: readonly Entry[] = ['bearerGuard', 'bearerGuard (console)', 'createBearerStrategy'];
const GUARD_ENTRIES: readonly Entry[] = ['bearerGuard', 'bearerGuard (console)'];

/** One start-up path. `options` objects get `argv: []` and `env: {}` unless they set them. */
export interface StartupPath {
  name: string;
  options: unknown;
  /** An `ERR_BEARER_GUARD_*` code, `ok`, or `thrown` for an error without a code. */
  expect: string;
  /** Warning codes that must be produced on success. */
  warns?: readonly string[];
  /** Default: every entry that accepts all the keys of `options`. */
  entries?: readonly Entry[];
}

const a = (...flags: string[]): string[] => ['node', 'app', ...flags];
const WEAK = TOKEN.slice(0, 20);

/** Builds the table; files are written into `tmp` now. */
export function startupPaths(tmp: TempDir, isRoot: boolean): StartupPath[] {
  const tokenFile = tmp.file(`${TOKEN}\n`);
  const wrongFile = tmp.file(`${WRONG}\n`);
  const ini = (...lines: string[]): string => tmp.ini(lines);
  const goodIni = ini('[DEFAULT]', `auth_bearer_token = ${TOKEN}`);
  const dir = tmp.subdir();
  const unreadable = tmp.file(`${TOKEN}\n`, 0o000);
  const fakeRequest = { method: 'GET', url: `/?access_token=${TOKEN}`, headers: { authorization: `Bearer ${TOKEN}` }, socket: {} };
  const throwingLogger = { warn: (line: string) => { throw new Error(`logger down (${line})`); } };

  const paths: StartupPath[] = [
    // ERR_BEARER_GUARD_INVALID_OPTION: the token pasted into options of every type.
    { name: 'the token passed as the options', options: TOKEN, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'an array of tokens passed as the options', options: [TOKEN, WRONG], expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'argv: the token', options: { argv: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'argv: the token among numbers', options: { argv: ['node', 'app', TOKEN, 7] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'env: the token', options: { env: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'configFile: empty', options: { configFile: '' }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'configFile: [token]', options: { configFile: [TOKEN] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'envPrefix: the token', options: { envPrefix: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'envPrefix: the wrong token', options: { envPrefix: WRONG }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'required: the token', options: { required: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'maxTokenLength: the token', options: { maxTokenLength: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'maxTokenLength: 0', options: { maxTokenLength: 0, argv: a('--auth-bearer-token', TOKEN) }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'token: empty', options: { token: '' }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'token: empty array', options: { token: [] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'token: [token, 5]', options: { token: [TOKEN, 5] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'token: { value: token }', options: { token: { value: TOKEN } }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'realm: token and a newline', options: { token: WRONG, realm: `${TOKEN}\n` }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'realm: token and a non-ASCII letter', options: { token: WRONG, realm: `${TOKEN}\u00e9` }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'realm: the token option itself', options: { token: TOKEN, realm: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'realm: contains an entry of the token array', options: { token: [WRONG, TOKEN], realm: `api ${TOKEN}` }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'realm: the token loaded from env', options: { env: { AUTH_BEARER_TOKEN: TOKEN }, realm: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'logger: the token', options: { token: WRONG, logger: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'logger: { warn: token }', options: { token: WRONG, logger: { warn: TOKEN } }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'public: the token', options: { token: WRONG, public: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'public: [token]', options: { token: WRONG, public: [TOKEN] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'public: [PLAIN]', options: { token: WRONG, public: ['/health', PLAIN] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'public: ["/" + token + "?"]', options: { token: WRONG, public: [`/${TOKEN}?`] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'public: ["/v2/" + token + " x"]', options: { token: WRONG, public: [`/v2/${TOKEN} x`] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'public: ["//" + PLAIN]', options: { token: WRONG, public: [`//${PLAIN}`] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },
    { name: 'public: [token, 5]', options: { token: WRONG, public: ['/x', 5, TOKEN] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION' },

    // ERR_BEARER_GUARD_UNKNOWN_OPTION: the token under a wrong key, or as a key.
    { name: 'tokn: token', options: { tokn: TOKEN }, expect: 'ERR_BEARER_GUARD_UNKNOWN_OPTION' },
    { name: 'the token as a key', options: { [TOKEN]: true }, expect: 'ERR_BEARER_GUARD_UNKNOWN_OPTION' },
    { name: 'PLAIN as a key', options: { [PLAIN]: WRONG }, expect: 'ERR_BEARER_GUARD_UNKNOWN_OPTION' },
    { name: 'Authorization: Bearer token', options: { Authorization: `Bearer ${TOKEN}` }, expect: 'ERR_BEARER_GUARD_UNKNOWN_OPTION' },
    { name: 'auth_bearer_token: token', options: { auth_bearer_token: TOKEN }, expect: 'ERR_BEARER_GUARD_UNKNOWN_OPTION' },
    { name: 'loadAuthConfig({ token })', options: { token: TOKEN }, expect: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', entries: ['loadAuthConfig'] },
    { name: 'loadAuthConfig({ realm: token })', options: { realm: TOKEN }, expect: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', entries: ['loadAuthConfig'] },
    { name: 'createBearerStrategy({ public: [token] })', options: { token: WRONG, public: [TOKEN] }, expect: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', entries: ['createBearerStrategy'] },

    // ERR_BEARER_GUARD_NOT_CALLED: a request carrying the token handed over as the options.
    { name: 'a request as the options', options: fakeRequest, expect: 'ERR_BEARER_GUARD_NOT_CALLED', entries: ALL_ENTRIES },

    // ERR_BEARER_GUARD_INVALID_ARGUMENT
    { name: '--auth-bearer-token last', options: { argv: a(`--x=${TOKEN}`, '--auth-bearer-token') }, expect: 'ERR_BEARER_GUARD_INVALID_ARGUMENT' },
    { name: '--auth-bearer-token-file last', options: { argv: a(TOKEN, '--auth-bearer-token-file') }, expect: 'ERR_BEARER_GUARD_INVALID_ARGUMENT' },
    { name: '--config-file last', options: { argv: a('--config-file') }, expect: 'ERR_BEARER_GUARD_INVALID_ARGUMENT' },
    { name: '--auth-bearer-token --<token>', options: { argv: a('--auth-bearer-token', `--${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_INVALID_ARGUMENT' },
    { name: '--config-file followed by the token flag', options: { argv: a('--config-file', `--auth-bearer-token=${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_INVALID_ARGUMENT' },

    // ERR_BEARER_GUARD_CONFLICTING_SOURCES
    { name: 'flag twice', options: { argv: a('--auth-bearer-token', TOKEN, `--auth-bearer-token=${WRONG}`) }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },
    { name: 'flag and flag file', options: { argv: a('--auth-bearer-token', TOKEN, '--auth-bearer-token-file', wrongFile) }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },
    { name: 'token file flag twice, token as paths', options: { argv: a('--auth-bearer-token-file', TOKEN, `--auth-bearer-token-file=${WRONG}`) }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },
    { name: 'env and env file', options: { env: { AUTH_BEARER_TOKEN: TOKEN, AUTH_BEARER_TOKEN_FILE: WRONG } }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },
    { name: '--auth-required twice', options: { argv: a('--auth-required', '--auth-required=true', TOKEN) }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },

    // ERR_BEARER_GUARD_INVALID_VALUE
    { name: '--auth-required=<token>', options: { argv: a(`--auth-required=${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_INVALID_VALUE' },
    { name: 'AUTH_REQUIRED=<token>', options: { env: { AUTH_REQUIRED: TOKEN } }, expect: 'ERR_BEARER_GUARD_INVALID_VALUE' },
    { name: 'DEEPAAS_AUTH_REQUIRED=<plain>', options: { envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_REQUIRED: PLAIN } }, expect: 'ERR_BEARER_GUARD_INVALID_VALUE' },

    // ERR_BEARER_GUARD_TOKEN_INVALID, from every source.
    { name: 'flag: token space wrong', options: { argv: a('--auth-bearer-token', `${TOKEN} ${WRONG}`) }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'flag: token with $', options: { argv: a(`--auth-bearer-token=${TOKEN}$`) }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'env: "Bearer <token>"', options: { env: { AUTH_BEARER_TOKEN: `Bearer ${TOKEN}` } }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'env: token with a non-ASCII letter', options: { env: { AUTH_BEARER_TOKEN: `${TOKEN}\u00e9` } }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'env: whitespace only', options: { env: { AUTH_BEARER_TOKEN: ' \t ' } }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'token file: two trailing newlines', options: { argv: a('--auth-bearer-token-file', tmp.file(`${TOKEN}\n\n`)) }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'token file: two tokens on two lines', options: { env: { AUTH_BEARER_TOKEN_FILE: tmp.file(`${TOKEN}\n${WRONG}\n`) } }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'token file: BOM then token', options: { env: { AUTH_BEARER_TOKEN_FILE: tmp.file(`\ufeff${TOKEN}\n`) } }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'token file: an Authorization line', options: { env: { AUTH_BEARER_TOKEN_FILE: tmp.file(`Authorization: Bearer ${TOKEN}\n`) } }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'token file: the INI file (two lines)', options: { argv: a('--auth-bearer-token-file', goodIni) }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'INI: token space wrong', options: { configFile: ini(`auth_bearer_token = ${TOKEN} ${WRONG}`) }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'INI: unbalanced quote', options: { configFile: ini(`auth_bearer_token = "${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'longer than maxTokenLength', options: { argv: a('--auth-bearer-token', TOKEN), maxTokenLength: 20 }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'token option: token with $', options: { token: `${TOKEN}$` }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'token option: [wrong, token and a space]', options: { token: [WRONG, `${TOKEN} `] }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'token option: longer than maxTokenLength', options: { token: TOKEN, maxTokenLength: 12 }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },

    // ERR_BEARER_GUARD_TOKEN_REQUIRED
    { name: 'required: true, nothing set', options: { required: true }, expect: 'ERR_BEARER_GUARD_TOKEN_REQUIRED' },
    { name: 'AUTH_REQUIRED=1, the token under an unknown flag', options: { env: { AUTH_REQUIRED: '1' }, argv: a(`--model-token=${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_TOKEN_REQUIRED' },
    { name: 'INI auth_required = true', options: { configFile: ini('auth_required = true') }, expect: 'ERR_BEARER_GUARD_TOKEN_REQUIRED' },
    { name: 'required with envPrefix = PLAIN', options: { envPrefix: PLAIN, required: true }, expect: 'ERR_BEARER_GUARD_TOKEN_REQUIRED' },
    { name: 'required with envPrefix = PLAIN_', options: { envPrefix: `${PLAIN}_`, env: { AUTH_BEARER_TOKEN: TOKEN }, required: true }, expect: 'ERR_BEARER_GUARD_UNPREFIXED_ENV' },

    // Issue 9: misspelt flags and env vars, unprefixed names, empty values; the token pasted into each.
    { name: 'a stray token env var', options: { env: { AUTH_REQUIRED: '1', AUTH_BEARER_TOKN: TOKEN } }, expect: 'ERR_BEARER_GUARD_UNKNOWN_ENV' },
    { name: 'DEEPAAS_AUTH_BEARER_TOKE=<token>', options: { envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_BEARER_TOKE: TOKEN } }, expect: 'ERR_BEARER_GUARD_UNKNOWN_ENV' },
    { name: 'AUTH_<token>=<wrong>', options: { env: { [`AUTH_${PLAIN}`]: WRONG } }, expect: 'ERR_BEARER_GUARD_UNKNOWN_ENV' },
    { name: 'AUTH_TYPE=<token> beside a token', options: { argv: a('--auth-bearer-token', WRONG), env: { AUTH_TYPE: TOKEN } }, expect: 'ok', warns: ['W_BEARER_GUARD_UNKNOWN_ENV'] },
    { name: 'token under an --auth flag that is not ours', options: { argv: a('--auth-required', `--auth-token=${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT' },
    { name: '--auth-bearer-tokn <token>', options: { argv: a('--auth-bearer-tokn', TOKEN) }, expect: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT' },
    { name: '--auth_bearer_token=<token>', options: { argv: a(`--auth_bearer_token=${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT' },
    { name: '--auth-<token>', options: { argv: a(`--auth-${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT' },
    { name: 'unprefixed AUTH_BEARER_TOKEN=<token>, envPrefix DEEPAAS_', options: { envPrefix: 'DEEPAAS_', env: { AUTH_BEARER_TOKEN: TOKEN } }, expect: 'ERR_BEARER_GUARD_UNPREFIXED_ENV' },
    { name: 'unprefixed AUTH_BEARER_TOKEN=<token>, envPrefix = PLAIN', options: { envPrefix: PLAIN, env: { AUTH_BEARER_TOKEN: TOKEN } }, expect: 'ERR_BEARER_GUARD_UNPREFIXED_ENV' },
    { name: 'unprefixed AUTH_BEARER_TOKEN=<wrong> beside DEEPAAS_AUTH_BEARER_TOKEN', options: { envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_BEARER_TOKEN: TOKEN, AUTH_BEARER_TOKEN: WRONG } }, expect: 'ok', warns: ['W_BEARER_GUARD_UNPREFIXED_ENV'] },
    { name: '--auth-bearer-token= beside a token in env', options: { argv: a('--auth-bearer-token='), env: { AUTH_BEARER_TOKEN: TOKEN } }, expect: 'ok', warns: ['W_BEARER_GUARD_EMPTY_VALUE'] },
    { name: '--auth-bearer-token "" alone', options: { argv: a('--auth-bearer-token', '', `--x=${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_EMPTY_VALUE' },
    { name: 'AUTH_BEARER_TOKEN_FILE= alone', options: { env: { AUTH_BEARER_TOKEN_FILE: '' } }, expect: 'ERR_BEARER_GUARD_EMPTY_VALUE' },
    { name: 'INI: DEEPaaS keys, one holding the token', options: { configFile: ini(`listen_ip = ${TOKEN}`, `auth_bearer_token = ${WRONG}`) }, expect: 'ok', warns: ['W_BEARER_GUARD_CONFIG_FILE_DEEPAAS_KEY'] },

    // ERR_BEARER_GUARD_TOKEN_FILE, including the token pasted where its path goes.
    { name: 'token file: missing', options: { argv: a('--auth-bearer-token-file', tmp.missing()) }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'token file: a directory', options: { env: { AUTH_BEARER_TOKEN_FILE: dir } }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'token file: empty', options: { env: { AUTH_BEARER_TOKEN_FILE: tmp.file('') } }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'token file: a newline only', options: { argv: a(`--auth-bearer-token-file=${tmp.file('\n')}`) }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    ...(isRoot ? [] : [{ name: 'token file: unreadable', options: { argv: a('--auth-bearer-token-file', unreadable) }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' }]),
    { name: 'token file flag: the token as the path', options: { argv: a('--auth-bearer-token-file', TOKEN) }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'token file flag=: the wrong token as the path', options: { argv: a(`--auth-bearer-token-file=${WRONG}`) }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'AUTH_BEARER_TOKEN_FILE: the token', options: { env: { AUTH_BEARER_TOKEN_FILE: TOKEN } }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'AUTH_BEARER_TOKEN_FILE: PLAIN', options: { env: { AUTH_BEARER_TOKEN_FILE: PLAIN } }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'DEEPAAS_AUTH_BEARER_TOKEN_FILE: ./token', options: { envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_BEARER_TOKEN_FILE: `./${TOKEN}` } }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'token file: <existing dir>/<token>', options: { env: { AUTH_BEARER_TOKEN_FILE: `${dir}/${PLAIN}` } }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },
    { name: 'token file: /<token>', options: { env: { AUTH_BEARER_TOKEN_FILE: `/${PLAIN}` } }, expect: 'ERR_BEARER_GUARD_TOKEN_FILE' },

    // ERR_BEARER_GUARD_CONFIG_FILE, including the token pasted where the path goes, and INI junk.
    { name: 'INI: missing', options: { configFile: tmp.missing() }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: a directory', options: { argv: a('--config-file', dir) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: '--config-file: the token', options: { argv: a('--config-file', TOKEN) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'AUTH_CONFIG_FILE: the token', options: { env: { AUTH_CONFIG_FILE: TOKEN } }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'configFile option: the token', options: { configFile: TOKEN }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'configFile option: PLAIN', options: { configFile: PLAIN }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'configFile option: <existing dir>/<PLAIN>.ini', options: { configFile: `${dir}/${PLAIN}.ini` }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: the token file', options: { argv: a('--config-file', tokenFile) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: a junk line holding the token', options: { configFile: ini('[DEFAULT]', `${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: key and token without =', options: { configFile: ini(`auth_bearer_token ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: "= token"', options: { configFile: ini(`= ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: the token as a key', options: { configFile: ini(`${TOKEN} = 1`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: PLAIN as a key, token as value', options: { configFile: ini(`${PLAIN} = ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: misspelt key holding the token', options: { configFile: ini(`auth_bearer_tokn = ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: the token as a section', options: { configFile: ini(`[${TOKEN}]`, 'auth_required = true') }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: token in another section', options: { configFile: ini('[auth]', `auth_bearer_token = ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: key repeated', options: { configFile: ini(`auth_bearer_token = ${TOKEN}`, `auth_bearer_token = ${WRONG}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: key at the top and under [DEFAULT]', options: { configFile: ini(`auth_bearer_token = ${TOKEN}`, '[DEFAULT]', `auth_bearer_token = ${WRONG}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: auth_required = <token>', options: { configFile: ini(`auth_bearer_token = ${WRONG}`, `auth_required = ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: NUL bytes around the token', options: { configFile: tmp.file(`auth_bearer_token = ${TOKEN}\u0000\n`) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: invalid UTF-8 around the token', options: { configFile: tmp.file(Buffer.concat([Buffer.from(`auth_bearer_token = ${TOKEN}`), Buffer.from([0xff, 0x0a])])) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },
    { name: 'INI: read even when a flag wins', options: { argv: a('--auth-bearer-token', TOKEN, '--config-file', ini(`${WRONG}`)) }, expect: 'ERR_BEARER_GUARD_CONFIG_FILE' },

    // Named keys and the hashed token: the token pasted into every new place.
    { name: 'keysFile: the token', options: { keysFile: TOKEN }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file: the token as JSON text', options: { keysFile: tmp.file(`{"version":1,"keys":[${TOKEN}]}`) }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file: the token as a name', options: { keysFile: tmp.file(keysJson({ name: `${TOKEN}\n` })) }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file: the token as an id', options: { keysFile: tmp.file(keysJson({ id: TOKEN.replace(/[^A-Za-z0-9]/g, '') + '$' })) }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file: the token as a scope', options: { keysFile: tmp.file(keysJson({ scopes: [TOKEN] })) }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file: the token in place of its digest', options: { keysFile: tmp.file(keysJson({ digest: TOKEN })) }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file: the token as an unknown field', options: { keysFile: tmp.file(keysJson({ token: TOKEN })) }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file via --auth-keys-file: a directory', options: { argv: a('--auth-keys-file', dir) }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file via AUTH_KEYS_FILE: the token', options: { env: { AUTH_KEYS_FILE: TOKEN } }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    { name: 'keys file via INI: the token', options: { configFile: ini(`auth_keys_file = ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_KEYS_FILE' },
    // ERR_BEARER_GUARD_APPROVAL_KEYS: the token pasted into the JWKS of trusted approver keys, or as its path.
    { name: 'approvalKeys: the token as the path', options: { approvalKeys: TOKEN }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS', entries: CHECK_ENTRIES },
    { name: 'approval keys via --auth-approval-keys-file: the token', options: { argv: a('--auth-approval-keys-file', TOKEN) }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS' },
    { name: 'approval keys via AUTH_APPROVAL_KEYS_FILE: the token', options: { env: { AUTH_APPROVAL_KEYS_FILE: TOKEN } }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS' },
    { name: 'approval keys via INI: the token', options: { configFile: ini(`auth_approval_keys_file = ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS' },
    { name: 'approval keys file: the token as JSON text', options: { approvalKeys: tmp.file(`{"keys":[${TOKEN}]}`) }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS', entries: CHECK_ENTRIES },
    { name: 'approval keys file: the token as x', options: { approvalKeys: tmp.file(JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k1', x: TOKEN }] })) }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS', entries: CHECK_ENTRIES },
    { name: 'approval keys file: the token as d', options: { approvalKeys: tmp.file(JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k1', x: 'A'.repeat(43), d: TOKEN }] })) }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS', entries: CHECK_ENTRIES },
    { name: 'approval keys file: the token as the kid', options: { approvalKeys: tmp.file(JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: PLAIN, x: TOKEN }] })) }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS', entries: CHECK_ENTRIES },
    { name: 'approval keys file: the token as kty', options: { approvalKeys: tmp.file(JSON.stringify({ keys: [{ kty: PLAIN, crv: WRONG, kid: 'k1', x: 'A'.repeat(43) }] })) }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS', entries: CHECK_ENTRIES },
    { name: 'approval keys file: the token as a member name', options: { approvalKeys: tmp.file(JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k1', x: 'A'.repeat(43), [PLAIN]: 1 }] })) }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS', entries: CHECK_ENTRIES },
    { name: 'approvalKeys: a JWKS object holding the token', options: { approvalKeys: { keys: [{ kty: 'RSA', n: TOKEN, e: 'AQAB', kid: 'k1' }] } }, expect: 'ERR_BEARER_GUARD_APPROVAL_KEYS', entries: CHECK_ENTRIES },
    { name: 'keys file readable by others', options: { keysFile: tmp.file(keysJson({}), 0o644) }, expect: 'ok', warns: ['W_BEARER_GUARD_KEYS_FILE_MODE'] },
    { name: 'keys file and keyStore', options: { keysFile: tmp.file(keysJson({})), keyStore: { description: 'db', list: () => [] } }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'hashed token: the token itself', options: { argv: a('--auth-bearer-token-sha256', TOKEN) }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'hashed token: sha256: and the token', options: { env: { AUTH_BEARER_TOKEN_SHA256: `sha256:${TOKEN}` } }, expect: 'ERR_BEARER_GUARD_TOKEN_INVALID' },
    { name: 'hashed and plain token from flags', options: { argv: a('--auth-bearer-token', TOKEN, '--auth-bearer-token-sha256', sha(WRONG)) }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },
    { name: 'hashed and plain token in INI', options: { configFile: ini(`auth_bearer_token = ${TOKEN}`, `auth_bearer_token_sha256 = ${sha(TOKEN)}`) }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },
    { name: 'hashed token from INI', options: { configFile: ini(`auth_bearer_token_sha256 = ${sha(TOKEN)}`) }, expect: 'ok' },
    { name: 'families: the token', options: { token: WRONG, families: [TOKEN] }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'verify: the token', options: { token: WRONG, verify: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'audit: the token', options: { token: WRONG, audit: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'keyStore: the token', options: { keyStore: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },

    // Environments and enrollment: the token pasted where a name, posture or path goes.
    { name: 'environment: the token', options: { token: WRONG, environment: TOKEN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'environmentPosture: the token', options: { token: WRONG, environmentPosture: PLAIN }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'enrollment: the token as the path', options: { token: WRONG, enrollment: { path: TOKEN } }, expect: 'ERR_BEARER_GUARD_INVALID_OPTION', entries: CHECK_ENTRIES },
    { name: 'environment from a flag: the token', options: { argv: a('--auth-bearer-token', WRONG, '--auth-environment', TOKEN) }, expect: 'ERR_BEARER_GUARD_INVALID_VALUE' },
    { name: 'posture from env: PLAIN', options: { env: { AUTH_BEARER_TOKEN: WRONG, AUTH_ENVIRONMENT_POSTURE: PLAIN } }, expect: 'ERR_BEARER_GUARD_INVALID_VALUE' },
    { name: 'enrollment path from INI: the token', options: { configFile: ini(`auth_bearer_token = ${WRONG}`, `auth_enrollment_path = ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_INVALID_VALUE' },
    { name: 'enrollment with only the single token', options: { argv: a('--auth-bearer-token', TOKEN, '--auth-enrollment-path', '/v2/agents') }, expect: 'ERR_BEARER_GUARD_ENROLLMENT', entries: CHECK_ENTRIES },

    // ERR_BEARER_GUARD_REDIS (synchronous ones; the unreachable Redis is in leak-redis.test.ts): a
    // password in the URL, the token pasted as the URL or where the URL's file goes.
    { name: 'Redis URL flag: http:// with the token as its password', options: { argv: a('--auth-redis-url', `http://:${PLAIN}@127.0.0.1:6379/0`) }, expect: 'ERR_BEARER_GUARD_REDIS' },
    { name: 'AUTH_REDIS_URL: the token', options: { env: { AUTH_REDIS_URL: TOKEN } }, expect: 'ERR_BEARER_GUARD_REDIS' },
    { name: 'INI auth_redis_url: the token', options: { configFile: ini(`auth_redis_url = ${TOKEN}`) }, expect: 'ERR_BEARER_GUARD_REDIS' },
    { name: 'redis option: the token', options: { redis: TOKEN }, expect: 'ERR_BEARER_GUARD_REDIS', entries: CHECK_ENTRIES },
    { name: 'redis option: { url: the token, prefix }', options: { redis: { url: TOKEN, prefix: 'p:' } }, expect: 'ERR_BEARER_GUARD_REDIS', entries: CHECK_ENTRIES },
    { name: 'Redis URL file flag: the URL with a password as the path', options: { argv: a('--auth-redis-url-file', `redis://:${PLAIN}@127.0.0.1:6379/0`) }, expect: 'ERR_BEARER_GUARD_REDIS' },
    { name: 'AUTH_REDIS_URL_FILE: the token as the path', options: { env: { AUTH_REDIS_URL_FILE: TOKEN } }, expect: 'ERR_BEARER_GUARD_REDIS' },
    { name: 'AUTH_REDIS_URL_FILE: two lines (URL, token)', options: { env: { AUTH_REDIS_URL_FILE: tmp.file(`redis://:${PLAIN}@127.0.0.1:6379/0\n${TOKEN}\n`) } }, expect: 'ERR_BEARER_GUARD_REDIS' },
    { name: 'AUTH_REDIS_URL_FILE: a URL that is not redis://', options: { env: { AUTH_REDIS_URL_FILE: tmp.file(`https://:${PLAIN}@example.org/\n`) } }, expect: 'ERR_BEARER_GUARD_REDIS' },
    { name: 'Redis URL and its file from one level', options: { env: { AUTH_REDIS_URL: `redis://:${PLAIN}@127.0.0.1:6379/0`, AUTH_REDIS_URL_FILE: tokenFile } }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },
    { name: 'keys file and a Redis URL with a password', options: { keysFile: tmp.file(keysJson({})), env: { AUTH_REDIS_URL: `redis://:${PLAIN}@127.0.0.1:6379/0` } }, expect: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' },
    { name: 'INI with a Redis URL, readable by others', options: { configFile: tmp.ini([`auth_redis_url = redis://:${PLAIN}@127.0.0.1:6379/0`], 0o644) }, expect: 'ok', warns: ['W_BEARER_GUARD_CONFIG_FILE_MODE'], entries: ['loadAuthConfig'] },

    // Warnings, and what success returns.
    { name: 'no token: auth off', options: {}, expect: 'ok', warns: ['W_BEARER_GUARD_AUTH_OFF'] },
    { name: 'no token, envPrefix DEEPAAS_', options: { envPrefix: 'DEEPAAS_', env: { OTHER: TOKEN } }, expect: 'ok', warns: ['W_BEARER_GUARD_AUTH_OFF'] },
    { name: 'no token, envPrefix = PLAIN', options: { envPrefix: PLAIN, env: { OTHER: TOKEN } }, expect: 'ok', warns: ['W_BEARER_GUARD_AUTH_OFF'] },
    // The weak-token warning is logged once per process and source: each source goes through
    // loadAuthConfig (which returns it every time) and one logging entry.
    { name: 'weak token from a flag', options: { argv: a('--auth-bearer-token', WEAK) }, expect: 'ok', warns: ['W_BEARER_GUARD_WEAK_TOKEN'], entries: ['loadAuthConfig', 'bearerGuard (console)'] },
    { name: 'weak token from env', options: { env: { AUTH_BEARER_TOKEN: WEAK } }, expect: 'ok', warns: ['W_BEARER_GUARD_WEAK_TOKEN'], entries: ['loadAuthConfig', 'bearerGuard'] },
    { name: 'weak token from a file', options: { argv: a('--auth-bearer-token-file', tmp.file(`${WEAK}\r\n`)) }, expect: 'ok', warns: ['W_BEARER_GUARD_WEAK_TOKEN'], entries: ['loadAuthConfig', 'createBearerStrategy'] },
    { name: 'weak token from INI', options: { configFile: ini(`auth_bearer_token = '${WEAK}' ; weak`) }, expect: 'ok', warns: ['W_BEARER_GUARD_WEAK_TOKEN'], entries: ['loadAuthConfig', 'bearerGuard (console)'] },
    { name: 'weak token option in an array', options: { token: [TOKEN, WEAK] }, expect: 'ok', warns: ['W_BEARER_GUARD_WEAK_TOKEN'], entries: ['bearerGuard'] },
    { name: 'INI readable by others', options: { configFile: tmp.ini([`auth_bearer_token = ${TOKEN}`], 0o644) }, expect: 'ok', warns: ['W_BEARER_GUARD_CONFIG_FILE_MODE'] },
    { name: 'INI readable by others, flag wins', options: { argv: a('--auth-bearer-token', WRONG, '--config-file', tmp.ini([`auth_bearer_token = ${TOKEN}`], 0o640)) }, expect: 'ok', warns: ['W_BEARER_GUARD_CONFIG_FILE_MODE'] },
    { name: 'every warning at once', options: { env: { AUTH_CONFIG_FILE: tmp.ini([`auth_bearer_token = ${WEAK}`], 0o604) } }, expect: 'ok', warns: ['W_BEARER_GUARD_WEAK_TOKEN', 'W_BEARER_GUARD_CONFIG_FILE_MODE'], entries: ['loadAuthConfig', 'bearerGuard (console)'] },
    { name: 'throwing logger gets a warning', options: { token: WEAK, logger: throwingLogger }, expect: 'thrown', entries: CHECK_ENTRIES },
    { name: 'token from a flag', options: { argv: a('--auth-bearer-token', TOKEN, '--', `--auth-bearer-token=${WRONG}`) }, expect: 'ok' },
    { name: 'token from env with a prefix', options: { envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_BEARER_TOKEN: TOKEN, OTHER_TOKEN: WRONG } }, expect: 'ok' },
    { name: 'token from a flag file', options: { argv: a('--auth-bearer-token-file', tokenFile) }, expect: 'ok' },
    { name: 'token from an env file', options: { env: { AUTH_BEARER_TOKEN_FILE: tokenFile } }, expect: 'ok' },
    { name: 'token from INI via --config-file', options: { argv: a(`--config-file=${goodIni}`) }, expect: 'ok' },
    { name: 'token from INI via AUTH_CONFIG_FILE', options: { env: { AUTH_CONFIG_FILE: goodIni } }, expect: 'ok' },
    { name: 'token from INI, quoted with a comment', options: { configFile: ini(`auth_bearer_token = "${TOKEN}" ; prod`) }, expect: 'ok' },
    { name: 'token option, two tokens', options: { token: [TOKEN, WRONG], realm: 'models' }, expect: 'ok' },
    { name: 'public path spelling the token', options: { token: WRONG, public: [`/${TOKEN}`] }, expect: 'ok', entries: GUARD_ENTRIES },
  ];
  return paths.map((p) => ({ ...p, entries: p.entries ?? entriesFor(p.options) }));
}

function sha(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

/** A keys file with one entry, whose fields `override` changes. */
function keysJson(override: Record<string, unknown>): string {
  const entry = { id: 'key_abcdefghijkl', name: 'ci', family: 'service', scopes: ['models:read'], digest: sha(TOKEN), hint: 'bgs_…abcd', created_at: '2026-01-01T00:00:00.000Z', ...override };
  return JSON.stringify({ version: 1, keys: [entry] });
}

/** Entries that accept every key of `options` (non-objects go to all of them). */
function entriesFor(options: unknown): readonly Entry[] {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return ALL_ENTRIES;
  const keys = Object.keys(options);
  if (keys.includes('public')) return GUARD_ENTRIES;
  if (keys.some((k) => ['token', 'realm', 'logger', 'keyStore', 'families', 'verify', 'audit', 'redis'].includes(k))) return CHECK_ENTRIES;
  return ALL_ENTRIES;
}
