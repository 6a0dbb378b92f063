#!/bin/sh
# make install into a temporary root (program, libraries, header, reprint.pc,
# man pages), then a program built with nothing but
# `pkg-config --cflags --libs reprint` indexes texts, queries and compares
# them, linked against libreprint.so and (with --static) libreprint.a. The
# shared library exports the rp_ API only.
# Env: BUILD (absolute build folder; default: the one holding $REPRINT);
# under make, MAKEFLAGS carries the caller's build variables (sanitizers)
# to the `make install` below, and TEST_LDFLAGS its link flags.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/cli/common.inc"
: "${BUILD:=$(dirname "$REPRINT")}"
command -v pkg-config >/dev/null || fail "pkg-config is not installed (scripts/install-deps installs it)"
CC=${CC:-cc}

check "make install DESTDIR=... PREFIX=/usr"
make -s --no-print-directory -C "$root" BUILD="$BUILD" DESTDIR="$tmp/root" PREFIX=/usr install \
    >install.log 2>&1 || { cat install.log >&2; fail "make install failed"; }
d="$tmp/root/usr"
for f in bin/reprint include/reprint.h lib/libreprint.a lib/pkgconfig/reprint.pc; do
    [ -f "$d/$f" ] || fail "not installed: $f"
done
so=$(cd "$d/lib" && ls libreprint.so.*.*.*)
soname=$(readelf -d "$d/lib/$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
case $soname in libreprint.so.[0-9]*) ;; *) fail "soname '$soname'" ;; esac
[ "$(readlink "$d/lib/$soname")" = "$so" ] || fail "$soname is not a link to $so"
[ "$(readlink "$d/lib/libreprint.so")" = "$soname" ] || fail "libreprint.so is not a link to $soname"
for page in "$root"/man/*.1; do
    [ -f "$d/share/man/man1/$(basename "$page")" ] || fail "man page not installed: $page"
done
grep -q '^prefix=/usr$' "$d/lib/pkgconfig/reprint.pc" || fail "reprint.pc prefix: $(cat "$d/lib/pkgconfig/reprint.pc")"

check "libreprint.so exports rp_ names only"
nm -D --defined-only "$d/lib/$so" | awk '{ print $NF }' >exports
[ "$(grep -c '^rp_' exports)" -gt 50 ] || fail "few rp_ exports: $(wc -l <exports)"
if grep -v '^rp_' exports >other; then fail "non-rp_ symbols exported: $(tr '\n' ' ' <other)"; fi

cat >prog.c <<'C'
/* Index two articles, query with a rewrite of one, compare two texts. */
#include <reprint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = malloc(1 << 16);
    *len = b ? fread(b, 1, 1 << 16, f) : 0;
    fclose(f);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 5) return 2;
    char err[512] = "";
    rp_db *db = NULL;
    rp_err e = rp_db_open(&db, argv[1], 0);
    if (e) {
        fprintf(stderr, "open: %s: %s\n", rp_strerror(e), db ? rp_db_errmsg(db) : "");
        rp_db_close(db);
        return 3;
    }
    const char *paths[] = {argv[2], argv[3]};
    rp_index_opts io = {0};
    io.jobs = 1;
    rp_index_stats st = {0};
    if ((e = rp_index_paths(db, paths, 2, &io, &st, err, sizeof err))) {
        fprintf(stderr, "index: %s: %s\n", rp_strerror(e), err);
        return 3;
    }
    printf("indexed %llu\n", (unsigned long long)st.indexed);
    size_t alen = 0, blen = 0;
    char *a = slurp(argv[2], &alen), *b = slurp(argv[4], &blen);
    if (!a || !b) return 3;
    rp_hit *hits = NULL;
    size_t n = 0;
    if ((e = rp_query_text(db, b, blen, -1, 5, &hits, &n, err, sizeof err))) {
        fprintf(stderr, "query: %s: %s\n", rp_strerror(e), err);
        return 3;
    }
    for (size_t i = 0; i < n; i++) printf("hit %s %.4f\n", hits[i].id, hits[i].m.score);
    rp_hits_free(hits, n);
    rp_match m;
    memset(&m, 0, sizeof m);
    if ((e = rp_compare_texts(a, alen, b, blen, &m))) return 3;
    printf("compare %.4f passages %zu\n", m.score, m.npassages);
    rp_match_clear(&m);
    free(a);
    free(b);
    rp_db_close(db);
    return 0;
}
C
write_budget budget.txt
write_flood flood.txt
write_budget_copy copy.txt
PKG_CONFIG_PATH="$d/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
PKG_CONFIG_SYSROOT_DIR="$tmp/root"
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
[ "$(pkg-config --modversion reprint)" = "$("$d/bin/reprint" --version | cut -d' ' -f2)" ] ||
    fail "reprint.pc version is not reprint --version's"

# run_prog BIN: the program's output must show both articles indexed, the
# rewrite found as a copy of the budget story, and a comparison with passages.
run_prog() {
    rm -f p.db*
    "$@" p.db budget.txt flood.txt copy.txt >prog.out 2>prog.err ||
        fail "$1 failed: $(cat prog.err)"
    grep -q '^indexed 2$' prog.out || fail "$1: $(cat prog.out)"
    grep -Eq '^hit budget.txt 0\.[2-9]|^hit budget.txt 1\.0' prog.out || fail "$1: no hit: $(cat prog.out)"
    if grep -q '^hit flood.txt' prog.out; then fail "$1: the flood story matched"; fi
    grep -Eq '^compare 0\.([3-9]|2[2-9]).* passages [1-9]' prog.out || fail "$1: compare: $(cat prog.out)"
}

check "a program built with pkg-config --cflags --libs reprint (shared)"
# shellcheck disable=SC2046,SC2086
"$CC" -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags reprint) -o prog prog.c \
    $(pkg-config --libs reprint) ${TEST_LDFLAGS:-} || fail "cannot build against libreprint.so"
readelf -d prog | grep -q "NEEDED.*\[$soname\]" || fail "prog does not need $soname"
LD_LIBRARY_PATH="$d/lib" run_prog ./prog
sed 's/^/  /' prog.out

check "the same program linked with pkg-config --static --libs reprint (libreprint.a)"
# shellcheck disable=SC2046,SC2086
"$CC" -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags reprint) -o prog-static prog.c \
    $(pkg-config --static --libs reprint | sed 's/-lreprint /-l:libreprint.a /') ${TEST_LDFLAGS:-} ||
    fail "cannot build against libreprint.a"
if readelf -d prog-static | grep -q 'NEEDED.*libreprint'; then fail "prog-static needs libreprint.so"; fi
run_prog ./prog-static
echo "install: all checks passed"
