#!/bin/sh
# The man pages: one per command and reprint(1), each rendered without a
# warning by every renderer at hand (mandoc -T lint, groff -ww, man), each
# naming every long option its command's --help prints, and each carrying
# the version reprint --version prints.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/cli/common.inc"
man_dir="$root/man"

renderers=""
command -v mandoc >/dev/null 2>&1 && renderers="$renderers mandoc"
command -v groff >/dev/null 2>&1 && renderers="$renderers groff"
command -v man >/dev/null 2>&1 && renderers="$renderers man"
if [ -z "$renderers" ]; then
    echo "SKIP man page rendering: no mandoc, groff or man (scripts/install-deps installs mandoc)"
fi

# The commands are the ones reprint --help lists.
"$REPRINT" --help >help
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' help)
[ "$(echo "$cmds" | wc -w)" -ge 7 ] || fail "commands from --help: $cmds"
version=$("$REPRINT" --version | cut -d' ' -f2)

for c in "" $cmds; do
    page="$man_dir/reprint${c:+-$c}.1"
    name="reprint${c:+ $c}"
    check "$name: $(basename "$page")"
    [ -f "$page" ] || fail "no man page for '$name': $page"
    grep -q "^\.TH .* \"reprint $version\"" "$page" || fail "$page: .TH does not say reprint $version"
    for r in $renderers; do
        case $r in
        mandoc) mandoc -T lint -W warning "$page" >warn 2>&1 || true ;;
        groff) groff -man -ww -z "$page" >warn 2>&1 || echo "groff failed" >>warn ;;
        man) MANWIDTH=80 man --warnings -l "$page" 2>warn >rendered || echo "man failed" >>warn ;;
        esac
        [ ! -s warn ] || fail "$r warns on $page: $(cat warn)"
    done
    # Every long option of --help, in the page's text (roff escapes removed).
    # shellcheck disable=SC2086
    "$REPRINT" $c --help >help
    sed 's/\\-/-/g; s/\\f[BIRP]//g' "$page" >page.txt
    flags=$(grep -o -- '--[a-z][a-z-]*' help | sort -u)
    [ -n "$flags" ] || fail "no long options in '$name --help'"
    for f in $flags; do
        grep -Eq -- "$f([^a-z-]|\$)" page.txt || fail "$page does not mention $f"
    done
    echo "  $(echo "$flags" | wc -l) long options, rendered by:${renderers:- none}"
done
echo "man: all checks passed"
