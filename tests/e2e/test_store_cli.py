"""End-to-end tests of the store through the CLI: `deskwire list`,
`feeds` and `gc` on real databases, crash safety (SIGKILL in the middle
of a large ingest), concurrent reader and writers on one file, and the
messages for a corrupt file and a newer schema.

The writer is tests/helper_ingest.c (built next to the test binaries):
it ingests synthetic feeds in batches of three (one transaction, a
savepoint per feed) and prints "committed URL N" for each feed of a batch
after its commit.
"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("DESKWIRE_BIN") or os.path.join(HERE, "..", "..",
                                                     "deskwire")
BIN = os.path.abspath(BIN)
HELPER = os.path.join(os.path.dirname(BIN), "tests", "helper_ingest")


class StoreCLI(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="deskwire-e2e-store-")
        self.env = dict(os.environ)
        for k in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                  "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            self.env[k] = os.path.join(self.tmp, k.lower())
            os.makedirs(self.env[k], exist_ok=True)
        self.env.pop("DESKWIRE_CONFIG", None)
        self.env["TZ"] = "UTC"
        self.db = os.path.join(self.tmp, "db", "deskwire.db")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_dw(self, *args, check=None):
        p = subprocess.run([BIN, "--db", self.db] + list(args),
                           env=self.env, capture_output=True, text=True,
                           timeout=120)
        if check is not None:
            self.assertEqual(p.returncode, check,
                             "deskwire %s: %s" % (args, p.stderr))
        return p

    def helper(self, feeds, items, rounds=1, check=True):
        p = subprocess.run([HELPER, self.db, str(feeds), str(items),
                            str(rounds)], capture_output=True, text=True,
                           timeout=300)
        if check:
            self.assertEqual(p.returncode, 0, p.stderr)
        return p

    def list_json(self, *args):
        p = self.run_dw("list", "--format", "json", *args, check=0)
        return [json.loads(line) for line in p.stdout.splitlines()]

    def test_list_formats_and_filters(self):
        self.helper(4, 25)
        items = self.list_json()
        self.assertEqual(len(items), 100)
        # Pinned fields, in order, ISO 8601 UTC dates, newest first.
        self.assertEqual(list(items[0].keys()),
                         ["feed", "id", "published", "title", "link",
                          "summary", "tickers", "impact", "sentiment",
                          "categories", "analysis"])
        self.assertRegex(items[0]["published"],
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        pubs = [i["published"] for i in items]
        self.assertEqual(pubs, sorted(pubs, reverse=True))

        self.assertEqual(len(self.list_json("--limit", "7")), 7)
        nvda = self.list_json("--ticker", "nvda")
        self.assertTrue(nvda)
        self.assertTrue(all("NVDA" in i["tickers"] for i in nvda))
        hi = self.list_json("--min-impact", "0.8")
        self.assertTrue(all(i["impact"] >= 0.8 for i in hi))
        self.assertLess(len(hi), 100)
        by = self.list_json("--by-impact", "--limit", "10")
        imps = [i["impact"] for i in by]
        self.assertEqual(imps, sorted(imps, reverse=True))
        found = self.list_json("--search", "item 7 of feed 2")
        self.assertEqual([i["id"] for i in found], ["f2-i7"])
        # Hostile search text is just words.
        for text in ['"', "AND(", "NEAR(x", "a OR", "*", "title:"]:
            p = self.run_dw("list", "--search", text)
            self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(self.list_json("--category", "markets")), 100)
        self.assertEqual(len(self.list_json("--since", "1w")), 100)
        self.assertEqual(len(self.list_json("--unread")), 100)
        self.assertEqual(len(self.list_json("--starred")), 0)

        tsv = self.run_dw("list", "--format", "tsv", "--limit", "3",
                          check=0).stdout.splitlines()
        self.assertEqual(len(tsv), 3)
        self.assertEqual(len(tsv[0].split("\t")), 7)
        text = self.run_dw("list", "--limit", "3", check=0).stdout
        self.assertIn("Company", text)
        self.assertIn("Feed 0", text)

    def test_list_bad_values(self):
        cases = [
            (["--min-impact", "2"], "--min-impact"),
            (["--min-impact", "x"], "--min-impact"),
            (["--since", "yesterday"], "--since"),
            (["--limit", "0"], "--limit"),
            (["--limit", "-3"], "--limit"),
            (["--format", "xml"], "--format"),
            (["--bogus"], "unknown option"),
            (["--ticker"], "--ticker"),
            (["stray"], "unexpected argument"),
        ]
        for args, word in cases:
            p = self.run_dw("list", *args)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(word, p.stderr, args)
            self.assertEqual(p.stdout, "")

    def test_feeds_shows_configured_before_first_poll(self):
        conf = os.path.join(self.tmp, "feeds.conf")
        with open(conf, "w") as f:
            f.write('http://127.0.0.1/feed-0.xml name="Feed 0"\n'
                    'http://127.0.0.1/never.xml name="Not polled yet"\n')
        p = self.run_dw("-c", conf, "feeds", check=0)
        self.assertIn("Not polled yet", p.stdout)
        self.assertIn("never polled", p.stdout)
        self.helper(1, 30)
        p = self.run_dw("-c", conf, "feeds", "--format", "json", check=0)
        rows = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual([r["name"] for r in rows],
                         ["Feed 0", "Not polled yet"])
        self.assertEqual(rows[0]["items"], 30)
        self.assertEqual(rows[0]["http_status"], 200)
        self.assertIsNotNone(rows[0]["last_success"])
        self.assertIsNone(rows[1]["last_success"])
        self.assertEqual(rows[1]["items"], 0)
        p = self.run_dw("-c", conf, "feeds", "--format", "tsv", check=0)
        self.assertEqual(len(p.stdout.splitlines()), 2)

    def test_gc(self):
        self.helper(3, 40)
        p = self.run_dw("gc", "--days", "0", "--per-feed", "10", "--vacuum",
                        check=0)
        self.assertIn("removed 90 items", p.stdout)
        self.assertEqual(len(self.list_json()), 30)
        p = self.run_dw("gc", "--days", "soon")
        self.assertEqual(p.returncode, 2)

    def test_kill_during_ingest_loses_nothing_committed(self):
        proc = subprocess.Popen([HELPER, self.db, "200", "200"],
                                stdout=subprocess.PIPE, text=True)
        committed = []
        try:
            while len(committed) < 25:
                line = proc.stdout.readline()
                if not line:
                    break
                committed.append(line.split()[1])
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
        self.assertGreaterEqual(len(committed), 25)

        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(),
                         [("ok",)])
        # The full-text index matches its table.
        con.execute("INSERT INTO items_fts(items_fts) "
                    "VALUES('integrity-check')")
        con.close()

        have = {(i["feed"], i["id"]) for i in self.list_json()}
        for url in committed:
            n = int(url.rsplit("-", 1)[1].split(".")[0])
            for i in range(200):
                self.assertIn(("Feed %d" % n, "f%d-i%d" % (n, i)), have)
        # A restarted writer carries on over the same file.
        self.helper(5, 10)

    def test_reader_and_writers_at_once(self):
        self.helper(2, 10)
        # Rounds after the first rewrite every title: updates, whose old
        # terms leave the full-text index while readers search it.
        writer = subprocess.Popen([HELPER, self.db, "60", "100", "8"],
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        errors = []
        runs = 0
        deadline = time.time() + 60
        # At least two rounds of readers, however fast the writer is.
        while ((writer.poll() is None or runs < 8) and
               time.time() < deadline):
            for args in (["list", "--limit", "50", "--format", "json"],
                         ["list", "--ticker", "AMZN", "--since", "1d"],
                         ["list", "--search", "company reports"],
                         ["gc", "--days", "0", "--per-feed", "250"]):
                p = self.run_dw(*args)
                runs += 1
                if p.returncode != 0 or "locked" in p.stderr:
                    errors.append((args, p.returncode, p.stderr))
        writer.wait(timeout=300)
        _, werr = writer.communicate()
        self.assertEqual(writer.returncode, 0, werr)
        self.assertEqual(errors, [])
        self.assertGreaterEqual(runs, 4)
        con = sqlite3.connect(self.db)
        con.execute("INSERT INTO items_fts(items_fts) "
                    "VALUES('integrity-check')")
        con.close()

    def test_corrupt_and_newer_files(self):
        os.makedirs(os.path.dirname(self.db))
        with open(self.db, "w") as f:
            f.write("not a database " * 100)
        p = self.run_dw("list")
        self.assertEqual(p.returncode, 1)
        self.assertIn(self.db, p.stderr)
        self.assertIn("corrupt", p.stderr)
        with open(self.db) as f:
            self.assertTrue(f.read().startswith("not a database"))
        os.unlink(self.db)

        self.helper(1, 5)
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA user_version = 9")
        con.commit()
        con.close()
        p = self.run_dw("list")
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, r"database schema version 9 is newer "
                         r"than this deskwire \(\d+\); upgrade deskwire "
                         r"or use another --db")


if __name__ == "__main__":
    unittest.main()
