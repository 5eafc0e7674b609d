#!/bin/bash
# Builds libcontid twice from SOURCE_DIR, installs each build into a prefix of
# its own, and checks what a consumer of each install sees.
#
# shared: the library alone (-Dprocsim=disabled -Dtests=disabled
#   -Ddefault_library=shared).  Setting it up looks up nothing but uthash
#   (its meson log and `meson introspect --dependencies` say so) and
#   registers no test.  It installs the shared library under its SONAME with
#   its link name, the one public header, the pkg-config file and
#   libcontid(3), and nothing else; the library exports contid_* only, and
#   every function that contid.h declares.
# static: -Ddefault_library=static, with procsim (tests still disabled).  It
#   installs the archive and no shared object, the same header, pkg-config
#   file and libcontid(3), procsim and procsim(1), whose .TH names the
#   project's version, as `procsim --version` does.
# shared-procsim: the shared library with procsim, which must start and
#   replay a scenario from the prefix with no LD_LIBRARY_PATH (its rpath).
#
# Against each install, examples/contid-example.c builds with nothing but
# `pkg-config --cflags --libs libcontid` (with --static for the archive) and
# runs successfully; pkg-config reports the project's version.
#
# Usage: test-install.sh SOURCE_DIR [MESON]   (meson test runs it)
set -euo pipefail

srcdir=${1:?usage: test-install.sh SOURCE_DIR [MESON]}
meson=${2:-meson}
srcdir=$(cd "$srcdir" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/libcontid-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "test-install: FAIL: $*" >&2
	exit 1
}

# build_and_install NAME OPTION...: a build in $tmp/NAME/build installed
# into $tmp/NAME/prefix, its logs in $tmp/NAME/.
build_and_install() {
	local name=$1 dir=$tmp/$1
	shift

	echo "# $name: configuring a separate build ($*) into $dir/prefix"
	mkdir "$dir"
	# --libdir=lib: Debian's meson would otherwise pick lib/<multiarch>.
	"$meson" setup "$dir/build" "$srcdir" --prefix="$dir/prefix" \
		--libdir=lib "$@" >"$dir/setup.log" 2>&1 ||
		{ cat "$dir/setup.log" >&2; fail "$name: meson setup"; }
	"$meson" compile -C "$dir/build" >"$dir/compile.log" 2>&1 ||
		{ cat "$dir/compile.log" >&2; fail "$name: meson compile"; }
	"$meson" install -C "$dir/build" >"$dir/install.log" 2>&1 ||
		{ cat "$dir/install.log" >&2; fail "$name: meson install"; }

	echo "# $name: installed files"
	(cd "$dir/prefix" && find . \( -type f -o -type l \) | LC_ALL=C sort) |
		tee "$dir/installed.txt"
}

# check_installed NAME PATTERN...: every installed file matches one of the
# shell patterns, and every pattern matches an installed file.
check_installed() {
	local name=$1 file pattern matched
	shift

	while read -r file; do
		matched=false
		for pattern in "$@"; do
			# shellcheck disable=SC2254 # the pattern is meant to match
			case $file in $pattern) matched=true ;; esac
		done
		$matched || fail "$name: unexpected installed file $file"
	done <"$tmp/$name/installed.txt"
	for pattern in "$@"; do
		matched=false
		while read -r file; do
			# shellcheck disable=SC2254
			case $file in $pattern) matched=true ;; esac
		done <"$tmp/$name/installed.txt"
		$matched || fail "$name: nothing installed matches $pattern"
	done
}

# declared_functions HEADER: the contid_* functions a header declares.
declared_functions() {
	sed -n 's/^[A-Za-z_][A-Za-z0-9_ ]*[ *]\(contid_[a-z0-9_]*\)(.*/\1/p' "$1" |
		LC_ALL=C sort -u
}

# build_example NAME [--static]: examples/contid-example.c built against the
# install NAME with pkg-config only, as $tmp/NAME/contid-example.
build_example() {
	local name=$1 static=${2:-} prefix=$tmp/$1/prefix pcdir version

	pcdir=$prefix/lib/pkgconfig
	[ -f "$pcdir/libcontid.pc" ] ||
		fail "$name: lib/pkgconfig/libcontid.pc is not installed"
	version=$(PKG_CONFIG_PATH=$pcdir pkg-config --modversion libcontid) ||
		fail "$name: pkg-config cannot find libcontid"
	echo "# $name: pkg-config finds libcontid $version"
	[ "$version" = "$project_version" ] ||
		fail "$name: pkg-config says version $version, the project $project_version"
	[ "$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=prefix libcontid)" = "$prefix" ] ||
		fail "$name: pkg-config found a libcontid.pc of another prefix"

	cp "$srcdir/examples/contid-example.c" "$tmp/$name/"
	# shellcheck disable=SC2046,SC2086 # pkg-config output must split into words
	(cd "$tmp/$name" && cc contid-example.c -o contid-example \
		$(PKG_CONFIG_PATH=$pcdir pkg-config $static --cflags --libs libcontid)) ||
		fail "$name: examples/contid-example.c does not build with pkg-config $static"
}

# ----------------------------------------------------- the library alone
build_and_install shared -Dprocsim=disabled -Dtests=disabled \
	-Ddefault_library=shared
build=$tmp/shared/build
prefix=$tmp/shared/prefix

project_version=$("$meson" introspect --projectinfo "$build" |
	grep -o '"version": *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$project_version" ] || fail "meson introspect --projectinfo names no version"

# Nothing but a C compiler and uthash was looked up: no other dependency, no
# program, no C++ compiler (skipped lookups are logged as "skipped").
lookups=$(grep -E '^(Run-time dependency [^ ]+ found|Program [^ ]+ found|C\+\+ compiler for)' \
	"$build/meson-logs/meson-log.txt" |
	grep -v -E '^Run-time dependency uthash found' || true)
[ -z "$lookups" ] || fail "the library alone looked up more than uthash: $lookups"
deps=$("$meson" introspect --dependencies "$build" |
	grep -o '"name": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | grep -v -x uthash || true)
[ -z "$deps" ] || fail "meson introspect --dependencies lists more than uthash: $deps"
[ "$("$meson" introspect --tests "$build")" = "[]" ] ||
	fail "-Dtests=disabled registered tests: $("$meson" introspect --tests "$build")"
listed=$("$meson" test -C "$build" --list 2>&1 | grep -F ' / ' || true)
[ -z "$listed" ] || fail "meson test --list is not empty: $listed"

check_installed shared ./include/contid.h ./lib/pkgconfig/libcontid.pc \
	./lib/libcontid.so ./lib/libcontid.so.0 './lib/libcontid.so.0.*' \
	./share/man/man3/libcontid.3

# The library, under its SONAME.
lib=$prefix/lib/libcontid.so.0
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ "$soname" = "libcontid.so.0" ] || fail "SONAME is '$soname', not libcontid.so.0"

# Exported symbols: only contid_* (the version node shows as an absolute
# symbol, type A, and is not a symbol anyone can call).
nm -D --defined-only "$lib" >"$tmp/nm.txt"
bad=$(awk '$2 != "A" && $3 !~ /^contid_/ { print $3 }' "$tmp/nm.txt")
[ -z "$bad" ] || fail "exported symbols outside contid_*: $(tr "\n" " " <<<"$bad")"
# ... and every function the header declares is among them.
declared=$(declared_functions "$prefix/include/contid.h")
[ -n "$declared" ] || fail "found no function declarations in contid.h"
exported=$(awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' "$tmp/nm.txt" |
	LC_ALL=C sort -u)
missing=$(LC_ALL=C comm -23 <(echo "$declared") <(echo "$exported"))
[ -z "$missing" ] || fail "declared in contid.h but not exported: $(tr "\n" " " <<<"$missing")"

build_example shared
echo "# shared: running the example against the installed library"
LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
	"$tmp/shared/contid-example" || fail "contid-example exited with status $?"
ldd_out=$(LD_LIBRARY_PATH=$prefix/lib ldd "$tmp/shared/contid-example")
grep -qF "libcontid.so.0 => $prefix/lib/libcontid.so.0" <<<"$ldd_out" ||
	fail "the example did not use the installed library: $ldd_out"

# ----------------------------------------------- static, with procsim
build_and_install static -Dprocsim=enabled -Dtests=disabled \
	-Ddefault_library=static
prefix=$tmp/static/prefix

check_installed static ./include/contid.h ./lib/pkgconfig/libcontid.pc \
	./lib/libcontid.a ./bin/procsim ./share/man/man1/procsim.1 \
	./share/man/man3/libcontid.3

# The archive defines every function the header declares.
defined=$(nm -g --defined-only "$prefix/lib/libcontid.a" |
	awk 'NF == 3 && $2 == "T" { print $3 }' | LC_ALL=C sort -u)
missing=$(LC_ALL=C comm -23 <(echo "$declared") <(echo "$defined"))
[ -z "$missing" ] || fail "declared in contid.h but not in libcontid.a: $(tr "\n" " " <<<"$missing")"

build_example static --static
echo "# static: running the example, linked with the archive"
"$tmp/static/contid-example" || fail "static contid-example exited with status $?"
needed=$(readelf -d "$tmp/static/contid-example" | grep NEEDED || true)
if grep -q libcontid <<<"$needed"; then
	fail "the static example needs a shared libcontid: $needed"
fi

# procsim and its page carry the project's version.
"$prefix/bin/procsim" --version >"$tmp/static/version.txt" ||
	fail "the installed procsim --version exited with status $?"
[ "$(cat "$tmp/static/version.txt")" = "procsim $project_version (libcontid $project_version)" ] ||
	fail "procsim --version says '$(cat "$tmp/static/version.txt")', not procsim $project_version (libcontid $project_version)"
grep -q -E "^\.TH PROCSIM 1 .*\"libcontid $project_version\"" \
	"$prefix/share/man/man1/procsim.1" ||
	fail "the installed procsim(1) does not name libcontid $project_version"

# ------------------------------------------------ shared, with procsim
# An installed procsim finds the installed shared library by itself (its
# rpath): no LD_LIBRARY_PATH, no ldconfig.
build_and_install shared-procsim -Dprocsim=enabled -Dtests=disabled \
	-Ddefault_library=shared
prefix=$tmp/shared-procsim/prefix
version=$(env -u LD_LIBRARY_PATH "$prefix/bin/procsim" --version) ||
	fail "the installed procsim does not start without LD_LIBRARY_PATH"
[ "$version" = "procsim $project_version (libcontid $project_version)" ] ||
	fail "the installed procsim --version says '$version'"
ldd_out=$(env -u LD_LIBRARY_PATH ldd "$prefix/bin/procsim")
grep -qF "libcontid.so.0 => $prefix/lib/libcontid.so.0" <<<"$ldd_out" ||
	fail "the installed procsim does not use the installed library: $ldd_out"
cp "$srcdir/sim/scenarios/spec-example.scn" "$tmp/shared-procsim/"
replay=$(cd "$tmp/shared-procsim" && env -u LD_LIBRARY_PATH \
	"$prefix/bin/procsim" spec-example.scn) ||
	fail "the installed procsim failed on spec-example.scn: $replay"
[ "$(tail -n 1 <<<"$replay")" = "1 passed, 0 failed" ] ||
	fail "the installed procsim replayed spec-example.scn as: $replay"

echo "test-install: PASS"
