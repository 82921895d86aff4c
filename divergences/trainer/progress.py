"""A minimal text progress bar for long runs, written to stderr.

No dependency: one line redrawn with a carriage return at most every ``interval`` seconds,
showing steps done, the rate and the time left.

>>> import io
>>> from divergences.trainer.progress import ProgressBar
>>> stream = io.StringIO()
>>> with ProgressBar(4, label="train", stream=stream, interval=0.0) as bar:
...     for _ in range(4):
...         bar.update()
>>> "train" in stream.getvalue() and "4/4" in stream.getvalue()
True
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from .._checks.scalars import check_positive_int

__all__ = ["ProgressBar"]


class ProgressBar:
    """Progress of ``total`` steps, drawn on one line of ``stream`` (stderr by default).

    Parameters
    ----------
    total : int
        Number of steps to come, >= 1.
    label : str, default ""
        Shown before the bar.
    stream : text stream, optional
        Where to draw; ``sys.stderr`` by default, so the bar never mixes with results on stdout.
    interval : float, default 0.2
        Minimum seconds between two redraws (the last step is always drawn).
    width : int, default 30
        Characters of the bar itself.
    unit : str, default "steps"
        What is counted, in the rate ("steps/s").

    Examples
    --------
    >>> import io
    >>> from divergences.trainer.progress import ProgressBar
    >>> bar = ProgressBar(2, stream=io.StringIO(), interval=0.0)
    >>> bar.update(2); bar.close(); bar.done
    2
    """

    def __init__(
        self,
        total: int,
        *,
        label: str = "",
        stream: TextIO | None = None,
        interval: float = 0.2,
        width: int = 30,
        unit: str = "steps",
    ) -> None:
        self.total = check_positive_int(total, "total")
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.interval = interval
        self.width = width
        self.unit = unit
        self.done = 0
        self._start = time.perf_counter()
        self._last_draw = self._start  # the first draw waits one interval: no rate from one step

    def update(self, n: int = 1) -> None:
        """Count ``n`` more steps done; redraw if ``interval`` has passed or the run is over."""
        self.done = min(self.done + n, self.total)
        now = time.perf_counter()
        if now - self._last_draw >= self.interval or self.done == self.total:
            self._last_draw = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = now - self._start
        fraction = self.done / self.total
        filled = round(self.width * fraction)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{self.done}/{self.total} {rate:,.{2 if rate < 10 else 0}f} {self.unit}/s, "
            f"{left:.0f} s left "
        )
        self.stream.flush()

    def close(self) -> None:
        """End the line."""
        self.stream.write("\n")
        self.stream.flush()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
