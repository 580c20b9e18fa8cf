#!/bin/sh
# fuzz-smoke.sh SECONDS BIN... - runs each libFuzzer binary for SECONDS on its
# seed corpus (fuzz/corpus/<name>, copied so the tree stays clean).  Fails if
# any fuzzer finds a crash, a leak or a timeout.
secs=$1
shift
status=0
for bin in "$@"; do
	name=$(basename "$bin")
	work=$(mktemp -d)
	if [ -d "fuzz/corpus/$name" ]; then
		cp -r "fuzz/corpus/$name/." "$work/"
	fi
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=0 "$work" >"$work.log" 2>&1; then
		runs=$(grep -o 'DONE.*' "$work.log" | tail -n 1)
		echo "fuzz $name: ok ${runs:-}"
	else
		echo "fuzz $name: FAILED"
		tail -n 40 "$work.log"
		status=1
	fi
	rm -rf "$work" "$work.log"
done
exit $status
