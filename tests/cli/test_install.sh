#!/bin/sh
# make install into a temporary prefix (and with DESTDIR): the binary, both
# libraries with their links, only the public header evtag.h, evtag.pc, the
# models and the man pages; libevtag.so exports only evtag_ symbols; the
# README's C example (examples/code_article.c) built with
# `pkg-config --cflags --libs evtag` codes the sample article from the
# installed models (evtag_open(NULL)) byte for byte as `evtag classify`
# does; make uninstall removes every file again.
. tests/cli/lib.sh
ART="${SHARED}samples/article-2020-10-09.txt"
MODELS="${EVTAG_MODELS:-$PWD/models}"
: "${BUILD:=build}"
P="$T_TMP/prefix"
CC=${CC:-cc}
if ! command -v pkg-config >/dev/null 2>&1; then
	echo "$T_NAME: SKIPPED: pkg-config is not installed (make deps as root installs it)" >&2
	t_done
	exit
fi
# a sub-make of its own (not the jobserver nor the DATADIR of the make
# check running us: everything goes under the temporary prefix)
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DATADIR -u LIBDIR -u INCDIR -u MANDIR -u PREFIX -u DESTDIR ${MAKE:-make} -s SAN="${SAN:-}" "$@"; }
san=""
case ${SAN:-} in 1) san="-fsanitize=address,undefined" ;; esac

# ---- the shared library exports the API only
expect_true "$BUILD/libevtag.so has the soname libevtag.so.0" \
	sh -c "readelf -d '$BUILD/libevtag.so' | grep -q 'SONAME.*libevtag.so.0]'"
nm -D --defined-only "$BUILD/libevtag.so" | grep -v ' evtag_' >"$T_TMP/nm"
expect_true "libevtag.so exports only evtag_ symbols: $(head -c 300 "$T_TMP/nm")" test ! -s "$T_TMP/nm"
expect_true "libevtag.so exports evtag_code" \
	sh -c "nm -D --defined-only '$BUILD/libevtag.so' | grep -q ' T evtag_code$'"

# ---- install into a prefix
expect_status 0 mk install PREFIX="$P"
for f in bin/evtag lib/libevtag.a lib/libevtag.so.0.1.0 include/evtag.h lib/pkgconfig/evtag.pc; do
	expect_true "installed $f" test -f "$P/$f"
done
expect_true "lib/libevtag.so.0 -> libevtag.so.0.1.0" test "$(readlink "$P/lib/libevtag.so.0")" = libevtag.so.0.1.0
expect_true "lib/libevtag.so -> libevtag.so.0" test "$(readlink "$P/lib/libevtag.so")" = libevtag.so.0
expect_true "only evtag.h under include/: $(cd "$P/include" && find . | tr '\n' ' ')" \
	test "$(cd "$P/include" && find . -mindepth 1)" = ./evtag.h
for m in models/*.evm models/agents.txt; do
	[ -f "$m" ] || continue
	expect_true "installed $m in share/evtag/models" test -f "$P/share/evtag/$m"
done
for m in man/*.1; do
	[ -f "$m" ] || continue
	expect_true "installed man page $m" test -f "$P/share/man/man1/${m#man/}"
done

export PKG_CONFIG_PATH="$P/lib/pkgconfig"
expect_status 0 pkg-config --cflags --libs evtag
expect_grep "$T_TMP/out" "^-I$P/include -L$P/lib -levtag"
expect_status 0 pkg-config --static --libs evtag
expect_grep "$T_TMP/out" "-lsvm.*-pthread"
expect_status 0 pkg-config --modversion evtag
expect_grep "$T_TMP/out" '^0\.1\.0$'

# ---- the README's C example against the installed library
# shellcheck disable=SC2046
expect_status 0 $CC -std=c11 -Wall -Wextra -Werror $san examples/code_article.c \
	$(pkg-config --cflags --libs evtag) -o "$T_TMP/code_article"
# the README shows lines of this example, and this compile line
sed -n '/^## Library/,/^## /p' README.md | sed -n '/^```c/,/^```/p' | sed '1d;$d' >"$T_TMP/readme.c"
expect_true "README's Library section shows C code" test -s "$T_TMP/readme.c"
while IFS= read -r line; do
	[ -n "$line" ] || continue
	grep -qxF -- "$line" examples/code_article.c || t_bad "README line not in examples/code_article.c: $line"
done <"$T_TMP/readme.c"
expect_grep README.md '^cc examples/code_article.c \$\(pkg-config --cflags --libs evtag\) -o code_article$'

have_models=1
for m in entities roles plover penta; do [ -f "$MODELS/$m.evm" ] && [ -f "$P/share/evtag/models/$m.evm" ] || have_models=0; done
if [ "$have_models" = 1 ] && [ -x "$T_TMP/code_article" ]; then
	# evtag_open(NULL) finds the models installed beside the library
	expect_status 0 env -u EVTAG_MODELS LD_LIBRARY_PATH="$P/lib" "$T_TMP/code_article" "$ART"
	cp "$T_TMP/out" "$T_TMP/example.json"
	expect_status 0 env EVTAG_MODELS="$MODELS" "$EVTAG" classify "$ART"
	expect_true "the example's output is byte-identical to evtag classify" cmp -s "$T_TMP/out" "$T_TMP/example.json"
	expect_true "the example printed records" test "$(wc -l <"$T_TMP/example.json")" -ge 8
	# an explicit folder, and a wrong one
	expect_status 0 env LD_LIBRARY_PATH="$P/lib" "$T_TMP/code_article" "$ART" "$P/share/evtag/models"
	expect_true "the example with a models folder" cmp -s "$T_TMP/out" "$T_TMP/example.json"
	expect_status 1 env LD_LIBRARY_PATH="$P/lib" "$T_TMP/code_article" "$ART" "$T_TMP/none"
	expect_grep "$T_TMP/err" "code_article: cannot read model $T_TMP/none/entities.evm"
	# the installed binary finds the installed models too
	expect_status 0 env -u EVTAG_MODELS "$P/bin/evtag" classify "$ART"
	expect_true "the installed evtag finds the installed models" cmp -s "$T_TMP/out" "$T_TMP/example.json"
else
	echo "$T_NAME: SKIPPED the example run: no shipped models in $MODELS" >&2
fi

# ---- uninstall leaves no file behind
expect_status 0 mk uninstall PREFIX="$P"
expect_true "files left after uninstall: $(find "$P" -type f -o -type l | head -5 | tr '\n' ' ')" \
	test -z "$(find "$P" -type f -o -type l)"

# ---- DESTDIR: staged under it, configured for PREFIX
expect_status 0 mk install PREFIX=/opt/evtag DESTDIR="$T_TMP/stage"
expect_true "staged evtag.h" test -f "$T_TMP/stage/opt/evtag/include/evtag.h"
expect_grep "$T_TMP/stage/opt/evtag/lib/pkgconfig/evtag.pc" '^prefix=/opt/evtag$'
expect_status 0 mk uninstall PREFIX=/opt/evtag DESTDIR="$T_TMP/stage"
expect_true "staged files left after uninstall" test -z "$(find "$T_TMP/stage" -type f -o -type l)"
t_done
