#!/bin/sh
# bench_fetch.sh - ingestion speed of `deskwire fetch --once` on loopback:
# a corpus of N feeds x M items (bench/gen_corpus.py) served by
# bench/feed_server.py on 127.0.0.1, fetched cold (empty database: fetch,
# parse, analyze, store everything) and warm (same database again: every
# feed answers 304).  Prints wall time, items/s, peak RSS and the parse
# rate (corpus MiB / cold wall time, an end-to-end lower bound).
#
#   sh bench/bench_fetch.sh [N] [M]          defaults: 1000 x 20
#   env: DESKWIRE_BIN (default ./deskwire), WORK (default $TMPDIR/dw-bench)
#
# Peak RSS needs GNU time (/usr/bin/time -v): apt-get install time.
# Figures only; nothing is asserted.
set -u
N=${1:-1000}
M=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
bin=${DESKWIRE_BIN:-$here/../deskwire}
work=${WORK:-${TMPDIR:-/tmp}/dw-bench}
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
corpus=$work/corpus-$N-$M
mkdir -p "$work"

[ -x "$bin" ] || { echo "no binary at $bin (run make)"; exit 1; }
if [ ! -f "$corpus/paths.txt" ]; then
	"$py" "$here/gen_corpus.py" --out "$corpus" --feeds "$N" --items "$M" \
	    --seed 20251126 >/dev/null || exit 1
fi

portf=$work/port.$$
rm -f "$portf"
"$py" "$here/feed_server.py" --root "$corpus" --port 0 --port-file "$portf" \
    --max-seconds 900 2>"$work/server.log" &
srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; rm -f "$portf"' EXIT INT TERM
i=0
while [ ! -s "$portf" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$portf" ] || { echo "feed server did not start"; exit 1; }
port=$(cat "$portf")

state=$work/state
rm -rf "$state"
mkdir -p "$state/home"
sed "s#^#http://127.0.0.1:$port#" "$corpus/paths.txt" > "$state/feeds.conf"
mib=$(du -sk "$corpus/feeds" | awk '{printf "%.1f", $1 / 1024}')

timed() {	# label: runs fetch --once, prints one line of figures
	out=$state/out.$1
	if [ -x /usr/bin/time ]; then
		HOME=$state/home XDG_STATE_HOME=$state/home /usr/bin/time -v \
		    -o "$state/time.$1" "$bin" -c "$state/feeds.conf" \
		    --db "$state/bench.db" fetch --once --format json \
		    >"$out" 2>"$state/err.$1"
		rc=$?
		wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' \
		    "$state/time.$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
		rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' \
		    "$state/time.$1" | awk '{printf "%.1f", $1 / 1024}')
	else
		t0=$(date +%s.%N)
		HOME=$state/home XDG_STATE_HOME=$state/home "$bin" \
		    -c "$state/feeds.conf" --db "$state/bench.db" fetch --once \
		    --format json >"$out" 2>"$state/err.$1"
		rc=$?
		wall=$(echo "$t0 $(date +%s.%N)" | awk '{printf "%.3f", $2 - $1}')
		rss=n/a
	fi
	items=$(grep -c . "$out")
	rate=$(echo "$items $wall" | awk '{ if ($2 > 0) printf "%.0f", $1 / $2; else print "n/a" }')
	printf '%-5s wall %6.3f s  items %6d  items/s %8s  peak RSS %6s MiB  exit %d\n' \
	    "$1" "$wall" "$items" "$rate" "$rss" "$rc"
	"$py" - "http://127.0.0.1:$port/__reset" <<'PY'
import json, sys, urllib.request
s = json.loads(urllib.request.urlopen(sys.argv[1], timeout=10).read())
keys = ("requests", "status_200", "status_304", "gzip_responses", "connections")
print("      server: " + "  ".join("%s %s" % (k, s.get(k, "?")) for k in keys)
      + "  body %.1f MiB" % (s.get("body_bytes", 0) / 1048576.0))
PY
	if [ "$1" = cold ]; then
		echo "$mib $wall" | awk '{ if ($2 > 0) printf "      parse+analyze+store rate %.1f MiB/s over %s MiB of XML\n", $1 / $2, $1 }'
	fi
	return 0
}

echo "deskwire fetch --once, $N feeds x $M items on 127.0.0.1 (corpus $mib MiB)"
"$py" - "http://127.0.0.1:$port/__reset" >/dev/null <<'PY'
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=10).read()
PY
timed cold
timed warm
