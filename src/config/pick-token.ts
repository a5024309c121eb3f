// The single token's winning source: the highest level (flag, env var, INI file) that gives it as a value, a file or a digest.
import { BearerGuardConfigError } from '../errors/startup.js';
import type { SourceValues } from './argv.js';
import type { EnvValues } from './env.js';
import type { IniValues } from './ini-file.js';
import { setting, type SettingKey } from './settings.js';
import { readTokenFile } from './token-file.js';

/** The token (with the file it came from, if any) or its digest, and where it came from. @internal */
export interface PickedToken {
  token: { value: string; source: string; file?: string } | undefined;
  digest: { value: string; source: string } | undefined;
}

/**
 * Picks the single token. Token files are read only when they win, so a stale lower-precedence
 * path is harmless.
 * @throws BearerGuardConfigError when one level gives a value and its `_FILE` twin, or a token and its digest
 * @internal
 */
export function pickToken(args: SourceValues, env: EnvValues, ini: IniValues | undefined, configFile: string | undefined): PickedToken {
  if (args.values.token !== undefined && args.files.token !== undefined) {
    throw conflict('--auth-bearer-token and --auth-bearer-token-file were both given; give one');
  }
  if (env.values.token !== undefined && env.files.token !== undefined) {
    throw conflict(`env ${env.names.token} and ${env.fileNames.token} are both set; set one`);
  }
  const levels = [
    { token: args.values.token, file: args.files.token, digest: args.values.tokenSha256, name: (k: SettingKey, file = false) => `${setting(k).flag}${file ? '-file' : ''}`,
      both: (plain: string) => `${plain} and ${setting('tokenSha256').flag} were both given; give one` },
    { token: env.values.token, file: env.files.token, digest: env.values.tokenSha256, name: (k: SettingKey, file = false) => `env ${file ? env.fileNames[k] : env.names[k]}`,
      both: (plain: string) => `${plain} and ${env.names.tokenSha256} are both set; set one` },
    { token: ini?.values.token, file: undefined, digest: ini?.values.tokenSha256, name: () => `config file ${configFile}`,
      both: () => `config file ${configFile} sets both ${setting('token').ini} and ${setting('tokenSha256').ini}; keep one` },
  ];
  for (const level of levels) {
    if ((level.token !== undefined || level.file !== undefined) && level.digest !== undefined) {
      throw conflict(level.both(level.name('token', level.token === undefined)));
    }
    if (typeof level.token === 'string') return { token: { value: level.token, source: level.name('token') }, digest: undefined };
    if (level.file !== undefined) {
      const source = level.name('token', true);
      return { token: { value: readTokenFile(level.file, source), source: `${source} (${level.file})`, file: level.file }, digest: undefined };
    }
    if (typeof level.digest === 'string') return { token: undefined, digest: { value: level.digest, source: level.name('tokenSha256') } };
  }
  return { token: undefined, digest: undefined };
}

function conflict(message: string): BearerGuardConfigError {
  return new BearerGuardConfigError('ERR_BEARER_GUARD_CONFLICTING_SOURCES', message);
}
