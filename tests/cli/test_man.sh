#!/bin/sh
# The man pages in man/ stay true to --help: every long option that
# `evtag CMD --help` prints appears in that command's page (evtag-CMD.1;
# train and eval with both their kinds), every option a page describes
# (the tag line after .TP) is one --help knows, every command of `evtag
# --help` has a page, and every page renders with `groff -ww -man` without
# a single warning. groff comes from the Debian package groff-base: when it
# is missing it is installed as root, else that check is skipped, saying so.
T_NAME=test_man
. tests/cli/lib.sh

# longopts FILE: the long options (--name) in FILE, one a line.
longopts() { grep -o -- '--[a-z0-9][a-z0-9-]*' "$1" | sort -u; }
# plain PAGE: the page's source with roff's \- as -.
plain() { sed 's/\\-/-/g' "$1"; }

# check_page PAGE HELP-ARGS...: options of every `evtag ARGS --help` are in PAGE.
check_page() {
	page=$1; shift
	: >"$T_TMP/help"
	for args in "$@"; do
		# shellcheck disable=SC2086
		"$EVTAG" $args --help >>"$T_TMP/help" 2>&1 || t_bad "evtag $args --help failed"
	done
	if [ ! -f "$page" ]; then t_bad "$page is missing"; return; fi
	plain "$page" >"$T_TMP/page"
	missing=""
	for o in $(longopts "$T_TMP/help"); do
		grep -Eq -- "$o([^a-z0-9-]|\$)" "$T_TMP/page" || missing="$missing $o"
	done
	if [ -z "$missing" ]; then t_ok; else t_bad "$page lacks options of --help:$missing"; fi
	# the options the page describes (.TP tag lines) all exist
	awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' "$T_TMP/page" >"$T_TMP/tags"
	longopts "$T_TMP/help" >"$T_TMP/known"
	unknown=""
	for o in $(longopts "$T_TMP/tags"); do
		grep -qx -- "$o" "$T_TMP/known" || unknown="$unknown $o"
	done
	if [ -z "$unknown" ]; then t_ok; else t_bad "$page describes options --help does not know:$unknown"; fi
}

check_page man/evtag.1 ""
for cmd in classify split tag predict score; do
	check_page "man/evtag-$cmd.1" "$cmd"
done
check_page man/evtag-train.1 train "train tagger" "train classifier"
check_page man/evtag-eval.1 eval "eval tagger" "eval classifier"
check_page man/evtag-vectors.1 vectors "vectors cluster"

# every command of `evtag --help` has its page, named in evtag.1
"$EVTAG" --help >"$T_TMP/top"
cmds=$(awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 } c && /^$/ { c = 0 }' "$T_TMP/top")
expect_true "evtag --help lists commands" [ -n "$cmds" ]
for cmd in $cmds; do
	if [ -f "man/evtag-$cmd.1" ] && plain man/evtag.1 | grep -q "evtag-$cmd (1)\|evtag-$cmd(1)\|^\.BR evtag-$cmd (1)"; then t_ok
	else t_bad "command $cmd: man/evtag-$cmd.1 missing or not listed in man/evtag.1"; fi
done

# rendering: no groff warning at all
if ! command -v groff >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "test_man: installing the Debian package groff-base (groff is missing)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq groff-base >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq groff-base >/dev/null 2>&1; }
fi
if command -v groff >/dev/null 2>&1; then
	for page in man/*.1; do
		groff -ww -man -Tutf8 "$page" >"$T_TMP/out" 2>"$T_TMP/warn"
		rc=$?
		if [ $rc = 0 ] && [ ! -s "$T_TMP/warn" ] && [ -s "$T_TMP/out" ]; then t_ok
		else t_bad "groff -ww -man $page: exit $rc: $(head -c 400 "$T_TMP/warn")"; fi
	done
else
	echo "test_man: SKIPPED the rendering check: groff is missing; install the Debian package groff-base (as root: apt-get install groff-base)"
fi
t_done
