"""Accuracy of the plug-in estimators against the reference oracles: bias, spread, RMSE vs n.

x ~ N(0, 1), y ~ N(0.5, 1.2^2) (truth: closed-form KL, quadrature JSD) and x, y ~ N(0, 1)
(truth 0), with the library's default bins ("auto") and with the Miller-Madow correction.
KL uses bins="quantile" (equal-mass bins never leave a y-bin empty where x has mass as easily as
equal widths do; the share of infinite estimates is reported).
"""

from __future__ import annotations

import math

import numpy as np

import divergences as dv

from .core import Config, Result, case

JS_TRUE = float(dv.reference.js_normal(0.0, 1.0, 0.5, 1.2))
KL_TRUE = float(dv.reference.kl_normal(0.0, 1.0, 0.5, 1.2))


@case("accuracy")
def accuracy(config: Config) -> Result:
    """Bias, standard deviation and RMSE against the truth for n = 1e2 ... 1e6 per sample."""
    out = Result("accuracy")
    rng = np.random.default_rng(3)
    scenarios = [
        ("JSD, shifted", dv.js_from_samples, (0.5, 1.2), JS_TRUE, "auto"),
        ("JSD, P = Q", dv.js_from_samples, (0.0, 1.0), 0.0, "auto"),
        ("KL, shifted", dv.kl_from_samples, (0.5, 1.2), KL_TRUE, "quantile"),
    ]
    series: dict[str, dict[str, list[float]]] = {}
    out.notes.append(
        f"{'scenario':<14} {'n':>8} {'estimator':<13} {'bias':>10} {'sd':>10} {'rmse':>10} "
        f"{'inf share':>9}  ({config.accuracy_replicates} seeded replicates)"
    )
    for label, estimator, (mu, sigma), truth, bins in scenarios:
        for n in config.accuracy_sizes:
            replicates = max(3, config.accuracy_replicates // (10 if n >= 1_000_000 else 1))
            values: dict[str, list[float]] = {"plug-in": [], "miller-madow": []}
            for _ in range(replicates):
                x = rng.normal(0.0, 1.0, n)
                y = rng.normal(mu, sigma, n)
                est = estimator(x, y, bins=bins, bias_correction="miller-madow")
                values["plug-in"].append(float(est.plugin))
                # plugin - bias, unclipped: the mean of clipped values is biased upwards near 0
                values["miller-madow"].append(float(est.plugin - est.bias))
            for kind, v in values.items():
                a = np.asarray(v)
                finite = a[np.isfinite(a)]
                inf_share = 1.0 - finite.size / a.size
                bias = float(finite.mean() - truth) if finite.size else math.nan
                sd = float(finite.std(ddof=1)) if finite.size > 1 else math.nan
                rmse = math.sqrt(bias**2 + sd**2) if finite.size > 1 else math.nan
                out.notes.append(
                    f"{label:<14} {n:>8.0e} {kind:<13} {bias:>10.2e} {sd:>10.2e} {rmse:>10.2e} "
                    f"{inf_share:>9.2f}"
                )
                key = f"{label}, {kind}"
                entry = series.setdefault(key, {"n": [], "bias": [], "sd": [], "rmse": []})
                entry["n"].append(n)
                entry["bias"].append(bias)
                entry["sd"].append(sd)
                entry["rmse"].append(rmse)
    out.series = series
    return out
