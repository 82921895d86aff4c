"""A researcher's own claim, checked by the claims harness of ``divergences``.

Copy this file into any project where ``divergences`` is installed (with its ``test`` extra) and
run ``python -m pytest --proofs-progress``: the claims table follows pytest's summary.
"""

from hypothesis import strategies as st

import divergences as dv
from divergences import strategies as dst
from divergences.claims import claim, expect, forall


@claim(
    "mixing.convexity",
    statement=r"$JSD(P, (1 - t) P + t Q) \le t \, JSD(P, Q)$ for $t \in [0, 1]$.",
    source="Lin (1991)",
    locator="convexity of the JS divergence in its second argument",
    check=(
        "For Hypothesis-drawn pairs of every kind and mixing weights t, both sides are computed "
        "with dv.js_divergence on the explicitly formed mixture; the stated bound, a function "
        "of t and JSD(P, Q), must hold up to round-off."
    ),
    subject=lambda t, jsd_pq: t * jsd_pq,
    falsifiers=[
        # near P = Q the JSD is quadratic in the perturbation, so t^2 looks plausible
        (r"the quadratic bound $t^2 \, JSD(P, Q)$", lambda t, jsd_pq: t**2 * jsd_pq),
    ],
)
def test_mixing_convexity(bound):
    """The check: run on the stated bound it must pass, on the falsifier's bound it must fail."""

    @forall(pair=dst.pmf_pairs(), t=st.floats(0.0, 1.0))
    def prop(pair, t):
        p, q = pair
        mixed = (1.0 - t) * p + t * q
        left = float(dv.js_divergence(p, mixed))
        right = bound(t, float(dv.js_divergence(p, q)))
        expect(
            left <= right + 1e-12,
            "JSD to the mixture against the bound",
            observed=left,
            expected=f"<= {right}",
            repro=f"p={p.tolist()}, q={q.tolist()}, t={t}",
        )

    prop()
