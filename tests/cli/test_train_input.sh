#!/bin/sh
# Training that cannot be misused: bad training input is refused before
# any work, with the file (and line) and a hint, exit 1 and no model file;
# a label seen once is a warning. The presets reproduce the shipped
# recipes: --preset penta writes training/train-penta.sh's model byte for
# byte (models/penta.evm).
T_NAME=test_train_input
. tests/cli/lib.sh
T=$T_TMP
C=${SHARED%/}/corpora
PENTA=$C/events/cameo-penta/train.tsv

# refused FILE-PATTERN NAME ARGS...: train exits 1, names the file, gives
# a hint, writes no model (-o $T/never.evm).
refused() {
	pat=$1; what=$2; shift 2
	rm -f "$T/never.evm"
	expect_status 1 "$EVTAG" train "$@" -o "$T/never.evm"
	expect_grep "$T/err" "$pat"
	expect_grep "$T/err" '^hint: '
	expect_true "$what: no model written" test ! -e "$T/never.evm"
	expect_true "$what: no temporary file left" test -z "$(ls "$T" | grep -e '^never\.evm.')"
}

# a small good corpus: three labels, twelve examples each
awk 'BEGIN { split("ACCUSE CONSULT ASSAULT", l, " ");
	for (i = 0; i < 36; i++) print l[i % 3 + 1] "\t" "Country " i " did something to " l[i % 3 + 1] " " i % 7 }' >"$T/good.tsv"
expect_status 0 "$EVTAG" train classifier -q --corpus "$T/good.tsv" -o "$T/good.evm" --min-df 1
expect_true "a good corpus trains" test -s "$T/good.evm"

# the swapped-column file: text<TAB>label
head -n 200 "$PENTA" | awk -F'\t' '{ print $2 "\t" $1 }' >"$T/swapped.tsv"
refused 'swapped\.tsv:1: the label .* holds text' "swapped columns" classifier -q --corpus "$T/swapped.tsv"
expect_grep "$T/err" 'columns swapped'
# a long label without spaces
printf 'ACCUSE\tRussia blamed Ukraine.\n%s\tRussia said no.\n' "$(printf 'X%.0s' $(seq 80))" >"$T/long-label.tsv"
refused 'long-label\.tsv:2: .*more than 64 bytes' "a very long label" classifier -q --corpus "$T/long-label.tsv"
# nearly one label per example (labels without spaces)
awk '{ print "L" NR "\tsome text number " NR }' "$T/good.tsv" >"$T/many-labels.tsv"
refused 'many-labels\.tsv: 36 labels for 36 examples' "one label per example" classifier -q --corpus "$T/many-labels.tsv"
# a CoNLL file as classifier corpus (token<TAB>tag), and a TSV as tagger corpus
printf 'Police\tO\nin\tO\nParis\tB-LOC\n\nMary\tB-PER\nleft\tO\n' >"$T/tokens.conll"
refused 'tokens\.conll:1: this looks like CoNLL' "CoNLL as classifier corpus" classifier -q --corpus "$T/tokens.conll"
expect_grep "$T/err" 'evtag train tagger --corpus'
refused 'swapped\.tsv:1: .*not CoNLL' "TSV as tagger corpus" tagger -q --corpus "$T/swapped.tsv"
refused 'good\.tsv:1: .*not CoNLL' "LABEL<TAB>text as tagger corpus" tagger -q --corpus "$T/good.tsv"
expect_grep "$T/err" 'evtag train classifier --corpus'
printf 'Police O\nin O\n' >"$T/ok.conll"
refused 'good\.tsv:1: .*not CoNLL' "a TSV as tagger --dev" tagger -q --corpus "$T/ok.conll" --dev "$T/good.tsv"
# empty corpora and empty --dev files
: >"$T/empty.tsv"
refused 'empty\.tsv: no examples' "an empty classifier corpus" classifier -q --corpus "$T/empty.tsv"
refused 'empty\.tsv: no examples' "an empty classifier --dev" classifier -q --corpus "$T/good.tsv" --min-df 1 --dev "$T/empty.tsv"
refused 'empty\.tsv: .*no sentences' "an empty tagger corpus" tagger -q --corpus "$T/empty.tsv"
refused 'empty\.tsv: .*no sentences' "an empty tagger --dev" tagger -q --corpus "$T/ok.conll" --dev "$T/empty.tsv"
gzip -c "$T/empty.tsv" >"$T/empty.tsv.gz"
refused 'empty\.tsv\.gz: no examples' "an empty gzip corpus" classifier -q --corpus "$T/empty.tsv.gz"
# a --dev file that does not exist is refused before training, too
expect_status 1 "$EVTAG" train classifier -q --corpus "$T/good.tsv" --dev "$T/missing.tsv" -o "$T/never.evm"
expect_grep "$T/err" 'missing\.tsv: No such file'
expect_true "a missing --dev: no model written" test ! -e "$T/never.evm"
# one label only
awk -F'\t' '{ print "ACCUSE\t" $2 }' "$T/good.tsv" >"$T/one-label.tsv"
refused 'one-label\.tsv: one label' "a single label" classifier -q --corpus "$T/one-label.tsv"

# a label seen once: a warning with file and line, the model is written
{ cat "$T/good.tsv"; printf 'PROTEST\tCrowds marched in Minsk.\n'; } >"$T/once.tsv"
expect_status 0 "$EVTAG" train classifier --corpus "$T/once.tsv" -o "$T/once.evm" --min-df 1
expect_grep "$T/err" "once\.tsv:37: warning: the label 'PROTEST' is seen only once"
expect_true "a warning writes the model" test -s "$T/once.evm"

# presets: named in --help, unknown ones refused, and --preset penta is
# the shipped recipe (same model bytes as models/penta.evm)
expect_status 0 "$EVTAG" train classifier --help
expect_grep "$T/out" -- '--preset NAME +penta or plover'
expect_status 0 "$EVTAG" train tagger --help
expect_grep "$T/out" -- '--preset NAME +entities or roles'
expect_status 2 "$EVTAG" train classifier --preset nope --corpus "$T/good.tsv" -o "$T/never.evm"
expect_grep "$T/err" "unknown --preset 'nope'"
expect_status 2 "$EVTAG" train tagger --preset nope --corpus "$T/ok.conll" -o "$T/never.evm"
expect_status 2 env EVTAG_SHARED="$T/nowhere" "$EVTAG" train tagger --preset roles --corpus "$T/ok.conll" -o "$T/never.evm"
expect_grep "$T/err" 'nowhere/gazetteers/countries.csv'
# a preset's data files give way to the options given
expect_status 1 env EVTAG_SHARED="$T/nowhere" "$EVTAG" train tagger --preset entities --gazetteer "$T/other.csv" --vclusters "$T/other.tsv" --corpus "$T/ok.conll" -o "$T/never.evm"
expect_no_grep "$T/err" 'nowhere/gazetteers'
expect_grep "$T/err" 'nowhere/corpora|other\.csv'
expect_true "no model" test ! -e "$T/never.evm"
# the entities preset's word-vector clusters come from EVTAG_CACHE; the vc
# templates and --vclusters need each other
expect_status 2 env EVTAG_SHARED="${SHARED%/}" EVTAG_CACHE="$T/nowhere" "$EVTAG" train tagger --preset entities --corpus "$T/ok.conll" -o "$T/never.evm"
expect_grep "$T/err" 'nowhere/glove-clusters.tsv'
expect_status 2 "$EVTAG" train tagger --templates default,vc --corpus "$T/ok.conll" -o "$T/never.evm"
expect_grep "$T/err" 'vc templates need --vclusters'
expect_status 2 "$EVTAG" train tagger --vclusters "$T/other.tsv" --corpus "$T/ok.conll" -o "$T/never.evm"
expect_grep "$T/err" '--vclusters needs a vc template'
expect_status 2 "$EVTAG" train tagger --templates default,vc --vclusters "$T/other.tsv" --vlevels 64,x --corpus "$T/ok.conll" -o "$T/never.evm"
expect_grep "$T/err" '--vlevels'
expect_status 2 env EVTAG_SHARED="$T/nowhere" "$EVTAG" train classifier --preset penta --corpus "$T/good.tsv" -o "$T/never.evm"
expect_grep "$T/err" 'nowhere/lexicons/cameo-verbs.tsv'
if [ -f "$PENTA" ] && [ -f models/penta.evm ] && [ "${EVTAG_QUICK:-0}" != 1 ]; then
	expect_status 0 env EVTAG_SHARED="${SHARED%/}" "$EVTAG" train classifier -q --preset penta --corpus "$PENTA" -o "$T/penta.evm"
	expect_true "--preset penta writes models/penta.evm byte for byte" cmp -s "$T/penta.evm" models/penta.evm
fi

t_done
