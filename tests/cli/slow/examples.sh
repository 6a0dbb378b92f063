#!/bin/sh
# The README's worked examples ("Using reprint from C and Python"), copied out
# of README.md and run word for word against `make install PREFIX=<temporary>`:
# the C program built with the README's pkg-config line, the Python package
# installed into a fresh venv with the README's pip line, and the README's
# Python script; both must index, cluster and query a generated corpus as the
# command line does. Then the package's pytest suite runs against that
# installed copy. Parts whose tools are missing are skipped, saying which
# package provides them. Env: BUILD, REPRINT, PYTHON (see common.inc), and
# TEST_LDFLAGS (under sanitizers the README's plain build lines cannot link
# an instrumented library: the test says so and skips).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/cli/common.inc"
: "${BUILD:=$(dirname "$REPRINT")}"

case "${TEST_LDFLAGS:-}" in
*sanitize*)
    echo "examples: skipped under sanitizers (the README's build lines link no sanitizer" \
        "runtime; install.sh links an installed copy under them)"
    exit 0
    ;;
esac
command -v pkg-config >/dev/null || fail "pkg-config is not installed (scripts/install-deps installs it)"
command -v cc >/dev/null || fail "cc is not installed (scripts/install-deps installs gcc)"

# extract NAME FILE: the code block after "<!-- example: NAME -->" in README.md.
extract() {
    awk -v want="<!-- example: $1 -->" '
        $0 == want { found = 1; next }
        found == 1 && /^```/ { found = 2; next }
        found == 2 && /^```$/ { exit }
        found == 2 { print }
    ' "$root/README.md" >"$2"
    [ -s "$2" ] || fail "README.md has no example '$1'"
}

check "make install PREFIX=<temporary>"
make -s --no-print-directory -C "$root" BUILD="$BUILD" PREFIX="$tmp/prefix" install \
    >install.log 2>&1 || { cat install.log >&2; fail "make install failed"; }
PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
export PKG_CONFIG_PATH
unset PKG_CONFIG_SYSROOT_DIR

check "a corpus, and what the command line finds in it"
"$BUILD/benchmarks/datagen" --seed 11 --stories 60 --negatives 10 --out corpus.jsonl \
    --truth truth.tsv >/dev/null 2>&1 || fail "datagen failed"
"$REPRINT" index -q -d ref.db corpus.jsonl 2>/dev/null
"$REPRINT" cluster -q -d ref.db --json >ref.json
want_clusters=$(wc -l <ref.json | tr -d ' ')
[ "$want_clusters" -gt 5 ] || fail "only $want_clusters clusters in the corpus"
want_clustered=$("$PYTHON" -c 'import json,sys; print(sum(json.loads(l)["size"] for l in open(sys.argv[1])))' ref.json)

# check_output FILE: the example's report matches the command line's.
check_output() {
    grep -q "^indexed [1-9][0-9]*, exact duplicates [0-9]*, rejected 0$" "$1" ||
        fail "no index line: $(cat "$1")"
    grep -q "^clusters $want_clusters, clustered articles $want_clustered$" "$1" ||
        fail "clusters differ from reprint cluster's ($want_clusters, $want_clustered): $(cat "$1")"
    q=$(sed -n 's/^query with \(.*\):$/\1/p' "$1")
    [ -n "$q" ] || fail "no query line: $(cat "$1")"
    # the original finds itself first, with its whole text
    grep -A1 "^query with " "$1" | tail -n 1 | grep -q "^  $q 1.0000$" ||
        fail "the query did not find $q first: $(cat "$1")"
    [ "$(grep -c '^  ' "$1")" -ge 2 ] || fail "the query found no copy: $(cat "$1")"
}

check "the README's C program, built with its pkg-config line"
mkdir c && cp corpus.jsonl c/ && cd c
extract example.c example.c
extract c.sh c.sh
sh -eu c.sh >out.txt 2>err.txt || fail "the C example failed: $(cat err.txt)"
[ -x example ] || fail "no example program built"
readelf -d example | grep -q 'NEEDED.*libreprint.so' || fail "example does not use libreprint.so"
check_output out.txt
sed 's/^/  /' out.txt
cd ..

# The Python part: skipped, saying why, where its tools are missing.
skip_python() {
    echo "examples: Python part skipped: $* (as root: scripts/install-deps python)"
    echo "examples: C checks passed"
    exit 0
}
"$PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' ||
    skip_python "no Python headers (Debian package python3-dev)"
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || skip_python "no venv/ensurepip (python3-venv)"
ls /usr/share/python-wheels/setuptools-*.whl >/dev/null 2>&1 ||
    skip_python "no setuptools wheel (python3-setuptools-whl)"
ls /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1 || skip_python "no wheel wheel (python3-wheel-whl)"

check "the README's pip line, in a fresh venv, from a copy of python/"
mkdir py bin && cp corpus.jsonl py/ && cp -r "$root/python" py/python && rm -rf py/python/build py/python/src/*.egg-info
ln -s "$PYTHON" bin/python3 # the README's python3: this test's Python
cd py
extract python-install.sh install.sh
extract example.py example.py
extract python.sh run.sh
HOME="$tmp/home" PATH="$tmp/bin:$PATH" sh -eu install.sh >install.out 2>&1 ||
    { cat install.out >&2; fail "the README's install failed"; }
grep -q 'Successfully installed reprint' install.out || fail "pip did not install reprint: $(tail -n 5 install.out)"
ldd "$tmp/home/reprint-venv/lib/"python3*/site-packages/reprint/_reprint*.so | grep -q "$tmp/prefix/lib/libreprint.so" ||
    fail "the extension does not load the installed libreprint.so"

check "the README's Python script"
HOME="$tmp/home" PATH="$tmp/bin:$PATH" sh -eu run.sh >out.txt 2>err.txt ||
    fail "the Python example failed: $(cat err.txt)"
check_output out.txt
grep -q "^compare with .*: score 0\.[2-9][0-9]*, [1-9][0-9]* passages$\|^compare with .*: score 1\.0000, [1-9][0-9]* passages$" out.txt ||
    fail "no comparison: $(cat out.txt)"
sed 's/^/  /' out.txt
cd ..

check "pytest on the installed package"
if ! "$PYTHON" -c 'import pytest; pytest.main' 2>/dev/null; then
    echo "examples: pytest skipped: no pytest (python3-pytest; as root: scripts/install-deps python)"
    echo "examples: the README's C and Python examples passed"
    exit 0
fi
site=$("$tmp/home/reprint-venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
cp -r "$root/python/tests" pytests
PYTHONPATH="$site" REPRINT="$REPRINT" "$PYTHON" -m pytest -q -p no:cacheprovider pytests \
    >pytest.out 2>&1 || { cat pytest.out >&2; fail "pytest failed"; }
tail -n 1 pytest.out | sed 's/^/  /'
grep -q ' passed' pytest.out || fail "pytest ran nothing: $(cat pytest.out)"
if grep -q 'skipped' pytest.out; then fail "pytest skipped tests: $(cat pytest.out)"; fi
echo "examples: all checks passed"
