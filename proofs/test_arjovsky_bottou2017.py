"""Claims on disjoint supports and instance noise (Arjovsky & Bottou 2017; WGAN).

Arjovsky & Bottou (2017), Towards principled methods for training GANs, arXiv:1701.04862, and
Arjovsky, Chintala & Bottou (2017), Wasserstein GAN, arXiv:1701.07875: what JSD does when
supports do not meet, and how instance noise repairs it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import integrate, ndimage, special, stats

import divergences as dv
from divergences.claims import claim, expect, tally
from divergences.reference import js_normal

from .tolerances import INEQUALITY_SLACK

LOG2 = math.log(2.0)
SOURCE = "Arjovsky & Bottou (2017); Arjovsky et al. (2017)"

#: Grid of the disjoint-supports check: cells of width H on [-2, 14].
H = 1.0 / 64.0
GRID = np.arange(-2.0, 14.0, H) + H / 2.0


def _uniform_cells(start: float) -> np.ndarray:
    """Masses of U[start, start + 1] on the grid cells (start on a cell edge)."""
    inside = (start < GRID) & (start + 1.0 > GRID)
    return inside / inside.sum()


def _parallel_lines(theta: float, rows: int = 32) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGAN Example 1 on a grid: P_0 = (0, Z), P_theta = (theta, Z), Z ~ U[0, 1].

    Returns the two distributions as masses on the union of their cells and the cells' (x, z)
    coordinates.
    """
    z = (np.arange(rows) + 0.5) / rows
    cells = np.concatenate(
        [np.column_stack([np.zeros(rows), z]), np.column_stack([np.full(rows, theta), z])]
    )
    mass = np.full(rows, 1.0 / rows)
    if theta == 0.0:
        return np.concatenate([mass, 0 * mass]), np.concatenate([mass, 0 * mass]), cells
    return np.concatenate([mass, 0 * mass]), np.concatenate([0 * mass, mass]), cells


def _js_of_smoothed_histograms(p: np.ndarray, q: np.ndarray) -> float:
    """A JSD 'guarded against log 0' by smoothing both histograms with a Gaussian kernel.

    The kernel is 16 cells (a quarter of the unit width) wide, as a kernel density estimate
    would smooth; the smoothed masses meet wherever the supports come within a few widths. It
    smooths along the array, which is the x axis of the uniform cells; the parallel lines'
    arrays put the two lines end to end, so there it blurs across their junction instead.
    """
    smooth = [ndimage.gaussian_filter1d(a, 16.0, mode="constant") for a in (p, q)]
    return float(dv.js_divergence(smooth[0], smooth[1], normalize=True))


def _js_with_hidden_epsilon(p: np.ndarray, q: np.ndarray) -> float:
    """A JSD 'guarded against log 0' by adding 1e-10 to every mass, then renormalising."""
    return float(dv.js_divergence(p + 1e-10, q + 1e-10, normalize=True))


@claim(
    "gan.disjoint-supports",
    statement=(
        r"If the supports are disjoint, $JSD = \log 2$ whatever their distance, so its gradient "
        r"in a shift $\theta$ of one of them is 0."
    ),
    source=SOURCE,
    locator="Arjovsky & Bottou §2 (Thm 2.4); WGAN Example 1",
    check=(
        r"The JSD under test is evaluated on $U[0, 1]$ against $U[\theta, \theta + 1]$ on a grid "
        r"of cells of width $1/64$ for $\theta = 1.5, \dots, 12$, and on the parallel lines "
        r"$(0, Z)$ against $(\theta, Z)$ for $\theta = 0.5, 1, 4$; the disjointness of the "
        r"supports is decided from the masses themselves; every value must be $\log 2$ and the "
        r"central difference in $\theta$ (step $1/4$) must vanish, to round-off."
    ),
    subject=lambda p, q: float(dv.js_divergence(p, q)),
    falsifiers=[
        (
            r"a JSD with a hidden epsilon: $10^{-10}$ added to every mass to avoid $\log 0$",
            _js_with_hidden_epsilon,
        ),
        (
            "a JSD of the two histograms smoothed by a Gaussian kernel (a quarter of the unit "
            "width) to avoid $\\log 0$",
            _js_of_smoothed_histograms,
        ),
    ],
    figure="instance_noise.png",
)
def test_disjoint_supports(js: Callable[[np.ndarray, np.ndarray], float]):
    p = _uniform_cells(0.0)
    for theta in [1.5, 2.0, 3.0, 6.0, 12.0]:
        tally()
        q = _uniform_cells(theta)
        if np.any((p > 0) & (q > 0)):  # the check's own input, not the claim's subject
            raise RuntimeError(f"the check's supports at theta={theta} overlap: fix its grid")
        value = js(p, q)
        expect(
            abs(value - LOG2) <= INEQUALITY_SLACK,
            "JSD of disjoint supports",
            observed=value,
            expected=LOG2,
            repro=f"U[0,1] against U[{theta}, {theta + 1}]",
        )
        slope = (js(p, _uniform_cells(theta + 0.25)) - js(p, _uniform_cells(theta - 0.25))) / 0.5
        expect(
            abs(slope) <= INEQUALITY_SLACK,
            "JSD has a gradient in the shift",
            observed=slope,
            expected=0.0,
            repro=f"theta={theta}",
        )
    for theta in (0.5, 1.0, 4.0):
        tally()
        p0, p_theta, _ = _parallel_lines(theta)
        value = js(p0, p_theta)
        expect(
            abs(value - LOG2) <= INEQUALITY_SLACK,
            "JSD of the parallel lines",
            observed=value,
            expected=LOG2,
            repro=f"theta={theta}",
        )


@claim(
    "gan.w1-parallel-lines",
    statement=(
        r"On the parallel lines of WGAN Example 1, $P_0 = (0, Z)$ and $P_\theta = (\theta, Z)$ "
        r"with $Z \sim U[0, 1]$, $W_1(P_0, P_\theta) = |\theta|$: informative where JSD is "
        r"constant."
    ),
    source=SOURCE,
    locator="WGAN Example 1",
    check=(
        r"For $\theta = \pm 0.5, \pm 1, 4$ on a grid of 32 rows: the stated value is compared "
        r"with scipy's `wasserstein_distance_nd` (a linear program over couplings), with the "
        r"Kantorovich–Rubinstein lower bound $E_{P_\theta}[f] - E_{P_0}[f]$ of the 1-Lipschitz "
        r"critic $f(x, z) = \operatorname{sign}(\theta)\, x$, and with the upper bound of the "
        r"coupling that moves every point by $\theta$; the three must agree to $10^{-9}$."
    ),
    subject=abs,
    figure="w1_parallel_lines.png",
    falsifiers=[
        (
            r"$W_1 = \theta^2$ (the squared distance, which is $W_2^2$ of a shift)",
            lambda theta: theta**2,
        ),
    ],
)
def test_w1_parallel_lines(stated: Callable[[float], float]):
    for theta in (-0.5, 0.5, 1.0, -1.0, 4.0):
        tally()
        p0, p_theta, cells = _parallel_lines(theta)
        lp = stats.wasserstein_distance_nd(cells, cells, p0, p_theta)
        critic = math.copysign(1.0, theta) * cells[:, 0]
        dual = float(np.dot(p_theta, critic) - np.dot(p0, critic))
        shifted = float(np.dot(p0, np.abs(np.full(len(cells), theta))))  # each point moves |theta|
        value = stated(theta)
        for name, route in (("linear program", lp), ("KR dual", dual), ("shift coupling", shifted)):
            expect(
                abs(value - route) <= 1e-9,
                f"W1 against the {name}",
                observed=value,
                expected=route,
                repro=f"theta={theta}",
            )


@dataclass(frozen=True)
class Noise:
    """Where instance noise N(0, sigma^2) is added: to both distributions or to the data only."""

    both: bool

    def widths(self, sigma: float, tau: float) -> tuple[float, float]:
        """Standard deviations of the two noised distributions built on N(., tau^2) 'points'."""
        noised = math.hypot(sigma, tau)
        return noised, noised if self.both else tau

    def js(self, gap: float, sigma: float, tau: float) -> float:
        """JSD after the noise between the 'points' N(0, tau^2) and N(gap, tau^2)."""
        s_data, s_model = self.widths(sigma, tau)
        return float(js_normal(0.0, s_data, gap, s_model))


@dataclass(frozen=True)
class UniformNoise:
    """Instance noise U[-sigma, sigma] on both distributions instead of N(0, sigma^2)."""

    def js(self, gap: float, sigma: float, tau: float) -> float:
        """JSD between U[-sigma, sigma] * N(0, tau^2) and the same shifted by gap (quadrature).

        JSD = log 2 - 1/2 int p log((p + q)/p) + q log((p + q)/q): the integrand vanishes where
        either density does, so only the overlap of the two supports (widened by 40 tau, beyond
        which the normal cdf is 0 in floating point) is integrated.
        """

        def density(x: float) -> float:
            return float(special.ndtr((x + sigma) / tau) - special.ndtr((x - sigma) / tau)) / (
                2.0 * sigma
            )

        low, high = gap - sigma - 40.0 * tau, sigma + 40.0 * tau
        if low >= high:
            return LOG2

        def deficit(x: float) -> float:
            p, q = density(x), density(x - gap)
            m = p + q
            return 0.5 * float(special.xlogy(p, m / p if p > 0 else 1.0)) + 0.5 * float(
                special.xlogy(q, m / q if q > 0 else 1.0)
            )

        points = [x for x in (gap - sigma, sigma) if low < x < high]
        value, _ = integrate.quad(deficit, low, high, points=points, epsabs=1e-14, limit=200)
        return LOG2 - value


def _noised_js(noise: Noise | UniformNoise, gap: float, tau: float, sigma: float = 1.0) -> float:
    return noise.js(gap, sigma, tau)


def _noised_gradient(
    noise: Noise | UniformNoise, gap: float, tau: float, sigma: float = 1.0, h: float = 1e-3
) -> float:
    """dJSD/dgap after the noise, by central differences of step h."""
    return (noise.js(gap + h, sigma, tau) - noise.js(gap - h, sigma, tau)) / (2.0 * h)


ONE_SIDED = ("noise on one side suffices", Noise(both=False))
UNIFORM = (
    r"any instance noise will do: uniform $U[-\sigma, \sigma]$ on both (bounded, so "
    r"supports farther apart than $2\sigma$ stay disjoint)",
    UniformNoise(),
)
#: the point masses at 0 and at the gap, modelled as N(., tau^2) with tau -> 0 (sigma = 1)
POINTS = (
    r"Two point masses, at $0$ and at a gap $g$, are modelled as $N(\cdot, \tau^2)$ with "
    r"$\tau \to 0$ ($\tau = 10^{-3}\sigma$ and $10^{-6}\sigma$); the JSD after the noise "
    "comes from the quadrature oracle `js_normal`."
)


@claim(
    "gan.instance-noise",
    statement=(
        r"Adding $N(0, \sigma^2)$ to both distributions makes the JSD between two point masses "
        "strictly increasing in their gap."
    ),
    source="Arjovsky & Bottou (2017); Sønderby et al. (2016)",
    locator="Arjovsky & Bottou §3 (Thm 3.1); Sønderby et al. arXiv:1610.04490 §3",
    check=POINTS + r" It must increase strictly over the gaps $g = 0.25\sigma, \dots, 4\sigma$.",
    subject=Noise(both=True),
    falsifiers=[UNIFORM],
    figure="instance_noise.png",
)
def test_instance_noise(noise: Noise | UniformNoise):
    gaps = [0.25, 0.5, 1.0, 2.0, 3.0, 4.0]
    for tau in (1e-3, 1e-6):
        tally(len(gaps))
        values = [_noised_js(noise, g, tau) for g in gaps]
        expect(
            all(b > a for a, b in itertools.pairwise(values)),
            "JSD not strictly increasing in the gap",
            observed=values,
            expected="increasing",
            repro=f"tau={tau}",
        )


@claim(
    "gan.instance-noise.gradient",
    statement=(
        r"With $N(0, \sigma^2)$ added to both distributions, the gradient of the JSD between "
        r"two point masses in their gap does not vanish as the masses sharpen."
    ),
    source="Arjovsky & Bottou (2017); Sønderby et al. (2016)",
    locator="Arjovsky & Bottou §3 (Thm 3.1); Sønderby et al. arXiv:1610.04490 §3",
    check=POINTS
    + r" Its finite-difference gradient at $g = \sigma$ must be positive at $\tau = 10^{-3}"
    r"\sigma$ and keep at least half of it at $\tau = 10^{-6}\sigma$.",
    subject=Noise(both=True),
    falsifiers=[ONE_SIDED],
    figure="instance_noise_gradient.png",
)
def test_instance_noise_gradient(noise: Noise | UniformNoise) -> None:
    coarse, fine = _noised_gradient(noise, 1.0, 1e-3), _noised_gradient(noise, 1.0, 1e-6)
    tally(2)
    expect(
        fine >= 0.5 * coarse > 0.0,
        "the gradient vanishes as the points sharpen",
        observed={"tau=1e-3": coarse, "tau=1e-6": fine},
        expected="a gradient bounded away from 0",
    )


@claim(
    "gan.instance-noise.decay",
    statement=(
        r"With $N(0, \sigma^2)$ added to both distributions, the gradient of the JSD between "
        r"two point masses in their gap decays like $\exp(-\text{gap}^2 / 8\sigma^2)$."
    ),
    source="Arjovsky & Bottou (2017); Sønderby et al. (2016)",
    locator="Arjovsky & Bottou §3 (Thm 3.1); Sønderby et al. arXiv:1610.04490 §3",
    check=POINTS
    + r" At $\tau = 10^{-6}\sigma$ the slope of the log of its finite-difference gradient in "
    r"$g^2$ between $8\sigma$ and $10\sigma$ must be within 3% of $-1/(8\sigma^2)$.",
    subject=Noise(both=True),
    falsifiers=[ONE_SIDED, UNIFORM],
    figure="instance_noise_gradient.png",
)
def test_instance_noise_decay(noise: Noise | UniformNoise) -> None:
    sigma = 1.0
    g8, g10 = (
        _noised_gradient(noise, 8.0 * sigma, 1e-6),
        _noised_gradient(noise, 10.0 * sigma, 1e-6),
    )
    tally(2)
    # no slope of the log-gradient where a gradient is not positive (none left to decay)
    slope = (
        (math.log(g10) - math.log(g8)) / ((10.0 * sigma) ** 2 - (8.0 * sigma) ** 2)
        if g8 > 0.0 and g10 > 0.0
        else math.nan
    )
    expect(
        abs(slope / (-1.0 / (8.0 * sigma**2)) - 1.0) <= 0.03,
        "the gradient does not decay like exp(-gap^2/8 sigma^2)",
        observed={"slope in gap^2": slope, "gradient at 8 sigma": g8, "at 10 sigma": g10},
        expected=-1.0 / (8.0 * sigma**2),
    )
