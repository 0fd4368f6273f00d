#!/bin/sh
# Builds minke-init, the static helper that runs one container.
#   build.sh OUTPUT_DIR [CHECK_DIR]   writes OUTPUT_DIR/minke-init-<arch>, and with CHECK_DIR
#                                     the test program CHECK_DIR/seccomp-check-<arch>
# Without a C compiler or a static libseccomp it says what is missing and
# exits 0: the Java build goes on and Minke falls back to runc/crun.
set -eu

src=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR [CHECK_DIR]}
check=${2:-}
cc=${CC:-cc}
arch=$(uname -m)

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "minke-init: not built: no C compiler ($cc); install gcc. Minke will fall back to runc/crun."
  exit 0
fi
# libseccomp is needed at build time only, to compile the seccomp profile (see below).
if { [ ! -f "$("$cc" -print-file-name=libseccomp.so)" ] && [ ! -f "$("$cc" -print-file-name=libseccomp.a)" ]; } ||
   ! echo '#include <seccomp.h>' | "$cc" -E - >/dev/null 2>&1; then
  echo "minke-init: not built: no libseccomp; install libseccomp-dev. Minke will fall back to runc/crun."
  exit 0
fi

mkdir -p "$out"
# The seccomp rules come from the list Java reads too (one source for minke-init and for the
# linux.seccomp section runc/crun get): "NAME KIND" lines become seccomp_rules.h.
rules="$src/../resources/dev/minke/runtime/seccomp-default.list"
gen=$(mktemp -d)
trap 'rm -rf "$gen"' EXIT
awk '/^[[:space:]]*(#|$)/ { next }
     NF != 2 || $1 !~ /^[a-z_][a-z0-9_]*$/ || $2 !~ /^(ALLOW|ALLOW_CLONE_NO_NS|ALLOW_SOCKET_NO_VSOCK|ALLOW_PERSONALITY|FAIL_ENOSYS|FAIL_EPERM)$/ {
       printf "%s:%d: expected NAME KIND, got: %s\n", FILENAME, FNR, $0 > "/dev/stderr"; bad = 1; exit 1 }
     { printf "{ \"%s\", %s },\n", $1, $2 }' "$rules" > "$gen/seccomp_rules.h"
# The profile is compiled once, here: host/seccomp-gen (linked with libseccomp, run on this
# machine) writes the BPF program libseccomp generates for it into seccomp_filter.h, which
# minke-init loads with one prctl. minke-init itself no longer links libseccomp.
# shellcheck disable=SC2086
"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror ${CFLAGS:-} -I"$gen" \
  -o "$gen/seccomp-gen" "$src/host/seccomp-gen.c" "$src/host/profile.c" -lseccomp
"$gen/seccomp-gen" "$gen/seccomp_filter.h"
tmp="$out/.minke-init-$arch.$$"
# shellcheck disable=SC2086
"$cc" -std=gnu11 -static -O2 -Wall -Wextra -Werror ${CFLAGS:-} -I"$gen" \
  -o "$tmp" "$src"/*.c
mv -f "$tmp" "$out/minke-init-$arch"
echo "minke-init: built $out/minke-init-$arch ($(grep -c '^  {' "$gen/seccomp_filter.h") seccomp instructions precompiled)"
if [ -n "$check" ]; then
  # The test program that compares the precompiled program with libseccomp's (SeccompFilterIT).
  mkdir -p "$check"
  # shellcheck disable=SC2086
  "$cc" -std=gnu11 -O2 -Wall -Wextra -Werror ${CFLAGS:-} -I"$gen" \
    -o "$check/seccomp-check-$arch" "$src/host/seccomp-check.c" "$src/host/profile.c" -lseccomp
fi
