#!/bin/sh
# Packs the swhost package with a binary for this machine inside, installs
# the tarball into a new project in a temporary directory and runs a test
# there with no Go on the PATH and no SWHOST_BIN: what a user of a release
# tarball gets. The binary is $SWHOST_BIN when set (copied in), else
# scripts/build-binary.sh builds it.
set -eu
pkg=$(cd "$(dirname "$0")/.." && pwd)
plat=$(node -p 'process.platform + "-" + process.arch')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${SWHOST_BIN:-}" ]; then
  mkdir -p "$pkg/bin/$plat"
  cp "$SWHOST_BIN" "$pkg/bin/$plat/swhost"
else
  sh "$pkg/scripts/build-binary.sh"
fi
(cd "$pkg" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/swhost-*.tgz)
echo "packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"
mkdir -p "$work/app/site"
cd "$work/app"
printf '{"name":"pack-test","private":true,"type":"module"}\n' > package.json
printf '<!doctype html><title>t</title>\n' > site/index.html
printf "self.addEventListener('fetch', (e) => e.respondWith(new Response('from the worker')));\n" > site/sw.js
cat > pack.test.js <<'JS'
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHost } from 'swhost';

test('the installed package runs its shipped binary', async () => {
  const host = await startHost({ origins: { 'https://app.test': './site' } });
  try {
    await host.register('https://app.test/sw.js');
    const res = await host.fetch('https://app.test/anything');
    assert.equal(res.servedBy, 'fetch-event');
    assert.equal(await res.text(), 'from the worker');
  } finally {
    await host.close();
  }
});
JS
npm install --no-audit --no-fund --silent "$tarball"
# No Go, no SWHOST_BIN: only what the tarball brought.
env -u SWHOST_BIN PATH=/usr/bin:/bin node --test pack.test.js
