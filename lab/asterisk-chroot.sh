#!/bin/sh
# Builds (once per package list) and prints the path of a Debian sid chroot holding Asterisk 22 and msmtp, the server
# the call-flow tests load rendered offices into. Cached outside the repository.
#   lab/asterisk-chroot.sh [DEST]
set -eu
dest=${1:-${DESKPHONE_CACHE:-${HOME:-/root}/.cache/deskphone}/asterisk-sid}
packages=asterisk,asterisk-moh-opsound-gsm,msmtp,ca-certificates
if [ -x "$dest/usr/sbin/asterisk" ] && [ "$(cat "$dest/.deskphone-complete" 2>/dev/null)" = "$packages" ]; then
  echo "$dest"; exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
mirror=$(sed -n "s/^URIs: *//p; s/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) .*/\2/p" /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null | grep -E "/debian/?$" | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
rm -rf "$dest"; mkdir -p "$(dirname "$dest")"
echo "building Asterisk chroot from $mirror into $dest" >&2
debootstrap --variant=minbase --include="$packages" sid "$dest" "$mirror" >&2
echo "$packages" > "$dest/.deskphone-complete"
echo "$dest"
