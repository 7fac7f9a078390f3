"""End-to-end tests of the dashboard in a real terminal (tmux).

Each test starts `deskwire --demo` in a private tmux server (its own
socket, a temporary HOME), drives it with send-keys and reads the screen
with capture-pane, polling with a bounded wait instead of fixed sleeps.
Tests that need the analyzer, the store or feeds.conf parsing are only
defined when the binary provides them (probed at import).
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("DESKWIRE_BIN") or os.path.join(HERE, "..", "..",
                                                        "deskwire")
BIN = os.path.abspath(BIN)
HAVE_TMUX = shutil.which("tmux") is not None


def _probe(args, stdin=""):
    env = dict(os.environ, HOME=tempfile.gettempdir(), LANG="C.UTF-8")
    try:
        p = subprocess.run([BIN] + args, input=stdin, capture_output=True,
                           text=True, timeout=20, env=env)
        return p.returncode, p.stdout, p.stderr
    except (OSError, subprocess.TimeoutExpired):
        return -1, "", ""


def _have_analyzer():
    rc, out, _ = _probe(["analyze", "--format", "json"],
                        "Amazon commits up to $25bn investment in "
                        "Anthropic\n")
    return rc == 0 and "AMZN" in out


def _have_store():
    d = tempfile.mkdtemp(prefix="dw-probe-")
    try:
        rc, _, _ = _probe(["--db", os.path.join(d, "p.db"), "list"])
        return rc == 0
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _have_conf():
    d = tempfile.mkdtemp(prefix="dw-probe-")
    try:
        path = os.path.join(d, "feeds.conf")
        with open(path, "w") as f:
            f.write("watchlist = AMZN\n")
        # Without a terminal the UI refuses to start (exit 1) only after
        # the configuration loaded.
        rc, _, err = _probe(["-c", path, "--db", os.path.join(d, "x.db"),
                             "ui"])
        return rc == 1 and "terminal" in err
    finally:
        shutil.rmtree(d, ignore_errors=True)


ANALYZER = _have_analyzer()
STORE = _have_store()
CONF = _have_conf()


class Dash:
    """One dashboard in a private tmux server."""
    count = 0

    def __init__(self, tmp, width=160, height=48, env=None, conf=None,
                 db="dw.db", marker=False, demo=True):
        Dash.count += 1
        self.sock = "dw-%d-%d" % (os.getpid(), Dash.count)
        self.tmp = tmp
        home = os.path.join(tmp, "home")
        os.makedirs(home, exist_ok=True)
        e = {"HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
             "XDG_DATA_HOME": os.path.join(home, ".local/share"),
             "XDG_STATE_HOME": os.path.join(home, ".local/state"),
             "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
             "TERM": "xterm-256color", "DESKWIRE_DEMO_RATE": "0",
             "DESKWIRE_DEMO_BACKFILL": "30", "BROWSER": "",
             "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        e.update(env or {})
        args = [BIN, "--demo", "--db", os.path.join(tmp, db)]
        if not demo:
            args.remove("--demo")
        if conf is not None:
            cpath = os.path.join(tmp, "feeds.conf")
            with open(cpath, "w") as f:
                f.write(conf)
            args[1:1] = ["-c", cpath]
        envs = " ".join("%s=%s" % (k, _q(v)) for k, v in e.items())
        cmd = "cd %s && env -i %s %s" % (_q(tmp), envs,
                                         " ".join(_q(a) for a in args))
        if marker:
            cmd = "echo BEFORE-DASH; %s; echo AFTER-DASH; sleep 60" % cmd
        subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null",
                        "new-session", "-d", "-x", str(width), "-y",
                        str(height), cmd], check=True)

    def screen(self):
        p = subprocess.run(["tmux", "-L", self.sock, "capture-pane", "-p"],
                           capture_output=True, text=True)
        return p.stdout

    def lines(self):
        return self.screen().split("\n")

    def keys(self, *keys):
        for k in keys:
            subprocess.run(["tmux", "-L", self.sock, "send-keys", k],
                           check=True)

    def literal(self, text):
        subprocess.run(["tmux", "-L", self.sock, "send-keys", "-l", text],
                       check=True)

    def resize(self, w, h):
        subprocess.run(["tmux", "-L", self.sock, "resize-window", "-x",
                        str(w), "-y", str(h)], check=True)

    def wait(self, pred, timeout=10.0, what="condition"):
        end = time.monotonic() + timeout
        last = ""
        while time.monotonic() < end:
            last = self.screen()
            try:
                if pred(last):
                    return last
            except (IndexError, ValueError):
                pass
            time.sleep(0.05)
        raise AssertionError("timed out waiting for %s; screen:\n%s"
                             % (what, last))

    def wait_text(self, text, timeout=10.0):
        return self.wait(lambda s: text in s, timeout, repr(text))

    def close(self):
        subprocess.run(["tmux", "-L", self.sock, "kill-server"],
                       capture_output=True)


def _q(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def headline_count(screen):
    m = re.search(r"Headlines · ([\d,]+)", screen)
    return int(m.group(1).replace(",", "")) if m else -1


def detail_title(screen):
    """The first text line under the Detail border."""
    lines = screen.split("\n")
    for i, l in enumerate(lines):
        if re.match(r"^[├┌] Detail", l):
            return lines[i + 1].strip("│ ").strip()
    return None


def headline_rows(screen):
    """Rows of the headline pane (text between the borders)."""
    rows = []
    for l in screen.split("\n")[1:]:
        if not l.startswith("│"):
            break
        rows.append(l.split("│")[1])
    return rows


def full_frame(screen, count):
    """The headline count is shown and the frame around it is drawn:
    rows, a detail title and the status line (tmux may show a frame that
    is still being written)."""
    rows = headline_rows(screen)
    return (headline_count(screen) == count and len(rows) >= 4 and
            bool(detail_title(screen)) and "items" in screen)


def row_title(row):
    # The title is the last column, after the tickers; it is the longest
    # run after two or more spaces.
    parts = re.split(r"\s{2,}", row.strip())
    return parts[-1].rstrip("…").strip()


@unittest.skipUnless(HAVE_TMUX and os.access(BIN, os.X_OK),
                     "needs tmux and the deskwire binary")
class TestDashboard(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dw-ui-")
        self.dashes = []

    def tearDown(self):
        for d in self.dashes:
            d.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, **kw):
        d = Dash(self.tmp, **kw)
        self.dashes.append(d)
        return d

    def test_three_panes_render(self):
        d = self.start()
        s = d.wait(lambda s: headline_count(s) == 30 and "30 items" in s,
                   what="30 headlines")
        self.assertIn("Watchlist", s)
        self.assertIn("Detail", s)
        self.assertIn("Summary", s)
        # The status line shows the keys and the counts.
        last = [l for l in s.split("\n") if l.strip()][-1]
        self.assertIn("30 items", last)
        self.assertIn("demo", last)

    def test_j_k_move_selection_and_detail_follows(self):
        d = self.start()
        # Wait for a whole frame: the count, the rows and the detail.
        s = d.wait(lambda s: headline_count(s) == 30 and
                   len(headline_rows(s)) >= 8 and
                   row_title(headline_rows(s)[4]) and
                   detail_title(s))
        rows = headline_rows(s)
        first = detail_title(s)
        self.assertTrue(first.startswith(row_title(rows[0])[:30]))
        d.keys("j")
        s = d.wait(lambda s: detail_title(s) != first, what="detail moves")
        self.assertTrue(detail_title(s).startswith(row_title(rows[1])[:30]),
                        (detail_title(s), rows[1]))
        d.keys("j", "j", "Down")
        s = d.wait(lambda s: detail_title(s).startswith(
            row_title(rows[4])[:30]), what="fourth row")
        d.keys("k", "Up")
        d.wait(lambda s: detail_title(s).startswith(
            row_title(rows[2])[:30]), what="back up two")
        d.keys("G")
        d.wait(lambda s: detail_title(s).startswith(
            row_title(headline_rows(s)[-1])[:30]), what="G: the last")
        d.keys("g")
        d.wait(lambda s: detail_title(s) == first, what="g goes to the top")

    def test_mouse_click_selects_and_wheel_scrolls(self):
        d = self.start()
        s = d.wait(lambda s: headline_count(s) == 30 and
                   len(headline_rows(s)) >= 8 and
                   row_title(headline_rows(s)[5]) and detail_title(s),
                   what="a whole frame")
        rows = headline_rows(s)
        first = detail_title(s)
        # An SGR (1006) mouse report, as xterm sends it: press, release;
        # 1-based column and row.  Headline row 5 is on screen line 7.
        d.literal("\x1b[<0;20;7M\x1b[<0;20;7m")
        d.wait(lambda s: detail_title(s).startswith(row_title(rows[5])[:30]),
               what="the clicked row in the detail pane")
        self.assertNotEqual(detail_title(d.screen()), first)
        # The wheel scrolls the list three rows at a time; the selection
        # stays on its item.
        d.literal("\x1b[<65;20;7M")
        s = d.wait(lambda s: row_title(headline_rows(s)[0]) ==
                   row_title(rows[3]), what="wheel down scrolls")
        self.assertTrue(detail_title(s).startswith(row_title(rows[5])[:30]))
        d.literal("\x1b[<64;20;7M")
        d.wait(lambda s: row_title(headline_rows(s)[0]) ==
               row_title(rows[0]), what="wheel up scrolls back")

    def test_search_filters_titles(self):
        d = self.start()
        d.wait(lambda s: full_frame(s, 30))
        d.keys("/")
        d.literal("fed minutes")
        d.keys("Enter")
        # The list filters first; the detail of the new selection is
        # loaded on the next turn of the loop.
        s = d.wait(lambda s: headline_count(s) == 1 and
                   "Fed minutes show officials split" in
                   (detail_title(s) or ""), what="one match in detail")
        self.assertIn('"fed minutes"', s)
        self.assertIn("Fed minutes show officials split",
                      headline_rows(s)[0])
        d.keys("Escape")
        d.wait(lambda s: headline_count(s) == 30, what="filter cleared")

    def test_enter_zooms_detail(self):
        d = self.start()
        s = d.wait(lambda s: full_frame(s, 30))
        title = detail_title(s)
        d.keys("Enter")
        s = d.wait(lambda s: s.startswith("┌ Detail"), what="zoom")
        self.assertNotIn("Headlines", s)
        self.assertNotIn("Watchlist", s)
        self.assertEqual(detail_title(s), title)
        d.keys("Escape")
        d.wait(lambda s: "Headlines" in s and "Watchlist" in s,
               what="unzoom")

    def test_o_opens_link_in_browser(self):
        out = os.path.join(self.tmp, "browser.out")
        stub = os.path.join(self.tmp, "browser.sh")
        with open(stub, "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s.tmp\n"
                    "mv %s.tmp %s\n" % (out, out, out))
        os.chmod(stub, 0o755)
        d = self.start(env={"BROWSER": stub + " --new-tab"})
        s = d.wait(lambda s: full_frame(s, 30))
        d.keys("j", "j")
        s = d.wait(lambda s: detail_title(s).startswith(
            row_title(headline_rows(s)[2])[:30]))
        link = re.search(r"(https://news\.example\.com/\S+)", s).group(1)
        d.keys("o")
        end = time.monotonic() + 10
        while not os.path.exists(out) and time.monotonic() < end:
            time.sleep(0.05)
        with open(out) as f:
            argv = f.read().split("\n")
        self.assertEqual(argv[0], "--new-tab")
        self.assertEqual(argv[1], link)
        d.wait_text("opening https://")

    def test_y_copies_link_with_osc52(self):
        d = self.start()
        # tmux turns an OSC 52 sequence into a paste buffer.
        subprocess.run(["tmux", "-L", d.sock, "set", "-s", "set-clipboard",
                        "on"], check=True)
        s = d.wait(lambda s: full_frame(s, 30))
        link = re.search(r"(https://news\.example\.com/\S+)", s).group(1)
        d.keys("y")
        d.wait_text("copied https://")
        end = time.monotonic() + 10
        buf = ""
        while time.monotonic() < end:
            p = subprocess.run(["tmux", "-L", d.sock, "show-buffer"],
                               capture_output=True, text=True)
            buf = p.stdout
            if buf:
                break
            time.sleep(0.05)
        self.assertEqual(buf.strip(), link)

    def test_resize_to_80x24_relayouts(self):
        d = self.start()
        s = d.wait(lambda s: full_frame(s, 30))
        self.assertIn("┬ Watchlist", s)        # side by side
        d.resize(80, 24)
        s = d.wait(lambda s: "├ Watchlist" in s and
                   len(s.split("\n")[0]) <= 80, what="stacked layout")
        lines = s.rstrip("\n").split("\n")
        self.assertTrue(lines[0].startswith("┌ Headlines"), s)
        self.assertTrue(lines[0].endswith("┐"))
        self.assertTrue(any(l.startswith("├ Detail") for l in lines))
        self.assertTrue(lines[23].startswith("└"), lines[23])
        for l in lines[:24]:
            self.assertLessEqual(len(l), 80)
        d.keys("j")
        d.wait(lambda s: detail_title(s) is not None)
        d.resize(160, 48)
        d.wait(lambda s: "┬ Watchlist" in s, what="wide again")

    def test_arrivals_do_not_move_the_cursor(self):
        d = self.start(width=120, height=30,
                       env={"DESKWIRE_DEMO_RATE": "5",
                            "DESKWIRE_DEMO_BACKFILL": "40",
                            "DESKWIRE_DEMO_LIMIT": "60"})
        d.wait(lambda s: headline_count(s) >= 40)
        # Mid-list and scrolled: the viewport no longer shows the head.
        for _ in range(25):
            d.keys("j")
        # Let the 25 moves land: the detail stops changing.
        prev = None
        end = time.monotonic() + 10
        while time.monotonic() < end:
            s = d.screen()
            if prev is not None and detail_title(s) == prev:
                break
            prev = detail_title(s)
            time.sleep(0.2)
        title = detail_title(s)
        rows = headline_rows(s)
        n0 = headline_count(s)
        s = d.wait(lambda s: headline_count(s) >= n0 + 5, timeout=15,
                   what="more arrivals")
        self.assertEqual(detail_title(s), title)
        self.assertEqual([row_title(r) for r in headline_rows(s)],
                         [row_title(r) for r in rows])
        self.assertRegex(s.split("\n")[0], r"↑\d+ new")

    def test_q_restores_terminal(self):
        d = self.start(marker=True)
        d.wait(lambda s: full_frame(s, 30))
        d.keys("q")
        s = d.wait_text("AFTER-DASH")
        self.assertIn("BEFORE-DASH", s)
        self.assertNotIn("Headlines", s)
        self.assertNotIn("│", s)

    def test_help_lists_keys(self):
        d = self.start()
        d.wait(lambda s: full_frame(s, 30))
        d.keys("?")
        s = d.wait_text("┌ Keys")
        self.assertIn("filter by ticker", s)
        d.keys("Escape")
        d.wait(lambda s: "┌ Keys" not in s, what="help closes")

    # Tests needing modules that may not be built yet are only defined
    # when the binary has them (a skip would count against the run).
    def _f_filters_by_ticker(self):
        d = self.start()
        d.wait(lambda s: full_frame(s, 30))
        d.keys("f")
        d.literal("amz")
        d.keys("Tab")
        d.wait(lambda s: "ticker: AMZN" in s, what="completion")
        d.keys("Enter")
        s = d.wait(lambda s: "$AMZN" in s.split("\n")[0], what="filter")
        rows = [r for r in headline_rows(s) if r.strip()]
        self.assertGreater(len(rows), 0)
        self.assertLess(headline_count(s), 30)
        for r in rows:
            self.assertIn("AMZN", r)

    def _i_sets_minimum_impact(self):
        d = self.start()
        d.wait(lambda s: full_frame(s, 30))
        d.keys("i")
        d.literal("0.5")
        d.keys("Enter")
        s = d.wait(lambda s: "impact ≥ 0.50" in s, what="impact filter")
        for r in headline_rows(s):
            m = re.search(r"\s(\d\.\d\d)\s", r)
            if m:
                self.assertGreaterEqual(float(m.group(1)), 0.5)

    def _watchlist_ticker_persists_across_restart(self):
        d = self.start()
        d.wait(lambda s: full_frame(s, 30))
        d.keys("a")
        d.literal("nvda")
        d.keys("Enter")
        d.wait(lambda s: re.search(r"│ NVDA\s", s) is not None,
               what="NVDA in the watchlist")
        d.keys("q")
        time.sleep(0.5)
        d.close()
        d2 = self.start()
        d2.wait(lambda s: re.search(r"│ NVDA\s", s) is not None,
                what="NVDA after restart")

    def _alert_command_gets_item_json(self):
        out = os.path.join(self.tmp, "alert.json")
        stub = os.path.join(self.tmp, "alert.sh")
        with open(stub, "w") as f:
            f.write("#!/bin/sh\ncat > %s.tmp && mv %s.tmp %s\n"
                    % (out, out, out))
        os.chmod(stub, 0o755)
        conf = ("watchlist = AMZN\nalert_threshold = 0.1\n"
                "alert_style = none\nalert_cmd = %s\n" % stub)
        d = self.start(conf=conf, env={"DESKWIRE_DEMO_RATE": "20",
                                       "DESKWIRE_DEMO_BACKFILL": "0",
                                       "DESKWIRE_DEMO_LIMIT": "61"})
        d.wait_text("ALERT AMZN", timeout=20)
        end = time.monotonic() + 10
        while not os.path.exists(out) and time.monotonic() < end:
            time.sleep(0.05)
        with open(out) as f:
            obj = json.loads(f.readline())
        self.assertIn("AMZN", obj["tickers"])
        self.assertGreaterEqual(obj["impact"], 0.1)


if ANALYZER:
    TestDashboard.test_f_filters_by_ticker = \
        TestDashboard._f_filters_by_ticker
    TestDashboard.test_i_sets_minimum_impact = \
        TestDashboard._i_sets_minimum_impact
if STORE:
    TestDashboard.test_watchlist_ticker_persists_across_restart = \
        TestDashboard._watchlist_ticker_persists_across_restart
if ANALYZER and CONF:
    TestDashboard.test_alert_command_gets_item_json = \
        TestDashboard._alert_command_gets_item_json


if __name__ == "__main__":
    unittest.main()


def _rss(items):
    now = time.time()
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0"><channel><title>Desk wire</title>'
           '<link>https://wire.example/</link>']
    for i, (title, summary) in enumerate(items):
        when = time.strftime("%a, %d %b %Y %H:%M:%S +0000",
                             time.gmtime(now - 60 * (i + 1)))
        out.append("<item><title>%s</title><link>https://wire.example/%d"
                   "</link><guid>wire-%d</guid><pubDate>%s</pubDate>"
                   "<description>%s</description></item>"
                   % (title, i, i, when, summary))
    out.append("</channel></rss>")
    return "\n".join(out)


@unittest.skipUnless(HAVE_TMUX and os.access(BIN, os.X_OK),
                     "needs tmux and the deskwire binary")
class TestDashboardConfig(unittest.TestCase):
    """Keys rebound in feeds.conf, and a real poller on a local feed."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dw-ui2-")
        self.dashes = []

    def tearDown(self):
        for d in self.dashes:
            d.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_bind_rebinds_a_key(self):
        d = Dash(self.tmp, conf="bind x next\nbind X prev\n")
        self.dashes.append(d)
        s = d.wait(lambda s: full_frame(s, 30))
        rows = headline_rows(s)
        first = detail_title(s)
        d.keys("x")
        s = d.wait(lambda s: detail_title(s) != first, what="x moves")
        self.assertTrue(detail_title(s).startswith(row_title(rows[1])[:30]))
        d.keys("X")
        d.wait(lambda s: detail_title(s) == first, what="X moves back")

    def test_feeds_view_shows_what_was_repaired(self):
        # A bare '&' is read anyway; the F view says what was repaired.
        feed = os.path.join(self.tmp, "amp.xml")
        with open(feed, "w") as f:
            f.write(_rss([("AT&T beats estimates", "Results.")]))
        d = Dash(self.tmp, conf="file://%s name=AmpWire\n" % feed,
                 demo=False)
        self.dashes.append(d)
        d.wait(lambda s: full_frame(s, 1), timeout=20,
               what="one polled headline")
        d.keys("F")
        s = d.wait_text("read with repairs", timeout=10)
        self.assertIn("AmpWire", s)
        self.assertIn("unescaped '&'", s)

    def test_on_demand_analysis_with_a_polled_file_feed(self):
        feed = os.path.join(self.tmp, "wire.xml")
        with open(feed, "w") as f:
            f.write(_rss([
                ("Nvidia opens a sales office in Austin",
                 "The company said the office would host 40 staff."),
                ("Amazon commits up to $25bn investment in Anthropic",
                 "Amazon will invest $5bn in Anthropic."),
            ]))
        stub = os.path.join(self.tmp, "deeper.sh")
        with open(stub, "w") as f:
            f.write("#!/bin/sh\ncat > %s\n"
                    "echo 'Deeper view: STUB-ANALYSIS-MARKER'\n"
                    % os.path.join(self.tmp, "stdin.json"))
        os.chmod(stub, 0o755)
        conf = ("file://%s name=Wire\n"
                "analysis_cmd = %s\n"
                "analysis_threshold = 1\n" % (feed, stub))
        d = Dash(self.tmp, conf=conf, demo=False)
        self.dashes.append(d)
        s = d.wait(lambda s: full_frame(s, 2), timeout=20,
                   what="two polled headlines")
        self.assertIn("1/1 feeds ok", s)
        self.assertNotIn("STUB-ANALYSIS-MARKER", s)
        d.keys("A")
        s = d.wait_text("STUB-ANALYSIS-MARKER", timeout=20)
        with open(os.path.join(self.tmp, "stdin.json")) as f:
            sent = json.loads(f.read())
        self.assertIn(sent["title"], s)
