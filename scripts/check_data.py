#!/usr/bin/env python3
"""Check the shipped dictionaries and labelled sets for format errors.

Usage: scripts/check_data.py [REPO_ROOT]

Checks data/tickers.tsv, data/private.tsv, tests/data/sentiment_*.tsv and
tests/data/tickers_dev.tsv: column counts, allowed flags, exchanges, sectors
and labels, unique tickers, no alias shared by two entries (compared without
case), and that every expected ticker in tickers_dev.tsv is in the
dictionary.  Prints counts; exits 1 on the first file with errors.
"""
import collections
import os
import sys

SECTORS = {
    "Information Technology", "Communication Services",
    "Consumer Discretionary", "Consumer Staples", "Health Care",
    "Financials", "Industrials", "Energy", "Materials", "Utilities",
    "Real Estate",
}
EXCHANGES = {"NASDAQ", "NYSE", "NYSE American", "NYSE Arca", "Cboe"}
LABELS = {"positive", "negative", "neutral"}
AGREEMENTS = {"all", "most"}


def rows(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            yield n, line.split("\t")


def check_tickers(path, errs):
    tickers = {}
    alias_owner = {}
    flags = collections.Counter()
    sectors = collections.Counter()
    naliases = 0
    for n, f in rows(path):
        where = "%s:%d" % (path, n)
        if len(f) != 7:
            errs.append("%s: %d columns, want 7" % (where, len(f)))
            continue
        tick, exch, name, aliases, fl, sector, mcap = f
        if not tick or tick != tick.strip() or tick != tick.upper():
            errs.append("%s: bad ticker %r" % (where, tick))
        if tick in tickers:
            errs.append("%s: duplicate ticker %s" % (where, tick))
        tickers[tick] = f
        if exch not in EXCHANGES:
            errs.append("%s: bad exchange %r" % (where, exch))
        if not name.strip():
            errs.append("%s: empty name" % where)
        if fl != "-" and (not fl or set(fl) - set("wc") or
                          len(set(fl)) != len(fl)):
            errs.append("%s: bad flags %r" % (where, fl))
        flags[fl] += 1
        if sector not in SECTORS and sector != "ETF":
            errs.append("%s: bad sector %r" % (where, sector))
        sectors[sector] += 1
        if not mcap.isdigit():
            errs.append("%s: MCAP not an integer: %r" % (where, mcap))
        if aliases == "-":
            continue
        seen = set()
        for a in aliases.split("|"):
            if not a or a != a.strip():
                errs.append("%s: empty or padded alias" % where)
                continue
            key = a.casefold()
            if key in seen:
                continue
            seen.add(key)
            naliases += 1
            owner = alias_owner.get(key)
            if owner is not None and owner != tick:
                errs.append("%s: alias %r also on %s" % (where, a, owner))
            alias_owner[key] = tick
    for key, owner in alias_owner.items():
        if key.upper() in tickers and key.upper() != owner:
            errs.append("%s: alias %r of %s is another ticker" %
                        (path, key, owner))
    print("%s: %d tickers, %d aliases; flags %s" %
          (path, len(tickers), naliases, dict(sorted(flags.items()))))
    print("  sectors: %s" % ", ".join("%s %d" % kv for kv in
                                      sorted(sectors.items())))
    return tickers, alias_owner


def check_private(path, alias_owner, errs):
    count = 0
    for n, f in rows(path):
        where = "%s:%d" % (path, n)
        if len(f) != 4:
            errs.append("%s: %d columns, want 4" % (where, len(f)))
            continue
        name, aliases, sector, note = f
        count += 1
        if sector not in SECTORS:
            errs.append("%s: bad sector %r" % (where, sector))
        if not note.strip():
            errs.append("%s: empty note" % where)
        names = [name] + ([] if aliases == "-" else aliases.split("|"))
        for a in names:
            key = a.casefold()
            if not a or a != a.strip():
                errs.append("%s: empty or padded alias" % where)
            elif key in alias_owner and alias_owner[key] != name:
                errs.append("%s: %r also on %s" %
                            (where, a, alias_owner[key]))
            alias_owner.setdefault(key, name)
    print("%s: %d private companies" % (path, count))


def check_sentiment(path, errs):
    labels = collections.Counter()
    agree = collections.Counter()
    texts = set()
    for n, f in rows(path):
        where = "%s:%d" % (path, n)
        if len(f) != 3:
            errs.append("%s: %d columns, want 3" % (where, len(f)))
            continue
        label, ag, text = f
        if label not in LABELS:
            errs.append("%s: bad label %r" % (where, label))
        if ag not in AGREEMENTS:
            errs.append("%s: bad agreement %r" % (where, ag))
        if not text.strip():
            errs.append("%s: empty text" % where)
        if text in texts:
            errs.append("%s: duplicate text" % where)
        texts.add(text)
        labels[label] += 1
        agree[ag] += 1
    total = sum(labels.values()) or 1
    print("%s: %d sentences; %s; agreement %s" % (
        path, sum(labels.values()),
        ", ".join("%s %d (%.0f%%)" % (k, v, 100.0 * v / total)
                  for k, v in sorted(labels.items())),
        dict(sorted(agree.items()))))


def check_ticker_set(path, tickers, errs):
    count = none = multi = 0
    texts = set()
    for n, f in rows(path):
        where = "%s:%d" % (path, n)
        if len(f) != 2:
            errs.append("%s: %d columns, want 2" % (where, len(f)))
            continue
        expected, text = f
        count += 1
        if text in texts:
            errs.append("%s: duplicate text" % where)
        texts.add(text)
        if expected == "-":
            none += 1
            continue
        syms = expected.split(",")
        if len(syms) > 1:
            multi += 1
        for s in syms:
            if s not in tickers:
                errs.append("%s: %s is not in the dictionary" % (where, s))
    print("%s: %d headlines (%d expect none, %d expect several)" %
          (path, count, none, multi))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    os.chdir(root)
    errs = []
    tickers, aliases = check_tickers("data/tickers.tsv", errs)
    check_private("data/private.tsv", dict(aliases), errs)
    for name in ("dev", "heldout", "fresh", "blind", "blind2"):
        check_sentiment("tests/data/sentiment_%s.tsv" % name, errs)
    check_ticker_set("tests/data/tickers_dev.tsv", tickers, errs)
    for e in errs:
        print(e, file=sys.stderr)
    print("%d errors" % len(errs))
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
