#!/usr/bin/env bash
# Fuzzing throughput of two oracle binaries side by side: `oracle fuzz --builtin fast --task sdr1d --seed 0`,
# the binaries in turn for ROUNDS rounds, at CASES cases and JOBS workers. Prints, per binary, the median and the
# range of the report's cases/s and the smallest user CPU time of the rounds, then the ratio of the medians
# (second / first). Usage: bench/fuzz_throughput.sh BASELINE [CANDIDATE] [CASES] [JOBS] [ROUNDS]
# (CANDIDATE defaults to this checkout's release build; CASES 500, JOBS 2, ROUNDS 9). Build the baseline from the
# commit to compare against, e.g. `git worktree add /tmp/old 137b7a2 && swift build -c release --package-path /tmp/old`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BASE=$(realpath "${1:?usage: bench/fuzz_throughput.sh BASELINE [CANDIDATE] [CASES] [JOBS] [ROUNDS]}")
CAND=$(realpath "${2:-$HERE/../.build/release/oracle}")
CASES=${3:-500}; JOBS=${4:-2}; ROUNDS=${5:-9}
command -v /usr/bin/time >/dev/null || { echo "fuzz_throughput.sh: needs /usr/bin/time (GNU time)" >&2; exit 2; }
declare -A RATE CPU
TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT
for ((r = 0; r < ROUNDS; r++)); do
  for bin in "$BASE" "$CAND"; do
    out=$(/usr/bin/time -f "%U" -o "$TIMES" "$bin" fuzz --builtin fast --task sdr1d --seed 0 --cases "$CASES" \
      --jobs "$JOBS" 2>/dev/null)
    RATE[$bin]+="$(grep -o '[0-9]* cases/s' <<<"$out" | cut -d' ' -f1) "
    CPU[$bin]+="$(tail -1 "$TIMES") "
  done
done
summary() {  # median, range of cases/s; min CPU
  python3 - "$@" <<'PY'
import statistics, sys
rates = sorted(float(x) for x in sys.argv[1].split()); cpu = min(float(x) for x in sys.argv[2].split())
print(f"{statistics.median(rates):.0f} {rates[0]:.0f} {rates[-1]:.0f} {cpu:.2f}")
PY
}
read -r bm blo bhi bcpu <<<"$(summary "${RATE[$BASE]}" "${CPU[$BASE]}")"
read -r cm clo chi ccpu <<<"$(summary "${RATE[$CAND]}" "${CPU[$CAND]}")"
echo "sdr1d, $CASES cases, --jobs $JOBS, $ROUNDS rounds (median cases/s [range], least user CPU):"
echo "  baseline  $BASE: $bm [$blo–$bhi], ${bcpu} s"
echo "  candidate $CAND: $cm [$clo–$chi], ${ccpu} s"
python3 -c "print(f'  ratio of the medians: {$cm / $bm:.1f}×')"
