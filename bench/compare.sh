#!/usr/bin/env bash
# Runs `oracle bench` and its peers side by side on the target workloads and prints time ratios
# (peer median / ours: > 1 means ours is faster). Usage: bench/compare.sh [path/to/oracle] [repeat] [large]
# Needs numpy, pyfftw and python-flint (pip install pyfftw python-flint).
# With `large`, only the layer at the size of a real generator layer, `oracle bench layer-large` against its numpy
# peer (layer_numpy.py --stream): 512 input and 512 output channels, batch 64, stride 2, 3×3 and 4×4 kernels, 32×32
# and 64×64 activation maps (64×64 and 128×128 output maps), with time and peak memory; `oracle bench layer-large`
# exits 1 when its peak RSS exceeds its bound (and so does this script).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ORACLE=$(realpath "${1:-$HERE/../.build/release/oracle}")  # resolved before the cd below
cd "$HERE"
REPEAT=${2:-7}
NUMPY_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

if [ "${3:-}" = large ]; then
  for cfg in "32 3" "32 4" "64 3" "64 4"; do
    set -- $cfg
    args=(--cin 512 --cout 512 --batch 64 --map $((2 * $1)) --stride 2 --kernel $2 --repeat "$REPEAT")
    ours=$("$ORACLE" bench layer-large "${args[@]}" --json)
    np=$("${NUMPY_ENV[@]}" python3 layer_numpy.py "${args[@]}" --stream)
    python3 - "$1" "$2" "$ours" "$np" <<'PY'
import json, sys
m, h, ours, peer = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
same = "ok" if abs(peer["checksum"] - ours["checksum"]) <= 1e-9 * abs(ours["checksum"]) else "CHECKSUM DIFFERS"
print(f"layer-large 512x512 B=64 m={m:>2} n={2 * int(m):>3} h={h} | ours {ours['median_s']:7.2f} s, "
      f"peak {ours['peak_rss_mib']:6.0f} MiB (bound {ours['bound_mib']:5.0f}) | numpy {peer['median_s']:7.2f} s "
      f"(x{peer['median_s'] / ours['median_s']:6.1f}), peak {peer['peak_rss_mib']:6.0f} MiB | {same}")
PY
  done
  exit 0
fi

row() {  # label, our JSON, then peer name/JSON pairs
  python3 - "$@" <<'PY'
import json, sys
label, ours = sys.argv[1], json.loads(sys.argv[2])
cells = [f"{label:<34} ours {ours['median_s']*1e3:9.2f} ms"]
for name, text in zip(sys.argv[3::2], sys.argv[4::2]):
    peer = json.loads(text)
    same = "ok" if (peer["checksum"] == ours["checksum"] if isinstance(ours["checksum"], str)
                    else abs(peer["checksum"] - ours["checksum"]) <= 1e-9 * abs(ours["checksum"])) else "CHECKSUM DIFFERS"
    cells.append(f"{name} {peer['median_s']*1e3:9.2f} ms (x{peer['median_s']/ours['median_s']:5.2f}, {same})")
print(" | ".join(cells))
PY
}

for cfg in "64 32 64 16 2 5" "128 64 64 8 2 5"; do
  set -- $cfg
  args=(--cin $1 --cout $2 --batch $3 --map $4 --stride $5 --kernel $6 --repeat "$REPEAT")
  ours=$("$ORACLE" bench layer "${args[@]}" --json)
  np=$("${NUMPY_ENV[@]}" python3 layer_numpy.py "${args[@]}")
  fw=$(python3 layer_numpy.py "${args[@]}" --backend fftw)
  row "layer cin=$1 cout=$2 B=$3 n=$4 s=$5 h=$6" "$ours" numpy "$np" fftw-r2c "$fw"
done

for d in 31 101 1031 4099; do
  args=(--d $d --count 10000 --repeat "$REPEAT")
  ours=$("$ORACLE" bench fft1d "${args[@]}" --json)
  np=$("${NUMPY_ENV[@]}" python3 fft_peers.py "${args[@]}")
  fw=$(python3 fft_peers.py "${args[@]}" --backend fftw)
  row "fft1d complex d=$d N=10000" "$ours" numpy "$np" fftw "$fw"
  ours=$("$ORACLE" bench fft1d "${args[@]}" --real --json)
  np=$("${NUMPY_ENV[@]}" python3 fft_peers.py "${args[@]}" --real)
  fw=$(python3 fft_peers.py "${args[@]}" --backend fftw --real)
  row "fft1d real d=$d N=10000" "$ours" numpy-rfft "$np" fftw-r2c "$fw"
done

for cfg in "13 200" "101 200" "401 200" "1009 2" "10007 2" "100003 2" "100003 1"; do
  set -- $cfg
  args=(--d $1 --pairs $2 --repeat "$REPEAT")
  ours=$("$ORACLE" bench exact-sdr "${args[@]}" --json)
  fl=$(python3 exact_sdr_flint.py "${args[@]}")
  row "exact-sdr d=$1 pairs=$2" "$ours" flint "$fl"
done
# The growth of the exact SDR with d and its fitted exponent, against FLINT: bench/exact_sdr_growth.py.
