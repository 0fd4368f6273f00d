#!/bin/sh
# Fails when a C file differs from .clang-format (run in CI; fix with clang-format -i *.c *.h host/*).
set -eu
cd "$(dirname "$0")"
if ! command -v clang-format >/dev/null 2>&1; then
  echo "check-format: clang-format not installed (apt-get install clang-format)" >&2
  exit 2
fi
clang-format --dry-run -Werror ./*.c ./*.h host/*.c host/*.h
echo "check-format: minke-init sources match .clang-format"
