#!/bin/bash
# Installs libcontid into a temporary prefix and checks what a consumer sees:
# the library and its SONAME, the one public header, the pkg-config file, the
# exported symbols, and that examples/contid-example.c builds with nothing but
# `pkg-config --cflags --libs libcontid` and runs successfully.
#
# Usage: test-install.sh SOURCE_DIR [MESON]   (meson test runs it)
set -euo pipefail

srcdir=${1:?usage: test-install.sh SOURCE_DIR [MESON]}
meson=${2:-meson}
srcdir=$(cd "$srcdir" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/libcontid-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail() {
	echo "test-install: FAIL: $*" >&2
	exit 1
}

echo "# configuring a separate build into $prefix"
# --libdir=lib: Debian's meson would otherwise pick lib/<multiarch>.
"$meson" setup "$tmp/build" "$srcdir" --prefix="$prefix" --libdir=lib \
	-Dtests=disabled >"$tmp/setup.log" 2>&1 ||
	{ cat "$tmp/setup.log" >&2; fail "meson setup"; }
"$meson" compile -C "$tmp/build" >"$tmp/compile.log" 2>&1 ||
	{ cat "$tmp/compile.log" >&2; fail "meson compile"; }
"$meson" install -C "$tmp/build" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log" >&2; fail "meson install"; }

echo "# installed files"
(cd "$prefix" && find . \( -type f -o -type l \) | LC_ALL=C sort)

# The library, under its SONAME.
lib=$prefix/lib/libcontid.so.0
[ -e "$lib" ] || fail "lib/libcontid.so.0 is not installed"
[ -e "$prefix/lib/libcontid.so" ] || fail "lib/libcontid.so (link name) is not installed"
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ "$soname" = "libcontid.so.0" ] || fail "SONAME is '$soname', not libcontid.so.0"

# Exactly one header: contid.h.
[ -f "$prefix/include/contid.h" ] || fail "include/contid.h is not installed"
headers=$(cd "$prefix" && find . -name '*.h' | LC_ALL=C sort)
[ "$headers" = "./include/contid.h" ] ||
	fail "installed headers are not just include/contid.h: $headers"

# The pkg-config file.
pcdir=
for d in "$prefix"/lib*/pkgconfig; do
	if [ -f "$d/libcontid.pc" ]; then
		pcdir=$d
		break
	fi
done
[ -n "$pcdir" ] || fail "lib*/pkgconfig/libcontid.pc is not installed"

# Exported symbols: only contid_* (the version node shows as an absolute
# symbol, type A, and is not a symbol anyone can call).
nm -D --defined-only "$lib" >"$tmp/nm.txt"
bad=$(awk '$2 != "A" && $3 !~ /^contid_/ { print $3 }' "$tmp/nm.txt")
[ -z "$bad" ] || fail "exported symbols outside contid_*: $(tr "\n" " " <<<"$bad")"
# ... and every function the header declares is among them.
declared=$(sed -n 's/^[A-Za-z_][A-Za-z0-9_ ]*[ *]\(contid_[a-z0-9_]*\)(.*/\1/p' \
	"$prefix/include/contid.h" | LC_ALL=C sort -u)
[ -n "$declared" ] || fail "found no function declarations in contid.h"
exported=$(awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' "$tmp/nm.txt" |
	LC_ALL=C sort -u)
missing=$(LC_ALL=C comm -23 <(echo "$declared") <(echo "$exported"))
[ -z "$missing" ] || fail "declared in contid.h but not exported: $(tr "\n" " " <<<"$missing")"

# A consumer that knows only pkg-config.
export PKG_CONFIG_PATH=$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
version=$(pkg-config --modversion libcontid) || fail "pkg-config cannot find libcontid"
echo "# pkg-config finds libcontid $version"
cp "$srcdir/examples/contid-example.c" "$tmp/"
# shellcheck disable=SC2046 # pkg-config output must split into words
(cd "$tmp" && cc contid-example.c -o contid-example \
	$(pkg-config --cflags --libs libcontid)) ||
	fail "examples/contid-example.c does not build with pkg-config"

echo "# running the example against the installed library"
LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
	"$tmp/contid-example" || fail "contid-example exited with status $?"
ldd_out=$(LD_LIBRARY_PATH=$prefix/lib ldd "$tmp/contid-example")
grep -qF "libcontid.so.0 => $prefix/lib/libcontid.so.0" <<<"$ldd_out" ||
	fail "the example did not use the installed library: $ldd_out"

echo "test-install: PASS"
