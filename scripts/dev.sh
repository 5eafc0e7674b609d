#!/bin/bash
# Developer entry point: installs what is missing, builds, runs.
#
#   scripts/dev.sh run    install missing packages, build, run the main job
#                         (for now the example program)
#   scripts/dev.sh test   install missing packages, build, run every test
#                         suite, then all of them again under Valgrind
#   scripts/dev.sh plot OUT.svg|OUT.png REPORT.json...
#                         install gnuplot when it is missing, then draw
#                         the scaling plot (bench/plot.sh) from
#                         contid-bench --json reports
#   scripts/dev.sh bench [OPS [REPEAT]]
#                         install what is missing (gnuplot too), make a
#                         release build in build-rel/, run bench/scaling.sh
#                         (OPS operations per run, default 10000000, the
#                         median of REPEAT runs, default 3) into
#                         build-rel/scaling/ and draw
#                         docs/performance-scaling.svg from it
#
# Works from a fresh clone on a fresh Debian 12 machine as root, and may be
# run again at any time.  With CI=true the build treats warnings as errors.
set -euo pipefail

# Debian packages the build, the tests and the main job need.  This is the
# only list: later work adds its packages here.
PACKAGES=(
	meson
	ninja-build
	gcc
	g++
	binutils         # readelf, nm (tests/test-install.sh)
	pkg-config
	check
	libsubunit-dev
	uthash-dev
	valgrind
	libauparse-dev   # tests/records: read-records
	auditd           # tests/records: ausearch
	graphviz         # tests/records: dot
	groff-base       # man/check-man.sh
	golang-go        # bindings/go: the go suite (-Dgo)
	python3-pytest   # bindings/python: the python suite (-Dpython)
	python3-mypy     # bindings/python: its type hints (python-mypy)
	python3-pip      # bindings/test-install-bindings.py: pip install --target
	python3-setuptools
	python3-wheel
)

# What drawing the scaling plot needs besides (bench/plot.sh).
PLOT_PACKAGES=(
	gnuplot-nox
	python3
)

BUILD_DIR=build
ASAN_DIR=build-asan
RELEASE_DIR=build-rel

# Every optional part, named: a dependency that is missing then fails the
# setup, where `auto` would quietly leave the part and its tests out.
FEATURES=(-Dprocsim=enabled -Dtests=enabled -Dgo=enabled -Dpython=enabled)

usage() {
	echo "usage: $0 run|test" >&2
	echo "       $0 plot OUT.svg|OUT.png REPORT.json..." >&2
	echo "       $0 bench [OPS [REPEAT]]" >&2
	exit 2
}

log() {
	echo "dev.sh: $*" >&2
}

is_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# install_missing PACKAGE...: apt-get install those that are not installed.
install_missing() {
	local missing=() pkg
	local sudo=()

	for pkg in "$@"; do
		is_installed "$pkg" || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	log "installing missing packages: ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null; then
			sudo=(sudo)
		else
			log "missing packages and not root: install ${missing[*]}"
			exit 1
		fi
	fi
	"${sudo[@]}" apt-get update
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
}

# setup DIR OPTION...: configure DIR with exactly these options.
setup() {
	local dir=$1
	shift

	if [ -f "$dir/meson-private/coredata.dat" ]; then
		# Reconfigure so that options (werror) follow this run, and fall
		# back to a clean setup if the old build dir is unusable (one made
		# before an option changed its type, for instance).
		meson setup --reconfigure "$dir" "$@" ||
			meson setup --wipe "$dir" "$@"
	else
		rm -rf "$dir"
		meson setup "$dir" "$@"
	fi
}

build() {
	local werror=false

	[ "${CI:-}" = true ] && werror=true
	setup "$BUILD_DIR" -Dwerror=$werror "${FEATURES[@]}"
	meson compile -C "$BUILD_DIR"
}

build_sanitized() {
	setup "$ASAN_DIR" "${FEATURES[@]}" -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fno-sanitize-recover=all || return 1
	meson compile -C "$ASAN_DIR"
}

cmd_run() {
	"$BUILD_DIR/examples/contid-example" >/dev/null ||
		{ log "the example program failed"; return 1; }
	# Replay the scenario library; relative names keep the report short.
	(cd sim/scenarios && "../../$BUILD_DIR/sim/procsim" ./*.scn)
}

cmd_test() {
	local status=0

	meson test -C "$BUILD_DIR" --print-errorlogs || status=1
	meson test -C "$BUILD_DIR" --setup=valgrind --print-errorlogs || status=1
	# AddressSanitizer + UndefinedBehaviorSanitizer in a build of their own,
	# never mixed with Valgrind (whose suites are left out here).
	build_sanitized && meson test -C "$ASAN_DIR" --print-errorlogs \
		--no-suite bad-input-valgrind --no-suite install || status=1
	if [ $status -ne 0 ]; then
		log "tests FAILED (see the logs above and the meson-logs/ of $BUILD_DIR and $ASAN_DIR)"
	else
		log "all tests passed: plain, under Valgrind, and with ASan+UBSan"
	fi
	return $status
}

cmd_plot() {
	bash bench/plot.sh "$@"
}

cmd_bench() {
	local ops=${1:-10000000} repeat=${2:-3}

	setup "$RELEASE_DIR" --buildtype=release -Dprocsim=disabled -Dtests=disabled
	meson compile -C "$RELEASE_DIR"
	bash bench/scaling.sh "$RELEASE_DIR" "$RELEASE_DIR/scaling" "$ops" "$repeat"
	bash bench/plot.sh docs/performance-scaling.svg "$RELEASE_DIR"/scaling/*.json
}

# The arguments are checked before anything is installed or built.
[ $# -ge 1 ] || usage
case $1 in
run | test) [ $# -eq 1 ] || usage ;;
plot) [ $# -ge 3 ] || usage ;;
bench)
	[ $# -le 3 ] || usage
	for n in "${@:2}"; do
		[[ $n =~ ^[1-9][0-9]*$ ]] || usage
	done ;;
*) usage ;;
esac

cd "$(dirname "$0")/.."
mode=$1
shift
case $mode in
plot)
	install_missing "${PLOT_PACKAGES[@]}"
	cmd_plot "$@" ;;
bench)
	install_missing "${PACKAGES[@]}" "${PLOT_PACKAGES[@]}"
	cmd_bench "$@" ;;
*)
	install_missing "${PACKAGES[@]}"
	build
	"cmd_$mode" ;;
esac
