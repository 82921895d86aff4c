r"""Histograms of two samples accumulated chunk by chunk: for data that do not fit in memory.

Counts on fixed edges are additive, so two samples seen in chunks (from files, a generator, a
training loop, several machines) give the same histogram as the whole samples at once, and every
estimate of :mod:`divergences.estimate` and :mod:`divergences.two_sample` follows from it.
"""

from __future__ import annotations

import glob
import os
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from . import _compiled, _extended
from ._checks.samples import (
    check_bins,
    check_edges_without_range,
    check_nonfinite_policy,
    check_range,
    raise_nonfinite,
)
from ._checks.scalars import check_type
from ._checks.streaming import (
    ACCUMULATOR_FORMAT,
    ACCUMULATOR_VERSIONS,
    as_chunk,
    raise_accumulator_version,
    raise_merge_edges,
    raise_merge_policy,
    raise_no_edges_yet,
    raise_not_an_accumulator_file,
)
from .estimate import js_from_histogram, kl_from_histogram
from .histogram import HistogramPair, choose_edges, extended_counts
from .results import SampleEstimate
from .two_sample import TwoSampleTest, js_test_from_histogram

__all__ = ["HistogramAccumulator"]

#: Version of the file format written by :meth:`HistogramAccumulator.save`.
FILE_VERSION = 1


class HistogramAccumulator:
    r"""Counts of two samples on fixed shared edges, accumulated chunk by chunk.

    ``update(x_chunk, y_chunk)`` bins a chunk of each sample (either may be empty) and adds its
    counts; ``merge`` adds two accumulators; ``histogram()`` gives the
    :class:`~divergences.HistogramPair` that :func:`~divergences.js_from_histogram`,
    :func:`~divergences.kl_from_histogram` and :func:`~divergences.js_test_from_histogram` take
    (``js_estimate``, ``kl_estimate`` and ``js_test`` call them). Memory is ``O(bins)``
    whatever the number of values.

    Parameters
    ----------
    bins : int, str or array_like, default "auto"
        Explicit, strictly increasing edges; or an integer number of equal-width bins over
        ``range``; or, without ``range``, a bin count or a rule of
        :func:`divergences.histogram_pair` (``"auto"``, ``"fd"``, ``"quantile"``, ...) applied
        to the pooled *first chunk* that holds data, which fixes the edges for good.
    range : (float, float), optional
        Outer edges for an integer ``bins``: the edges are then fixed before any data (the way
        to guarantee that every value of a stream is binned). Not with explicit edges.
    nonfinite : {"raise", "omit"}, default "raise"
        A chunk holding NaN or inf is an error (and is not added), or (``"omit"``) those values
        are counted apart and reported as dropped.

    Attributes
    ----------
    edges : ndarray or None
        The bin edges (float64, or float32 when fixed from a float32 first chunk); None until
        the first chunk when they come from it.
    rule : str
        How the edges were chosen, e.g. ``"bins=64"`` or ``"auto (fixed from the first chunk:
        1000 + 1000 values)"``.
    nonfinite : str
        The NaN/inf policy.

    Notes
    -----
    *Exactness.* Every chunk is binned by the kernel of :func:`divergences.histogram_pair`
    on the same edges, and counts are int64, so ``update`` over any chunking, and ``merge`` in
    any order, give exactly ``histogram_pair(concatenated_x, concatenated_y, bins=edges)``.

    *Edges of a declared range* are float64 (``np.linspace`` of the range), whatever the data:
    for two float32 samples ``histogram_pair(x, y, bins=n, range=r)`` computes them in float32,
    as numpy does, so compare with ``histogram_pair(x, y, bins=acc.edges)``.

    *Values outside the edges* are counted as underflow (below the first edge) or overflow
    (above the last), per sample, and are part of the ``dropped_x``/``dropped_y`` of
    ``histogram()``: never lost silently. Edges fixed from a first chunk cover that chunk
    only, so later values beyond it land there; declare ``range`` when the bounds are known.

    *Files.* ``save`` writes the edges and the counts (underflow, overflow, NaN and inf
    included) to an ``.npz`` file with a format version, atomically: to a temporary file in the
    same directory, flushed to disk, then renamed over the target, so a crash mid-write leaves
    the previous save intact. ``load`` checks what it reads.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> acc = dv.HistogramAccumulator(bins=40, range=(-5, 5))
    >>> for _ in range(10):  # ten chunks of 10 000 values of each sample
    ...     acc.update(rng.normal(0, 1, 10_000), rng.normal(0.5, 1.2, 10_000))
    >>> acc.n_x, acc.n_y, acc.underflow_y + acc.overflow_y
    (100000, 100000, 11)
    >>> est = acc.js_estimate(bias_correction="miller-madow")
    >>> round(est.value, 3), round(float(dv.reference.js_normal(0, 1, 0.5, 1.2)), 3)
    (0.032, 0.032)

    Accumulators over parts of a stream merge into the one pass over all of it:

    >>> a = dv.HistogramAccumulator(bins=[0.0, 1.0, 2.0])
    >>> b = dv.HistogramAccumulator(bins=[0.0, 1.0, 2.0])
    >>> a.update([0.5, 1.5, 7.0], None)
    >>> b.update(y=[0.2, 0.3])
    >>> h = a.merge(b).histogram()
    >>> h.counts_x, h.counts_y, h.dropped_x
    (array([1, 1]), array([2, 0]), 1)
    """

    def __init__(self, bins: Any = "auto", range: Any = None, *, nonfinite: str = "raise") -> None:
        kind, spec = check_bins(bins)
        range_ = check_range(range)
        self.nonfinite = check_nonfinite_policy(nonfinite)
        if kind == "edges":
            check_edges_without_range(range_)
        self._kind, self._spec, self._range = kind, spec, range_
        self.edges: np.ndarray | None = None
        self.rule = ""
        self._edges64 = np.empty(0)
        # before the edges are fixed, the extended layout with no bins: [below, above, NaN,
        # inf], holding the non-finite values of chunks that had nothing else ("omit")
        self._ext_x = np.zeros(_extended.width(0), np.int64)
        self._ext_y = np.zeros(_extended.width(0), np.int64)
        if kind == "edges" or (kind == "count" and range_ is not None):
            edges, rule = choose_edges(np.empty(0), np.empty(0), kind, spec, range_, "raise")
            self._fix(edges, rule)

    # -----------------------------------------------------------------------------------------
    # accumulating
    # -----------------------------------------------------------------------------------------

    def _fix(self, edges: np.ndarray, rule: str) -> None:
        self.edges = edges
        self.rule = rule
        self._edges64 = np.ascontiguousarray(edges, dtype=np.float64)
        width = _extended.width(edges.size - 1)
        ext_x, ext_y = np.zeros(width, np.int64), np.zeros(width, np.int64)
        # NaN and inf counted before the edges existed stay counted
        ext_x[-2:], ext_y[-2:] = self._ext_x[-2:], self._ext_y[-2:]
        self._ext_x, self._ext_y = ext_x, ext_y

    def update(self, x: Any = None, y: Any = None) -> None:
        """Bin a chunk of each sample and add its counts.

        Parameters
        ----------
        x, y : array_like or None
            1-D chunks of the x and y samples (any real dtype; empty or None for a chunk of
            one sample only).

        Notes
        -----
        A chunk the accumulator refuses (NaN or inf under ``nonfinite="raise"``, a bad shape)
        leaves it unchanged. If the edges are to come from the data, the first chunk that
        holds values fixes them (pooled x and y, by the rule given as ``bins``).
        """
        xs, ys = as_chunk(x, "x"), as_chunk(y, "y")
        if xs.size == 0 and ys.size == 0:
            return
        if self.edges is None and self.nonfinite == "omit":
            counts = [_compiled.histogram_pair_finite_range(a) for a in (xs, ys) if a.size]
            if counts and not any(c[2] for c in counts):
                # nothing finite to choose edges from yet: count what is left out, wait for data
                for a, ext in ((xs, self._ext_x), (ys, self._ext_y)):
                    if a.size:
                        stats = _compiled.histogram_pair_finite_range(a)
                        ext[-2] += int(stats[3])
                        ext[-1] += int(stats[4])
                return
        state = self if self.edges is not None else self.copy()
        if state.edges is None:
            edges, rule = choose_edges(xs, ys, self._kind, self._spec, None, self.nonfinite)
            state._fix(edges, f"{rule} (fixed from the first chunk: {xs.size} + {ys.size} values)")
        # both chunks are counted before anything is added: a refused chunk changes nothing
        count_x = state._chunk_counts(xs, "x")
        count_y = state._chunk_counts(ys, "y")
        if state is not self:
            self.__dict__.update(state.__dict__)
        self._ext_x += count_x
        self._ext_y += count_y

    def _chunk_counts(self, a: np.ndarray, name: str) -> np.ndarray:
        if a.size == 0:
            return np.zeros_like(self._ext_x)
        ext = extended_counts(a, self._edges64)
        n_nan, n_inf = _extended.nonfinite(ext)
        if self.nonfinite == "raise" and (n_nan or n_inf):
            raise_nonfinite(name, n_nan, n_inf)
        return ext

    def merge(self, other: HistogramAccumulator) -> HistogramAccumulator:
        """A new accumulator holding the counts of both (neither is changed).

        Exact and associative: merging accumulators over parts of a stream, in any grouping,
        equals one accumulator fed the whole stream. Both need the same edges (an accumulator
        that has no edges yet takes the other's) and the same ``nonfinite`` policy.

        Parameters
        ----------
        other : HistogramAccumulator
            Counts to add.

        Returns
        -------
        HistogramAccumulator
        """
        check_type(other, HistogramAccumulator, "other", "HistogramAccumulator(bins, range)")
        if other.nonfinite != self.nonfinite:
            raise_merge_policy(self.nonfinite, other.nonfinite)
        if self.edges is None or other.edges is None:
            source, pending = (other, self) if self.edges is None else (self, other)
            out = source.copy()
            out._ext_x[-2:] += pending._ext_x[-2:]  # NaN and inf of a stream without edges yet
            out._ext_y[-2:] += pending._ext_y[-2:]
            return out
        if self.edges.dtype != other.edges.dtype or not np.array_equal(self.edges, other.edges):
            raise_merge_edges(self._edges64, other._edges64)
        out = self.copy()
        out._ext_x += other._ext_x
        out._ext_y += other._ext_y
        return out

    def copy(self) -> HistogramAccumulator:
        """An independent copy."""
        out = HistogramAccumulator.__new__(HistogramAccumulator)
        out.__dict__.update(self.__dict__)
        out._ext_x = self._ext_x.copy()
        out._ext_y = self._ext_y.copy()
        return out

    # -----------------------------------------------------------------------------------------
    # what was counted
    # -----------------------------------------------------------------------------------------

    def _slot(self, ext: np.ndarray, slot: int) -> int:
        return int(ext[slot]) if ext.size else 0

    @property
    def n_x(self) -> int:
        """Values of x seen, binned or not."""
        return int(self._ext_x.sum())

    @property
    def n_y(self) -> int:
        """Values of y seen, binned or not."""
        return int(self._ext_y.sum())

    @property
    def counts_x(self) -> np.ndarray:
        """Counts of x in each bin (a copy); empty before the edges are fixed."""
        return self._ext_x[1 : self._ext_x.size - 3].copy()

    @property
    def counts_y(self) -> np.ndarray:
        """Counts of y in each bin (a copy); empty before the edges are fixed."""
        return self._ext_y[1 : self._ext_y.size - 3].copy()

    @property
    def underflow_x(self) -> int:
        """Values of x below the first edge."""
        return self._slot(self._ext_x, 0)

    @property
    def underflow_y(self) -> int:
        """Values of y below the first edge."""
        return self._slot(self._ext_y, 0)

    @property
    def overflow_x(self) -> int:
        """Values of x above the last edge."""
        return self._slot(self._ext_x, self._ext_x.size - 3)

    @property
    def overflow_y(self) -> int:
        """Values of y above the last edge."""
        return self._slot(self._ext_y, self._ext_y.size - 3)

    @property
    def nonfinite_x(self) -> int:
        """NaN and infinite values of x (left out under ``nonfinite="omit"``)."""
        size = self._ext_x.size
        return self._slot(self._ext_x, size - 2) + self._slot(self._ext_x, size - 1)

    @property
    def nonfinite_y(self) -> int:
        """NaN and infinite values of y (left out under ``nonfinite="omit"``)."""
        size = self._ext_y.size
        return self._slot(self._ext_y, size - 2) + self._slot(self._ext_y, size - 1)

    def histogram(self) -> HistogramPair:
        """The counts so far as a :class:`~divergences.HistogramPair`.

        ``dropped_x``/``dropped_y`` hold the underflow, overflow and non-finite values.

        Returns
        -------
        HistogramPair
        """
        if self.edges is None:
            raise_no_edges_yet()
        counts_x, counts_y = self.counts_x, self.counts_y
        n_x, n_y = self.n_x, self.n_y
        return HistogramPair(
            counts_x=counts_x,
            counts_y=counts_y,
            edges=self.edges.copy(),
            n_x=n_x,
            n_y=n_y,
            dropped_x=int(n_x - counts_x.sum()),
            dropped_y=int(n_y - counts_y.sum()),
            rule=self.rule,
        )

    def js_estimate(self, **options: Any) -> SampleEstimate:
        """:func:`~divergences.js_from_histogram` of the counts so far.

        Parameters
        ----------
        **options
            Keyword arguments of :func:`~divergences.js_from_histogram` (``base``,
            ``bias_correction``, ``ci``, ``ci_method``, ``n_boot``, ``seed``).

        Returns
        -------
        SampleEstimate
        """
        return js_from_histogram(self.histogram(), **options)

    def kl_estimate(self, **options: Any) -> SampleEstimate:
        """:func:`~divergences.kl_from_histogram` of the counts so far (KL(P‖Q), x from P).

        Parameters
        ----------
        **options
            Keyword arguments of :func:`~divergences.kl_from_histogram` (``pseudocount``,
            ``base``, ``bias_correction``, ``ci``, ...).

        Returns
        -------
        SampleEstimate
        """
        return kl_from_histogram(self.histogram(), **options)

    def js_test(self, **options: Any) -> TwoSampleTest:
        """:func:`~divergences.js_test_from_histogram` of the counts so far.

        Parameters
        ----------
        **options
            Keyword arguments of :func:`~divergences.js_test_from_histogram` (``method``,
            ``n_permutations``, ``seed``).

        Returns
        -------
        TwoSampleTest

        Notes
        -----
        The permutation test is exact only if the edges were not chosen from one sample alone
        (a first chunk of x only, say): see :func:`~divergences.js_test_from_histogram`.
        """
        return js_test_from_histogram(self.histogram(), **options)

    def __repr__(self) -> str:
        if self.edges is None:
            return f"HistogramAccumulator(bins={self._spec!r}: edges from the first chunk, empty)"
        outside = (
            f"x below/above/non-finite {self.underflow_x}/{self.overflow_x}/{self.nonfinite_x}, "
            f"y {self.underflow_y}/{self.overflow_y}/{self.nonfinite_y}"
        )
        return (
            f"HistogramAccumulator({self.edges.size - 1} bins ({self.rule}) on "
            f"[{float(self.edges[0]):g}, {float(self.edges[-1]):g}], n_x={self.n_x}, "
            f"n_y={self.n_y}, {outside})"
        )

    # -----------------------------------------------------------------------------------------
    # files
    # -----------------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the edges and counts to ``path`` (``.npz``), atomically.

        The state goes to a temporary file in the same directory, which is flushed to disk
        (``fsync``) and then renamed over ``path`` (``os.replace``, atomic on POSIX and
        Windows): a crash at any point leaves either the previous file or the new one, never a
        mix. ``path`` is used as given (no suffix is added).

        An existing file keeps its permission bits (a new one gets those ``open`` would give:
        0o666 less the umask). A symbolic link is written through: its target is replaced and
        the link stays, as an editor saving a linked file does. A save killed mid-write leaves
        its temporary file (``.<name>.<pid>.*.tmp``); the next save to the same path removes
        those of processes no longer running.

        Parameters
        ----------
        path : str or os.PathLike
            Target file; its directory must exist.
        """
        target = Path(os.path.realpath(path))  # through a symlink, to the file it names
        edges = self.edges if self.edges is not None else np.empty(0)
        arrays: dict[str, Any] = {
            "format": np.array(ACCUMULATOR_FORMAT),
            "version": np.array(FILE_VERSION),
            "edges": edges,
            "extended_x": self._ext_x,
            "extended_y": self._ext_y,
            "rule": np.array(self.rule),
            "nonfinite": np.array(self.nonfinite),
            "pending_bins": np.array(str(self._spec) if self.edges is None else ""),
        }
        _remove_stale_temporaries(target)
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
        )
        try:
            os.chmod(temporary, mode)
            with os.fdopen(handle, "wb") as file:
                np.savez(file, **arrays)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_directory(target.parent)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> HistogramAccumulator:
        """Read an accumulator written by :meth:`save`.

        Parameters
        ----------
        path : str or os.PathLike
            A file written by :meth:`save`.

        Returns
        -------
        HistogramAccumulator
            Same edges, counts (underflow, overflow, NaN, inf included), rule and policy.

        Raises
        ------
        ValueError
            If the file is not a saved accumulator, is damaged or inconsistent, or comes from a
            newer file format.
        """
        # the file is opened here, not by np.load, which leaves it open when the zip is damaged
        with open(path, "rb") as file:
            try:
                data = np.load(file, allow_pickle=False)
                if not isinstance(data, np.lib.npyio.NpzFile):
                    raise_not_an_accumulator_file(
                        path, "it holds a single array, not an .npz archive"
                    )
                entries = {name: data[name] for name in data.files}
            except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
                if str(exc).startswith(repr(str(path))):  # our own error, from just above
                    raise
                raise_not_an_accumulator_file(path, f"it cannot be read as .npz: {exc}")
        if "format" not in entries:
            raise_not_an_accumulator_file(path, "no 'format' entry")
        if str(entries["format"]) != ACCUMULATOR_FORMAT:
            raise_not_an_accumulator_file(path, f"its format is {str(entries['format'])!r}")
        version = int(entries.get("version", -1))
        if version not in ACCUMULATOR_VERSIONS:
            raise_accumulator_version(path, version)
        return cls._from_entries(path, entries)

    @classmethod
    def _from_entries(cls, path: Any, entries: dict[str, np.ndarray]) -> HistogramAccumulator:
        missing = {"edges", "extended_x", "extended_y", "rule", "nonfinite", "pending_bins"}
        missing -= set(entries)
        if missing:
            raise_not_an_accumulator_file(path, f"missing entries {sorted(missing)}")
        edges, ext_x, ext_y = entries["edges"], entries["extended_x"], entries["extended_y"]
        policy = str(entries["nonfinite"])
        pending = str(entries["pending_bins"])
        if edges.size == 0:
            bins: Any = int(pending) if pending.isdigit() else pending
            out = cls(bins=bins, nonfinite=policy)
            if out.edges is not None:
                raise_not_an_accumulator_file(path, "counts without edges")
            for ext, name in ((ext_x, "extended_x"), (ext_y, "extended_y")):
                if ext.size == 0:  # written before non-finite counts could wait for edges
                    continue
                if ext.dtype != np.int64 or ext.shape != (_extended.width(0),) or ext[:2].any():
                    raise_not_an_accumulator_file(path, f"{name} holds counts without edges")
                if (ext < 0).any():
                    raise_not_an_accumulator_file(path, f"{name} has negative counts")
            out._ext_x += ext_x if ext_x.size else 0
            out._ext_y += ext_y if ext_y.size else 0
            return out
        try:
            out = cls(bins=edges, nonfinite=policy)
        except (TypeError, ValueError) as exc:
            raise_not_an_accumulator_file(path, f"bad edges or policy: {exc}")
        width = _extended.width(edges.size - 1)
        for ext, name in ((ext_x, "extended_x"), (ext_y, "extended_y")):
            if ext.dtype != np.int64 or ext.shape != (width,):
                raise_not_an_accumulator_file(
                    path,
                    f"{name} has dtype {ext.dtype} and shape {ext.shape}, not int64 of shape "
                    f"({width},) for {edges.size - 1} bins",
                )
            if (ext < 0).any():
                raise_not_an_accumulator_file(path, f"{name} has negative counts")
        out._ext_x, out._ext_y = ext_x.copy(), ext_y.copy()
        out.rule = str(entries["rule"])
        return out


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` sets it, racing other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _remove_stale_temporaries(target: Path) -> None:
    """Remove temporary files of earlier saves to ``target`` whose process is gone (killed)."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid_text = leftover.name[len(target.name) + 2 :].split(".", 1)[0]
        if not pid_text.isdigit() or _running(int(pid_text)):
            continue
        leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be saving right now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or no way to tell: leave its file alone
    return True


def _fsync_directory(directory: Path) -> None:
    """Flush the rename itself to disk (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
