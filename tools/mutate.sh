#!/usr/bin/env bash
# Mutation testing of the oracle: applies the mutants of tools/mutants.txt one at a time to Reference and Fast,
# rebuilds, runs `oracle check --no-corpus --json` (and `swift test`), restores, and reports which readings and
# tests killed each mutant, with the kill rates. On demand only (it takes hours), never in CI.
# Documentation: docs/mutation.md. Needs bash, git, python3 (standard library), coreutils `timeout`.
set -uo pipefail

usage() {
    cat <<'EOF'
Usage: tools/mutate.sh [options] [MUTANT-ID ...]

Runs every mutant of the catalogue, or the ones named. For each: apply it (the original snippet must occur
exactly once), `swift build -c release --product oracle`, `.build/release/oracle check --no-corpus --json`
(killers: readings whose verdict differs from the documented one), then, unless told otherwise,
`swift build --build-tests` + `swift test --skip-build` (killers: failing tests), and restore the file.

Options:
  --check-only            run oracle check only, never swift test
  --tests-for-survivors   run swift test only for mutants that survive oracle check
  --timeout SECONDS       timeout of every step (build, check, tests); default: build 1800, check 900, tests 3600
  --build-timeout S, --check-timeout S, --test-timeout S
                          one step's timeout
  --check-args 'ARGS'     extra arguments for oracle check (e.g. '--seed 7')
  --in-place              mutate this repository's own files (each backed up and restored, also on Ctrl-C);
                          reuses its .build; the pristine oracle is rebuilt at the end
  --workdir DIR           the scratch copy to mutate otherwise (default /tmp/mechanism-oracle-mutation;
                          kept between runs so that its builds stay incremental)
  --results DIR           per-mutant results and logs (default tools/mutation-results, git-ignored)
  --report FILE           the Markdown report (default tools/mutation-report.md)
  --skip-baseline         do not first check that the unmutated build passes (the last baseline's results in
                          --results, if any, still serve: which tests already failed, which outcomes changed)
  --report-only           only rewrite the report from the results already there
  --list                  list the catalogue and exit
  -h, --help              this help
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
lib="$here/mutate_lib.py"
catalogue="$here/mutants.txt"

check_only=0; tests_for_survivors=0; in_place=0; skip_baseline=0; report_only=0; list_only=0
build_timeout=1800; check_timeout=900; test_timeout=3600
check_args=""
workdir="${TMPDIR:-/tmp}/mechanism-oracle-mutation"
results="$here/mutation-results"
report="$here/mutation-report.md"
ids=()

while [ $# -gt 0 ]; do
    case "$1" in
        --check-only) check_only=1 ;;
        --tests-for-survivors) tests_for_survivors=1 ;;
        --timeout) build_timeout="$2"; check_timeout="$2"; test_timeout="$2"; shift ;;
        --build-timeout) build_timeout="$2"; shift ;;
        --check-timeout) check_timeout="$2"; shift ;;
        --test-timeout) test_timeout="$2"; shift ;;
        --check-args) check_args="$2"; shift ;;
        --in-place) in_place=1 ;;
        --workdir) workdir="$2"; shift ;;
        --results) results="$2"; shift ;;
        --report) report="$2"; shift ;;
        --skip-baseline) skip_baseline=1 ;;
        --report-only) report_only=1 ;;
        --list) list_only=1 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "mutate.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) ids+=("$1") ;;
    esac
    shift
done
if [ $check_only -eq 1 ] && [ $tests_for_survivors -eq 1 ]; then
    echo "mutate.sh: --check-only and --tests-for-survivors exclude each other" >&2; exit 2
fi
for t in "$build_timeout" "$check_timeout" "$test_timeout"; do
    case "$t" in ''|*[!0-9]*) echo "mutate.sh: a timeout must be a whole number of seconds, got '$t'" >&2; exit 2 ;; esac
done
command -v python3 >/dev/null || { echo "mutate.sh: needs python3" >&2; exit 2; }
command -v timeout >/dev/null || { echo "mutate.sh: needs coreutils timeout" >&2; exit 2; }

if [ $list_only -eq 1 ]; then
    python3 "$lib" describe "$catalogue" "${ids[@]}"; exit $?
fi
mkdir -p "$results"
if [ $report_only -eq 1 ]; then
    python3 "$lib" report "$catalogue" "$results" "$report"; exit $?
fi

selected=$(python3 "$lib" list "$catalogue" "${ids[@]}") || exit 2
if [ $in_place -eq 1 ]; then
    root="$repo"
else
    root="$workdir"
    mkdir -p "$root"
    python3 "$lib" sync "$repo" "$root" || exit 2
fi
state="$results/.state"
mkdir -p "$state"
progress="$results/progress.log"

log() { echo "$(date '+%F %T') $*" | tee -a "$progress"; }

# A mutant left applied by an interrupted run is restored first; every exit restores. The tree is then
# snapshotted: swift test saves counterexamples into Tests/Regression/Corpus, and a mutant's counterexamples
# left there would change the next mutant's test results, so every file is put back after every mutant.
python3 "$lib" restore "$root" "$state" || exit 2
stale=$(python3 "$lib" revert "$root" "$state" dry-run)
if [ -n "$stale" ]; then
    echo "mutate.sh: a killed run left a snapshot; these files differ from it (not touched; check them with git diff):" >&2
    echo "$stale" | sed 's/^/    /' >&2
fi
python3 "$lib" snapshot "$repo" "$root" "$state" || exit 2
cleanup() {
    python3 "$lib" restore "$root" "$state"
    python3 "$lib" revert "$root" "$state"
    python3 "$lib" revert "$root" "$state" drop
    if [ "${finished:-0}" -ne 1 ] && [ $in_place -eq 1 ]; then
        echo "mutate.sh: stopped early: the sources are restored, but .build may hold a mutant's binary until the next build" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$lib" validate "$catalogue" "$root" $selected >/dev/null || {
    python3 "$lib" validate "$catalogue" "$root" $selected; echo "mutate.sh: fix the catalogue first" >&2; exit 2; }

# step NAME TIMEOUT LOG CMD... : runs CMD in $root under a timeout; sets step_rc and step_seconds.
step() {
    local name="$1" limit="$2" out="$3"; shift 3
    local start end
    start=$(date +%s.%N)
    (cd "$root" && timeout -k 30 "$limit" "$@") >"$out" 2>&1
    step_rc=$?
    end=$(date +%s.%N)
    step_seconds=$(python3 -c "print(round($end - $start, 1))")
    [ $step_rc -eq 124 ] && log "  $name: timed out after ${limit}s"
    return 0
}

build_oracle() { step build "$build_timeout" "$1" swift build -c release --product oracle; }

run_check() {  # run_check JSON-OUT ERR-OUT
    local start end
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    (cd "$root" && timeout -k 30 "$check_timeout" .build/release/oracle check --no-corpus --json $check_args) >"$1" 2>"$2"
    step_rc=$?
    end=$(date +%s.%N)
    step_seconds=$(python3 -c "print(round($end - $start, 1))")
}

run_tests() {  # run_tests PREFIX -> sets tests_json
    step test-build "$test_timeout" "$1.test-build.log" swift build --build-tests
    if [ $step_rc -ne 0 ]; then
        local how="build failed (exit $step_rc)"; [ $step_rc -eq 124 ] && how="build timed out"
        tests_json="{\"status\": \"killed\", \"how\": \"test build: $how\", \"failing\": [\"(test build: $how)\"], \"exit\": $step_rc, \"seconds\": $step_seconds}"
        return
    fi
    local build_seconds=$step_seconds
    step test "$test_timeout" "$1.test.log" swift test --skip-build
    tests_json=$(python3 "$lib" test-result "$1.test.log" "$step_rc" "$(python3 -c "print($build_seconds + $step_seconds)")" \
                 "${baseline_tests:-}")
}

want_tests_at_all=$(( check_only == 0 ))

if [ $skip_baseline -eq 0 ]; then
    log "baseline: building the unmutated oracle in $root"
    build_oracle "$results/baseline.build.log"
    [ $step_rc -eq 0 ] || { log "baseline: the unmutated build fails (see $results/baseline.build.log)"; exit 1; }
    run_check "$results/baseline.check.json" "$results/baseline.check.err"
    log "baseline: oracle check exit $step_rc in ${step_seconds}s"
    [ $step_rc -eq 0 ] || { log "baseline: oracle check does not pass unmutated: kills would mean nothing"; exit 1; }
    if [ $want_tests_at_all -eq 1 ]; then
        run_tests "$results/baseline"
        echo "$tests_json" >"$results/baseline.tests.json"
        log "baseline: swift test $(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print('passed' if d['status']=='survived' else 'failing: ' + (', '.join(d['failing']) or d.get('how','')), 'in', d['seconds'], 's')" "$tests_json")"
        # Tests that already fail unmutated are recorded and not counted as killers; a test run that does not
        # complete unmutated (build error, crash, timeout) makes every later verdict meaningless.
        python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d['status']=='survived' or d.get('how')=='tests' else 1)" "$tests_json" \
            || { log "baseline: swift test does not complete unmutated (see $results/baseline.test.log)"; exit 1; }
        python3 -c "import json,sys; sys.exit(0 if json.loads(sys.argv[1])['status']=='survived' else 1)" "$tests_json" \
            || log "baseline: WARNING: these tests fail unmutated; they are not counted as killers (see $results/baseline.test.log)"
    fi
fi
touched=$(python3 "$lib" revert "$root" "$state")
[ -n "$touched" ] && log "baseline: put back what the run wrote: $(echo "$touched" | tr '\n' ';' | sed 's/;$//')"
if [ $want_tests_at_all -eq 1 ] && [ -f "$results/baseline.tests.json" ]; then
    baseline_tests="$results/baseline.tests.json"
fi

total=$(echo "$selected" | wc -w); n=0
for id in $selected; do
    n=$((n + 1))
    log "[$n/$total] $(python3 "$lib" describe "$catalogue" "$id")"
    prefix="$results/$id"
    rm -f "$prefix".*
    python3 "$lib" apply "$catalogue" "$root" "$id" "$state" >/dev/null || { log "  could not apply $id"; exit 2; }
    build_oracle "$prefix.build.log"
    check_json='{"status": "not-run"}'; tests_json='{"status": "not-run"}'
    if [ $step_rc -ne 0 ]; then
        status=failed; [ $step_rc -eq 124 ] && status=timeout
        build_json="{\"status\": \"$status\", \"exit\": $step_rc, \"seconds\": $step_seconds}"
        log "  build $status: killed by the compiler (see $prefix.build.log)"
    else
        build_json="{\"status\": \"ok\", \"seconds\": $step_seconds}"
        log "  built in ${step_seconds}s"
        run_check "$prefix.check.json" "$prefix.check.err"
        check_json=$(python3 "$lib" check-result "$prefix.check.json" "$step_rc" "$step_seconds")
        check_status=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['status'])" "$check_json")
        log "  oracle check: $(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['status'], '(' + (', '.join(d['killers']) or d.get('how','')) + ')', 'in', d['seconds'], 's')" "$check_json")"
        if [ $check_only -eq 0 ] && { [ $tests_for_survivors -eq 0 ] || [ "$check_status" = survived ]; }; then
            run_tests "$prefix"
            log "  swift test: $(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['status'], '(' + (', '.join(d['failing']) or d.get('how','')) + ')', 'in', d['seconds'], 's')" "$tests_json")"
        fi
    fi
    python3 "$lib" restore "$root" "$state" >/dev/null
    touched=$(python3 "$lib" revert "$root" "$state")
    [ -n "$touched" ] && log "  put back what the run wrote: $(echo "$touched" | tr '\n' ';' | sed 's/;$//')"
    printf '{"id": "%s", "date": "%s", "build": %s, "check": %s, "tests": %s}\n' \
        "$id" "$(date -u '+%FT%TZ')" "$build_json" "$check_json" "$tests_json" >"$prefix.json"
    python3 "$lib" report "$catalogue" "$results" "$report" >/dev/null
done

if [ $in_place -eq 1 ]; then
    # Leave no mutant's binary in .build for someone who runs .build/release/oracle (or the test bundle) directly.
    log "rebuilding the unmutated oracle"
    build_oracle "$results/final.build.log"
    if [ $want_tests_at_all -eq 1 ]; then
        step test-build "$test_timeout" "$results/final.test-build.log" swift build --build-tests
    fi
fi
finished=1
python3 "$lib" report "$catalogue" "$results" "$report" | tee -a "$progress"
