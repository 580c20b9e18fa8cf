#!/bin/sh
# deps.sh [GROUP...] - installs the Debian packages pptpkit needs and does not
# have yet.  Idempotent and quiet when nothing is missing.  Groups:
#   build (default)  compiler, nettle, libpcap, clang + libFuzzer runtime
#   net              what the network-namespace tests need, and chromium
#                    for the HTML report test
set -e
pkgs_build="gcc make libc6-dev nettle-dev libpcap-dev pkg-config clang libclang-rt-14-dev"
pkgs_net="iproute2 nftables iputils-ping iperf3 tcpdump tshark procps chromium"

want=""
[ $# -eq 0 ] && set -- build
for g in "$@"; do
	case $g in
	build) want="$want $pkgs_build" ;;
	net) want="$want $pkgs_net" ;;
	*) echo "deps.sh: unknown group $g" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing Debian packages:$missing" >&2
	echo "deps.sh: run as root, or: apt-get install$missing" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, quietly.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
