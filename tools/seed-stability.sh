#!/usr/bin/env bash
# Verdict stability across seeds: runs `oracle check --seed N` for N = FIRST … FIRST+COUNT−1 (default 0 … 99),
# JOBS at a time (default: the number of cores), and reports every seed whose run did not exit 0, with the readings
# that differed from proofs.md or fell below their non-trivial share. On demand, not in CI (about a minute per seed
# per core on the project's 2-core machine).
#
#   tools/seed-stability.sh [COUNT] [FIRST] [-- extra oracle check arguments, e.g. ids]
#
# NO_CORPUS=1 runs without the committed corpus. Writes the per-seed JSON to .build/seed-stability/ and a summary to stdout (and to .build/seed-stability/summary.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100}
first=${2:-0}
shift $(( $# > 2 ? 2 : $# )) || true
[[ "${1:-}" == "--" ]] && shift
extra=("$@")
jobs=${JOBS:-$(nproc)}
out=.build/seed-stability
mkdir -p "$out"
swift build -c release --product oracle >/dev/null
oracle=$(swift build -c release --show-bin-path)/oracle
export oracle out
# Each seed starts from a copy of the committed corpus, as `oracle check` does (NO_CORPUS=1: none, so every
# refutation must be found again by that seed's own cases).
export NO_CORPUS=${NO_CORPUS:-0}
seq "$first" $((first + count - 1)) | xargs -P "$jobs" -I{} sh -c '
  if [ "$NO_CORPUS" = 1 ]; then corpus="--no-corpus"; else
    rm -rf "$out/corpus-{}"; cp -r Tests/Regression/Corpus "$out/corpus-{}"; corpus="--corpus=$out/corpus-{}"; fi
  "$oracle" check --seed {} $corpus --json "$@" > "$out/seed-{}.json" 2>/dev/null; echo $? > "$out/seed-{}.rc"' \
  _ "${extra[@]+"${extra[@]}"}"
python3 - "$out" "$first" "$count" <<'PY' | tee "$out/summary.txt"
import json, sys
out, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad = []
per_reading = {}
for n in range(first, first + count):
    rc = int(open(f"{out}/seed-{n}.rc").read().strip() or 1)
    claims = json.load(open(f"{out}/seed-{n}.json"))["claims"]
    for c in claims:
        label = f"{c['id']}/{c['reading']}"
        cov = c.get("coverage") or {}
        thin = (c["verdict"] == "holds" and cov.get("requiredNonTrivialShare") is not None
                and (cov.get("nonTrivialShare") or 0) < cov["requiredNonTrivialShare"])
        if c["verdict"] != c["expected"] or thin:
            per_reading.setdefault(label, []).append(n)
    if rc != 0:
        bad.append(n)
print(f"seeds {first}…{first + count - 1}: {count - len(bad)} of {count} runs exit 0 "
      f"({100 * (count - len(bad)) / count:.0f} %)")
for label, seeds in sorted(per_reading.items()):
    print(f"  {label}: differs or is below its share on {len(seeds)} seed(s): {seeds}")
sys.exit(0 if not bad else 1)
PY
