#!/bin/sh
# The layering rule (README, "Layout"): no file includes one from a layer
# above or beside it, every include names its layer, and the module graph
# has no circle. The checker is also run on small trees that break each
# rule, so that it is known to fail when it should.
. tests/cli/lib.sh
chk=tests/tools/layers.sh

expect_status 0 sh "$chk" src
[ -s "$T_TMP/out" ] && t_bad "src: $(head -c 600 "$T_TMP/out")"

# fixture: a tree with one module per layer, clean
mk() { mkdir -p "$T_TMP/$1/$(dirname "$2")"; printf '%b' "$3" >"$T_TMP/$1/$2"; }
mk ok base/err.h '/* err */\n'
mk ok base/err.c '#include "base/err.h"\n'
mk ok learn/tagger.h '#include "base/err.h"\n'
mk ok learn/tagger_int.h '#include "learn/tagger.h"\n'
mk ok learn/tagger.c '#include "learn/tagger_int.h"\n#include <stdio.h>\n'
mk ok cli/main.c '#include "learn/tagger.h"\n'
expect_status 0 sh "$chk" "$T_TMP/ok"

# an upward include
cp -r "$T_TMP/ok" "$T_TMP/up"
mk up base/err.c '#include "base/err.h"\n#include "learn/tagger.h"\n'
expect_status 1 sh "$chk" "$T_TMP/up"
expect_grep "$T_TMP/out" 'base/err.c:2: base includes "learn/tagger.h" from a layer above'

# siblings: coder may not include eval
cp -r "$T_TMP/ok" "$T_TMP/side"
mk side eval/eval.h '\n'
mk side coder/pipe.c '#include "eval/eval.h"\n'
expect_status 1 sh "$chk" "$T_TMP/side"
expect_grep "$T_TMP/out" 'coder/pipe.c:1: .*beside'

# api sits above coder and below cli: cli may include it, coder may not
cp -r "$T_TMP/ok" "$T_TMP/api"
mk api api/evtag.h '\n'
mk api api/evtag.c '#include "api/evtag.h"\n#include "learn/tagger.h"\n'
mk api cli/main.c '#include "api/evtag.h"\n'
expect_status 0 sh "$chk" "$T_TMP/api"
mk api coder/pipe.c '#include "api/evtag.h"\n'
expect_status 1 sh "$chk" "$T_TMP/api"
expect_grep "$T_TMP/out" 'coder/pipe.c:1: coder includes "api/evtag.h" from a layer above'

# the circle this tree once had: crf.h needs tagger.h, tagger.c needs crf.h
cp -r "$T_TMP/ok" "$T_TMP/circle"
mk circle learn/crf.h '#include "learn/tagger.h"\n'
mk circle learn/tagger.c '#include "learn/crf.h"\n'
expect_status 1 sh "$chk" "$T_TMP/circle"
expect_grep "$T_TMP/out" 'circle'

# a bare include, a file outside the layers, a missing header
cp -r "$T_TMP/ok" "$T_TMP/bare"
mk bare cli/main.c '#include "tagger.h"\n#include "learn/nope.h"\n'
mk bare loose.c '\n'
expect_status 1 sh "$chk" "$T_TMP/bare"
expect_grep "$T_TMP/out" 'cli/main.c:1: .*name its layer'
expect_grep "$T_TMP/out" 'cli/main.c:2: "learn/nope.h" does not exist'
expect_grep "$T_TMP/out" 'loose.c: source file outside a layer folder'
t_done
