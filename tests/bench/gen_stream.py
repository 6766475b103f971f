#!/usr/bin/env python3
"""Writes a stream of generated news articles as JSON lines to stdout,
for the load benchmark (bench-load.sh); bench-classify.sh imports
its CoNLL-to-text functions.

usage: gen_stream.py CONLL MEGABYTES [SEED]

Sentences come from the running text of a CoNLL corpus (token in the
first column). Each article draws 5 to 60 of them at random, so articles
differ in length and content; about one sentence in ten gets a made-up
name ("Zarvenko-48213") that no model has seen, so that anything cached
per new string would show up as growth. Ids are sequential, dates cycle
through 2001-2024. Stops after MEGABYTES * 2^20 bytes (whole lines).
"""
import json
import random
import sys

NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "'s", "n't", "%", "'"}


def token_sentences(path):
    """The sentences of a CoNLL file (token in the first column) as lists
    of tokens; -DOCSTART- lines and blank lines end a sentence."""
    out, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                if cur:
                    out.append(cur)
                cur = []
                continue
            tok = line.split()[0]
            if tok == "-DOCSTART-":
                if cur:
                    out.append(cur)
                cur = []
                continue
            cur.append(tok)
    if cur:
        out.append(cur)
    return out


def join(tokens):
    """Tokens joined as news text writes them (no space before closing
    punctuation and clitics, none after opening brackets and $)."""
    text = ""
    for t in tokens:
        if text and t not in NO_SPACE_BEFORE and not text.endswith(("(", "[", "$")):
            text += " "
        text += t
    return text


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: gen_stream.py CONLL MEGABYTES [SEED]")
    pool = [join(t) for t in token_sentences(sys.argv[1])]
    if not pool:
        sys.exit("gen_stream.py: no sentences in " + sys.argv[1])
    limit = int(float(sys.argv[2]) * (1 << 20))
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    syll = ["za", "ro", "vek", "mir", "tan", "ul", "osh", "ka", "bri", "den"]
    out = sys.stdout.buffer
    written, n, chunk = 0, 0, []
    while written < limit:
        k = rng.randint(5, 60)
        sents = []
        for s in rng.sample(pool, k):
            if rng.random() < 0.1:
                name = "".join(rng.choice(syll) for _ in range(3)).capitalize()
                s = "%s-%d said %s" % (name, rng.randint(0, 99999), s[0].lower() + s[1:])
            sents.append(s)
        year = 2001 + n % 24
        line = json.dumps({"id": "load-%07d" % n,
                           "date": "%d-%02d-%02d" % (year, 1 + n % 12, 1 + n % 28),
                           "text": " ".join(sents)}, ensure_ascii=False)
        b = (line + "\n").encode("utf-8")
        chunk.append(b)
        written += len(b)
        n += 1
        if len(chunk) == 256:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk))
    out.flush()
    sys.stderr.write("%d articles, %d bytes\n" % (n, written))


if __name__ == "__main__":
    main()
