#!/bin/sh
# run.sh - runs every unit test binary (cmocka) in DIR and every end-to-end
# test module (Python unittest) in tests/e2e, then prints one summary line
# "N passed, N failed".  TEST_FILTER="a b" keeps only names containing a or b.
# Exit status: 0 when nothing failed.
set -u
dir=${1:-build/tests}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
failed_names=
log=$(mktemp)
trap 'rm -f "$log"' EXIT

keep() {
	[ -z "${TEST_FILTER:-}" ] && return 0
	for f in $TEST_FILTER; do
		case "$1" in *"$f"*) return 0 ;; esac
	done
	return 1
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), ..."
for t in "$dir"/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.o|*.d) continue ;; esac
	name=$(basename "$t")
	keep "$name" || continue
	echo "== $name"
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or sanitizer report
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || failed_names="$failed_names $name"
done

# Python unittest prints "Ran N tests" and "FAILED (failures=F, errors=E)".
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
for t in "$here"/e2e/test_*.py; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .py)
	keep "$name" || continue
	echo "== $name"
	(cd "$here/e2e" && $PY -m unittest -v "$name") >"$log" 2>&1
	rc=$?
	cat "$log"
	n=$(sed -n 's/^Ran \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	n=${n:-0}
	# Only failures= and errors= count; skipped= and expected
	# failures do not.
	f=$(sed -n 's/^FAILED (\(.*\))/\1/p' "$log" | tr ',' '\n' |
	    sed -n 's/^ *\(failures\|errors\|unexpected successes\)=\([0-9]*\)/\2/p' |
	    awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	s=$(sed -n 's/.*skipped=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	s=${s:-0}
	passed=$((passed + n - f - s))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || failed_names="$failed_names $name"
done

[ -z "$failed_names" ] || echo "failing:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
