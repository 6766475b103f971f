#!/bin/sh
# Checks that the C headers evtag builds against are there. When one is
# missing: as root with apt-get, installs the Debian package; otherwise
# names the package to install and fails.
CC=${CC:-cc}
missing=""
have() { printf '#include <%s>\n' "$1" | $CC -E -x c -I/usr/include/libsvm - >/dev/null 2>&1; }
have gsl/gsl_errno.h || missing="$missing libgsl-dev"
have svm.h || missing="$missing libsvm-dev"
have zlib.h || missing="$missing zlib1g-dev"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "evtag: installing missing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq $missing >&2 && exit 0
	echo "evtag: apt-get failed to install:$missing" >&2
	exit 1
fi
echo "evtag: missing build dependencies. Install the Debian packages:$missing" >&2
echo "       (sudo apt-get install$missing, or run 'make deps' as root)" >&2
exit 1
