"""End-to-end: `deskwire fetch --once` against tests/fixture_server.py on
127.0.0.1 -- the items of good feeds, failing feeds reported in words
without stopping the others, and a second run that only gets 304s."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
BIN = os.environ.get("DESKWIRE_BIN") or os.path.join(TESTS, "..", "deskwire")
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

# What the fixture feeds hold (tests/data/http), as fetch prints it.
EXPECTED = [
    ("Markets Wire", "mw-20251126-0001",
     "Amazon commits up to $25bn investment in Anthropic",
     "https://markets.example.com/2025/11/26/amazon-anthropic",
     "2025-11-26T11:42:07Z"),
    ("Markets Wire", "mw-20251126-0002",
     "Nvidia shares slide 4% after export curbs widen",
     "https://markets.example.com/2025/11/26/nvidia-export-curbs",
     "2025-11-26T10:15:00Z"),
    ("Markets Wire", "mw-20251125-0107",
     "Fed holds rates steady, signals patience on cuts",
     "https://markets.example.com/2025/11/25/fed-holds",
     "2025-11-25T19:00:30Z"),
    ("Tech Ledger", "tag:tech.example.org,2025:apple-buyback",
     "Apple to buy back $90bn of stock, raises dividend 4%",
     "https://tech.example.org/apple-buyback",
     "2025-11-26T09:00:00Z"),
    ("Tech Ledger", "tag:tech.example.org,2025:msft-cloud",
     "Microsoft cloud revenue beats estimates as AI demand surges",
     "https://tech.example.org/msft-cloud",
     "2025-11-25T20:05:00Z"),
    ("Energy Desk", "https://energy.example.net/exxon-jobs",
     "Exxon to cut 2,000 jobs in restructuring",
     "https://energy.example.net/exxon-jobs",
     "2025-11-24T13:00:00Z"),
]

GOOD = [
    ("Markets Wire", "/feeds/markets.xml"),     # ETag and Last-Modified
    ("Tech Ledger", "/etag-only/tech.atom"),
    ("Energy Desk", "/lm-only/energy.xml"),
]

# name, path, words expected in its error
BAD = [
    ("Missing", "/status/404", "HTTP 404"),
    ("Broken", "/status/500", "HTTP 500"),
    ("Busy", "/retry/120", "HTTP 429"),
    ("Looping", "/loop", "too many redirects"),
    ("Webpage", "/html", "not a feed"),
    ("Stalled", "/stall", ("stalled", "timed out")),
    ("Bomb", "/bomb", "body over 8 MiB"),
    ("Huge", "/oversized", "body over 8 MiB"),
    ("Cut", "/truncated", "truncated"),
]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class FetchOnce(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="deskwire-e2e-fetch-")
        cls.env = dict(os.environ)
        for k in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                  "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            d = os.path.join(cls.tmp, k.lower())
            os.makedirs(d)
            cls.env[k] = d
        for k in ("DESKWIRE_CONFIG", "http_proxy", "https_proxy",
                  "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
            cls.env.pop(k, None)
        cls.env["NO_PROXY"] = "127.0.0.1"
        cls.server = subprocess.Popen(
            [PY, os.path.join(TESTS, "fixture_server.py"),
             "--max-seconds", "100"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        cls.port = int(cls.server.stdout.readline())
        cls.base = "http://127.0.0.1:%d" % cls.port

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(10)
        cls.server.stdout.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # -- helpers --
    def conf(self, name, feeds, extra=""):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            # The fixture items are from 2025: keep them whatever the date.
            f.write("# fixture feeds\ntimeout = 4\nconnect_timeout = 2\n"
                    "retention_days = 0\n")
            f.write(extra)
            for feed_name, url in feeds:
                f.write('%s name="%s"\n' % (url, feed_name))
        return path

    def run_bin(self, *args, timeout=50):
        p = subprocess.run([BIN] + list(args), env=self.env,
                           capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def fetch(self, conf, db, *extra):
        return self.run_bin("-c", conf, "--db", db, "fetch", "--once",
                            *extra)

    def server_log(self):
        with urllib.request.urlopen(self.base + "/__log", timeout=10) as r:
            return json.loads(r.read())

    def reset_log(self):
        urllib.request.urlopen(self.base + "/__reset", timeout=10).read()

    def url(self, path):
        return self.base + path

    def items(self, out):
        got = []
        for line in out.splitlines():
            obj = json.loads(line)
            got.append((obj["feed"], obj["id"], obj["title"], obj["link"],
                        obj["published"]))
        return got

    # -- tests --
    def test_usage(self):
        conf = self.conf("usage.conf", [("Markets Wire",
                                         self.url("/feeds/markets.xml"))])
        rc, out, err = self.run_bin("-c", conf, "fetch")
        self.assertEqual(rc, 2)
        self.assertIn("--once", err)
        rc, out, err = self.run_bin("-c", conf, "fetch", "--once",
                                    "--format", "xml")
        self.assertEqual(rc, 2)

    def test_good_and_bad_then_conditional(self):
        refused = "http://127.0.0.1:%d/feed.xml" % free_port()
        feeds = [(n, self.url(p)) for n, p in GOOD]
        feeds += [(n, self.url(p)) for n, p, _ in BAD]
        feeds.append(("Nobody", refused))
        conf = self.conf("mixed.conf", feeds)
        db = os.path.join(self.tmp, "mixed.db")

        self.reset_log()
        rc, out, err = self.fetch(conf, db, "--format", "json")
        # Every good feed's items, exactly, whatever failed around them.
        self.assertEqual(sorted(self.items(out)), sorted(EXPECTED), err)
        # Within a feed, document order.
        got = self.items(out)
        markets = [i[1] for i in got if i[0] == "Markets Wire"]
        self.assertEqual(markets, [e[1] for e in EXPECTED[:3]])
        self.assertEqual(rc, 1)
        lines = err.splitlines()
        for name, _, words in BAD + [("Nobody", None, "connection refused")]:
            mine = [l for l in lines if l.startswith("deskwire: %s: " % name)]
            self.assertEqual(len(mine), 1, "%s not reported: %s" % (name, err))
            alts = words if isinstance(words, tuple) else (words,)
            self.assertTrue(any(w in mine[0] for w in alts), mine[0])
        for name, _ in GOOD:
            self.assertNotIn("deskwire: %s:" % name, err)
        log = self.server_log()
        ua = {e["user_agent"] for e in log}
        self.assertEqual(len(ua), 1)
        self.assertTrue(ua.pop().startswith("deskwire/"))

        # `deskwire feeds` shows the errors kept in the store.
        frc, fout, ferr = self.run_bin("-c", conf, "--db", db, "feeds")
        if "not implemented" not in ferr:
            self.assertEqual(frc, 0, ferr)
            self.assertIn("HTTP 404", fout)
            self.assertIn("too many redirects", fout)

        # Second run: nothing changed upstream.
        self.reset_log()
        rc2, out2, err2 = self.fetch(conf, db, "--format", "json")
        self.assertEqual(out2, "")
        self.assertEqual(rc2, 1)   # the broken feeds are still broken
        log = self.server_log()
        by_path = {}
        for e in log:
            by_path.setdefault(e["path"], []).append(e)
        for name, path in GOOD:
            reqs = by_path.get(path, [])
            self.assertEqual(len(reqs), 1, path)
            self.assertEqual(reqs[0]["status"], 304, path)
        self.assertIsNotNone(by_path["/feeds/markets.xml"][0]["if_none_match"])
        self.assertIsNotNone(
            by_path["/feeds/markets.xml"][0]["if_modified_since"])
        self.assertIsNotNone(by_path["/etag-only/tech.atom"][0]["if_none_match"])
        self.assertEqual(by_path["/lm-only/energy.xml"][0]["if_modified_since"],
                         "Wed, 26 Nov 2025 12:00:00 GMT")
        # Failing feeds back off (429 asked for 120 s): not asked again...
        self.assertNotIn("/retry/120", by_path)
        self.assertNotIn("/status/404", by_path)
        # ...but still reported, with their last error.
        self.assertIn("deskwire: Busy: HTTP 429", err2)
        self.assertIn("deskwire: Missing: HTTP 404", err2)

        # --force polls them now, and fetches everything again in full.
        self.reset_log()
        rc3, out3, err3 = self.fetch(conf, db, "--format", "json", "--force")
        self.assertEqual(rc3, 1)
        paths = [e["path"] for e in self.server_log()]
        self.assertIn("/retry/120", paths)
        self.assertIn("/status/404", paths)
        statuses = [e["status"] for e in self.server_log()
                    if e["path"] == "/feeds/markets.xml"]
        self.assertEqual(statuses, [200])
        # Already stored: nothing new to print.
        self.assertEqual(out3, "")

    def test_all_good_exits_zero(self):
        here = os.path.abspath(os.path.join(TESTS, "data", "http"))
        feeds = [("Markets Wire", self.url("/gzip/markets.xml")),
                 ("Tech Ledger", self.url("/redirect/2/tech.atom")),
                 ("Energy Desk", "file://" + os.path.join(here, "energy.xml"))]
        conf = self.conf("good.conf", feeds)
        db = os.path.join(self.tmp, "good.db")
        rc, out, err = self.fetch(conf, db, "--format", "tsv")
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        rows = [l.split("\t") for l in out.splitlines()]
        self.assertEqual(len(rows), len(EXPECTED))
        titles = sorted(r[5] for r in rows)
        self.assertEqual(titles, sorted(e[2] for e in EXPECTED))
        # Text output, second run: nothing new, still a success.
        rc, out, err = self.fetch(conf, db)
        self.assertEqual((rc, out), (0, ""), err)

    def test_repaired_documents_are_recorded_on_the_feed(self):
        # Ill-formed XML and a wrong encoding are read anyway (a success),
        # and the feed keeps what had to be repaired until a clean read.
        broken = os.path.join(self.tmp, "broken.xml")
        latin = os.path.join(self.tmp, "latin.xml")
        with open(broken, "wb") as f:
            f.write(b'<rss version="2.0"><channel><title>B</title>\n'
                    b'<item><title>AT&T beats estimates</title>'
                    b'<guid>b1</guid><pubDate>Wed, 26 Nov 2025 10:00:00 GMT'
                    b'</pubDate></item></channel></rss>')
        with open(latin, "wb") as f:
            f.write(b'<?xml version="1.0" encoding="utf-8"?>'
                    b'<rss version="2.0"><channel><title>L</title>'
                    b'<item><title>Caf\xe9 chain Soci\xe9t\xe9 raises '
                    b'prices</title><guid>l1</guid><pubDate>Wed, 26 Nov '
                    b'2025 10:00:00 GMT</pubDate></item></channel></rss>')
        conf = self.conf("repaired.conf", [("Broken", "file://" + broken),
                                           ("Latin", "file://" + latin)])
        db = os.path.join(self.tmp, "repaired.db")
        rc, out, err = self.fetch(conf, db, "--format", "json")
        self.assertEqual(rc, 0, err)
        titles = sorted(json.loads(l)["title"] for l in out.splitlines())
        self.assertEqual(titles, ["AT&T beats estimates",
                                  "Caf\u00e9 chain Soci\u00e9t\u00e9 raises "
                                  "prices"])
        rc, fout, ferr = self.run_bin("-c", conf, "--db", db, "feeds",
                                      "--format", "json")
        self.assertEqual(rc, 0, ferr)
        feeds = {json.loads(l)["name"]: json.loads(l)
                 for l in fout.splitlines()}
        self.assertIsNone(feeds["Broken"]["last_error"])
        self.assertIn("line 2", feeds["Broken"]["warning"])
        self.assertIn("unescaped '&'", feeds["Broken"]["warning"])
        self.assertIsNone(feeds["Latin"]["last_error"])
        self.assertEqual(feeds["Latin"]["warning"],
                         'labelled "utf-8" but not UTF-8: read as '
                         'windows-1252')
        rc, text, _ = self.run_bin("-c", conf, "--db", db, "feeds")
        self.assertIn("read with repairs: XML error at line 2", text)
        # A clean document clears it.
        with open(broken, "wb") as f:
            f.write(b'<rss version="2.0"><channel><title>B</title>\n'
                    b'<item><title>AT&amp;T beats estimates</title>'
                    b'<guid>b1</guid><pubDate>Wed, 26 Nov 2025 10:00:00 GMT'
                    b'</pubDate></item></channel></rss>')
        rc, out, err = self.fetch(conf, db, "--force")
        self.assertEqual(rc, 0, err)
        rc, fout, _ = self.run_bin("-c", conf, "--db", db, "feeds",
                                   "--format", "json")
        feeds = {json.loads(l)["name"]: json.loads(l)
                 for l in fout.splitlines()}
        self.assertIsNone(feeds["Broken"]["warning"])
        self.assertIsNotNone(feeds["Latin"]["warning"])

    def test_analysis_cmd_for_high_impact_items(self):
        # Every item at or above the threshold goes through analysis_cmd
        # (argv, no shell of ours: sh is the user's chosen program here);
        # its output becomes the printed and stored analysis.
        extra = ("analysis_cmd = sh -c 'cat >/dev/null; echo Deeper look'\n"
                 "analysis_threshold = 0\nanalysis_jobs = 2\n")
        conf = self.conf("analysis.conf",
                         [("Markets Wire", self.url("/feeds/markets.xml"))],
                         extra)
        db = os.path.join(self.tmp, "analysis.db")
        rc, out, err = self.fetch(conf, db, "--format", "json")
        self.assertEqual(rc, 0, err)
        rows = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(len(rows), 3)
        self.assertEqual({r["analysis"] for r in rows}, {"Deeper look"})
        lrc, lout, lerr = self.run_bin("-c", conf, "--db", db, "list",
                                       "--format", "json")
        if "not implemented" not in lerr:
            self.assertEqual(lrc, 0, lerr)
            stored = [json.loads(l)["analysis"] for l in lout.splitlines()]
            self.assertEqual(stored, ["Deeper look"] * 3)

    def test_items_older_than_retention_are_not_stored(self):
        # retention_days = 1: the 2025 fixture items are past it; they
        # would be deleted by gc and come back as new on every fetch.
        conf = self.conf("retention.conf",
                         [("Markets Wire", self.url("/feeds/markets.xml"))],
                         "retention_days = 1\n")
        db = os.path.join(self.tmp, "retention.db")
        rc, out, err = self.fetch(conf, db, "--format", "json")
        self.assertEqual((rc, out), (0, ""), err)
        rc, out, err = self.fetch(conf, db, "--format", "json", "--force")
        self.assertEqual((rc, out), (0, ""), err)


if __name__ == "__main__":
    unittest.main()
