#!/bin/sh
# run-tests.sh BIN... - runs each test binary, then prints the sum as the
# closing line "N passed, N failed".  Exits 1 if any test failed or any
# binary did not finish with its own summary line (a crash counts as a fail).
total_pass=0
total_fail=0
for bin in "$@"; do
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | tail -n 1)
	pass=$(printf '%s\n' "$line" | sed -n 's/^.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
	fail=$(printf '%s\n' "$line" | sed -n 's/^.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
	if [ -z "$pass" ]; then
		echo "$bin: did not finish (exit $rc)"
		pass=0
		fail=1
	elif [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		echo "$bin: exit $rc"
		fail=1
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
