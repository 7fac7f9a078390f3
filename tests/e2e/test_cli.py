"""The command line as a user meets it: help, version, errors and exit
codes, common options anywhere, where feeds.conf is looked up, a bad
config line stopping before anything is touched, and OPML import/export
through the binary.

The binary comes from $DESKWIRE_BIN (else ../../deskwire).  Every test runs
in its own temp HOME, XDG_* dirs and working directory.
"""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BIN = os.environ.get("DESKWIRE_BIN") or os.path.join(ROOT, "deskwire")
DATA = os.path.join(ROOT, "tests", "data")
SUBS = os.path.join(DATA, "subscriptions.opml")

COMMANDS = ["ui", "fetch", "analyze", "list", "feeds", "opml", "dict",
            "gc", "reanalyze"]


def commands_in_source():
    """The subcommand names in main.c's table, if the source is here."""
    path = os.path.join(ROOT, "src", "main.c")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return re.findall(r'\{ "([a-z]+)", cmd_[a-z]+_main,', f.read())


def opml_feeds(text):
    """(url, name, tags) for every feed outline, as a reader would see."""
    root = ET.fromstring(text)
    out = []

    def walk(node, folders):
        for o in node.findall("outline"):
            url = (o.get("xmlUrl") or "").strip()
            name = (o.get("title") or "").strip() or \
                (o.get("text") or "").strip() or None
            if url:
                tags = []
                for t in folders:
                    if t not in tags:
                        tags.append(t)
                for part in re.split(r"[,/]", o.get("category") or ""):
                    part = part.strip()
                    if part and part not in tags:
                        tags.append(part)
                out.append((url, name, tags))
            else:
                walk(o, folders + ([name] if name else []))

    walk(root.find("body"), [])
    return out


def strip_date(s):
    return re.sub(r"<dateCreated>[^<]*</dateCreated>", "", s)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="deskwire-cli-")
        self.home = os.path.join(self.tmp, "home")
        self.cwd = os.path.join(self.tmp, "cwd")
        for d in (self.home, self.cwd):
            os.makedirs(d)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("XDG_", "DESKWIRE_"))}
        self.env.update({
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"),
            "XDG_DATA_HOME": os.path.join(self.tmp, "data"),
            "XDG_STATE_HOME": os.path.join(self.tmp, "state"),
            "XDG_CACHE_HOME": os.path.join(self.tmp, "cache"),
            "NO_COLOR": "1",
        })

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_dw(self, *args, env=None, stdin=None):
        e = dict(self.env)
        if env:
            for k, v in env.items():
                if v is None:
                    e.pop(k, None)
                else:
                    e[k] = v
        return subprocess.run([BIN] + list(args), cwd=self.cwd, env=e,
                              input=stdin, capture_output=True, text=True,
                              timeout=60)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def read(self, path):
        with open(path, encoding="utf-8") as f:
            return f.read()

    def export_urls(self, *args, env=None):
        r = self.run_dw(*args, "opml", "export", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [u for u, _, _ in opml_feeds(r.stdout)]

    # ---- help, version, usage errors -----------------------------------

    def test_help_lists_every_command(self):
        src = commands_in_source()
        if src is not None:
            self.assertEqual(sorted(src), sorted(COMMANDS))
        for flag in ("--help", "-h"):
            r = self.run_dw(flag)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(r.stdout.startswith("usage: deskwire "))
            listed = re.findall(r"^  ([a-z]+) ", r.stdout, re.M)
            self.assertEqual(listed, COMMANDS)
            self.assertIn("Exit status: 0 ok, 1 runtime failure, 2 usage",
                          r.stdout)
            self.assertEqual(r.stderr, "")

    def test_each_command_help(self):
        for name in COMMANDS:
            for args in ([name, "--help"], [name, "-h"], ["--help", name],
                         ["-c", "/nonexistent.conf", name, "--help"]):
                r = self.run_dw(*args)
                self.assertEqual(r.returncode, 0, (args, r.stderr))
                first = r.stdout.splitlines()[0]
                # ui is the default command: "usage: deskwire [ui] ...".
                self.assertTrue(
                    first.startswith("usage: deskwire %s" % name) or
                    first.startswith("usage: deskwire [%s]" % name),
                    (args, first))
        # Help never reads the config, so a broken one does not matter.
        bad = self.write("bad.conf", "nonsense here\n")
        r = self.run_dw("-c", bad, "opml", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_version(self):
        r = self.run_dw("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^deskwire \d+\.\d+\.\d+\n$")
        self.assertEqual(self.run_dw("opml", "--version").stdout, r.stdout)

    def test_unknown_command(self):
        r = self.run_dw("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "deskwire: unknown command 'frobnicate' "
                         "(try 'deskwire --help')\n")
        self.assertEqual(r.stdout, "")

    def test_unknown_option_before_command(self):
        r = self.run_dw("--frobnicate", "opml", "export")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "deskwire: unknown option '--frobnicate'"
                         " (try 'deskwire --help')\n")

    def test_option_missing_value(self):
        for args, opt in ((["-c"], "-c"), (["opml", "export", "--config"],
                          "--config"), (["opml", "export", "--db"], "--db")):
            r = self.run_dw(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stderr,
                             "deskwire: option %s needs a value\n" % opt)

    def test_opml_usage_errors(self):
        conf = self.write("feeds.conf", "")
        for args, msg in (
                ([], "expected 'import FILE' or 'export'"),
                (["import"], "import: expected one FILE"),
                (["export", "x"], "export takes no arguments"),
                (["merge"], "unknown action 'merge'; expected import or "
                 "export")):
            r = self.run_dw("-c", conf, "opml", *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stderr, "deskwire opml: %s (try 'deskwire "
                             "opml --help')\n" % msg)

    # ---- common options anywhere ---------------------------------------

    def test_common_options_before_or_after(self):
        conf = self.write("my.conf",
                          "https://www.sec.gov/news/pressreleases.rss "
                          "name=\"SEC Press\" tags=regulation,sec\n"
                          "https://www.ecb.europa.eu/rss/press.html\n")
        db = os.path.join(self.tmp, "x.db")
        variants = [
            ["-c", conf, "opml", "export"],
            ["opml", "export", "-c", conf],
            ["opml", "-c", conf, "export"],
            ["--config", conf, "opml", "export"],
            ["opml", "export", "--config=" + conf],
            ["-v", "--db", db, "opml", "export", "-c", conf],
            ["opml", "export", "--db=" + db, "-c", conf, "-v"],
        ]
        outs = []
        for args in variants:
            r = self.run_dw(*args)
            self.assertEqual(r.returncode, 0, (args, r.stderr))
            outs.append(strip_date(r.stdout))
        for o in outs[1:]:
            self.assertEqual(o, outs[0])
        self.assertEqual([u for u, _, _ in opml_feeds(outs[0])],
                         ["https://www.sec.gov/news/pressreleases.rss",
                          "https://www.ecb.europa.eu/rss/press.html"])

    # ---- config errors touch nothing -----------------------------------

    def assert_untouched(self, db):
        self.assertFalse(os.path.exists(db))
        for d in ("data", "state", "cache"):
            p = os.path.join(self.tmp, d)
            self.assertFalse(os.path.exists(p) and os.listdir(p), p)
        self.assertEqual(os.listdir(self.home), [])

    def test_bad_config_line_exits_2(self):
        conf = self.write("feeds.conf", "# mine\nrefresh = 10m\n"
                          "refesh = 5m\nhttps://www.sec.gov/rss\n")
        db = os.path.join(self.tmp, "db", "deskwire.db")
        for args in (["-c", conf, "--db", db, "list"],
                     ["--db", db, "fetch", "--once", "-c", conf],
                     ["-c", conf, "--db", db, "opml", "export"],
                     ["-c", conf, "--db", db, "gc"]):
            r = self.run_dw(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stderr, "deskwire: %s:3: unknown setting "
                             "'refesh' (did you mean 'refresh'?)\n" % conf)
            self.assertEqual(r.stdout, "")
            self.assert_untouched(db)

    def test_bad_implicit_config_exits_2(self):
        # A broken ./feeds.conf is an error too, not "use defaults".
        with open(os.path.join(self.cwd, "feeds.conf"), "w") as f:
            f.write("https://example.com/rss nmae=X\n")
        r = self.run_dw("opml", "export")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "deskwire: ./feeds.conf:1: unknown feed "
                         "option 'nmae' (did you mean 'name'?); expected "
                         "name=, refresh=, weight= or tags=\n")

    def test_missing_explicit_config_exits_2(self):
        missing = os.path.join(self.tmp, "nope.conf")
        db = os.path.join(self.tmp, "x.db")
        r = self.run_dw("-c", missing, "--db", db, "list")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "deskwire: %s: No such file or "
                         "directory\n" % missing)
        self.assert_untouched(db)
        r = self.run_dw("opml", "export",
                        env={"DESKWIRE_CONFIG": missing})
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "deskwire: %s: No such file or "
                         "directory\n" % missing)

    def test_missing_implicit_config_means_defaults(self):
        r = self.run_dw("opml", "export")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(opml_feeds(r.stdout), [])
        # An empty $DESKWIRE_CONFIG is as good as unset.
        r = self.run_dw("opml", "export", env={"DESKWIRE_CONFIG": ""})
        self.assertEqual(r.returncode, 0, r.stderr)
        # Also with no HOME or XDG at all.
        r = self.run_dw("opml", "export",
                        env={"HOME": None, "XDG_CONFIG_HOME": None})
        self.assertEqual(r.returncode, 0, r.stderr)

    # ---- lookup order ---------------------------------------------------

    def test_lookup_order(self):
        xdg = os.path.join(self.env["XDG_CONFIG_HOME"], "deskwire",
                           "feeds.conf")
        homeconf = os.path.join(self.home, ".config", "deskwire",
                                "feeds.conf")
        for path, host in ((xdg, "xdg"), (homeconf, "home")):
            os.makedirs(os.path.dirname(path))
            with open(path, "w") as f:
                f.write("https://%s.example.com/rss\n" % host)
        with open(os.path.join(self.cwd, "feeds.conf"), "w") as f:
            f.write("https://cwd.example.com/rss\n")
        envconf = self.write("env.conf", "https://env.example.com/rss\n")
        cconf = self.write("c.conf", "https://c.example.com/rss\n")
        env = {"DESKWIRE_CONFIG": envconf}

        def url(h):
            return ["https://%s.example.com/rss" % h]

        self.assertEqual(self.export_urls("-c", cconf, env=env), url("c"))
        self.assertEqual(self.export_urls(env=env), url("env"))
        self.assertEqual(self.export_urls(), url("xdg"))
        # XDG_CONFIG_HOME set but without the file: ./feeds.conf.
        os.unlink(xdg)
        self.assertEqual(self.export_urls(), url("cwd"))
        # XDG_CONFIG_HOME unset: ~/.config/deskwire/feeds.conf.
        self.assertEqual(self.export_urls(env={"XDG_CONFIG_HOME": None}),
                         url("home"))
        os.unlink(homeconf)
        self.assertEqual(self.export_urls(env={"XDG_CONFIG_HOME": None}),
                         url("cwd"))

    # ---- OPML through the binary ----------------------------------------

    def test_opml_round_trip(self):
        with open(SUBS, encoding="utf-8") as f:
            src = opml_feeds(f.read())
        want, seen = [], set()
        for url, name, tags in src:
            if url not in seen:
                seen.add(url)
                want.append((url, name, tags))
        self.assertEqual(len(src), 8)
        self.assertEqual(len(want), 7)

        conf = self.write("feeds.conf", "")
        r = self.run_dw("-c", conf, "opml", "import", SUBS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "imported 7 feeds into %s (1 skipped)\n"
                         % conf)
        # The written conf loads and exports the same feeds.
        r = self.run_dw("-c", conf, "opml", "export")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = opml_feeds(r.stdout)
        self.assertEqual([g[0] for g in got], [w[0] for w in want])
        for (url, name, tags), (gurl, gname, gtags) in zip(want, got):
            # A feed with no title is named after its host.
            self.assertEqual(gname, name or re.sub(
                r"^www\.", "", url.split("/")[2]), url)
            self.assertEqual(gtags, tags, url)
        names = [g[1] for g in got]
        self.assertIn("Yahoo AMZN & NVDA", names)
        self.assertIn('Nasdaq "AMZN" news', names)
        self.assertIn("M&A Wire", names)
        # Export of the export: stable.
        conf2 = self.write("again.conf", "")
        exported = self.write("exported.opml", r.stdout)
        r2 = self.run_dw("-c", conf2, "opml", "import", exported)
        self.assertEqual(r2.returncode, 0, r2.stderr)
        r3 = self.run_dw("-c", conf2, "opml", "export")
        self.assertEqual(r3.returncode, 0, r3.stderr)
        self.assertEqual(strip_date(r3.stdout), strip_date(r.stdout))

    def test_import_skips_known_urls(self):
        conf = self.write(
            "feeds.conf",
            "refresh = 10m\n"
            "https://www.federalreserve.gov/feeds/press_monetary.xml "
            "name=Mine\n"
            "https://www.ecb.europa.eu/rss/press.html")  # no final newline
        r = self.run_dw("-c", conf, "opml", "import", SUBS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "imported 5 feeds into %s (3 skipped)\n"
                         % conf)
        text = self.read(conf)
        self.assertTrue(text.startswith(
            "refresh = 10m\n"
            "https://www.federalreserve.gov/feeds/press_monetary.xml "
            "name=Mine\n"
            "https://www.ecb.europa.eu/rss/press.html\n"))
        # Importing again adds nothing and leaves the file alone.
        r = self.run_dw("-c", conf, "opml", "import", SUBS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "imported 0 feeds into %s (8 skipped)\n"
                         % conf)
        self.assertEqual(self.read(conf), text)
        urls = self.export_urls("-c", conf)
        self.assertEqual(len(urls), 7)
        self.assertEqual(len(set(urls)), 7)

    def test_import_creates_missing_conf(self):
        conf = os.path.join(self.tmp, "new", "feeds.conf")
        os.makedirs(os.path.dirname(conf))
        r = self.run_dw("-c", conf, "opml", "import", SUBS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "imported 7 feeds into %s (1 skipped)\n"
                         % conf)
        self.assertEqual(len(self.export_urls("-c", conf)), 7)
        # Without -c and with no config anywhere: ./feeds.conf, where the
        # next run looks.
        r = self.run_dw("opml", "import", SUBS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "imported 7 feeds into ./feeds.conf "
                         "(1 skipped)\n")
        self.assertEqual(len(self.export_urls()), 7)
        # Export still needs an existing -c file.
        r = self.run_dw("-c", os.path.join(self.tmp, "nope.conf"), "opml",
                        "export")
        self.assertEqual(r.returncode, 2)

    def test_import_broken_xml(self):
        conf = self.write("feeds.conf", "refresh = 10m\n")
        broken = os.path.join(DATA, "broken.opml")
        r = self.run_dw("-c", conf, "opml", "import", broken)
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith(
            "deskwire opml: %s: not valid XML (line " % broken), r.stderr)
        self.assertTrue(r.stderr.endswith(")\n"))
        self.assertEqual(r.stderr.count("\n"), 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(self.read(conf), "refresh = 10m\n")
        # Nothing is created either.
        new = os.path.join(self.tmp, "new.conf")
        r = self.run_dw("-c", new, "opml", "import", broken)
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(new))
        # Not OPML at all, and a missing file.
        rss = self.write("feed.xml", "<rss version=\"2.0\"><channel>"
                         "</channel></rss>\n")
        r = self.run_dw("-c", conf, "opml", "import", rss)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "deskwire opml: %s: not an OPML document "
                         "(the root element is not <opml>)\n" % rss)
        r = self.run_dw("-c", conf, "opml", "import",
                        os.path.join(self.tmp, "none.opml"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("No such file or directory", r.stderr)
        self.assertEqual(self.read(conf), "refresh = 10m\n")

    def test_import_external_entity_not_loaded(self):
        secret = self.write("secret.txt", "TOPSECRET-CONTENT\n")
        doc = self.write(
            "evil.opml",
            '<?xml version="1.0"?>\n'
            '<!DOCTYPE opml [ <!ENTITY s SYSTEM "file://%s"> ]>\n'
            '<opml version="2.0"><head><title>&s;</title></head><body>\n'
            '<outline text="Wire" xmlUrl="https://a.example.com/rss"/>\n'
            '<outline text="&s;" xmlUrl="https://b.example.com/rss"/>\n'
            '</body></opml>\n' % secret)
        conf = self.write("feeds.conf", "")
        r = self.run_dw("-c", conf, "opml", "import", doc)
        self.assertNotIn("TOPSECRET", r.stdout + r.stderr)
        self.assertNotIn("TOPSECRET", self.read(conf))
        self.assertIn(r.returncode, (0, 2))
        r = self.run_dw("-c", conf, "opml", "import",
                        os.path.join(DATA, "xxe.opml"))
        self.assertNotIn("root:", self.read(conf))
        self.assertNotIn("root:", r.stdout + r.stderr)

    def test_imported_odd_values_still_load(self):
        # Names and URLs with quotes, '#', '=' and backslashes must be
        # written so that feeds.conf still parses to the same values.
        doc = self.write(
            "odd.opml",
            '<?xml version="1.0"?>\n<opml version="2.0"><body>\n'
            '<outline text="It&apos;s &quot;odd&quot; #1 = \\o/" '
            'xmlUrl="https://a.example.com/it\'s?q=&quot;x&quot;#f"/>\n'
            '<outline text="Tab&#9;and&#10;newline" '
            'xmlUrl="https://b.example.com/rss" category="a=b,c d"/>\n'
            '<outline text="Not a web feed" xmlUrl="ftp://c.example.com/x"/>'
            '\n</body></opml>\n')
        conf = self.write("feeds.conf", "")
        r = self.run_dw("-c", conf, "opml", "import", doc)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ftp://c.example.com/x", r.stderr)
        self.assertEqual(r.stdout, "imported 2 feeds into %s (1 skipped)\n"
                         % conf)
        r = self.run_dw("-c", conf, "opml", "export")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = opml_feeds(r.stdout)
        self.assertEqual(got, [
            ("https://a.example.com/it's?q=\"x\"#f",
             "It's \"odd\" #1 = \\o/", []),
            ("https://b.example.com/rss", "Tab and newline",
             ["a=b", "c d"]),
        ])


if __name__ == "__main__":
    unittest.main()
