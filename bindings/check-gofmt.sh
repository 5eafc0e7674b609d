#!/bin/bash
# The go-fmt test: every Go file of the binding is as gofmt writes it.
#
# Usage: check-gofmt.sh GOFMT DIR   (meson test runs it)
set -euo pipefail
gofmt=${1:?usage: check-gofmt.sh GOFMT DIR}
dir=${2:?usage: check-gofmt.sh GOFMT DIR}
unformatted=$("$gofmt" -l "$dir")
if [ -n "$unformatted" ]; then
	echo "check-gofmt: not formatted by gofmt: $unformatted" >&2
	"$gofmt" -d "$dir" >&2
	exit 1
fi
echo "check-gofmt: $(find "$dir" -name '*.go' | wc -l) files formatted"
