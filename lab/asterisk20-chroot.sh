#!/bin/sh
# Prints the path of a copy of the Asterisk 22 chroot (asterisk-chroot.sh) that also holds upstream Asterisk 20.6.0,
# Ubuntu 24.04's version, built from source for that chroot and unpacked into /opt/asterisk-20.6.0. Made once per
# tarball and base chroot, cached beside the base.
#   lab/asterisk20-chroot.sh
# The tarball: $DESKPHONE_ASTERISK20_TARBALL, else shared/tools/asterisk20/asterisk-20.6.0-sid-amd64.tar.xz
# beside the repository (CI's fresh clone has a copy of shared/ beside it; SOURCE.md there says how it was built); the
# install.sh beside the tarball unpacks it and
# checks that every library it needs resolves in the chroot. Without them this fails: the matrix never shrinks quietly.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
beside_repo=$(cd "$here/../.." && pwd)
tarball=${DESKPHONE_ASTERISK20_TARBALL:-$beside_repo/shared/tools/asterisk20/asterisk-20.6.0-sid-amd64.tar.xz}
installer=$(dirname "$tarball")/install.sh
[ -f "$tarball" ] || { echo "no Asterisk 20.6.0 tarball at $tarball: the call tests run on 20.6.0 too; set DESKPHONE_ASTERISK20_TARBALL to it" >&2; exit 1; }
[ -f "$installer" ] || { echo "no install.sh beside the Asterisk 20.6.0 tarball $tarball (it comes with it, in ../shared/tools/asterisk20)" >&2; exit 1; }
base=$(sh "$here/asterisk-chroot.sh")
dest=$(dirname "$base")/asterisk-20.6.0
stamp="$(cat "$base/.deskphone-complete") $(sha256sum "$tarball" | cut -d' ' -f1)"
if [ -x "$dest/opt/asterisk-20.6.0/sbin/asterisk" ] && [ "$(cat "$dest/.deskphone-complete" 2>/dev/null)" = "$stamp" ]; then
  echo "$dest"; exit 0
fi
echo "copying $base to $dest for Asterisk 20.6.0" >&2
rm -rf "$dest"
cp -a "$base" "$dest"
# Leftovers of a test run that was using the base while it was copied.
rm -rf "$dest/.deskphone-complete" "$dest/run/deskphone"
sh "$installer" "$dest" "$tarball" >/dev/null
echo "$stamp" > "$dest/.deskphone-complete"
echo "$dest"
