#!/bin/sh
# layers.sh SRC: checks the layering rule of the source tree under SRC.
# Layers, lowest first: base text features learn {coder eval} api cli. A file
# may include (with #include "layer/name.h") only headers of its own folder
# or of a lower layer; coder and eval are siblings and may not include each
# other. Files of one module (name.c, name.h and name_*.[ch]) form one node
# of the module graph, which must have no circle. Prints one line per
# violation and exits 1 if there is any.
src=${1:?usage: layers.sh SRC}
rank() {
	case $1 in
	base) echo 0 ;; text) echo 1 ;; features) echo 2 ;; learn) echo 3 ;;
	coder|eval) echo 4 ;; api) echo 5 ;; cli) echo 6 ;; *) echo -1 ;;
	esac
}
bad=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in "$src"/*.[ch]; do
	[ -e "$f" ] || continue
	echo "$f: source file outside a layer folder"; bad=1
done
for f in "$src"/*/*.[ch]; do
	[ -e "$f" ] || continue
	dir=$(basename "$(dirname "$f")"); name=$(basename "$f")
	r=$(rank "$dir")
	if [ "$r" = -1 ]; then echo "$f: '$dir' is not a layer"; bad=1; continue; fi
	mod="$dir/${name%.[ch]}"; mod=${mod%%_*}
	echo "$mod $mod" >>"$edges"
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	sed 's/^\([0-9]*\):.*"\(.*\)".*/\1 \2/' >"$edges.inc"
	while read -r line inc; do
		case $inc in
		*/*/*|../*|./*|/*) echo "$f:$line: include \"$inc\": write it as \"layer/name.h\""; bad=1; continue ;;
		*/*) ;;
		*) echo "$f:$line: include \"$inc\": name its layer (\"layer/$inc\")"; bad=1; continue ;;
		esac
		idir=${inc%%/*}; ir=$(rank "$idir")
		if [ ! -f "$src/$inc" ]; then echo "$f:$line: \"$inc\" does not exist"; bad=1; continue; fi
		if [ "$ir" -gt "$r" ] || { [ "$ir" = "$r" ] && [ "$idir" != "$dir" ]; }; then
			echo "$f:$line: $dir includes \"$inc\" from a layer above or beside it"; bad=1
		fi
		imod=${inc%.h}; imod=${imod%%_*}
		echo "$mod $imod" >>"$edges"
	done <"$edges.inc"
	rm -f "$edges.inc"
done
# tsort prints the modules of a circle on stderr ("input contains a loop").
loop=$(sort -u "$edges" | tsort 2>&1 >/dev/null)
if [ -n "$loop" ]; then echo "module graph has a circle:"; echo "$loop"; bad=1; fi
exit $bad
