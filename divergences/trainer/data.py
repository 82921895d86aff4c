r"""Data distributions and noise distributions for the trainer.

Every distribution draws a batch with ``sample(rng, n) -> ndarray of shape (n, dim)`` from a
``numpy.random.Generator``, so a run is reproducible from one seed. The 1-D ones also know their
density (``pdf``), distribution function (``cdf``) and an evaluation ``window`` holding all but a
negligible part of their mass; the trainer's measurements (histogram JSD, the optimal
discriminator) need those. Mixtures of isotropic Gaussians also expose ``centers``, ``std`` and
``weights`` for the mode metrics.

* :class:`Gaussian` — 1-D normal;
* :class:`GaussianMixture` — any dimension; :meth:`GaussianMixture.two_modes` (1-D),
  :meth:`GaussianMixture.ring` (8 modes at angles 2πi/8) and :meth:`GaussianMixture.grid`
  (5 × 5 modes), the standard mode-collapse benchmarks;
* :class:`ScipyDistribution` — any frozen continuous ``scipy.stats`` distribution (1-D);
* :class:`GaussianNoise`, :class:`UniformNoise` — the generator's input :math:`z`.

>>> import numpy as np
>>> from divergences.trainer.data import GaussianMixture
>>> ring = GaussianMixture.ring()
>>> ring.centers.shape, ring.sample(np.random.default_rng(0), 5).shape
((8, 2), (5, 2))
"""

from __future__ import annotations

import math
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .._checks.scalars import check_positive_int, check_positive_real, check_real
from .._checks.vectors import check_frozen_continuous
from ._checks import check_mixture, check_noise_bounds, check_one_dimensional

__all__ = [
    "Distribution",
    "Gaussian",
    "GaussianMixture",
    "GaussianNoise",
    "ScipyDistribution",
    "UniformNoise",
    "UnivariateDistribution",
]

#: An evaluation window reaches this many standard deviations beyond the outermost mean: the
#: normal mass outside ±5σ is 5.7e-7, far below the 1/n resolution of any histogram used here.
WINDOW_SIGMAS = 5.0
#: Tail mass left outside the window of a scipy distribution, on each side.
WINDOW_TAIL = 1e-6


@runtime_checkable
class Distribution(Protocol):
    """What the trainer needs of a data or noise distribution.

    Examples
    --------
    >>> from divergences.trainer.data import Distribution, GaussianNoise
    >>> isinstance(GaussianNoise(), Distribution)
    True
    """

    @property
    def dim(self) -> int:
        """Dimension of one sample."""
        ...

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws as an array of shape ``(n, dim)``."""
        ...


@runtime_checkable
class UnivariateDistribution(Distribution, Protocol):
    """A 1-D distribution with a known density: what the histogram measurements need.

    Examples
    --------
    >>> from divergences.trainer import data
    >>> [isinstance(d, data.UnivariateDistribution) for d in (data.Gaussian(), data.UniformNoise())]
    [True, False]
    """

    @property
    def window(self) -> tuple[float, float]:
        """Evaluation range ``(lo, hi)`` holding all but a negligible part of the mass."""
        ...

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Density at ``x`` (per data unit)."""
        ...

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Distribution function at ``x``."""
        ...


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return np.asarray(ndtr(x), dtype=np.float64)


class Gaussian:
    r"""The 1-D normal distribution :math:`N(\mu, \sigma^2)`.

    Parameters
    ----------
    mean : float, default 0.0
        :math:`\mu`, in data units.
    std : float, default 1.0
        :math:`\sigma > 0`, in data units.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.data import Gaussian
    >>> g = Gaussian(1.0, 2.0)
    >>> g.window, round(float(g.pdf(np.array([1.0]))[0]), 6)
    ((-9.0, 11.0), 0.199471)
    """

    def __init__(self, mean: float = 0.0, std: float = 1.0) -> None:
        self.mean = check_real(mean, "mean")
        self.std = check_positive_real(std, "std")

    @property
    def dim(self) -> int:
        """Dimension of one sample: 1."""
        return 1

    @property
    def window(self) -> tuple[float, float]:
        """Evaluation range ``mean ± 5 std`` (data units)."""
        return (self.mean - WINDOW_SIGMAS * self.std, self.mean + WINDOW_SIGMAS * self.std)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws, shape ``(n, 1)``."""
        check_positive_int(n, "n")
        return self.mean + self.std * rng.standard_normal((n, 1))

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Density at ``x`` (per data unit)."""
        u = (np.asarray(x, dtype=np.float64) - self.mean) / self.std
        return np.exp(-0.5 * u * u) / (self.std * math.sqrt(2.0 * math.pi))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Distribution function at ``x``."""
        return _normal_cdf((np.asarray(x, dtype=np.float64) - self.mean) / self.std)

    def __repr__(self) -> str:
        return f"Gaussian(mean={self.mean:g}, std={self.std:g})"


class GaussianMixture:
    r"""A mixture of isotropic Gaussians :math:`\sum_j w_j N(c_j, \sigma^2 I)` in any dimension.

    Parameters
    ----------
    centers : array_like, shape (n_modes, dim) or (n_modes,)
        Mode centres :math:`c_j` (a 1-D array means 1-D data), in data units.
    std : float
        Standard deviation :math:`\sigma > 0` of every component, per coordinate.
    weights : array_like, shape (n_modes,), optional
        Mixture weights :math:`w_j > 0` summing to 1; equal weights by default.

    Examples
    --------
    >>> from divergences.trainer.data import GaussianMixture
    >>> grid = GaussianMixture.grid()
    >>> grid.centers.shape, sorted(set(grid.centers[:, 0].tolist()))
    ((25, 2), [-4.0, -2.0, 0.0, 2.0, 4.0])
    """

    def __init__(self, centers: Any, std: float, weights: Any = None) -> None:
        self.centers, self.weights = check_mixture(centers, weights)
        self.std = check_positive_real(std, "std")
        self._uniform = bool(np.all(self.weights == self.weights[0]))

    @classmethod
    def two_modes(cls, separation: float = 6.0, std: float = 0.5) -> GaussianMixture:
        r"""1-D mixture of two equally weighted modes at :math:`\pm s/2`, ``s = separation``."""
        half = 0.5 * check_positive_real(separation, "separation")
        return cls(np.array([[-half], [half]]), std)

    @classmethod
    def ring(cls, n_modes: int = 8, radius: float = 2.0, std: float = 0.02) -> GaussianMixture:
        r"""2-D ring: modes at angles :math:`2\pi i / n` for :math:`i = 0..n-1`, radius ``radius``.

        The angles are :math:`2\pi i / n_{modes}` and not ``np.linspace(0, 2π, n_modes)``, whose
        first and last angles coincide modulo 2π and give ``n_modes - 1`` distinct modes. The
        defaults (8 modes, radius 2, std 0.02) are the benchmark of Metz et al. 2017 (unrolled
        GANs).
        """
        n = check_positive_int(n_modes, "n_modes")
        r = check_positive_real(radius, "radius")
        angles = 2.0 * np.pi * np.arange(n) / n
        return cls(np.column_stack([r * np.cos(angles), r * np.sin(angles)]), std)

    @classmethod
    def grid(cls, side: int = 5, spacing: float = 2.0, std: float = 0.05) -> GaussianMixture:
        """2-D grid of ``side × side`` modes, ``spacing`` apart and centred on the origin.

        The defaults (5 × 5 modes at -4, -2, 0, 2, 4 with std 0.05) are the 2-D grid benchmark of
        Srivastava et al. 2017 (VEEGAN).
        """
        n = check_positive_int(side, "side")
        step = check_positive_real(spacing, "spacing")
        axis = step * (np.arange(n) - (n - 1) / 2.0)
        xs, ys = np.meshgrid(axis, axis, indexing="ij")
        return cls(np.column_stack([xs.ravel(), ys.ravel()]), std)

    @property
    def dim(self) -> int:
        """Dimension of one sample."""
        return int(self.centers.shape[1])

    @property
    def n_modes(self) -> int:
        """Number of mixture components."""
        return int(self.centers.shape[0])

    @property
    def window(self) -> tuple[float, float]:
        """1-D only: from 5 std below the lowest centre to 5 std above the highest (data units)."""
        check_one_dimensional(self.dim, "window")
        c = self.centers[:, 0]
        return (
            float(c.min()) - WINDOW_SIGMAS * self.std,
            float(c.max()) + WINDOW_SIGMAS * self.std,
        )

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws, shape ``(n, dim)``."""
        check_positive_int(n, "n")
        if self._uniform:
            component = rng.integers(self.n_modes, size=n)
        else:
            component = rng.choice(self.n_modes, size=n, p=self.weights)
        return self.centers[component] + self.std * rng.standard_normal((n, self.dim))

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """1-D only: density at ``x`` (per data unit)."""
        check_one_dimensional(self.dim, "pdf")
        u = (np.asarray(x, dtype=np.float64)[..., None] - self.centers[:, 0]) / self.std
        density: np.ndarray = np.exp(-0.5 * u * u) @ self.weights
        return density / (self.std * math.sqrt(2.0 * math.pi))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """1-D only: distribution function at ``x``."""
        check_one_dimensional(self.dim, "cdf")
        u = (np.asarray(x, dtype=np.float64)[..., None] - self.centers[:, 0]) / self.std
        return np.asarray(_normal_cdf(u) @ self.weights, dtype=np.float64)

    def __repr__(self) -> str:
        return f"GaussianMixture({self.n_modes} modes in {self.dim}-D, std={self.std:g})"


class ScipyDistribution:
    """Any frozen continuous ``scipy.stats`` distribution as 1-D data.

    Parameters
    ----------
    dist : scipy.stats frozen continuous distribution
        For example ``scipy.stats.gamma(2.0)``.

    Notes
    -----
    Draws go through ``dist.rvs(random_state=rng)``, so they are reproducible from the seed of
    ``rng``. The evaluation window spans the quantiles ``1e-6`` and :math:`1 - 10^{-6}`.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from divergences.trainer.data import ScipyDistribution
    >>> d = ScipyDistribution(stats.uniform(0, 2))
    >>> d.sample(np.random.default_rng(0), 3).shape, d.window
    ((3, 1), (2e-06, 1.999998))
    """

    def __init__(self, dist: Any) -> None:
        check_frozen_continuous(dist, "dist")
        self.dist = dist

    @property
    def dim(self) -> int:
        """Dimension of one sample: 1."""
        return 1

    @property
    def window(self) -> tuple[float, float]:
        """Evaluation range between the quantiles 1e-6 and 1 - 1e-6 (data units)."""
        return (float(self.dist.ppf(WINDOW_TAIL)), float(self.dist.isf(WINDOW_TAIL)))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws, shape ``(n, 1)``."""
        check_positive_int(n, "n")
        return np.asarray(self.dist.rvs(size=(n, 1), random_state=rng), dtype=np.float64)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Density at ``x`` (per data unit)."""
        return np.asarray(self.dist.pdf(x), dtype=np.float64)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Distribution function at ``x``."""
        return np.asarray(self.dist.cdf(x), dtype=np.float64)

    def __repr__(self) -> str:
        return f"ScipyDistribution({self.dist.dist.name}{self.dist.args})"


class GaussianNoise:
    r"""Standard normal noise :math:`z \\sim N(0, I_{dim})` for the generator's input.

    Parameters
    ----------
    dim : int, default 1
        Dimension of :math:`z`.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.data import GaussianNoise
    >>> GaussianNoise(3).sample(np.random.default_rng(0), 2).shape
    (2, 3)
    """

    def __init__(self, dim: int = 1) -> None:
        self._dim = check_positive_int(dim, "dim")

    @property
    def dim(self) -> int:
        """Dimension of :math:`z`."""
        return self._dim

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws, shape ``(n, dim)``."""
        check_positive_int(n, "n")
        return rng.standard_normal((n, self._dim))

    def __repr__(self) -> str:
        return f"GaussianNoise(dim={self._dim})"


class UniformNoise:
    r"""Uniform noise :math:`z \\sim U(low, high)^{dim}` for the generator's input.

    Parameters
    ----------
    dim : int, default 1
        Dimension of :math:`z`.
    low, high : float, default 0.0, 1.0
        Bounds of every coordinate, ``low < high``.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.data import UniformNoise
    >>> z = UniformNoise().sample(np.random.default_rng(0), 1000)
    >>> bool(z.min() >= 0.0 and z.max() < 1.0)
    True
    """

    def __init__(self, dim: int = 1, low: float = 0.0, high: float = 1.0) -> None:
        self._dim = check_positive_int(dim, "dim")
        self.low, self.high = check_noise_bounds(low, high)

    @property
    def dim(self) -> int:
        """Dimension of :math:`z`."""
        return self._dim

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws, shape ``(n, dim)``."""
        check_positive_int(n, "n")
        return rng.uniform(self.low, self.high, size=(n, self._dim))

    def __repr__(self) -> str:
        return f"UniformNoise(dim={self._dim}, low={self.low:g}, high={self.high:g})"
