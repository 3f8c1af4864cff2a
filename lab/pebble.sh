#!/bin/sh
# Builds (once per version) and prints the path of Pebble, Let's Encrypt's ACME test server, from its Go module:
# the certificate tests run the real certbot against it on loopback, never against a public ACME server.
# Cached outside the repository, beside the Asterisk chroots.
#   lab/pebble.sh [DEST_DIR]
set -eu
version=v2.10.3
dest=${1:-${DESKPHONE_CACHE:-${HOME:-/root}/.cache/deskphone}/pebble-$version}
if [ -x "$dest/pebble" ]; then
  echo "$dest/pebble"; exit 0
fi
command -v go >/dev/null || { echo "go is missing: Pebble $version builds from its Go module with Go 1.25 or newer" >&2; exit 1; }
echo "building Pebble $version into $dest" >&2
mkdir -p "$dest"
# Static, so that it also runs inside the test chroots.
CGO_ENABLED=0 GOBIN="$dest" GOFLAGS=-buildvcs=false go install "github.com/letsencrypt/pebble/v2/cmd/pebble@$version" >&2
echo "$dest/pebble"
