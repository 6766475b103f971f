#!/usr/bin/env python3
"""A seeded random sample of a tagger's errors, for reading by hand.

Input: a conlleval-format file (token first, gold tag and predicted tag
last), such as `evtag tag --model M --conll GOLD.conll` writes. Spans are
read as IOB2 (an I- after O or after another type starts a span). An
error group is a run of gold and predicted spans that do not match
exactly and overlap one another; each is printed with six tokens of
context either side:

    N <TAB> sentence S <TAB> context
        GOLD span:TYPE | ...     (- where gold has no span there)
        PRED span:TYPE | ...

Usage: error-sample.py PRED.conll [SEED [COUNT]]   (defaults: 1, 60)
The total number of error groups goes to standard error. The same file,
seed and count give the same sample (Python's random.Random(SEED)).
"""
import random
import re
import sys


def spans(tags):
    """(first, last + 1, type) of each IOB2 span of tags."""
    out, cur = [], None
    for i, t in enumerate(tags + ["O"]):
        starts = t.startswith("B-") or (t.startswith("I-") and (cur is None or cur[2] != t[2:]))
        if cur is not None and (t == "O" or starts):
            out.append((cur[0], i, cur[2]))
            cur = None
        if t != "O" and (starts or cur is None):
            cur = (i, None, t[2:])
    return out


def sentences(path):
    rows = []
    try:
        f = open(path, "rb")
    except OSError as e:
        sys.exit("error-sample: %s: %s" % (path, e.strerror))
    with f:
        for no, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                sys.exit("error-sample: %s:%d: not UTF-8" % (path, no))
            cols = [c for c in re.split("[ \t]+", line.rstrip("\r\n")) if c]
            if not cols:
                if rows:
                    yield rows
                rows = []
                continue
            if len(cols) < 3:
                sys.exit("error-sample: %s:%d: fewer than three columns (token, gold tag, "
                         "predicted tag)" % (path, no))
            rows.append(cols)
    if rows:
        yield rows


def groups(path):
    for si, rows in enumerate(sentences(path)):
        words = [r[0] for r in rows]
        gold = set(spans([r[-2] for r in rows]))
        pred = set(spans([r[-1] for r in rows]))
        bad = sorted([(a, b, t, "G") for a, b, t in gold - pred] +
                     [(a, b, t, "P") for a, b, t in pred - gold])
        run = []
        for x in bad:
            if run and x[0] >= max(y[1] for y in run):
                yield si, words, run
                run = []
            run.append(x)
        if run:
            yield si, words, run


def show(words, run, side):
    s = " | ".join("%s:%s" % (" ".join(words[a:b]), t) for a, b, t, w in run if w == side)
    return s or "-"


def main():
    usage = __doc__.split("\n\n")[-1].split("\n")[0]
    if len(sys.argv) < 2 or len(sys.argv) > 4:
        sys.exit(usage)
    try:
        seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
        count = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    except ValueError:
        sys.exit("error-sample: SEED and COUNT are whole numbers\n" + usage)
    if count < 0:
        sys.exit("error-sample: COUNT must not be negative\n" + usage)
    errs = list(groups(sys.argv[1]))
    print("%d error groups" % len(errs), file=sys.stderr)
    pick = random.Random(seed).sample(errs, min(count, len(errs)))
    for n, (si, words, run) in enumerate(pick):
        a = max(0, min(x[0] for x in run) - 6)
        b = min(len(words), max(x[1] for x in run) + 6)
        print("%d\tsentence %d\t%s" % (n, si, " ".join(words[a:b])))
        print("\tGOLD %s" % show(words, run, "G"))
        print("\tPRED %s" % show(words, run, "P"))


if __name__ == "__main__":
    main()
