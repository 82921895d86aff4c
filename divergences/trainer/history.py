"""The record of a training run: measurements at evaluation steps and snapshots for the figures.

A :class:`History` holds named series (one value per evaluation step, aligned with the
``"step"`` series) and :class:`Snapshot` objects (arrays for the Goodfellow Fig. 1-style panels
or the 2-D scatter plots). It saves to one ``.npz`` file and loads back unchanged.

>>> from divergences.trainer.history import History
>>> h = History()
>>> h.record(step=0, jsd=0.5)
>>> h.record(step=100, jsd=0.1)
>>> h["jsd"].tolist(), h.last("jsd")
([0.5, 0.1], 0.1)
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import check_history_key, check_history_record

__all__ = ["History", "Snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """Arrays describing the state of a run at one step.

    Attributes
    ----------
    step : int
        Training iterations done when the snapshot was taken.
    arrays : dict of str to ndarray
        For 1-D data: ``centers`` (bin centres, data units), ``p_data`` (bin-averaged data
        density), ``p_g`` (generator histogram density), ``d`` (discriminator at the centres) and
        ``d_star`` (optimal discriminator). For 2-D data: ``samples`` (generator samples).

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.history import Snapshot
    >>> Snapshot(100, {"samples": np.zeros((3, 2))}).arrays["samples"].shape
    (3, 2)
    """

    step: int
    arrays: dict[str, np.ndarray]


@dataclass
class History:
    """Measurements of a training run, recorded as it goes.

    Attributes
    ----------
    records : dict of str to list of float
        One list per measured quantity, one entry per evaluation step.
    snapshots : list of Snapshot
        Snapshots in step order.

    Examples
    --------
    >>> from divergences.trainer.history import History
    >>> h = History()
    >>> h.record(step=0, jsd=0.7)
    >>> h.record(step=10, jsd=0.2)
    >>> h.summary(), list(h)
    ({'step': 10.0, 'jsd': 0.2}, ['step', 'jsd'])
    """

    records: dict[str, list[float]] = field(default_factory=dict)
    snapshots: list[Snapshot] = field(default_factory=list)

    def __repr__(self) -> str:
        steps = self.records.get("step", [])
        span = f"steps {steps[0]:g}-{steps[-1]:g}" if steps else "empty"
        return (
            f"History({len(steps)} evaluations, {span}; series: {', '.join(self.records)}; "
            f"snapshots: {len(self.snapshots)})"
        )

    def record(self, **values: float) -> None:
        """Append one value to each named series (every series gets one per evaluation)."""
        check_history_record(self.records, values)
        for key, value in values.items():
            self.records.setdefault(key, []).append(float(value))

    def __getitem__(self, key: str) -> np.ndarray:
        """The series ``key`` as a float64 array."""
        check_history_key(self.records, key)
        return np.asarray(self.records[key], dtype=np.float64)

    def __contains__(self, key: object) -> bool:
        return key in self.records

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def keys(self) -> list[str]:
        """Names of the recorded series."""
        return list(self.records)

    def last(self, key: str) -> float:
        """The latest value of the series ``key``."""
        check_history_key(self.records, key)
        return self.records[key][-1]

    def summary(self) -> dict[str, float | None]:
        """The latest value of every series (``None`` for an undefined, NaN, value), for JSON."""
        return {k: (None if math.isnan(v[-1]) else v[-1]) for k, v in self.records.items()}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the history to ``path`` as a ``.npz`` file (see :meth:`load`)."""
        arrays: dict[str, Any] = {f"records/{k}": self[k] for k in self.records}
        for i, snapshot in enumerate(self.snapshots):
            arrays[f"snapshots/{i}/step"] = np.array(snapshot.step)
            for name, value in snapshot.arrays.items():
                arrays[f"snapshots/{i}/{name}"] = value
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> History:
        """Read a history written by :meth:`save`.

        Examples
        --------
        >>> import tempfile, os
        >>> from divergences.trainer.history import History
        >>> h = History()
        >>> h.record(step=0, jsd=0.25)
        >>> path = os.path.join(tempfile.mkdtemp(), "h.npz")
        >>> h.save(path)
        >>> History.load(path).records
        {'step': [0.0], 'jsd': [0.25]}
        """
        history = cls()
        snapshots: dict[int, dict[str, np.ndarray]] = {}
        with np.load(path) as data:
            for name in data.files:
                parts = name.split("/")
                if parts[0] == "records":
                    history.records[parts[1]] = data[name].tolist()
                else:
                    snapshots.setdefault(int(parts[1]), {})[parts[2]] = data[name]
        for i in sorted(snapshots):
            arrays = snapshots[i]
            step = int(arrays.pop("step"))
            history.snapshots.append(Snapshot(step, arrays))
        return history
