#!/bin/sh
# Builds swhost for this machine into the package (bin/<platform>-<arch>/swhost,
# named as Node names them), so that `npm pack` makes a tarball that installs
# and runs with no Go. Run from anywhere inside the repository.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
plat=$(node -p 'process.platform + "-" + process.arch')
exe=swhost
[ "${plat%%-*}" = win32 ] && exe=swhost.exe
mkdir -p "$here/bin/$plat"
cd "$here/.."
CGO_ENABLED=${CGO_ENABLED:-0} go build -trimpath -ldflags "-s -w" -o "$here/bin/$plat/$exe" ./cmd/swhost
echo "built $here/bin/$plat/$exe"
