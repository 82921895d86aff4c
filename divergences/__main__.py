"""``python -m divergences``: a one-screen tour of the API with the identities it satisfies."""

from __future__ import annotations

import math

import divergences as dv


def main() -> None:
    """Print a few divergences and the identities they satisfy."""
    p = [0.1, 0.4, 0.5, 0.0]
    q = [0.3, 0.3, 0.2, 0.2]
    rows = [
        ("KL(p||q)", dv.kl_divergence(p, q)),
        ("KL(q||p)  (q has mass where p has none)", dv.kl_divergence(q, p)),
        ("JSD(p, q)", dv.js_divergence(p, q)),
        ("H(M) - H(p)/2 - H(q)/2", _js_by_entropies(p, q)),
        ("JSD of disjoint supports (= log 2)", dv.js_divergence([1, 0], [0, 1])),
        ("C(G) = max_D V(G, D)", dv.virtual_criterion(p, q)),
        ("V(G, D*)", dv.gan_value(p, q, dv.optimal_discriminator(p, q))),
        ("-log 4 + 2 JSD", -math.log(4) + 2 * dv.js_divergence(p, q)),
        ("KL(N(0,1) || N(1,2)) closed form", dv.reference.kl_normal(0, 1, 1, 2)),
        ("JSD(N(0,1), N(1,2)) quadrature", dv.reference.js_normal(0, 1, 1, 2)),
    ]
    print(f"p = {p}\nq = {q}   (nats)\n")
    for label, value in rows:
        print(f"  {label:<44} {float(value): .15f}")


def _js_by_entropies(p: list[float], q: list[float]) -> float:
    m = [(a + b) / 2 for a, b in zip(p, q, strict=True)]
    return float(dv.entropy(m) - dv.entropy(p) / 2 - dv.entropy(q) / 2)


if __name__ == "__main__":
    main()
