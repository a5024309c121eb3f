#!/usr/bin/env bash
# The Debian packages the tests run, installed when missing (npm test's pretest and .ci/run call this).
# chromium: test/browser/docs-ui.test.ts drives it headless with playwright-core (which brings no browser).
# openssl: test/approval/vector.test.ts cross-checks approval signatures with an independent tool.
# bsdutils (script): test/cli/login-prompt.test.ts gives `bearer-guard login` a real terminal.
# redis-server: the Redis keyring, replay and throttle tests start their own on a free loopback port.
set -euo pipefail
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v openssl >/dev/null || missing+=(openssl)
command -v script >/dev/null || missing+=(bsdutils)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: the tests need ${missing[*]}; install them (Debian: sudo apt-get install -y ${missing[*]}) and run npm test again" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]} with apt-get" >&2
apt-get update >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
