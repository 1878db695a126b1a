#!/usr/bin/env python3
"""Simulate a BG/NBD customer summary (x, t_x, T) in weeks, times on whole days.

usage: gen_bgnbd.py OUT.csv [N=1000000] [SEED=20240628] [r=0.25 alpha=4 a=0.8 b=2.5]

Model (Fader, Hardie & Lee 2005), vectorised, no per-customer loop:
  lambda ~ Gamma(r, rate=alpha)   (per week),  p ~ Beta(a, b)
  T_days ~ uniform integer in [7, 546]  (T in [1, 78] weeks, whole days)
  purchases while alive: Poisson process(lambda) on (0, T]; after each *repeat*
  purchase the customer drops out with prob. p, so the number of repeat purchases
  made before dropping out is K ~ Geometric(p) on {1, 2, ...}.
  n = Poisson(lambda * T) arrivals in (0, T]; x = min(n, K);
  t_x = x-th order statistic of n U(0,T) = T * Beta(x, n - x + 1)  (x > 0), else 0.
  t_x is rounded UP to a whole day (so t_x >= 1 day when x > 0 and t_x <= T).
CSV header: x,t_x,T ; t_x and T are days/7 printed with repr (exact round-trip).
"""
import sys
import numpy as np


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20240628
    r, alpha, a, b = (float(v) for v in sys.argv[4:8]) if len(sys.argv) > 7 else (0.25, 4.0, 0.8, 2.5)
    rng = np.random.default_rng(seed)

    lam = rng.gamma(r, 1.0 / alpha, size=n)
    p = np.clip(rng.beta(a, b, size=n), 1e-12, 1.0)
    T_days = rng.integers(7, 546, size=n, endpoint=True)
    T = T_days / 7.0

    arrivals = rng.poisson(lam * T)
    K = rng.geometric(p)
    x = np.minimum(arrivals, K)
    pos = x > 0
    # x-th order statistic of `arrivals` uniforms on (0, T)
    frac = np.zeros(n)
    frac[pos] = rng.beta(x[pos], arrivals[pos] - x[pos] + 1)
    tx_days = np.where(pos, np.ceil(frac * T_days), 0).astype(np.int64)
    tx_days = np.minimum(np.maximum(tx_days, pos.astype(np.int64)), T_days)

    with open(out, "w") as f:
        f.write("x,t_x,T\n")
        f.writelines(
            "%d,%r,%r\n" % (xi, ti / 7.0, Ti / 7.0) for xi, ti, Ti in zip(x.tolist(), tx_days.tolist(), T_days.tolist())
        )

    patterns = len(set(zip(x.tolist(), tx_days.tolist(), T_days.tolist())))
    print(
        "wrote %s: n=%d seed=%d params r=%g alpha=%g a=%g b=%g; x>0: %d (%.1f%%), mean x %.4f, max x %d, patterns %d"
        % (out, n, seed, r, alpha, a, b, pos.sum(), 100.0 * pos.mean(), x.mean(), x.max(), patterns),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
