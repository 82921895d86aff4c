"""Claim that the square root of JSD is a metric (Endres & Schindelin 2003).

Endres & Schindelin (2003), A new metric for probability distributions, IEEE T-IT 49(7).
"""

from __future__ import annotations

import numpy as np
from hypothesis import example
from hypothesis import strategies as st

import divergences as dv
from divergences import strategies as dst
from divergences.claims import claim, expect, forall

from .tolerances import INEQUALITY_SLACK


@st.composite
def triples(draw):
    size = draw(st.integers(2, 8), label="size")
    return tuple(draw(dst.probability_vectors(size, size), label=name) for name in "PQR")


@claim(
    "info.js-distance-metric",
    statement=(
        r"$\sqrt{JSD}$ satisfies the triangle inequality (with symmetry and zero exactly at "
        r"$P = Q$, each a claim of its own, it is a metric)."
    ),
    source="Endres & Schindelin (2003)",
    locator="Theorem 1",
    check=(
        r"For Hypothesis-drawn triples $(P, Q, R)$ the triangle inequality $d(P, R) \le d(P, Q) + "
        r"d(Q, R)$ is asserted; the falsifier (the distance without the root) is refuted by "
        "the pinned triple $(1, 0)$, $(1/2, 1/2)$, $(0, 1)$. The other axioms of a metric are "
        "claims of their own: symmetry (`info.js-symmetric`) and zero exactly at $P = Q$ "
        "(`info.js-zero-iff-equal`)."
    ),
    subject=dv.js_distance,
    figure="js_distance_metric.png",
    falsifiers=[
        (
            "the distance computed without the square root (JSD itself)",
            dv.js_divergence,
        )
    ],
)
def test_js_distance_metric(distance):
    @forall(triple=triples())
    @example(triple=(np.array([1.0, 0.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0])))
    def prop(triple):
        p, q, r = triple
        d_pq, d_qr, d_pr = (float(distance(a, b)) for a, b in ((p, q), (q, r), (p, r)))
        repro = f"P={p.tolist()}, Q={q.tolist()}, R={r.tolist()}"
        expect(
            d_pr <= d_pq + d_qr + INEQUALITY_SLACK,
            "triangle inequality",
            observed={"d(P,R)": d_pr, "d(P,Q) + d(Q,R)": d_pq + d_qr},
            expected="d(P,R) <= d(P,Q) + d(Q,R)",
            repro=repro,
        )

    prop()
