#!/bin/sh
# The Python package (python/): built with pip from a copy of python/ against
# this build's libreprint.a (REPRINT_BUILD; offline: no build isolation, so
# Debian's setuptools and wheel build it), then its pytest suite. The README's
# way (a fresh venv, pip's isolated build from Debian's wheels, against an
# installed copy) is tests/cli/slow/examples.sh. Skipped, saying which Debian
# package is missing, without Python's headers, setuptools, wheel or pytest.
# Under sanitizers the extension carries the instrumented library, so Python
# runs with the sanitizer runtime preloaded (leak checks off: the interpreter
# keeps memory to the end by design). Env: BUILD, REPRINT, PYTHON, CC,
# TEST_LDFLAGS (see common.inc and the Makefile).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/cli/common.inc"
: "${BUILD:=$(dirname "$REPRINT")}"

skip() {
    echo "python: skipped: $* (as root: scripts/install-deps python)"
    exit 0
}
"$PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null ||
    skip "no Python headers (Debian package python3-dev)"
"$PYTHON" -m pip --version >/dev/null 2>&1 || skip "no pip (python3-pip)"
"$PYTHON" -c 'import setuptools' 2>/dev/null || skip "no setuptools (python3-setuptools)"
"$PYTHON" -c 'import wheel' 2>/dev/null || skip "no wheel (python3-wheel)"
"$PYTHON" -c 'import pytest; pytest.main' 2>/dev/null || skip "no pytest (python3-pytest)"
[ -f "$BUILD/libreprint.a" ] || fail "no $BUILD/libreprint.a: run make first"

preload=""
case "${TEST_LDFLAGS:-}" in
*sanitize=address*) preload=$(${CC:-cc} -print-file-name=libasan.so) ;;
*sanitize=undefined*) preload=$(${CC:-cc} -print-file-name=libubsan.so) ;;
esac

check "pip builds the extension against $BUILD/libreprint.a"
cp -r "$root/python" pkg
rm -rf pkg/build pkg/src/*.egg-info
REPRINT_BUILD="$BUILD" CC="${CC:-cc}" LDFLAGS="${TEST_LDFLAGS:-}" PIP_NO_INDEX=1 \
    "$PYTHON" -m pip install -q --no-build-isolation --no-deps --target site ./pkg >pip.out 2>&1 ||
    { cat pip.out >&2; fail "pip could not build the package"; }
ls site/reprint/_reprint*.so >/dev/null 2>&1 || fail "no extension built: $(cat pip.out)"
if nm -D site/reprint/_reprint*.so | grep -q ' U rp_'; then
    fail "the extension leaves rp_ symbols to the loader: libreprint.a was not linked in"
fi

check "pytest"
LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 PYTHONPATH="$tmp/site" REPRINT="$REPRINT" \
    "$PYTHON" -m pytest -q -p no:cacheprovider pkg/tests >pytest.out 2>&1 ||
    { cat pytest.out >&2; fail "pytest failed"; }
tail -n 1 pytest.out | sed 's/^/  /'
grep -q ' passed' pytest.out || fail "pytest ran nothing: $(cat pytest.out)"
if grep -q 'skipped' pytest.out; then fail "pytest skipped tests: $(cat pytest.out)"; fi
echo "python: all checks passed"
