#!/bin/sh
# run.sh - every benchmark: the build/bench/bench_* binaries, then the
# bench/bench_*.sh scripts.  Figures are printed, nothing is asserted; the
# machine is noisy, so compare ratios within one run.
set -u
build=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
for b in "$build"/bench/bench_*; do
	[ -x "$b" ] || continue
	case "$b" in *.d|*.o) continue ;; esac
	echo "=== $(basename "$b")"
	(cd "$here/.." && "$b") || echo "($(basename "$b") exited $?)"
done
for s in "$here"/bench_*.sh; do
	[ -f "$s" ] || continue
	echo "=== $(basename "$s")"
	(cd "$here/.." && sh "$s") || echo "($(basename "$s") exited $?)"
done
