#!/bin/bash
# demo.sh - pptpkit server and client in two network namespaces joined by a
# veth pair, MS-CHAPv2 + MPPE-128: link up, ping, a few MB with a SHA-256
# check, a short iperf3 run, an orderly tear-down, a session summary.
#
# Run as root on Debian 12 after `make` (the Makefile's `demo` target builds
# ./pptpkit and installs the `net` group of scripts/deps.sh first).  Creates
# the namespaces pptpdemo-srv and pptpdemo-cli, uses only addresses inside
# them (192.0.2.0/24, TEST-NET-1, and 10.99.0.0/24 in the tunnel), and
# removes everything it made on any exit, failure or Ctrl-C included.
# Exits 0 when every check passed.
set -u

cd "$(dirname "$0")/.." || exit 1
BIN=${PPTPKIT:-$PWD/pptpkit}	# PPTPKIT=build-asan/pptpkit for a sanitizer run
NS_SRV=pptpdemo-srv
NS_CLI=pptpdemo-cli
SRV_IP=192.0.2.1
CLI_IP=192.0.2.2
XFER_MB=4

srv_pid=""
cli_pid=""
cap_pid=""
sink_pid=""
tmp=""
failed=0

if [ -t 1 ]; then
	say() { printf '\033[1m== %s\033[0m\n' "$*"; }
else
	say() { printf '== %s\n' "$*"; }
fi
ok() { printf '   ok    %s\n' "$*"; }
bad() { printf '   FAIL  %s\n' "$*"; failed=1; }
# Foreground only: "in_srv cmd &" would make $! a subshell, not cmd.
in_srv() { ip netns exec "$NS_SRV" "$@"; }
in_cli() { ip netns exec "$NS_CLI" "$@"; }

# wait_for SECONDS COMMAND...: polls every 0.1 s.
wait_for() {
	local n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -le 0 ] && return 1
		sleep 0.1
	done
}

# stop PID SECONDS: SIGTERM, then SIGKILL after SECONDS; the exit status
# (or "killed") in $stopped.  Not in a subshell: only the parent can wait.
stop() {
	local pid=$1 n=$(($2 * 10))
	stopped=""
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		stopped=killed
		return 0
	fi
	wait "$pid" 2>/dev/null
	stopped=$?
}

cleanup() {
	trap - EXIT INT TERM
	[ -n "$cli_pid" ] && stop "$cli_pid" 5
	[ -n "$srv_pid" ] && stop "$srv_pid" 8
	[ -n "$sink_pid" ] && stop "$sink_pid" 1
	[ -n "$cap_pid" ] && stop "$cap_pid" 2
	# Anything still running inside our namespaces is ours: end it.
	for ns in "$NS_CLI" "$NS_SRV"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$pids" ] && kill -TERM $pids 2>/dev/null && sleep 1 &&
			kill -KILL $(ip netns pids "$ns" 2>/dev/null) 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$tmp" ] && [ -z "${DEMO_KEEP:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "demo.sh: interrupted"; exit 130' INT TERM

fatal() {
	bad "$*"
	for f in server client; do
		[ -f "$tmp/$f.log" ] && { echo "--- $f.log"; tail -n 25 "$tmp/$f.log"; }
	done
	exit 1
}

[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (namespaces, TUN, raw GRE)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "demo.sh: $BIN missing: run make first" >&2; exit 1; }
for t in ip perl sha256sum; do
	command -v "$t" >/dev/null || { echo "demo.sh: $t missing (scripts/deps.sh net)" >&2; exit 1; }
done
for c in server client; do
	"$BIN" --help | grep -q "^  $c " ||
		{ echo "demo.sh: this pptpkit has no $c command yet" >&2; exit 1; }
done

start=$(date +%s.%N)
tmp=$(mktemp -d /tmp/pptpdemo.XXXXXX) || exit 1
chmod 700 "$tmp"

say "network: $NS_SRV ($SRV_IP) <-veth-> $NS_CLI ($CLI_IP)"
ip netns del "$NS_CLI" 2>/dev/null
ip netns del "$NS_SRV" 2>/dev/null
ip netns add "$NS_SRV" && ip netns add "$NS_CLI" || fatal "cannot create namespaces"
ip link add pdemo-s netns "$NS_SRV" type veth peer name pdemo-c netns "$NS_CLI" ||
	fatal "cannot create the veth pair"
in_srv ip link set lo up
in_srv ip addr add "$SRV_IP/24" dev pdemo-s
in_srv ip link set pdemo-s up
in_cli ip link set lo up
in_cli ip addr add "$CLI_IP/24" dev pdemo-c
in_cli ip link set pdemo-c up

say "server configuration (PoPToP files) in $tmp"
cat >"$tmp/pptpd.conf" <<EOF
# pptpd.conf(5) for the demo
option $tmp/pptpd-options
listen $SRV_IP
localip 10.99.0.1
remoteip 10.99.0.10-19
chap-secrets $tmp/chap-secrets
EOF
cat >"$tmp/pptpd-options" <<EOF
name pptpd
refuse-pap
refuse-chap
refuse-mschap
require-mschap-v2
require-mppe-128
ms-dns 10.99.0.1
ms-dns 192.0.2.53
EOF
password="demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf 'demo\tpptpd\t"%s"\t*\n' "$password" >"$tmp/chap-secrets"
printf '%s\n' "$password" >"$tmp/password"
chmod 600 "$tmp/chap-secrets" "$tmp/password"
sed 's/^/   /' "$tmp/pptpd-options"

if command -v tcpdump >/dev/null; then
	# The control connection and the small GRE packets (negotiation,
	# acks, pings); the bulk data is counted by the logs instead.
	ip netns exec "$NS_SRV" tcpdump -i pdemo-s --immediate-mode -U -w "$tmp/demo.pcap" \
		'tcp port 1723 or (ip proto 47 and less 300)' >/dev/null 2>"$tmp/tcpdump.err" &
	cap_pid=$!
	wait_for 5 grep -q 'listening on' "$tmp/tcpdump.err" || bad "tcpdump did not start"
fi

say "pptpkit server --config $tmp/pptpd.conf (in $NS_SRV)"
ip netns exec "$NS_SRV" "$BIN" server --config "$tmp/pptpd.conf" --no-scripts \
	>"$tmp/server.log" 2>&1 &
srv_pid=$!
wait_for 5 sh -c "ip netns exec $NS_SRV ss -Hltn 'sport = :1723' | grep -q 1723" ||
	fatal "the server does not listen on port 1723"
ok "listening on $SRV_IP:1723"

say "pptpkit client $SRV_IP --user demo (in $NS_CLI)"
ip netns exec "$NS_CLI" "$BIN" client "$SRV_IP" --user demo --password-file "$tmp/password" \
	--no-reconnect >"$tmp/client.log" 2>&1 &
cli_pid=$!
wait_for 10 grep -q 'link up' "$tmp/client.log" || fatal "no link within 10 s"
up_line=$(grep -m1 'link up' "$tmp/client.log" | sed 's/.*link up /link up /')
ok "$up_line"
peer=$(printf '%s\n' "$up_line" | sed -n 's/.* peer=\([0-9.]*\).*/\1/p')
tun=$(printf '%s\n' "$up_line" | sed -n 's/.* tun=\([^ ]*\).*/\1/p')
[ -n "$peer" ] || fatal "no peer address in the link-up line"
case $up_line in
*mppe=128-*) ok "MPPE-128 negotiated" ;;
*) bad "MPPE-128 not negotiated" ;;
esac
case $up_line in
*dns=10.99.0.1,192.0.2.53*) ok "DNS servers learned: 10.99.0.1, 192.0.2.53" ;;
*) bad "DNS servers not as configured" ;;
esac

say "ping $peer through $tun"
if in_cli ping -c 3 -i 0.2 -W 2 -q "$peer" >"$tmp/ping.txt" 2>&1; then
	ok "$(grep -E 'packets|rtt' "$tmp/ping.txt" | tr '\n' ' ')"
else
	bad "ping through the tunnel failed: $(tr '\n' ' ' <"$tmp/ping.txt")"
fi

say "$XFER_MB MB client -> server through the tunnel, SHA-256 on both ends"
head -c $((XFER_MB << 20)) /dev/urandom >"$tmp/send.bin"
ip netns exec "$NS_SRV" perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => $ARGV[0], LocalPort => 5001,
	    Listen => 1, ReuseAddr => 1) or die "listen: $!";
	my $c = $s->accept or die "accept: $!";
	open(my $f, ">", $ARGV[1]) or die "$ARGV[1]: $!";
	binmode $c; binmode $f;
	my $b;
	while (sysread($c, $b, 65536)) { print $f $b; }
	close $f;' "$peer" "$tmp/recv.bin" 2>"$tmp/sink.err" &
sink_pid=$!
wait_for 3 sh -c "ip netns exec $NS_SRV ss -Hltn 'sport = :5001' | grep -q 5001" ||
	fatal "the receiver does not listen"
if in_cli timeout 20 bash -c "cat '$tmp/send.bin' >/dev/tcp/$peer/5001"; then
	wait_for 10 sh -c "! kill -0 $sink_pid"
	wait "$sink_pid" 2>/dev/null
	sink_pid=""
	want=$(sha256sum <"$tmp/send.bin" | cut -c1-64)
	got=$(sha256sum <"$tmp/recv.bin" 2>/dev/null | cut -c1-64)
	if [ "$want" = "$got" ]; then
		ok "sha256 $want matches ($(stat -c %s "$tmp/recv.bin") bytes)"
	else
		bad "checksum mismatch: sent $want, received ${got:-nothing}"
	fi
else
	bad "sending through /dev/tcp failed"
fi

if command -v iperf3 >/dev/null; then
	say "iperf3, 2 s, client -> server"
	ip netns exec "$NS_SRV" iperf3 -s -1 -B "$peer" >/dev/null 2>&1 &
	ip_pid=$!
	sleep 0.3
	if in_cli iperf3 -c "$peer" -t 2 -f m >"$tmp/iperf.txt" 2>&1; then
		ok "$(grep -E 'receiver' "$tmp/iperf.txt" | awk '{ print $7, $8, "received" }')"
	else
		bad "iperf3: $(tail -n 1 "$tmp/iperf.txt")"
	fi
	wait "$ip_pid" 2>/dev/null
fi

say "tear-down: SIGTERM to the client (PPP Terminate, CCRQ/CDN, StopCCRQ/StopCCRP)"
stop "$cli_pid" 6
cli_pid=""
if [ "$stopped" = 0 ]; then ok "client exited 0"; else bad "client exit status $stopped"; fi
grep -q 'orderly=yes' "$tmp/client.log" && ok "control connection closed in order" ||
	bad "control connection not closed in order"
in_cli ip link show "$tun" >/dev/null 2>&1 && bad "$tun still exists" || ok "$tun removed"
stop "$srv_pid" 8
srv_pid=""
if [ "$stopped" = 0 ]; then ok "server exited 0"; else bad "server exit status $stopped"; fi
if [ -n "$cap_pid" ]; then
	# Let tcpdump write what it still holds (it drops it at SIGTERM).
	n=30
	size=-1
	while [ "$n" -gt 0 ] && [ "$(stat -c %s "$tmp/demo.pcap")" != "$size" ]; do
		size=$(stat -c %s "$tmp/demo.pcap")
		sleep 0.3
		n=$((n - 1))
	done
	stop "$cap_pid" 2
	cap_pid=""
fi

say "session summary"
sed -n 's/.*\(link up .*\)/   client  \1/p; s/.*\(ppp down .*\)/   client  \1/p; s/.* \(gre-mux .*\)/   client  \1/p' \
	"$tmp/client.log"
sed -n 's/.* client server=[^ ]* stats \(.*\)/\1/p' "$tmp/client.log" | tr '|' '\n' |
	sed 's/^ */   client  /'
grep -E 'event=(up|down)|gre-mux|session=' "$tmp/server.log" | sed 's/^[^ ]* [a-z]* /   server  /' | head -n 8
if [ -s "$tmp/demo.pcap" ] && command -v tshark >/dev/null; then
	echo "   capture on the server's veth (tcpdump, decoded by tshark):"
	tshark -r "$tmp/demo.pcap" -T fields -e _ws.col.Protocol -e _ws.col.Info 2>/dev/null |
		awk -F'\t' '$1 == "PPTP" { sub(/ *[,(].*/, "", $2); k = "PPTP " $2 }
		$1 ~ /^PPP (LCP|CHAP|CCP|IPCP|IPV6CP)$/ {
			split($2, w, " "); k = $1 " " w[1] }
		$1 == "GRE" { k = "GRE ack-only" }
		k != "" { if (!(k in c)) o[++n] = k; c[k]++; k = "" }
		END { for (i = 1; i <= n; i++) printf "     %5d  %s\n", c[o[i]], o[i] }'
fi
end=$(date +%s.%N)
echo "   elapsed $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"

if [ "$failed" = 0 ]; then
	say "demo passed"
else
	say "demo FAILED"
	for f in server client; do
		echo "--- $f.log (last lines)"
		tail -n 15 "$tmp/$f.log"
	done
fi
exit "$failed"
