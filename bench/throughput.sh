#!/bin/bash
# throughput.sh - TCP throughput of a pptpkit tunnel (MS-CHAPv2 + MPPE-128
# stateless) against the bare veth it runs over and, when it installs,
# wireguard-go over the same veth; plus the CPU each pptpkit side spends per
# packet.  A benchmark, not part of `make check`.
#
# Run as root on Debian 12:  bench/throughput.sh
#   RUNS=3      repetitions of each measurement (the median is reported)
#   DUR=5       seconds of each iperf3 run
#   PPTPKIT=... the binary (default ./pptpkit, built with `make pptpkit`)
#   NO_WG=1     skip wireguard-go
#   PERF=1      after the runs, one more pptpkit run under `perf record`
#               (if perf works) and one under `strace -c -f`: where the time goes
#   TUN_TXQLEN=N  set both pptpkit TUN devices' txqueuelen to N first (an
#               experiment: the kernel default is 500)
#   KEEP=1      keep the work directory (logs, iperf3 output) in /tmp
#
# Creates the namespaces tput-srv (198.51.100.1) and tput-cli (198.51.100.2,
# TEST-NET-2) joined by a veth, a pptpkit server and client in them (tunnel
# 10.97.0.1 <-> 10.97.0.1x) and two wireguard-go peers (10.97.1.1 <-> .2).
# Every measurement is made in rounds (veth, pptpkit, pptpkit -R, wireguard-go
# one after the other, RUNS times) so that a busy machine hurts all alike.
# CPU per packet: utime+stime of the pptpkit processes of each side from
# /proc/PID/stat around the iperf3 run, divided by the packets the side's TUN
# device carried (rx+tx in /sys/class/net/TUN/statistics).  Removes
# everything it made on any exit.
set -u

cd "$(dirname "$0")/.." || exit 1
BIN=${PPTPKIT:-$PWD/pptpkit}
RUNS=${RUNS:-3}
DUR=${DUR:-5}
NS_SRV=tput-srv
NS_CLI=tput-cli
SRV_IP=198.51.100.1
CLI_IP=198.51.100.2
WG_SRV=10.97.1.1
WG_CLI=10.97.1.2
PORT=5211
HZ=$(getconf CLK_TCK)

srv_pid=""
cli_pid=""
wg_pids=""
tmp=""

stop() {	# stop PID: SIGTERM, SIGKILL after 5 s
	local pid=$1 n=50
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

cleanup() {
	trap - EXIT INT TERM
	local p ns pids
	stop "$cli_pid"
	stop "$srv_pid"
	for p in $wg_pids; do stop "$p"; done
	for ns in "$NS_CLI" "$NS_SRV"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$tmp" ]; then
		if [ -n "${KEEP:-}" ]; then echo "work directory kept: $tmp"; else rm -rf "$tmp"; fi
	fi
}
trap cleanup EXIT
trap 'echo "throughput.sh: interrupted" >&2; exit 130' INT TERM

die() {
	echo "throughput.sh: $*" >&2
	for f in server client; do
		[ -f "$tmp/$f.log" ] && { echo "--- $f.log" >&2; tail -n 20 "$tmp/$f.log" >&2; }
	done
	exit 1
}

wait_for() {	# wait_for SECONDS COMMAND...
	local n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -le 0 ] && return 1
		sleep 0.1
	done
}

median() {
	sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "NA"; exit }
		m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.6g\n", m }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.3f", a / b }'; }

[ "$(id -u)" = 0 ] || { echo "throughput.sh: run as root (namespaces, TUN, raw GRE)" >&2; exit 1; }
case $RUNS in '' | *[!0-9]* | 0) echo "throughput.sh: RUNS must be a positive integer" >&2; exit 2 ;; esac
case $DUR in '' | *[!0-9]* | 0) echo "throughput.sh: DUR must be a positive integer" >&2; exit 2 ;; esac
sh scripts/deps.sh net || die "cannot install the net packages (scripts/deps.sh net)"
if [ ! -x "$BIN" ]; then
	sh scripts/deps.sh build && make pptpkit >/dev/null || die "cannot build $BIN"
fi
"$BIN" --help | grep -q '^  client ' || die "$BIN has no client command"

use_wg=""
if [ -z "${NO_WG:-}" ]; then
	if ! command -v wireguard-go >/dev/null || ! command -v wg >/dev/null; then
		# Without --no-recommends wireguard-tools pulls in a kernel image.
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			wireguard-go wireguard-tools >/dev/null 2>&1 ||
			echo "throughput.sh: wireguard-go did not install; skipping it" >&2
	fi
	command -v wireguard-go >/dev/null && command -v wg >/dev/null && use_wg=1
fi

tmp=$(mktemp -d /tmp/tput.XXXXXX) || exit 1
chmod 700 "$tmp"

# --- network ---
ip netns del "$NS_CLI" 2>/dev/null
ip netns del "$NS_SRV" 2>/dev/null
ip netns add "$NS_SRV" && ip netns add "$NS_CLI" || die "cannot create namespaces"
ip link add tput-s netns "$NS_SRV" mtu 1500 type veth peer name tput-c netns "$NS_CLI" mtu 1500 ||
	die "cannot create the veth pair"
ip -n "$NS_SRV" link set lo up
ip -n "$NS_CLI" link set lo up
ip -n "$NS_SRV" addr add "$SRV_IP/24" dev tput-s
ip -n "$NS_CLI" addr add "$CLI_IP/24" dev tput-c
ip -n "$NS_SRV" link set tput-s up
ip -n "$NS_CLI" link set tput-c up
ip netns exec "$NS_CLI" ping -c 1 -W 2 "$SRV_IP" >/dev/null || die "the veth does not carry"

# --- pptpkit ---
cat >"$tmp/pptpd.conf" <<EOF
option $tmp/pptpd-options
listen $SRV_IP
localip 10.97.0.1
remoteip 10.97.0.10-19
chap-secrets $tmp/chap-secrets
EOF
cat >"$tmp/pptpd-options" <<EOF
name pptpd
refuse-pap
refuse-chap
refuse-mschap
require-mschap-v2
require-mppe-128
EOF
password="tput-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf 'bench\tpptpd\t"%s"\t*\n' "$password" >"$tmp/chap-secrets"
printf '%s\n' "$password" >"$tmp/password"
chmod 600 "$tmp/chap-secrets" "$tmp/password"

ip netns exec "$NS_SRV" "$BIN" server --config "$tmp/pptpd.conf" --no-scripts >"$tmp/server.log" 2>&1 &
srv_pid=$!
wait_for 5 sh -c "ip netns exec $NS_SRV ss -Hltn 'sport = :1723' | grep -q 1723" ||
	die "the server does not listen on port 1723"
ip netns exec "$NS_CLI" "$BIN" client "$SRV_IP" --user bench --password-file "$tmp/password" \
	--no-reconnect >"$tmp/client.log" 2>&1 &
cli_pid=$!
wait_for 10 grep -q 'link up' "$tmp/client.log" || die "no pptpkit link within 10 s"
up_line=$(grep -m1 'link up' "$tmp/client.log" | sed 's/.*link up /link up /')
case $up_line in *mppe=128-stateless*) ;; *) die "not MPPE-128 stateless: $up_line" ;; esac
PPTP_PEER=$(printf '%s\n' "$up_line" | sed -n 's/.* peer=\([0-9.]*\).*/\1/p')
CLI_TUN=$(printf '%s\n' "$up_line" | sed -n 's/.* tun=\([^ ]*\).*/\1/p')
SRV_TUN=$(ip -n "$NS_SRV" -o link show | awk -F': ' '$2 ~ /^pptp/ { sub(/@.*/, "", $2); print $2; exit }')
[ -n "$PPTP_PEER" ] && [ -n "$CLI_TUN" ] && [ -n "$SRV_TUN" ] || die "cannot find the tunnel: $up_line"
ip netns exec "$NS_CLI" ping -c 2 -i 0.2 -W 2 -q "$PPTP_PEER" >/dev/null || die "no ping through the pptpkit tunnel"
if [ -n "${TUN_TXQLEN:-}" ]; then
	ip -n "$NS_CLI" link set "$CLI_TUN" txqueuelen "$TUN_TXQLEN" &&
		ip -n "$NS_SRV" link set "$SRV_TUN" txqueuelen "$TUN_TXQLEN" || die "cannot set txqueuelen"
fi

# --- wireguard-go (the approach of the baselines' 02_wireguard_go.sh) ---
start_wg() {	# start_wg NS IFACE -> WGPID
	local ns=$1 ifc=$2
	mkdir -p "$tmp/run-$ns"
	ip netns exec "$ns" env WG_PROCESS_FOREGROUND=1 LOG_LEVEL=error \
		bash -c 'mount --bind "$1" /run && exec wireguard-go -f "$2"' _ "$tmp/run-$ns" "$ifc" \
		>"$tmp/wireguard-go-$ns.log" 2>&1 &
	WGPID=$!
	wg_pids="$wg_pids $WGPID"
	for _ in $(seq 1 100); do
		[ -S "$tmp/run-$ns/wireguard/$ifc.sock" ] && return 0
		sleep 0.1
	done
	return 1
}
if [ -n "$use_wg" ]; then
	(umask 077
	wg genkey >"$tmp/a.key" && wg pubkey <"$tmp/a.key" >"$tmp/a.pub" &&
		wg genkey >"$tmp/b.key" && wg pubkey <"$tmp/b.key" >"$tmp/b.pub") &&
	start_wg "$NS_SRV" wgs && WG_SRV_PID=$WGPID &&
	start_wg "$NS_CLI" wgc && WG_CLI_PID=$WGPID &&
	nsenter -t "$WG_SRV_PID" -m -n wg set wgs private-key "$tmp/a.key" listen-port 51821 \
		peer "$(cat "$tmp/b.pub")" endpoint "$CLI_IP:51822" allowed-ips "$WG_CLI/32" &&
	nsenter -t "$WG_CLI_PID" -m -n wg set wgc private-key "$tmp/b.key" listen-port 51822 \
		peer "$(cat "$tmp/a.pub")" endpoint "$SRV_IP:51821" allowed-ips "$WG_SRV/32" &&
	ip -n "$NS_SRV" addr add "$WG_SRV/24" dev wgs &&
	ip -n "$NS_CLI" addr add "$WG_CLI/24" dev wgc &&
	ip -n "$NS_SRV" link set wgs mtu 1420 up &&
	ip -n "$NS_CLI" link set wgc mtu 1420 up &&
	ip netns exec "$NS_CLI" ping -c 2 -i 0.2 -W 2 -q "$WG_SRV" >/dev/null ||
		{ echo "throughput.sh: wireguard-go tunnel did not come up; skipping it" >&2; use_wg=""; }
fi

# --- measuring ---
ticks() {	# ticks NS COMM: utime+stime of all processes named COMM in NS
	local p s=0 t
	for p in $(ip netns pids "$1"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] || continue
		t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) && s=$((s + t))
	done
	echo "$s"
}
tun_pkts() {	# tun_pkts NS DEV: rx_packets + tx_packets
	ip netns exec "$1" sh -c "echo \$((\$(cat /sys/class/net/$2/statistics/rx_packets) + \$(cat /sys/class/net/$2/statistics/tx_packets)))"
}

# iperf3_run TAG DST [iperf3 args]: one run, client in NS_CLI, server in NS_SRV;
# appends "TAG mbps" and, for tunnels, CPU per packet to $tmp/results.
iperf3_run() {
	local tag=$1 dst=$2 comm="" ns_tun_s="" ns_tun_c="" ip_pid c0 s0 c1 s1 pc0 ps0 pc1 ps1 mbps
	shift 2
	case $tag in
	pptp*) comm=pptpkit; ns_tun_s=$SRV_TUN; ns_tun_c=$CLI_TUN ;;
	wg*) comm=wireguard-go; ns_tun_s=wgs; ns_tun_c=wgc ;;
	esac
	ip netns exec "$NS_SRV" iperf3 -s -1 -B "$dst" -p "$PORT" >/dev/null 2>&1 &
	ip_pid=$!
	wait_for 5 sh -c "ip netns exec $NS_SRV ss -Hltn 'sport = :$PORT' | grep -q $PORT" ||
		die "iperf3 server did not start"
	if [ -n "$comm" ]; then
		s0=$(ticks "$NS_SRV" "$comm"); c0=$(ticks "$NS_CLI" "$comm")
		ps0=$(tun_pkts "$NS_SRV" "$ns_tun_s"); pc0=$(tun_pkts "$NS_CLI" "$ns_tun_c")
	fi
	ip netns exec "$NS_CLI" iperf3 -c "$dst" -p "$PORT" -t "$DUR" -f m "$@" >"$tmp/$tag.txt" 2>&1 ||
		{ cat "$tmp/$tag.txt" >&2; die "iperf3 $tag failed"; }
	if [ -n "$comm" ]; then
		s1=$(ticks "$NS_SRV" "$comm"); c1=$(ticks "$NS_CLI" "$comm")
		ps1=$(tun_pkts "$NS_SRV" "$ns_tun_s"); pc1=$(tun_pkts "$NS_CLI" "$ns_tun_c")
	fi
	wait "$ip_pid" 2>/dev/null
	mbps=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$tmp/$tag.txt")
	[ -n "$mbps" ] || die "no result in $tmp/$tag.txt"
	echo "$tag mbps $mbps" >>"$tmp/results"
	awk -v t="$tag" '/sender/ { print t, "retr", ($(NF - 1) ~ /^[0-9]+$/) ? $(NF - 1) : 0 }' "$tmp/$tag.txt" >>"$tmp/results"
	if [ -n "$comm" ]; then
		awk -v hz="$HZ" -v t="$tag" -v s="$((s1 - s0))" -v c="$((c1 - c0))" \
			-v ps="$((ps1 - ps0))" -v pc="$((pc1 - pc0))" -v mbps="$mbps" -v dur="$DUR" 'BEGIN {
			printf "%s srv_us %.3f\n%s cli_us %.3f\n", t, ps ? s / hz * 1e6 / ps : 0,
				t, pc ? c / hz * 1e6 / pc : 0
			printf "%s srv_pkts %d\n%s cli_pkts %d\n", t, ps, t, pc
			printf "%s srv_cpu %.1f\n%s cli_cpu %.1f\n", t, s / hz * 100, t, c / hz * 100
			mb = mbps * dur / 8
			printf "%s srv_us_mb %.1f\n%s cli_us_mb %.1f\n", t, s / hz * 1e6 / mb, t, c / hz * 1e6 / mb }' >>"$tmp/results"
	fi
	printf '   %-10s %9.1f Mbit/s  %6s TCP retransmits\n' "$tag" "$mbps" "$(awk -v t="$tag" '$1 == t && $2 == "retr" { v = $3 } END { print v }' "$tmp/results")"
	sleep 1
}

echo "== throughput: RUNS=$RUNS DUR=${DUR}s $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "   machine: $(nproc) CPUs,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), kernel $(uname -r)"
echo "   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   pptpkit: $up_line"
echo "   pptpkit threads: server $(ls /proc/"$srv_pid"/task | wc -l), client $(ls /proc/"$cli_pid"/task | wc -l); processes: server $(for p in $(ip netns pids "$NS_SRV"); do cat /proc/"$p"/comm; done | grep -c '^pptpkit$')"
echo "   pptpkit MTU: client $CLI_TUN $(ip -n "$NS_CLI" -o link show "$CLI_TUN" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'), server $SRV_TUN $(ip -n "$NS_SRV" -o link show "$SRV_TUN" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'); wireguard-go MTU 1420"
for r in $(seq 1 "$RUNS"); do
	echo "-- round $r/$RUNS"
	iperf3_run veth "$SRV_IP"
	iperf3_run pptp "$PPTP_PEER"
	iperf3_run pptp_R "$PPTP_PEER" -R
	[ -n "$use_wg" ] && iperf3_run wg "$WG_SRV"
done

med() { awk -v t="$1" -v k="$2" '$1 == t && $2 == k { print $3 }' "$tmp/results" | median; }
veth=$(med veth mbps)
pptp=$(med pptp mbps)
pptp_r=$(med pptp_R mbps)
wg=NA
[ -n "$use_wg" ] && wg=$(med wg mbps)
echo "== results (median of $RUNS, iperf3 TCP single stream, ${DUR} s, client namespace -> server namespace)"
printf '   %-34s %9s Mbit/s\n' "bare veth" "$veth"
printf '   %-34s %9s Mbit/s\n' "pptpkit MPPE-128 stateless" "$pptp"
printf '   %-34s %9s Mbit/s\n' "pptpkit, reverse (iperf3 -R)" "$pptp_r"
printf '   %-34s %9s Mbit/s\n' "wireguard-go" "$wg"
printf '   %-34s %9s\n' "ratio pptpkit/veth" "$(ratio "$pptp" "$veth")"
printf '   %-34s %9s\n' "ratio pptpkit/wireguard-go" "$(ratio "$pptp" "$wg")"
printf '   %-34s %9s\n' "ratio pptpkit -R/wireguard-go" "$(ratio "$pptp_r" "$wg")"
echo "== CPU per packet (median; utime+stime / TUN rx+tx packets; one side's process(es))"
for t in pptp pptp_R ${use_wg:+wg}; do
	printf '   %-8s server %7s us/pkt (%s pkts, %s%% CPU of %ss)   client %7s us/pkt (%s pkts, %s%% CPU)\n' \
		"$t" "$(med "$t" srv_us)" "$(med "$t" srv_pkts)" \
		"$(awk -v c="$(med "$t" srv_cpu)" -v d="$DUR" 'BEGIN { printf "%.0f", c / d }')" "$DUR" \
		"$(med "$t" cli_us)" "$(med "$t" cli_pkts)" \
		"$(awk -v c="$(med "$t" cli_cpu)" -v d="$DUR" 'BEGIN { printf "%.0f", c / d }')"
done
echo "== CPU per MB of payload (median; comparable across tunnels whatever their TUN packet size)"
for t in pptp pptp_R ${use_wg:+wg}; do
	printf '   %-8s server %7s us/MB   client %7s us/MB\n' "$t" "$(med "$t" srv_us_mb)" "$(med "$t" cli_us_mb)"
done
echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "${PERF:-}" ]; then
	echo "== profile: one more pptpkit run (client -> server) under perf, then strace -c"
	if command -v perf >/dev/null &&
		perf record -q -o "$tmp/probe.data" -e cpu-clock -- true >/dev/null 2>&1; then
		ip netns exec "$NS_SRV" iperf3 -s -1 -B "$PPTP_PEER" -p "$PORT" >/dev/null 2>&1 &
		ip_pid=$!
		sleep 0.5
		perf record -q -e cpu-clock -F 2999 -g -o "$tmp/perf-cli.data" -p "$cli_pid" \
			-- sleep "$DUR" >/dev/null 2>&1 &
		perf_c=$!
		perf record -q -e cpu-clock -F 2999 -g -o "$tmp/perf-srv.data" -p "$srv_pid" \
			-- sleep "$DUR" >/dev/null 2>&1 &
		perf_s=$!
		ip netns exec "$NS_CLI" iperf3 -c "$PPTP_PEER" -p "$PORT" -t "$DUR" -f m >"$tmp/perf-iperf.txt" 2>&1
		wait "$perf_c" "$perf_s" 2>/dev/null
		wait "$ip_pid" 2>/dev/null
		for side in cli srv; do
			echo "-- perf ($side), self time in % of the process's samples, top 25"
			perf report -i "$tmp/perf-$side.data" --no-children --sort dso,sym \
				--stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 25
		done
	else
		echo "   perf not usable here"
	fi
	if command -v strace >/dev/null; then
		ip netns exec "$NS_SRV" iperf3 -s -1 -B "$PPTP_PEER" -p "$PORT" >/dev/null 2>&1 &
		ip_pid=$!
		sleep 0.5
		timeout -s INT "$((DUR + 1))" strace -c -f -p "$cli_pid" -o "$tmp/strace-cli.txt" &
		st1=$!
		timeout -s INT "$((DUR + 1))" strace -c -f -p "$srv_pid" -o "$tmp/strace-srv.txt" &
		st2=$!
		ip netns exec "$NS_CLI" iperf3 -c "$PPTP_PEER" -p "$PORT" -t "$DUR" -f m >"$tmp/strace-iperf.txt" 2>&1
		wait "$st1" "$st2" 2>/dev/null
		wait "$ip_pid" 2>/dev/null
		echo "-- strace -c, client (under strace: $(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$tmp/strace-iperf.txt") Mbit/s)"
		head -n 12 "$tmp/strace-cli.txt"
		echo "-- strace -c, server"
		head -n 12 "$tmp/strace-srv.txt"
	fi
fi
echo "-- pptpkit TUN counters at the end (tx_dropped: the kernel's queue to pptpkit was full)"
for side in "$NS_CLI $CLI_TUN client" "$NS_SRV $SRV_TUN server"; do
	set -- $side
	ip netns exec "$1" sh -c "cd /sys/class/net/$2 && echo \$(cat tx_queue_len statistics/rx_packets statistics/tx_packets statistics/rx_dropped statistics/tx_dropped)" |
		awk -v w="$3 $2" '{ printf "   %s: txqueuelen %s, rx %s tx %s rx_dropped %s tx_dropped %s\n", w, $1, $2, $3, $4, $5 }'
done
exit 0
