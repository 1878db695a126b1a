#!/usr/bin/python3
"""gen_blobs.py OUT.csv N SEED

Synthetic SOM benchmark data: N points x 3 features drawn from 6 isotropic
Gaussian blobs in 3-D, then z-score standardized per column, written as CSV
with header "f0,f1,f2" (no label column). Both the Java/Spark SOM and the
MiniSom peer read this file, so they see identical standardized data.

Generation (numpy.random.default_rng(SEED), PCG64):
  1. labels  = rng.integers(0, 6, size=N)            (uniform blob choice)
  2. noise   = rng.standard_normal((N, 3))
  3. X       = CENTRES[labels] + noise * SPREADS[labels][:, None]
  4. X[:, j] = (X[:, j] - mean_j) / std_j             (population std, ddof=0)
  5. written with '%.17g' (round-trips float64 exactly).

Blob centres (raw units, before standardization) and isotropic std devs:
  blob 0: ( 0,  0,  0)  sd 1.0
  blob 1: (10,  0,  0)  sd 0.8
  blob 2: ( 0, 10,  0)  sd 1.2
  blob 3: ( 0,  0, 10)  sd 1.0
  blob 4: (10, 10,  0)  sd 0.9
  blob 5: (10,  0, 10)  sd 1.1
Minimum centre separation is 10 (about 8-12 sd), so blobs are well separated.
"""
import sys

import numpy as np

CENTRES = np.array([
    [0.0, 0.0, 0.0],
    [10.0, 0.0, 0.0],
    [0.0, 10.0, 0.0],
    [0.0, 0.0, 10.0],
    [10.0, 10.0, 0.0],
    [10.0, 0.0, 10.0],
])
SPREADS = np.array([1.0, 0.8, 1.2, 1.0, 0.9, 1.1])


def generate(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(CENTRES), size=n)
    noise = rng.standard_normal((n, 3))
    x = CENTRES[labels] + noise * SPREADS[labels][:, None]
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    return x


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    x = generate(n, seed)
    np.savetxt(out, x, fmt='%.17g', delimiter=',', header='f0,f1,f2',
               comments='')


if __name__ == '__main__':
    main()
