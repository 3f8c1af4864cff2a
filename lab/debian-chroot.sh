#!/bin/sh
# Builds (once per suite and package list) and prints the path of a Debian chroot, cached outside the
# repository, from the mirror this machine's apt uses. Each package list has a folder of its own, so
# checkouts that want different lists never rebuild each other's.
#   lab/debian-chroot.sh NAME [PACKAGE,PACKAGE,...] [SUITE]   (SUITE: sid unless given, e.g. bookworm)
set -eu
name=$1; packages=${2:-}; suite=${3:-sid}
stamp="packages=$packages"
[ "$suite" = sid ] || stamp="$stamp suite=$suite"
dest=${DESKPHONE_CACHE:-${HOME:-/root}/.cache/deskphone}/$name-$(printf '%s' "$stamp" | cksum | cut -d ' ' -f 1)
if [ -f "$dest/.deskphone-complete" ] && [ "$(cat "$dest/.deskphone-complete")" = "$stamp" ]; then
  echo "$dest"; exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
echo "building Debian $suite chroot $name ($packages)" >&2
mirror=$(sed -n "s/^URIs: *//p; s/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) .*/\2/p" /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null | grep -E "/debian/?$" | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
rm -rf "$dest"; mkdir -p "$(dirname "$dest")"
debootstrap --variant=minbase ${packages:+--include="$packages"} "$suite" "$dest" "$mirror" >&2
echo "$stamp" > "$dest/.deskphone-complete"
echo "$dest"
