// The CLI's version, read from bearer-guard's package.json found above the running script.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The `version` of the nearest `package.json` named `bearer-guard` in or above the directory of
 * `script` (symlinks resolved, as for `node_modules/.bin/bearer-guard`). Works from
 * `dist/esm/cli/main.js` and from `src/cli/main.ts` alike. The script path is used rather than
 * `import.meta.url` because src/ is also compiled as CommonJS, where `import.meta` does not exist.
 *
 * @param script - the path of the running script, i.e. `process.argv[1]`
 * @returns the version, or `unknown` when no such package.json is found
 */
export function readVersion(script: string | undefined): string {
  if (script === undefined) return 'unknown';
  let dir: string;
  try {
    dir = dirname(realpathSync(script));
  } catch {
    return 'unknown';
  }
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'bearer-guard' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here, or not JSON: keep looking above
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
