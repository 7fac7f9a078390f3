#!/bin/sh
# bench_ui.sh - the real dashboard in tmux (--demo, no network): resident
# memory with 100,000 headlines, idle CPU over 10 s, and keypress-to-screen
# latency as seen through tmux (send-keys until capture-pane shows the
# detail change; tmux's own round trip is included, so it is an upper
# bound).  Figures only.
set -u
bin=${DESKWIRE_BIN:-$(pwd)/deskwire}
command -v tmux >/dev/null || { echo "bench_ui.sh: no tmux"; exit 0; }
tmp=$(mktemp -d)
sock=dwbench$$
trap 'tmux -L $sock kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"
tmux -L $sock -f /dev/null new-session -d -x 160 -y 48 \
    "cd $tmp && env HOME=$tmp/home LANG=C.UTF-8 TERM=xterm-256color \
    DESKWIRE_DEMO_RATE=0 DESKWIRE_DEMO_BACKFILL=100000 \
    $bin --demo --db $tmp/db.sqlite"
i=0
while ! tmux -L $sock capture-pane -p | grep -q 'Headlines · 100,000'; do
	i=$((i + 1))
	[ $i -gt 6000 ] && { echo "bench_ui.sh: timed out loading"; exit 0; }
	sleep 0.1
done
pid=$(pgrep -n -f "$bin --demo --db $tmp/db.sqlite")
sleep 1
echo "resident memory, 100,000 items: $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)"
hz=$(getconf CLK_TCK)
t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
sleep 10
t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
echo "idle CPU over 10 s: $(echo "$t0 $t1 $hz" | awk '{printf "%.2f%%", ($2 - $1) * 100 / ($3 * 10)}')"
python3 - "$sock" <<'PY'
import subprocess, sys, time
sock = sys.argv[1]
def cap():
    return subprocess.run(["tmux", "-L", sock, "capture-pane", "-p"],
                          capture_output=True, text=True).stdout
def detail(s):
    l = s.split("\n")
    for i, x in enumerate(l):
        if x.startswith("├ Detail"):
            return l[i + 1]
    return None
lat = []
for k in range(30):
    before = detail(cap())
    t0 = time.monotonic()
    subprocess.run(["tmux", "-L", sock, "send-keys", "j"])
    while detail(cap()) == before and time.monotonic() - t0 < 2:
        pass
    lat.append((time.monotonic() - t0) * 1000)
lat.sort()
print("keypress to screen via tmux: median %.1f ms, max %.1f ms "
      "(includes tmux round trips)" % (lat[len(lat) // 2], lat[-1]))
PY
tmux -L $sock send-keys q
sleep 1
grep 'key to screen' "$tmp/home/.local/state/deskwire/deskwire.log" | tail -n 1 |
    sed 's/.*ui: /in-process (poll wake to doupdate done): /'
