#!/usr/bin/env bash
# Runs docs/campaigns.md's Slurm recipes on a one-node Slurm and checks them: sets up Slurm from Debian's packages
# (slurm-wlm, munge) when no controller answers, builds the oracle once, submits the `oracle check` array (8 shards)
# and the `oracle fuzz` array (4 shards) with their merge jobs (afterany), and checks that
#   - every check shard exits 0 (a shard's verdicts are the merge's business),
#   - the merged check JSON is byte-identical to the unsharded `oracle check --json` with the same seed,
#   - the merged fuzz report equals the unsharded one (timing aside, the raw errors as a multiset),
#   - a missing or duplicated shard is refused by the merge.
# On demand only (root on a Debian/Ubuntu machine; it starts munged, slurmctld and slurmd). Usage:
#   tools/slurm-campaign.sh [--seed N] [--workdir DIR]
set -euo pipefail

seed=42
work=""
while [ $# -gt 0 ]; do
    case "$1" in
    --seed) seed=$2; shift 2 ;;
    --workdir) work=$2; shift 2 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${work:-$(mktemp -d /tmp/oracle-slurm.XXXXXX)}
mkdir -p "$work"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

# ── One-node Slurm ────────────────────────────────────────────────────────────────────────────────────────────────
if ! command -v sbatch >/dev/null 2>&1; then
    log "installing slurm-wlm and munge from the distribution's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
if ! sinfo -h >/dev/null 2>&1; then
    host=$(hostname -s)
    cpus=$(nproc)
    mkdir -p /etc/slurm /var/lib/slurm/slurmd /var/lib/slurm/slurmctld /var/log/slurm /run/munge
    if [ ! -f /etc/slurm/slurm.conf ]; then
        log "writing /etc/slurm/slurm.conf for one node ($host, $cpus CPUs)"
        cat >/etc/slurm/slurm.conf <<EOF
ClusterName=oracle
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    fi
    [ -f /etc/munge/munge.key ] || { mkdir -p /etc/munge; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; }
    chown -R munge:munge /etc/munge /run/munge 2>/dev/null || true
    chmod 400 /etc/munge/munge.key
    pgrep -x munged >/dev/null || su -s /bin/sh munge -c munged 2>/dev/null || munged --force
    pgrep -x slurmctld >/dev/null || slurmctld
    pgrep -x slurmd >/dev/null || slurmd
    for _ in $(seq 60); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 1; done
    sinfo -h -o %T | grep -q idle || fail "the Slurm node did not come up (see /var/log/slurm)"
fi
log "Slurm: $(sinfo -h -o '%P %D nodes %T' | head -1)"

# ── Build once, then the campaigns ────────────────────────────────────────────────────────────────────────────────
cd "$repo"
log "building the oracle (ORACLE_PORTABLE=1)"
ORACLE_PORTABLE=1 swift build -c release --product oracle >"$work/build.log" 2>&1 || fail "build (see $work/build.log)"
oracle="$repo/.build/release/oracle"
mkdir -p "$work/campaign"

cat >"$work/check.sbatch" <<EOF
#!/bin/sh
#SBATCH --array=0-7
#SBATCH --chdir=$repo
#SBATCH --output=$work/campaign/check-%a.log
i=\$SLURM_ARRAY_TASK_ID
$oracle check --seed $seed --shard "\$i/8" --json --cache "$work/campaign/corpus-\$i" > "$work/campaign/shard-\$i.json"
echo "exit \$?" > "$work/campaign/shard-\$i.status"
EOF
cat >"$work/fuzz.sbatch" <<EOF
#!/bin/sh
#SBATCH --array=0-3
#SBATCH --chdir=$repo
#SBATCH --output=$work/campaign/fuzz-%a.log
i=\$SLURM_ARRAY_TASK_ID
$oracle fuzz --builtin fast --task sdr1d --cases 2000 --seed $seed --shard "\$i/4" --jobs 1 \\
    --findings "$work/campaign/findings-\$i" --json > "$work/campaign/fuzz-\$i.json"
EOF
cat >"$work/merge.sbatch" <<EOF
#!/bin/sh
#SBATCH --chdir=$repo
#SBATCH --output=$work/campaign/merge.log
$oracle merge $work/campaign/shard-*.json --json > "$work/campaign/check.json"; echo "check merge exit \$?"
$oracle merge $work/campaign/fuzz-*.json --json > "$work/campaign/fuzz.json"; echo "fuzz merge exit \$?"
EOF

check_job=$(sbatch --parsable "$work/check.sbatch")
fuzz_job=$(sbatch --parsable "$work/fuzz.sbatch")
merge_job=$(sbatch --parsable --dependency=afterany:$check_job:$fuzz_job "$work/merge.sbatch")
log "submitted check array $check_job, fuzz array $fuzz_job, merge $merge_job (afterany)"
log "meanwhile: the unsharded runs"
"$oracle" check --seed "$seed" --json --cache "$work/unsharded-corpus" >"$work/unsharded-check.json" || true
"$oracle" fuzz --builtin fast --task sdr1d --cases 2000 --seed "$seed" --jobs 1 --findings "$work/unsharded-findings" \
    --json >"$work/unsharded-fuzz.json" || true
while squeue -h -j "$check_job,$fuzz_job,$merge_job" 2>/dev/null | grep -q .; do sleep 2; done
cat "$work/campaign/merge.log"

# ── Checks ────────────────────────────────────────────────────────────────────────────────────────────────────────
for i in $(seq 0 7); do
    grep -qx "exit 0" "$work/campaign/shard-$i.status" || fail "check shard $i: $(cat "$work/campaign/shard-$i.status")"
done
log "every check shard exited 0"
cmp -s "$work/campaign/check.json" "$work/unsharded-check.json" ||
    fail "the merged check differs from the unsharded run (diff $work/campaign/check.json $work/unsharded-check.json)"
log "merged check JSON = unsharded check JSON, byte for byte ($(wc -c <"$work/campaign/check.json") bytes)"
python3 - "$work/campaign/fuzz.json" "$work/unsharded-fuzz.json" <<'EOF' || fail "the merged fuzz report differs"
import json, sys
def strip(path):
    report = json.load(open(path))
    report.pop("timing", None)
    report.pop("shard", None)
    # The raw errors come shard by shard in a merge, case by case unsharded: the same multiset (exact quantiles).
    report["errors"] = sorted(report.get("errors", []))
    for f in report.get("findings", []):
        f.pop("history", None)
    return report
a, b = strip(sys.argv[1]), strip(sys.argv[2])
if a != b:
    print("differing keys:", [k for k in set(a) | set(b) if a.get(k) != b.get(k)])
    sys.exit(1)
EOF
log "merged fuzz report = unsharded fuzz report (timing aside)"
shards=("$work"/campaign/shard-*.json)
if "$oracle" merge "${shards[@]:1}" >"$work/missing.log" 2>&1; then fail "a missing shard was accepted"; fi
log "missing shard refused: $(head -c 160 "$work/missing.log" | tr '\n' ' ')"
if "$oracle" merge "${shards[@]}" "${shards[0]}" >"$work/duplicate.log" 2>&1; then fail "a duplicated shard was accepted"; fi
log "duplicated shard refused: $(head -c 160 "$work/duplicate.log" | tr '\n' ' ')"
log "PASS (seed $seed; results in $work)"
