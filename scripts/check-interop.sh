#!/usr/bin/env bash
# check-interop.sh: interoperability cases of pptpkit against independent
# PPTP peers (pppd 2.4.9, PoPToP 1.4.0, pptp-linux 1.10.0) running in the
# qemu VM of shared/interop/vm.sh.  See docs/INTEROP.md.
#
# usage: scripts/check-interop.sh [--list] [--case NAME]... [--keep-logs]
#
# Each case prints "PASS name (detail)" or "FAIL name: reason"; the last
# line is always "interop: N passed, N failed" and the exit status is 0 only
# when nothing failed.  Everything started here (VMs, tcpdump, our
# processes, network namespaces) is stopped on every exit path.  Needs root.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VM=${PPTPKIT_INTEROP_VM:-$ROOT/../shared/interop/vm.sh}
PPTPKIT=${PPTPKIT:-$ROOT/pptpkit}
NS=${PPTPKIT_INTEROP_NETNS:-pptpkit-interop}
# A cache of our own, so that pid files and logs never collide with someone
# running vm.sh by hand; the .debs of the default cache are reused.
CACHE=${PPTPKIT_INTEROP_CACHE:-/var/tmp/pptpkit-interop}
export PPTP_INTEROP_NETNS=$NS PPTP_INTEROP_CACHE=$CACHE PPTP_INTEROP_QUIET=1
unset PPTP_INTEROP_BG PPTP_INTEROP_HOLD PPTP_INTEROP_PING PPTP_INTEROP_PPTP_OPTS \
      PPTP_INTEROP_PPPD_DEFAULTS PPTP_INTEROP_CHAP_SECRETS PPTP_INTEROP_USER \
      PPTP_INTEROP_PASS PPTP_INTEROP_NET PPTP_INTEROP_LOCALIP PPTP_INTEROP_REMOTEIP
HOST=10.77.0.1 SRV=10.77.0.2 TUN_PEER=10.77.1.1
# NAT case: a second namespace behind a masquerading router namespace
NAT_NS=${NS}-nat LAN_NS=${NS}-lan LAN2_NS=${NS}-lan2
BULK_N=3700 BULK_S=1400          # 3700 x 1400 octets = 5.18 MB each way
W=$(mktemp -d /tmp/pptpkit-interop.XXXXXX)
KEEP=0
declare -a PIDS=()
PASSED=0 FAILED=0
declare -a FAILS=()

log() { printf '[interop %s] %s\n' "$(date +%T)" "$*" >&2; }
nsx() { ip netns exec "$NS" "$@"; }

cleanup() {
	local p
	trap - EXIT INT TERM
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		timeout 5 tail --pid="$p" -f /dev/null 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
	"$VM" stop all >/dev/null 2>&1
	"$VM" clean >/dev/null 2>&1
	for p in "$LAN2_NS" "$LAN_NS" "$NAT_NS"; do
		ip netns del "$p" 2>/dev/null
	done
	ip link del pki-nat0 2>/dev/null
	ip link del wan0 2>/dev/null
	ip link del pki-l2 2>/dev/null
	ip link del pki-l3 2>/dev/null
	if ((KEEP)); then log "logs kept in $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; echo "interop: $PASSED passed, $((FAILED + 1)) failed"; exit 130' INT TERM

# --- small helpers ---------------------------------------------------------

# bg NAME CMD...: start CMD in the background, output to $W/NAME.log; sets BGPID
bg() {
	local name=$1; shift
	"$@" >"$W/$name.log" 2>&1 &
	BGPID=$!
	PIDS+=("$BGPID")
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds
wait_for() {
	local t=$(( $1 * 5 )); shift
	while ((t-- > 0)); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

# stop_pid PID SECONDS: SIGTERM, wait bounded, SIGKILL; sets STOP_RC
stop_pid() {
	local pid=$1 t=$(( $2 * 5 ))
	kill -TERM "$pid" 2>/dev/null
	while ((t-- > 0)) && kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		STOP_RC=killed
		return 1
	fi
	wait "$pid" 2>/dev/null
	STOP_RC=$?
	return 0
}

vmlog() { cat "$CACHE/run/$1.log" 2>/dev/null; }

# ping_ok NS DEST: 3 pings, all answered
ping_ok() {
	ip netns exec "$1" ping -n -c 3 -i 0.3 -W 2 -q "$2" >"$W/ping.out" 2>&1 &&
		grep -q ' 3 received' "$W/ping.out"
}

# bulk NS DEST [MIN_PERCENT]: BULK_N echo requests of BULK_S octets with a fixed pattern;
# iputils ping checks every reply's data.  Sets BULK (a description).
bulk() {
	local out rx min=${3:-99}
	if ((min < 99)); then   # lossy peer: paced, bounded by -w
		out=$(timeout 60 ip netns exec "$1" ping -n -q -i 0.01 -w 30 -c "$BULK_N" \
			-s "$BULK_S" -p a55a0ff0c33c -W 3 "$2" 2>&1)
	else
		out=$(timeout 90 ip netns exec "$1" ping -n -f -c "$BULK_N" -s "$BULK_S" \
			-p a55a0ff0c33c -W 2 "$2" 2>&1)
	fi
	rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
	BULK="${rx:-0}/$BULK_N x ${BULK_S}B"
	if grep -q 'wrong data byte' <<<"$out"; then
		BULK="$BULK corrupted replies"
		return 1
	fi
	# a few losses are tolerated (TCG scheduling); corruption is not
	[[ -n $rx ]] && ((rx >= BULK_N * min / 100))
}

# --- packet capture --------------------------------------------------------

cap_start() {
	CAP=$W/$1.pcap
	bg "tcpdump-$1" ip netns exec "$NS" tcpdump -U -s 0 -ni pptpi-br0 -w "$CAP" \
		'tcp port 1723 or ip proto 47'
	CAP_PID=$BGPID
	wait_for 5 test -s "$CAP" || sleep 0.5
}

# cap_check: stop the capture, then no malformed packet at all and no
# expert warning or error on a packet we sent (outer source OURS).
cap_check() {
	local ours=$1 n bad ours_warn
	sleep 0.3
	stop_pid "$CAP_PID" 5
	n=$(tshark -r "$CAP" -q -z io,stat,0 2>/dev/null | awk '/<>/ {print $6; exit}')
	if ! tshark -r "$CAP" -Y '_ws.malformed' >"$W/malformed.txt" 2>/dev/null ||
	   ! tshark -r "$CAP" -Y "_ws.expert.severity >= 0x00600000 && ip.src == $ours && !icmp" \
			>"$W/ourwarn.txt" 2>/dev/null; then
		CAP_INFO="tshark could not read $CAP"
		KEEP=1
		return 1
	fi
	bad=$(wc -l <"$W/malformed.txt")
	ours_warn=$(wc -l <"$W/ourwarn.txt")
	CAP_INFO="pcap ${n:-?} frames, malformed=$bad, our warnings=$ours_warn"
	if ((bad != 0 || ours_warn != 0)); then
		tshark -r "$CAP" -q -z expert,warn >"$W/expert.txt" 2>&1
		cp "$CAP" "$W/failed-$(basename "$CAP")"
		KEEP=1
		return 1
	fi
	return 0
}

# --- results ---------------------------------------------------------------

# A case body ends with pass or fail; run_case reports it.
pass() { CASE_RESULT=pass; CASE_MSG="$*"; }
fail() {
	CASE_RESULT=fail; CASE_MSG="$*"; KEEP=1
	mkdir -p "$W/$CASE"
	cp "$W"/*.log "$W/$CASE/" 2>/dev/null
	cp "$CACHE"/run/*.log "$W/$CASE/" 2>/dev/null
}

# The guest's virtio-net TX queue sometimes hangs under TCG ("NETDEV
# WATCHDOG ... transmit queue 0 timed out" on the VM console): a fault of
# the emulator, not of either PPTP peer.  Such a case is run once more.
guest_nic_hung() { grep -qs 'NETDEV WATCHDOG' "$CACHE"/run/server.log "$CACHE"/run/client.log; }

# --- case family 1: our client against pptpd + pppd in the VM -------------
#
# client_case MODE_WANT "PPPD_DEFAULTS" "VM pppd opts" -- our client args
client_case() {
	local want=$1 defaults=$2 vmopts=$3; shift 3
	local -a cargs=("$@")
	local pid line rx

	"$VM" stop server >/dev/null 2>&1
	# shellcheck disable=SC2086
	if ! PPTP_INTEROP_PPPD_DEFAULTS=$defaults timeout 120 "$VM" server noipv6 $vmopts \
			>"$W/vm-server.out" 2>&1; then
		fail "server VM did not become ready"; return
	fi
	cap_start "$CASE"
	bg client ip netns exec "$NS" "$PPTPKIT" client "$SRV" --user alice --password-file "$W/pw" \
		--no-reconnect --no-ipv6 "${cargs[@]}"
	pid=$BGPID
	if ! wait_for 30 grep -q 'link up tun=' "$W/client.log"; then
		stop_pid "$pid" 10
		fail "link not up in 30 s: $(tail -n 2 "$W/client.log" | tr '\n' ' ')"; return
	fi
	line=$(grep 'link up tun=' "$W/client.log")
	if ! grep -q "mppe=$want\b" <<<"$line"; then
		stop_pid "$pid" 10; fail "wrong mode, want mppe=$want: $line"; return
	fi
	if ! ping_ok "$NS" "$TUN_PEER"; then
		stop_pid "$pid" 10; fail "ping $TUN_PEER: $(tail -n 2 "$W/ping.out")"; return
	fi
	if ! bulk "$NS" "$TUN_PEER"; then
		stop_pid "$pid" 10; fail "bulk ping: $BULK"; return
	fi
	# teardown from our side: SIGTERM -> exit 0, the VM's pppd terminates
	# normally and reports at least 5 MB received
	if ! stop_pid "$pid" 15 || [[ $STOP_RC != 0 ]]; then
		fail "client exit after SIGTERM: $STOP_RC"; return
	fi
	if ! wait_for 15 eval 'vmlog server | grep -q "pppd\[[0-9]*\]: Exit\."'; then
		fail "VM pppd did not exit after our teardown"; return
	fi
	if ! vmlog server | grep -q 'pppd\[[0-9]*\]: Connection terminated\.'; then
		fail "VM pppd: no 'Connection terminated'"; return
	fi
	rx=$(vmlog server | sed -n 's/.*pppd\[[0-9]*\]: Sent [0-9]* bytes, received \([0-9]*\) bytes.*/\1/p' | tail -n 1)
	if [[ -z $rx ]] || ((rx < BULK_N * BULK_S * 99 / 100)); then
		fail "VM pppd received only ${rx:-?} bytes"; return
	fi
	if ! cap_check "$HOST"; then
		fail "wire: $CAP_INFO"; return
	fi
	"$VM" stop server >/dev/null 2>&1
	pass "mppe=$want, ping 3/3, bulk $BULK, VM pppd rx=$rx B, exit 0 + VM 'Connection terminated', $CAP_INFO"
}

# --- case family 2: pptp-linux + pppd in the VM against our server --------

# server_start "options lines" : our server on 10.77.0.1, config in $W/srv
server_start() {
	rm -rf "$W/srv"; mkdir -p "$W/srv"
	printf '%s\n' "option $W/srv/options" "localip 10.77.1.1" \
		"remoteip 10.77.1.100-199" "listen $HOST" \
		"chap-secrets $W/srv/chap-secrets" >"$W/srv/pptpd.conf"
	printf '%s\n' "name pptpd" "ms-dns 10.77.1.1" "$@" >"$W/srv/options"
	(umask 077; echo 'alice pptpd secret *' >"$W/srv/chap-secrets")
	"$VM" net-up >/dev/null 2>&1
	bg server ip netns exec "$NS" "$PPTPKIT" server --config "$W/srv/pptpd.conf" --no-scripts
	SRV_PID=$BGPID
	if ! wait_for 10 eval 'nsx ss -ltn | grep -q "$HOST:1723"'; then
		return 1
	fi
}

# server_case WANT "PPPD_DEFAULTS" "VM pppd opts" "pptp opts" -- our options lines
# With pptp-linux's --test-type 2 or 3 (REORDER=1) the peer holds its GRE
# packets back until ten more are queued, so an idle link stalls: the VM's
# own pings and our 3 pings are not required then.  Instead 300 echo
# requests of 1400 octets at 100/s (which keep the VM sending) must get at
# least 20 % of their replies, with no corrupted one (see docs/INTEROP.md).
server_case() {
	local want=$1 defaults=$2 vmopts=$3 pptpopts=$4; shift 4
	local vmip down vmping=0
	((${REORDER:-0})) && vmping='[0-9]*'

	if ! server_start "$@"; then
		stop_pid "$SRV_PID" 5; fail "our server did not listen: $(tail -n 2 "$W/server.log")"; return
	fi
	cap_start "$CASE"
	# The VM client returns at LINK-UP (BG=1), pings us 5 times from the
	# guest, holds the link 10 s, then hangs up by itself.
	# shellcheck disable=SC2086
	PPTP_INTEROP_PPPD_DEFAULTS=$defaults PPTP_INTEROP_BG=1 PPTP_INTEROP_HOLD=${HOLD:-10} \
	PPTP_INTEROP_PING=5 PPTP_INTEROP_PPTP_OPTS="--loglevel 1 $pptpopts" \
		timeout 120 "$VM" client "$HOST" alice secret noipv6 $vmopts >"$W/vm-client.out" 2>&1
	if ! vmlog client | grep -q 'LINK-UP mode=client'; then
		stop_pid "$SRV_PID" 5
		fail "VM client link not up: $(vmlog client | grep -E 'RESULT|pppd.*(fail|error|refused)' | tail -n 3 | tr '\n' ' ')"
		return
	fi
	if ! grep -q "event=up.*mppe=$want\b" "$W/server.log"; then
		stop_pid "$SRV_PID" 5
		fail "our server: no 'event=up ... mppe=$want': $(grep event=up "$W/server.log")"; return
	fi
	vmip=$(vmlog client | sed -n 's/.*LINK-UP mode=client .* local=\([0-9.]*\).*/\1/p' | tail -n 1)
	if ! ((${REORDER:-0})) && ! ping_ok "$NS" "$vmip"; then
		stop_pid "$SRV_PID" 5; fail "ping $vmip from our side: $(tail -n 2 "$W/ping.out")"; return
	fi
	if ((${REORDER:-0})); then
		if ! BULK_N=300 bulk "$NS" "$vmip" 20; then
			stop_pid "$SRV_PID" 5; fail "ping 300 x 1400B to $vmip: $BULK"; return
		fi
	elif ! bulk "$NS" "$vmip"; then
		stop_pid "$SRV_PID" 5; fail "bulk ping to $vmip: $BULK"; return
	fi
	# teardown from the VM side: its pppd hangs up after HOLD
	if ! wait_for 60 eval 'vmlog client | grep -q "RESULT mode=client"'; then
		stop_pid "$SRV_PID" 5; fail "VM client did not finish"; return
	fi
	if ! vmlog client | grep -q "RESULT mode=client link=up ping=$vmping pppd_exit=16"; then
		stop_pid "$SRV_PID" 5; fail "VM: $(vmlog client | grep RESULT)"; return
	fi
	if ! wait_for 10 grep -q 'event=down' "$W/server.log"; then
		stop_pid "$SRV_PID" 5; fail "our server: no event=down after the VM hung up"; return
	fi
	down=$(grep -o 'gre_lost=[0-9]* gre_reordered=[0-9]* gre_dup=[0-9]*' "$W/server.log" | tail -n 1)
	kill -USR1 "$SRV_PID"
	if ! wait_for 5 grep -q 'event=status sessions=0 conns=0' "$W/server.log"; then
		stop_pid "$SRV_PID" 5
		fail "our server still holds state: $(grep event=status "$W/server.log" | tail -n 1)"; return
	fi
	if ! stop_pid "$SRV_PID" 10 || [[ $STOP_RC != 0 ]]; then
		fail "our server exit after SIGTERM: $STOP_RC"; return
	fi
	if ! cap_check "$HOST"; then
		fail "wire: $CAP_INFO"; return
	fi
	wait_for 20 eval 'vmlog client | grep -q POWEROFF'
	"$VM" stop client >/dev/null 2>&1
	if ((${REORDER:-0})); then
		pass "mppe=$want, bulk $BULK under '$pptpopts', our server: $down, VM hang-up -> event=down + sessions=0, $CAP_INFO"
	else
		pass "mppe=$want, VM ping 5/5 + ours 3/3, bulk $BULK, VM hang-up -> event=down + sessions=0, $down, $CAP_INFO"
	fi
}

# --- case family 6: our client behind a masquerading NAT ------------------

nat_teardown() {
	local n
	nsx ip link del pki-nat0 2>/dev/null
	for n in "$LAN2_NS" "$LAN_NS" "$NAT_NS"; do ip netns del "$n" 2>/dev/null; done
	# namespaces die asynchronously: wait until their names are gone
	wait_for 10 eval '! ip netns list | grep -q -- "^$NS-"'
}

nat_setup() {
	nat_teardown
	"$VM" net-up >/dev/null 2>&1
	ip netns add "$NAT_NS" && ip netns add "$LAN_NS" && ip netns add "$LAN2_NS" || return 1
	# router: wan leg on the interop bridge (10.77.0.9), lan 192.168.77.1/24
	ip link add pki-nat0 type veth peer name wan0 || return 1
	ip link set pki-nat0 netns "$NS" && ip link set wan0 netns "$NAT_NS" || return 1
	nsx ip link set pki-nat0 master pptpi-br0 up || return 1
	ip netns exec "$NAT_NS" sh -e -c '
		ip link set lo up
		ip addr add 10.77.0.9/24 dev wan0; ip link set wan0 up
		ip link add lanbr type bridge; ip addr add 192.168.77.1/24 dev lanbr
		ip link set lanbr up
		sysctl -qw net.ipv4.ip_forward=1' || return 1
	local l i=2
	for l in "$LAN_NS" "$LAN2_NS"; do
		ip link add pki-l$i type veth peer name eth0 netns "$l" || return 1
		ip link set pki-l$i netns "$NAT_NS" || return 1
		ip netns exec "$NAT_NS" ip link set pki-l$i master lanbr up || return 1
		ip netns exec "$l" sh -e -c "
			ip link set lo up; ip addr add 192.168.77.$i/24 dev eth0
			ip link set eth0 up; ip route add default via 192.168.77.1" || return 1
		i=$((i + 1))
	done
	modprobe nf_conntrack_pptp 2>/dev/null
	modprobe nf_nat_pptp 2>/dev/null
	ip netns exec "$NAT_NS" nft -f - <<-'EOF' || return 1
	table ip pkinat {
		ct helper pptp-h { type "pptp" protocol tcp; }
		chain pre { type filter hook prerouting priority 0;
			tcp dport 1723 ct helper set "pptp-h"; }
		chain post { type nat hook postrouting priority 100;
			oifname "wan0" masquerade; }
	}
	EOF
}

# nat_case NCLIENTS
nat_case() {
	local n=$1 i ns pids=() ok=1 detail=
	if ! nat_setup 2>"$W/nat-setup.log" && ! { sleep 2; nat_setup 2>"$W/nat-setup.log"; }; then
		fail "NAT namespaces/nft rules could not be set up: $(tail -n 2 "$W/nat-setup.log" | tr '\n' ' ')"
		nat_teardown; return
	fi
	"$VM" stop server >/dev/null 2>&1
	if ! timeout 120 "$VM" server noipv6 >"$W/vm-server.out" 2>&1; then
		fail "server VM did not become ready"; return
	fi
	cap_start "$CASE"
	for ((i = 0; i < n; i++)); do
		ns=$LAN_NS; ((i)) && ns=$LAN2_NS
		bg "client$i" ip netns exec "$ns" "$PPTPKIT" client "$SRV" --user alice \
			--password-file "$W/pw" --no-reconnect --no-ipv6
		pids+=("$BGPID")
		((i + 1 < n)) && sleep 1
	done
	for ((i = 0; i < n; i++)); do
		ns=$LAN_NS; ((i)) && ns=$LAN2_NS
		if ! wait_for 30 grep -q 'link up tun=' "$W/client$i.log"; then
			ok=0; detail="client$i link not up: $(tail -n 2 "$W/client$i.log" | tr '\n' ' ')"; break
		fi
		if ! ping_ok "$ns" "$TUN_PEER"; then
			ok=0; detail="client$i ping: $(tail -n 2 "$W/ping.out" | tr '\n' ' ')"; break
		fi
		if ! bulk "$ns" "$TUN_PEER"; then ok=0; detail="client$i bulk: $BULK"; break; fi
		detail="$detail client$i $(sed -n 's/.*link up tun=[^ ]* local=\([^ ]*\).*/\1/p' "$W/client$i.log") bulk $BULK;"
	done
	if ((ok && n == 2)); then
		# both still up after the second one's traffic?
		ping_ok "$LAN_NS" "$TUN_PEER" || { ok=0; detail="client0 lost its link once client1 came up"; }
	fi
	for ((i = 0; i < n; i++)); do
		if ! stop_pid "${pids[$i]}" 15 || [[ $STOP_RC != 0 ]]; then
			((ok)) && detail="client$i exit after SIGTERM: $STOP_RC"; ok=0
		fi
	done
	if ((ok)) && ! cap_check 10.77.0.9; then ok=0; detail="wire: $CAP_INFO"; fi
	"$VM" stop server >/dev/null 2>&1
	nat_teardown
	if ((ok)); then pass "$n behind masquerade + pptp helper:$detail $CAP_INFO"
	else fail "$detail"; fi
}

# --- the case table --------------------------------------------------------

MS2="refuse-pap refuse-chap refuse-mschap require-mschap-v2"
CASES=(
	client-mschapv2-mppe128
	client-mschapv2-mppe40
	client-mschapv2-stateful-allowed
	client-mschapv2-stateful
	client-chap-nomppe
	client-pap-nomppe
	server-mschapv2-mppe128
	server-mschapv2-mppe40
	server-mschapv2-stateful-allowed
	server-chap-nomppe
	server-pap-nomppe
	server-reorder-type1
	server-reorder-type2
	server-reorder-type3
	nat-client
	nat-two-clients
)
VMC_BASE="noauth refuse-eap"

run_case() {
	local try note=
	CASE=$1
	for try in 1 2; do
		CASE_RESULT=fail CASE_MSG="no result"
		log "case $CASE${note:+ (retry)}"
		run_case_once
		pkill_ours
		if [[ $CASE_RESULT == fail ]] && ((try == 1)) && guest_nic_hung; then
			note="first try hit a guest virtio-net TX hang: $CASE_MSG"
			log "$note; retrying"
			"$VM" stop all >/dev/null 2>&1
			continue
		fi
		break
	done
	if [[ $CASE_RESULT == pass ]]; then
		PASSED=$((PASSED + 1))
		echo "PASS $CASE ($CASE_MSG)${note:+ [retried: $note]}"
	else
		FAILED=$((FAILED + 1)); FAILS+=("$CASE")
		echo "FAIL $CASE: $CASE_MSG${note:+ [retried: $note]}"
	fi
}

run_case_once() {
	case $CASE in
	client-mschapv2-mppe128)
		client_case 128-stateless 1 "" ;;
	client-mschapv2-mppe40)
		client_case 40-stateless 0 "$MS2 require-mppe-40 nomppe-128" --mppe-bits 40 ;;
	client-mschapv2-stateful-allowed)
		# pppd 2.4.9 with mppe-stateful still asks for stateless (+H) and
		# only accepts stateful when the peer asks; pptpkit also prefers
		# stateless, so stateless is the right outcome of this pair
		client_case 128-stateless 1 "mppe-stateful" --mppe-stateful ;;
	client-mschapv2-stateful)
		# our client insists on stateful (no H): pppd allows it with
		# mppe-stateful, so stateful MPPE really runs on the wire
		client_case 128-stateful 1 "mppe-stateful" --mppe-stateful-only ;;
	client-chap-nomppe)
		client_case none 0 "require-chap nomppe" --auth chap --mppe refused ;;
	client-pap-nomppe)
		client_case none 0 "require-pap nomppe" --auth pap --mppe refused ;;
	server-mschapv2-mppe128)
		server_case 128-stateless 1 "" "" require-mschap-v2 require-mppe-128 ;;
	server-mschapv2-mppe40)
		server_case 40-stateless 0 "$VMC_BASE refuse-pap refuse-chap refuse-mschap require-mppe-40 nomppe-128" "" \
			require-mschap-v2 require-mppe-40 ;;
	server-mschapv2-stateful-allowed)
		server_case 128-stateless 1 "mppe-stateful" "" require-mschap-v2 require-mppe-128 mppe-stateful ;;
	server-chap-nomppe)
		server_case none 0 "$VMC_BASE refuse-pap refuse-mschap refuse-mschap-v2 nomppe" "" \
			require-chap nomppe ;;
	server-pap-nomppe)
		server_case none 0 "$VMC_BASE refuse-chap refuse-mschap refuse-mschap-v2 nomppe" "" \
			require-pap nomppe ;;
	server-reorder-type1)
		server_case 128-stateless 1 "" "--test-type 1 --test-rate 10" require-mschap-v2 require-mppe-128 ;;
	server-reorder-type2)
		REORDER=1 HOLD=30 server_case 128-stateless 1 "" "--test-type 2 --test-rate 10" require-mschap-v2 require-mppe-128 ;;
	server-reorder-type3)
		REORDER=1 HOLD=30 server_case 128-stateless 1 "" "--test-type 3 --test-rate 10" require-mschap-v2 require-mppe-128 ;;
	nat-client)
		nat_case 1 ;;
	nat-two-clients)
		nat_case 2 ;;
	*)
		fail "unknown case (see --list)" ;;
	esac
}

# between cases: make sure nothing of ours is left running
pkill_ours() {
	local p
	for p in "${PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null && stop_pid "$p" 5
	done
	PIDS=()
}

# --- main ------------------------------------------------------------------

SEL=()
while (($#)); do
	case $1 in
	--list) printf '%s\n' "${CASES[@]}"; exit 0 ;;
	--case) SEL+=("${2:?--case needs a name}"); shift ;;
	--keep-logs) KEEP=1 ;;
	-h|--help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "unknown argument: $1" >&2; exit 2 ;;
	esac
	shift
done
((${#SEL[@]})) || SEL=("${CASES[@]}")

START=$(date +%s)
if [[ $(id -u) != 0 ]]; then
	echo "check-interop: needs root (network namespaces, qemu taps, raw GRE)"
	echo "interop: 0 passed, 1 failed"; exit 1
fi
if [[ ! -x $VM ]]; then
	echo "check-interop: $VM not found (set PPTPKIT_INTEROP_VM)"
	echo "interop: 0 passed, 1 failed"; exit 1
fi
if [[ ! -x $PPTPKIT ]]; then
	echo "check-interop: $PPTPKIT not built (make pptpkit)"
	echo "interop: 0 passed, 1 failed"; exit 1
fi
for t in tcpdump tshark nft; do
	if ! command -v "$t" >/dev/null; then
		echo "check-interop: $t missing (make deps)"
		echo "interop: 0 passed, 1 failed"; exit 1
	fi
done
mkdir -p "$CACHE"
if [[ ! -e $CACHE/debs && -d /var/tmp/pptp-interop/debs ]]; then
	ln -s /var/tmp/pptp-interop/debs "$CACHE/debs"
fi
(umask 077; echo secret >"$W/pw")
"$VM" stop all >/dev/null 2>&1
if ! timeout 600 "$VM" build >"$W/build.out" 2>&1; then
	tail -n 5 "$W/build.out"
	echo "interop: 0 passed, 1 failed"; exit 1
fi

for c in "${SEL[@]}"; do
	run_case "$c"
done
log "total $(( $(date +%s) - START )) s"
((FAILED)) && echo "failed: ${FAILS[*]} (logs in $W)"
echo "interop: $PASSED passed, $FAILED failed"
((FAILED == 0))
