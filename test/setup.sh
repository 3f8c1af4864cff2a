#!/bin/sh
# Makes sure the tools the tests run for real are here: SIPp, baresip and linphonec (real softphones as the
# desk phone; the accounts line and register command `npm run local` prints are given to them), SIPVicious (the scanner the office is attacked
# with), debootstrap, ip (network namespaces: an offline one for the DigitalOcean preview, the modelled
# droplet network), nft, curl and python3 (the modelled network's NAT, metadata service and counters),
# losetup and mkfs.ext4 (a loop device plays the voicemail volume), xz (the Asterisk 20.6.0 tarball), openssl
# (the certificate tests' CA), the Asterisk chroots and Pebble, the ACME test server certbot is run against.
# As root it installs what is missing; otherwise it says what to install. A missing tool fails the run.
set -eu
missing=""
command -v sipp >/dev/null 2>&1 || missing="$missing sip-tester"
# baresip-core is the softphone itself; the "baresip" package adds only its desktop front ends.
command -v baresip >/dev/null 2>&1 || missing="$missing baresip-core"
# linphonec, linphone's console client: the other real softphone the desk phone is played by.
command -v linphonec >/dev/null 2>&1 || missing="$missing linphone-cli"
command -v svwar >/dev/null 2>&1 || missing="$missing sipvicious"
command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v nft >/dev/null 2>&1 || missing="$missing nftables"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v losetup >/dev/null 2>&1 || missing="$missing mount"
command -v mkfs.ext4 >/dev/null 2>&1 || missing="$missing e2fsprogs"
command -v xz >/dev/null 2>&1 || missing="$missing xz-utils"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing:$missing" >&2
    (apt-get -o DPkg::Lock::Timeout=300 update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q $missing) >&2
  else
    echo "missing tools:$missing (install them: sudo apt-get install$missing)" >&2
    exit 1
  fi
fi
sh "$(dirname "$0")/../lab/asterisk-chroot.sh" >/dev/null
sh "$(dirname "$0")/../lab/asterisk20-chroot.sh" >/dev/null
sh "$(dirname "$0")/../lab/pebble.sh" >/dev/null
