#!/bin/bash
# Runs go with the contents of lib/contid.h in its cgo flags.
#
# go's build cache does not look at the C headers a cgo package includes
# (its documentation says so), so a changed contid.h alone would leave the
# cached build of bindings/go, with the constants of the old header, in
# use.  A -D naming the header's checksum in CGO_CPPFLAGS, which go does
# hash, makes every change of the header a new build.
#
# Usage: go-with-header.sh HEADER GO ARG...   (meson test runs it)
set -euo pipefail
header=${1:?usage: go-with-header.sh HEADER GO ARG...}
go=${2:?usage: go-with-header.sh HEADER GO ARG...}
shift 2
sum=$(sha256sum "$header" | cut -c1-16)
export CGO_CPPFLAGS="${CGO_CPPFLAGS:+$CGO_CPPFLAGS }-DCONTID_HEADER_SUM_$sum"
exec "$go" "$@"
