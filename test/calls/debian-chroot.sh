#!/bin/sh
# Builds (once per package list) and prints the path of a Debian sid chroot, cached outside the
# repository, from the mirror this machine's apt uses.
#   test/calls/debian-chroot.sh NAME [PACKAGE,PACKAGE,...]
set -eu
name=$1; packages=${2:-}
dest=${DESKPHONE_CACHE:-${HOME:-/root}/.cache/deskphone}/$name
if [ -f "$dest/.deskphone-complete" ] && [ "$(cat "$dest/.deskphone-complete")" = "packages=$packages" ]; then
  echo "$dest"; exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
echo "building Debian sid chroot $name ($packages)" >&2
mirror=$(sed -n "s/^URIs: *//p; s/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) .*/\2/p" /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null | grep -E "/debian/?$" | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
rm -rf "$dest"; mkdir -p "$(dirname "$dest")"
debootstrap --variant=minbase ${packages:+--include="$packages"} sid "$dest" "$mirror" >&2
echo "packages=$packages" > "$dest/.deskphone-complete"
echo "$dest"
