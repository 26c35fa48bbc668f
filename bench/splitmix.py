"""SplitMix64 inputs shared by every peer (same as `oracle bench`):
output j (0-based) of stream `seed` is mix(seed + (j+1)*0x9E3779B97F4A7C15 mod 2^64);
a double in [-1,1) is (z >> 11) * 2^-53 * 2 - 1; an integer in [-r, r] is (z mod (2r+1)) - r."""
import json
import statistics
import time

import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)


def mix(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def outputs(seed, start, count):
    """Outputs start..start+count-1 of stream `seed` (uint64 arithmetic wraps mod 2^64)."""
    with np.errstate(over="ignore"):
        j = np.arange(start + 1, start + count + 1, dtype=np.uint64)
        return mix(np.uint64(seed) + j * GAMMA)


def doubles(seed, start, count):
    z = outputs(seed, start, count)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53 * 2 - 1


def integers(seed, start, count, r):
    z = outputs(seed, start, count)
    return (z % np.uint64(2 * r + 1)).astype(np.int64) - r


def timed(task, repeat):
    """Untimed warm-up, then `repeat` timed runs; returns (timings dict, last result)."""
    result = task()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = task()
        times.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}, result


def emit(workload, timing, checksum, **extra):
    out = {"workload": workload, **timing, "checksum": checksum, **extra}
    print(json.dumps(out))
