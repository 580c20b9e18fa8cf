#!/usr/bin/env bash
# bench/inspect.sh - how fast `pptpkit inspect` reads a large PPTP capture,
# against tshark extracting the same fields, in one run on one machine.
#
#   make BUILD=build-bench build-bench/pptpkit build-bench/bench/inspect_gen
#   BUILD=build-bench bench/inspect.sh
#
# 1. bench/inspect_gen writes a capture of MB (default 520) 10^6 octets: a
#    control connection, a call with LCP / MS-CHAPv2 / CCP (MPPE-128
#    stateless) / IPCP, then MPPE-encrypted data both ways (user "bench",
#    password "pptpkit-bench-1723": `--password` can verify and decrypt
#    it), and a second one of SMALL_MB (default 52) for the memory check.
# 2. The big file is read once to warm the page cache, then RUNS (default
#    3) rounds of, each under /usr/bin/time -v:
#      pptpkit inspect --json F > /dev/null
#      tshark -r F -T fields -e gre.key.call_id -e gre.sequence_number \
#          -e gre.ack_number > /dev/null
#      tshark -r F -q -z io,phs > /dev/null
#    (the fields and the statistics of ../shared/baselines/05_tshark.sh),
#    and pptpkit on the small file; DECRYPT=1 adds pptpkit with
#    --password (MS-CHAPv2 check and MPPE decryption), PERF=1 a
#    `perf stat` of one pptpkit run.
# 3. Prints medians: wall and CPU seconds, packets/s, MB/s, peak RSS, the
#    ratios tshark/pptpkit, and pptpkit's RSS on the small and big files
#    (memory must not grow with the file).
# Env: BUILD (build), MB, SMALL_MB, RUNS, WORK (/var/tmp/pptpkit-bench-inspect),
# OUT (results dir), KEEP=1 keeps the captures.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD:-build}
MB=${MB:-520}
SMALL_MB=${SMALL_MB:-52}
RUNS=${RUNS:-3}
WORK=${WORK:-/var/tmp/pptpkit-bench-inspect}
OUT=${OUT:-$WORK/results-$(date +%Y%m%d-%H%M%S)}
USER_NAME=bench
PASSWORD=pptpkit-bench-1723
PPTPKIT="$ROOT/$BUILD/pptpkit"
GEN="$ROOT/$BUILD/bench/inspect_gen"
BIG="$WORK/inspect_${MB}mb.pcap"
SMALL="$WORK/inspect_${SMALL_MB}mb.pcap"
TSV="$OUT/inspect.tsv"

for t in /usr/bin/time tshark capinfos; do
	command -v "$t" > /dev/null || { echo "bench/inspect.sh: needs $t" >&2; exit 1; }
done
[ -x "$PPTPKIT" ] && [ -x "$GEN" ] || {
	echo "bench/inspect.sh: build first: make BUILD=$BUILD $BUILD/pptpkit $BUILD/bench/inspect_gen" >&2
	exit 1
}
mkdir -p "$WORK" "$OUT"
: > "$TSV"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -f "$BIG" "$SMALL"; }
trap cleanup EXIT

# /usr/bin/time -v output -> "wall user sys maxrss_kb"
tv() {
	awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,p,":"); w=0; for(i=1;i<=n;i++) w=w*60+p[i]}
		/User time/{u=$2} /System time/{s=$2} /Maximum resident/{m=$2}
		END{print w, u, s, m}' "$1"
}
median() { sort -g | awk '{a[NR]=$1} END{ if (NR == 0) { print "NA"; exit }
	print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# run_timed TAG FILE CMD...: one timed run, stdout to /dev/null; wall time
# from date(1) in ns, CPU time and peak RSS from /usr/bin/time -v
run_timed() {
	local tag=$1 file=$2 tf="$OUT/$1.$RANDOM.time"
	local t0 t1
	shift 2
	t0=$(date +%s%N)
	/usr/bin/time -v "$@" > /dev/null 2> "$tf"
	t1=$(date +%s%N)
	read -r w u s m < <(tv "$tf")
	# time -v shows the wall clock in 10 ms steps: take it in ns here
	w=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b - a) / 1e9}')
	printf '%s\twall_s\t%s\n%s\tcpu_s\t%s\n%s\tmaxrss_mb\t%s\n' \
	    "$tag" "$w" "$tag" "$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')" \
	    "$tag" "$(awk -v m="$m" 'BEGIN{printf "%.1f", m/1024}')" >> "$TSV"
}
get() { awk -F'\t' -v t="$1" -v m="$2" '$1==t && $2==m {print $3}' "$TSV" | median; }

echo "== bench/inspect.sh: MB=$MB SMALL_MB=$SMALL_MB RUNS=$RUNS OUT=$OUT"
echo "   $(uname -r), $(nproc) CPUs, $(tshark --version 2>/dev/null | head -1)"
echo "   pptpkit: $PPTPKIT ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
"$GEN" "$BIG" "$MB" "$USER_NAME" "$PASSWORD"
"$GEN" "$SMALL" "$SMALL_MB" "$USER_NAME" "$PASSWORD"
SIZE=$(stat -c %s "$BIG")
NPKT=$(capinfos -M -c "$BIG" | awk -F: '/Number of packets/{gsub(/ /,"",$2); print $2}')
cat "$BIG" "$SMALL" > /dev/null		# warm the page cache

# sanity: the analyzer sees every frame and the one call with its keys
"$PPTPKIT" inspect --json "$BIG" > "$OUT/big.json"
python3 - "$OUT/big.json" "$NPKT" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1])); n = int(sys.argv[2])
assert j["packets"] == n, (j["packets"], n)
c = j["calls"][0]
assert len(j["calls"]) == 1 and c["pns_call_id"] == 0x4001 and c["pac_call_id"] == 0x8002
g = sum(d["packets"] for d in c["gre"])
print("   sanity: %d frames, %d GRE packets in the call, auth %s, mppe_frames %d" %
      (n, g, c["auth"]["method"], c["mppe_frames"]))
EOF

for r in $(seq 1 "$RUNS"); do
	run_timed pptpkit "$BIG" "$PPTPKIT" inspect --json "$BIG"
	run_timed pptpkit_small "$SMALL" "$PPTPKIT" inspect --json "$SMALL"
	[ "${DECRYPT:-0}" = 1 ] && run_timed pptpkit_decrypt "$BIG" \
	    "$PPTPKIT" inspect --json --user "$USER_NAME" --password "$PASSWORD" "$BIG"
	run_timed tshark_fields "$BIG" tshark -r "$BIG" -T fields -e gre.key.call_id \
	    -e gre.sequence_number -e gre.ack_number
	run_timed tshark_phs "$BIG" tshark -r "$BIG" -q -z io,phs
	echo "   run $r/$RUNS done"
done
if [ "${PERF:-0}" = 1 ] && command -v perf > /dev/null; then
	perf stat -e task-clock,cycles,instructions,page-faults -o "$OUT/perf_stat.txt" \
	    "$PPTPKIT" inspect --json "$BIG" > /dev/null || true
fi

echo "== results: $SIZE octets, $NPKT frames; medians of $RUNS runs; MB = 10^6 octets"
printf '   %-22s %8s %8s %12s %9s %9s\n' tool wall_s cpu_s packets/s MB/s rss_MB
for t in pptpkit pptpkit_decrypt tshark_fields tshark_phs; do
	w=$(get "$t" wall_s)
	[ "$w" = NA ] && continue
	printf '   %-22s %8.3f %8.3f %12.0f %9.1f %9s\n' "$t" "$w" "$(get "$t" cpu_s)" \
	    "$(awk -v n="$NPKT" -v w="$w" 'BEGIN{print n/w}')" \
	    "$(awk -v b="$SIZE" -v w="$w" 'BEGIN{print b/1e6/w}')" "$(get "$t" maxrss_mb)"
done | tee "$OUT/summary.txt"
pw=$(get pptpkit wall_s)
{
	echo "   ratio tshark -T fields / pptpkit: $(awk -v a="$(get tshark_fields wall_s)" -v b="$pw" 'BEGIN{printf "%.1f", a/b}')x"
	echo "   ratio tshark -z io,phs / pptpkit: $(awk -v a="$(get tshark_phs wall_s)" -v b="$pw" 'BEGIN{printf "%.1f", a/b}')x"
	echo "   pptpkit peak RSS: $(get pptpkit_small maxrss_mb) MB on $SMALL_MB MB, $(get pptpkit maxrss_mb) MB on $MB MB"
} | tee -a "$OUT/summary.txt"
