"""deskwire analyze: one JSON line per input line, pinned fields, nulls."""
import json
import os
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("DESKWIRE_BIN") or os.path.join(HERE, "..", "..",
                                                      "deskwire")
FIELDS = ["feed", "id", "published", "title", "link", "summary", "tickers",
          "impact", "sentiment", "categories", "analysis", "sentiment_label",
          "impact_parts", "entities"]


class AnalyzeCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        t = self.tmp.name
        self.env = dict(os.environ, HOME=t, XDG_DATA_HOME=t + "/data",
                        XDG_CONFIG_HOME=t + "/config")
        self.env.pop("DESKWIRE_DATA", None)
        self.env.pop("DESKWIRE_CONFIG", None)

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, data, *args):
        p = subprocess.run([BIN, "analyze"] + list(args), input=data,
                           capture_output=True, env=self.env, timeout=60,
                           cwd=self.tmp.name)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_lines_fields_order(self):
        lines = [
            "Amazon commits up to $25bn investment in Anthropic\t"
            "Amazon will invest $5bn in Anthropic.",
            "",
            "Nvidia's shares fall after downgrade",
            "bad \xff utf8 \x1b[31m red",
        ]
        data = "\n".join(lines).encode("latin-1") + b"\n"
        out = self.run_cli(data).decode("utf-8").splitlines()
        self.assertEqual(len(out), 4)
        objs = [json.loads(o) for o in out]
        for o in objs:
            keys = list(o.keys())
            self.assertEqual(keys[:len(FIELDS)], FIELDS)
            self.assertIsNone(o["feed"])
            self.assertIsNone(o["id"])
            self.assertIsNone(o["published"])
            self.assertIsNone(o["link"])
            self.assertGreaterEqual(o["impact"], 0)
            self.assertLessEqual(o["impact"], 1)
            self.assertIn(o["sentiment_label"],
                          ["positive", "negative", "neutral"])
        a = objs[0]
        self.assertEqual(a["title"],
                         "Amazon commits up to $25bn investment in Anthropic")
        self.assertEqual(a["summary"], "Amazon will invest $5bn in Anthropic.")
        self.assertEqual(a["tickers"][0], "AMZN")
        ent = {e["name"]: e for e in a["entities"]}
        self.assertIsNone(ent["Anthropic"]["ticker"])
        self.assertEqual(a["entities"][0]["role"], "primary")
        self.assertIsInstance(a["impact_parts"], dict)
        self.assertIn("event", a["impact_parts"])
        self.assertIn("Artificial Intelligence", a["categories"])
        # empty line: still an object, no summary
        self.assertEqual(objs[1]["title"], "")
        self.assertIsNone(objs[1]["summary"])
        self.assertEqual(objs[1]["tickers"], [])
        self.assertEqual(objs[2]["tickers"], ["NVDA"])
        self.assertEqual(objs[2]["sentiment_label"], "negative")
        # invalid UTF-8 replaced, escapes removed
        self.assertIn("\ufffd", objs[3]["title"])
        self.assertNotIn("\x1b", objs[3]["title"])

    def test_long_line_and_formats(self):
        long = ("Apple beats estimates " * 80000).encode()  # ~1.8 MB
        out = self.run_cli(long + b"\nTesla recalls cars\n")
        rows = out.decode().splitlines()
        self.assertEqual(len(rows), 2)
        self.assertEqual(json.loads(rows[1])["tickers"], ["TSLA"])
        tsv = self.run_cli(b"Tesla recalls cars\n\n", "--format", "tsv")
        rows = tsv.decode().split("\n")
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0].split("\t")[3], "TSLA")
        txt = self.run_cli(b"Tesla recalls cars\n", "--format=text")
        self.assertEqual(len(txt.decode().splitlines()), 1)
        self.assertIn("TSLA", txt.decode())

    def test_bad_format(self):
        p = subprocess.run([BIN, "analyze", "--format", "xml"], input=b"",
                           capture_output=True, env=self.env, timeout=30,
                           cwd=self.tmp.name)
        self.assertEqual(p.returncode, 2)

    def test_dict_import_then_analyze(self):
        fixture = os.path.join(HERE, "..", "data",
                               "company_tickers_sample.json")
        p = subprocess.run([BIN, "dict", "import", fixture],
                           capture_output=True, env=self.env, timeout=30,
                           cwd=self.tmp.name)
        self.assertEqual(p.returncode, 0, p.stderr)
        path = os.path.join(self.tmp.name, "data", "deskwire",
                            "tickers-user.tsv")
        self.assertTrue(os.path.exists(path))
        self.assertEqual(os.stat(os.path.dirname(path)).st_mode & 0o777,
                         0o700)
        out = self.run_cli(b"Xyzzy Quantum Robotics shares soar\n")
        self.assertEqual(json.loads(out)["tickers"], ["XYZQ"])
        p = subprocess.run([BIN, "dict", "stats"], capture_output=True,
                           env=self.env, timeout=30, cwd=self.tmp.name)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("imported", p.stdout.decode())


if __name__ == "__main__":
    unittest.main()
