#!/bin/sh
# Builds minke-init, the static helper that runs one container.
#   build.sh OUTPUT_DIR        writes OUTPUT_DIR/minke-init-<arch>
# Without a C compiler or a static libseccomp it says what is missing and
# exits 0: the Java build goes on and Minke falls back to runc/crun.
set -eu

src=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR}
cc=${CC:-cc}
arch=$(uname -m)

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "minke-init: not built: no C compiler ($cc); install gcc. Minke will fall back to runc/crun."
  exit 0
fi
libseccomp=$("$cc" -print-file-name=libseccomp.a)
if [ ! -f "$libseccomp" ] || ! echo '#include <seccomp.h>' | "$cc" -E - >/dev/null 2>&1; then
  echo "minke-init: not built: no static libseccomp (libseccomp.a); install libseccomp-dev. Minke will fall back to runc/crun."
  exit 0
fi

mkdir -p "$out"
tmp="$out/.minke-init-$arch.$$"
# shellcheck disable=SC2086
"$cc" -std=gnu11 -static -O2 -Wall -Wextra -Werror ${CFLAGS:-} \
  -o "$tmp" "$src"/*.c -lseccomp
mv -f "$tmp" "$out/minke-init-$arch"
echo "minke-init: built $out/minke-init-$arch"
