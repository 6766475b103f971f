#!/bin/sh
# Compiles models/agents.txt, the agent nouns and titles `evtag classify`
# gives actors their PLOVER agent type from, out of the Open Event Data
# Alliance agents dictionary ($SHARED/gazetteers/plover-agents.txt, MIT).
#
#   sh training/agents.sh [SOURCE [OUT]]
#
# What it does to the source (PETRARCH format, `NOUN [~TYPE]`):
#  - `!NAME! = A, B, C` substitution sets are expanded (`!MINIST!_OF_DEFENCE`
#    becomes "minister of defence", "ministry of defence", ...); the source's
#    accidental "AD!MINIST!RATION" (a substitution run over "ADMINISTRATION")
#    is read as "ADMINISTRATION";
#  - `{ALT}` alternative spellings (irregular plurals) become entries of
#    their own; `_` and spaces join words; `# comments` are dropped;
#  - phrases are lowercased (matching is case-insensitive anyway); a phrase
#    with bytes outside ASCII (one mis-encoded Spanish name) is dropped;
#  - a phrase listed twice keeps its first type (the later ones are
#    counted on stderr).
# The output (see its header) is `TYPE phrase`, sorted by type and phrase,
# then evtag's own additions from training/agents-extra.txt (agent nouns
# the dictionary lacks, such as "official", and intergovernmental
# organisations), marked as such.
# Regular plurals are not listed: the matcher tries them (PETRARCH's rule).
set -e
: "${SHARED:=../shared}"
src=${1:-$SHARED/gazetteers/plover-agents.txt}
out=${2:-models/agents.txt}
extra=${AGENTS_EXTRA-$(dirname "$0")/agents-extra.txt}
[ -r "$src" ] || { echo "agents.sh: cannot read $src" >&2; exit 1; }
tmp=$(mktemp "${out}.XXXXXX")
trap 'rm -f "$tmp" "$tmp.body"' EXIT

export LC_ALL=C
awk -v src="$src" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
# Expands the first !NAME! of p into the array res (from index n+1);
# returns the new count.
function expand(p, res, n,    rs, rl, name, parts, i, np) {
	if (match(p, /![A-Z]+!/) == 0) { res[++n] = p; return n }
	rs = RSTART; rl = RLENGTH
	name = substr(p, rs, rl)
	if (!(name in sets)) { printf "%s: unknown substitution set %s\n", src, name > "/dev/stderr"; bad = 1; return n }
	np = split(sets[name], parts, ",")
	for (i = 1; i <= np; i++)
		n = expand(substr(p, 1, rs - 1) trim(parts[i]) substr(p, rs + rl), res, n)
	return n
}
function emit(p, type,    key) {
	gsub(/_/, " ", p); gsub(/[ \t]+/, " ", p); p = tolower(trim(p))
	if (p == "") return
	if (p ~ /[^\001-\177]/) { dropped++; return }
	if (p in seen) { if (seen[p] != type) dups++; return }
	seen[p] = type
	printf "%s\t%s\n", type, p
	kept++
}
{
	sub(/\r$/, "")
	line = $0
	sub(/#.*/, "", line)
	line = trim(line)
	if (line == "") next
	if (line ~ /^![A-Z]+! *=/) {
		name = line; sub(/ *=.*/, "", name)
		val = line; sub(/^[^=]*= */, "", val)
		sets[name] = val
		next
	}
	if (index(line, "[~") == 0) { printf "%s:%d: no [~TYPE] in: %s\n", src, NR, line > "/dev/stderr"; bad = 1; next }
	type = line; sub(/.*\[~/, "", type); sub(/\].*/, "", type)
	if (type !~ /^([A-Z][A-Z][A-Z])+$/) { printf "%s:%d: bad type %s\n", src, NR, type > "/dev/stderr"; bad = 1; next }
	phrase = line; sub(/\[~.*/, "", phrase)
	gsub(/AD!MINIST!RAT/, "ADMINISTRAT", phrase)
	nalt = 0
	if (match(phrase, /\{[^}]*\}/)) {
		alt[++nalt] = substr(phrase, RSTART + 1, RLENGTH - 2)
		phrase = substr(phrase, 1, RSTART - 1) substr(phrase, RSTART + RLENGTH)
	}
	alt[++nalt] = phrase
	for (a = nalt; a >= 1; a--) {
		delete res
		n = expand(alt[a], res, 0)
		for (i = 1; i <= n; i++) emit(res[i], type)
	}
}
END {
	printf "agents.sh: %d entries from %s (%d duplicate phrases with another type ignored, %d non-ASCII dropped)\n", kept, src, dups, dropped > "/dev/stderr"
	if (bad) exit 1
}' "$src" | sort -t "$(printf '\t')" -k1,1 -k2,2 > "$tmp.body"

{
	cat <<'EOF'
# evtag agents: agent nouns and titles with their PLOVER/CAMEO agent type.
#
# `evtag classify` gives each source and target actor the type of the
# longest phrase of this file found among the actor's words (ties: the
# leftmost), or, for a person's name with none, of a title just before
# it ("President" in "President Vladimir Putin"). Matching is
# case-insensitive and word by word; a phrase's last word also matches
# its regular plural ("rebels", "ministries"). See docs/output.md.
#
# Format: one entry a line, `TYPE phrase words`: TYPE is one or more
# three-letter codes written together (GOVMIL: government, military),
# then spaces or tabs, then the phrase. TYPE may follow an ISO 3166
# alpha-3 country code and a slash, `RUS/GOV kremlin`, for a phrase that
# names one country's institution: an actor with no country of its own
# takes that one. `#` starts a comment (a line, or
# the rest of a line after a space). Types NON, JNK and UNK mark phrases
# that name no agent ("military conflict"): a match gives no type and
# keeps shorter phrases inside it from matching.
# Here MED is medical (doctors, hospitals) and JRN journalists and news
# media, as the source dictionary has it.
# The last lines are evtag's own additions (training/agents-extra.txt).
# Extend or override with `evtag classify --agents FILE` (same format;
# its entries win), or use only your file with --agents-only.
#
# Generated by training/agents.sh from ../shared/gazetteers/plover-agents.txt:
# the Open Event Data Alliance CAMEO/PLOVER agents dictionary as shipped
# with NGEC (ahalterman/NGEC, NGEC/assets/PLOVER_agents.txt, commit
# 787a06ba), under the MIT licence:
#
#   The MIT License (MIT)
#
#   Copyright (c) 2014 Open Event Data Alliance
#
#   Permission is hereby granted, free of charge, to any person obtaining a
#   copy of this software and associated documentation files (the
#   "Software"), to deal in the Software without restriction, including
#   without limitation the rights to use, copy, modify, merge, publish,
#   distribute, sublicense, and/or sell copies of the Software, and to
#   permit persons to whom the Software is furnished to do so, subject to
#   the following conditions:
#
#   The above copyright notice and this permission notice shall be included
#   in all copies or substantial portions of the Software.
#
#   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
#   OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
#   MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
#   IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY
#   CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT,
#   TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
#   SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
#
EOF
	cat "$tmp.body"
	if [ -n "$extra" ] && [ -r "$extra" ]; then
		printf '\n# ---- added by evtag (training/agents-extra.txt), not in the OEDA dictionary\n'
		grep -v '^#' "$extra" | grep -v '^[[:space:]]*$' | sed 's/ /\t/'
	fi
} > "$tmp"
mv "$tmp" "$out"
trap - EXIT
rm -f "$tmp.body"
