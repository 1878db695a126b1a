#!/usr/bin/env python3
"""Time lifetimes.BetaGeoFitter (BG/NBD) on a customer summary CSV.

usage: lifetimes_bgnbd.py SUMMARY.csv [N=3] [MODE=both|compressed|raw]
  CSV header x,t_x,T (weeks; x = repeat purchases). Prints one JSON line.

Compression is the documented lifetimes way (tests/test_estimation.py,
test_using_weights_col_gives_correct_results): weights=1.0 per row,
groupby(["frequency","recency","T"])["weights"].sum().reset_index(), then
BetaGeoFitter(penalizer_coef=0).fit(frequency, recency, T, weights=...).

Log-likelihood: lifetimes fits on time scaled by s = 1/max(T) and stores
_negative_log_likelihood_ = -(sum_i w_i*LL_i(scaled)) / sum_i w_i (+ penalizer, 0 here).
The per-customer LL carries a time^-x unit, LL_scaled = LL_weeks - x*log(s), so the total
LL in the CSV's unit (weeks) is  -nll*W + log(s)*sum_i w_i*x_i.  It is cross-checked by
evaluating the BG/NBD LL directly in weeks (numpy/scipy) at the fitted params.
"""
import json
import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd
from scipy.special import gammaln

import lifetimes
import lifetimes.fitters as lt_fitters
from lifetimes import BetaGeoFitter


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


# Record scipy's OptimizeResult without touching lifetimes' source.
_last_opt = {}
_orig_minimize = lt_fitters.minimize


def _recording_minimize(*args, **kwargs):
    res = _orig_minimize(*args, **kwargs)
    _last_opt.clear()
    _last_opt.update(nit=int(getattr(res, "nit", -1)), nfev=int(getattr(res, "nfev", -1)),
                     njev=int(getattr(res, "njev", -1)), success=bool(res.success), message=str(res.message))
    return res


lt_fitters.minimize = _recording_minimize


def bgnbd_ll_weeks(params, x, tx, T):
    """Per-customer BG/NBD log-likelihood in the data's own time unit (Fader-Hardie-Lee 2005 eq. 6)."""
    r, alpha, a, b = params
    x = np.asarray(x, dtype=float)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    beta_ratio = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    term1 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore"):
        term2 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + tx), -np.inf)
    return common + beta_ratio + np.logaddexp(term1, term2)


def compress(df):
    w = df.copy()
    w["weights"] = 1.0
    w = w.groupby(["frequency", "recency", "T"])["weights"].sum()
    return w.reset_index()


def run_fits(freq, rec, T, weights, n):
    times, m = [], None
    for _ in range(n):
        m = BetaGeoFitter(penalizer_coef=0.0)
        t0 = time.perf_counter()
        m.fit(freq, rec, T, weights=weights)
        times.append(time.perf_counter() - t0)
    freq_a = np.asarray(freq, dtype=float)
    w_a = np.ones_like(freq_a) if weights is None else np.asarray(weights, dtype=float)
    W = w_a.sum()
    nll_mean_scaled = float(m._negative_log_likelihood_)
    ll_total_scaled = -nll_mean_scaled * W
    ll_total_weeks = ll_total_scaled + np.log(m._scale) * float((w_a * freq_a).sum())
    params = [float(m.params_[k]) for k in ("r", "alpha", "a", "b")]
    ll_direct = float((w_a * bgnbd_ll_weeks(params, freq_a, np.asarray(rec, float), np.asarray(T, float))).sum())
    return {
        "fit_s_median": statistics.median(times),
        "fit_s_all": [round(t, 4) for t in times],
        "rows": int(len(freq_a)),
        "customers": float(W),
        "r": params[0], "alpha": params[1], "a": params[2], "b": params[3],
        "ll_total_weeks": float(ll_total_weeks),
        "ll_total_weeks_direct": ll_direct,
        "ll_total_lifetimes_scaled_units": float(ll_total_scaled),
        "lifetimes_negative_log_likelihood_": nll_mean_scaled,
        "lifetimes_time_scale": float(m._scale),
        "optimizer": dict(_last_opt),
        "peak_rss_mib_after": round(peak_rss_mib(), 1),
    }


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    mode = sys.argv[3] if len(sys.argv) > 3 else "both"
    out = {"lib": "lifetimes", "lifetimes_version": lifetimes.__version__, "numpy": np.__version__,
           "pandas": pd.__version__, "file": path, "repeats": n, "mode": mode}

    t0 = time.perf_counter()
    raw = pd.read_csv(path, dtype={"x": np.int64, "t_x": np.float64, "T": np.float64})
    raw = raw.rename(columns={"x": "frequency", "t_x": "recency"})
    out["read_csv_s"] = time.perf_counter() - t0
    out["customers"] = int(len(raw))
    out["peak_rss_mib_after_read"] = round(peak_rss_mib(), 1)

    if mode in ("both", "compressed"):
        ctimes = []
        for _ in range(n):
            t0 = time.perf_counter()
            comp = compress(raw)
            ctimes.append(time.perf_counter() - t0)
        out["compress_s_median"] = statistics.median(ctimes)
        out["patterns"] = int(len(comp))
        out["peak_rss_mib_after_compress"] = round(peak_rss_mib(), 1)
        out["compressed"] = run_fits(comp["frequency"], comp["recency"], comp["T"], comp["weights"], n)

    if mode in ("both", "raw"):
        out["raw"] = run_fits(raw["frequency"], raw["recency"], raw["T"], None, n)

    out["peak_rss_mib"] = round(peak_rss_mib(), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
