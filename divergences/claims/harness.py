"""The claim registry and the machinery every claim check uses.

A claim is one test function decorated with :func:`claim`. The function is a *check*: it takes a
``subject`` (the claimed formula, rule or function) and asserts what the claim says about it. The
decorator runs the check twice over: on the true subject, where it must pass (status
**verified**), and on each falsifier's subject, a plausible wrong statement, where the very same
check must fail (status **refuted**). A check that cannot reject its falsifier proves nothing, and
the claim is then reported **broken**. A check that crashes on the true subject (an exception
other than a failed assertion) reached no verdict: the claim is reported **error**, not violated.

Hypothesis is imported only when :func:`forall` is used, so that the pytest plugin can be loaded
in any environment where the package is installed.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

__all__ = [
    "REGISTRY",
    "Audit",
    "Claim",
    "ClaimViolation",
    "Falsifier",
    "FalsifierAccepted",
    "audit",
    "claim",
    "expect",
    "forall",
    "tally",
]


@dataclass(frozen=True)
class Falsifier:
    """A plausible wrong statement and the subject that embodies it."""

    statement: str
    subject: Any


@dataclass
class Claim:
    """One statement of the claims catalogue (``docs/claims.md``) and how it is checked."""

    id: str
    statement: str
    source: str
    locator: str
    check: str  # how the check reaches its answer (the independent route), for the docs
    falsifiers: tuple[Falsifier, ...]
    xfail: str | None
    module: str
    function: str
    figure: str | None = None
    examples: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    refutations: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    subject: Any = field(default=None, repr=False, compare=False)
    check_fn: Any = field(default=None, repr=False, compare=False)

    @property
    def variants(self) -> list[str]:
        """Test ids: ``claim`` then ``falsifier`` (or ``falsifier-1``, ``falsifier-2`` ...)."""
        if len(self.falsifiers) == 1:
            return ["claim", "falsifier"]
        return ["claim"] + [f"falsifier-{i + 1}" for i in range(len(self.falsifiers))]

    @property
    def status(self) -> str:
        """Verified / violated / error / broken / expected-failure / not run."""
        if self.xfail is not None:
            return "expected-failure" if self.outcomes.get("claim") == "xfailed" else "not run"
        claim_outcome = self.outcomes.get("claim")
        if claim_outcome is None:
            return "not run"
        if claim_outcome != "passed":
            return "error" if "claim" in self.errors else "violated"
        if any(self.outcomes.get(v) == "failed" for v in self.variants[1:]):
            return "broken"
        return "verified"

    @property
    def falsifier_status(self) -> str:
        """Refuted / ACCEPTED (the check is broken) / ERROR (it crashed) / not run."""
        results = [self.outcomes.get(v) for v in self.variants[1:]]
        if self.xfail is not None or any(r is None for r in results):
            return "not run"
        if any(v in self.errors for v in self.variants[1:]):
            return "ERROR"
        return "refuted" if all(r == "passed" for r in results) else "ACCEPTED"

    @property
    def total_examples(self) -> int:
        """Examples tried by the check over all variants."""
        return sum(self.examples.values())


REGISTRY: dict[str, Claim] = {}


class ClaimViolation(AssertionError):
    """A check's assertion failed; carries what was observed and expected, and a reproduction."""

    def __init__(self, message: str, *, observed: Any, expected: Any, repro: str | None) -> None:
        self.observed = observed
        self.expected = expected
        self.repro = repro
        text = f"{message}\n  observed: {observed!r}\n  expected: {expected!r}"
        if repro:
            text += f"\n  reproduce: {repro}"
        super().__init__(text)


class FalsifierAccepted(AssertionError):
    """The check passed on a falsifier: it cannot tell the claim from a wrong statement."""


_CURRENT: contextvars.ContextVar[tuple[Claim, str] | None] = contextvars.ContextVar(
    "current_claim", default=None
)
#: While :func:`audit` runs a check: every expect()'s message -> [evaluated, failed] counts
_RECORDING: contextvars.ContextVar[dict[str, list[int]] | None] = contextvars.ContextVar(
    "recording", default=None
)


def tally(n: int = 1) -> None:
    """Count ``n`` examples (inputs, cases, seeds) tried by the running check."""
    current = _CURRENT.get()
    if current is not None:
        found, variant = current
        found.examples[variant] = found.examples.get(variant, 0) + n


def expect(
    condition: bool, message: str, *, observed: Any, expected: Any, repro: str | None = None
) -> None:
    """Assert ``condition``; on failure raise :class:`ClaimViolation` with the evidence.

    Under :func:`audit` the outcome is recorded under ``message`` instead, and the check goes on.
    """
    record = _RECORDING.get()
    if record is not None:
        counts = record.setdefault(message, [0, 0])
        counts[0] += 1
        counts[1] += 0 if condition else 1
        return
    if not condition:
        raise ClaimViolation(message, observed=observed, expected=expected, repro=repro)


def forall(*args: Any, **kwargs: Any) -> Callable[[Callable[..., None]], Callable[[], None]]:
    """``hypothesis.given`` that tallies every example and has no deadline.

    A check's first call may compile numba kernels, which takes seconds; a Hypothesis deadline
    would turn that into a spurious failure of a true claim. Every other setting is Hypothesis'
    own (the loaded profile); to change some for one check, put ``@settings(...)`` *below*
    ``@forall`` (next to the function): those are kept, and only the deadline is lifted.
    """
    from hypothesis import given, settings

    def decorate(prop: Callable[..., None]) -> Callable[[], None]:
        @functools.wraps(prop)
        def counted(*a: Any, **kw: Any) -> None:
            tally()
            prop(*a, **kw)

        # functools.wraps copied the check's own @settings (and @example) onto counted; the
        # settings must not be applied twice, so they become the parent of the deadline-free
        # ones (the attribute names are Hypothesis' own; tests/test_proofs_harness.py checks it)
        own = counted.__dict__.pop("_hypothesis_internal_use_settings", None)
        counted.__dict__.pop("_hypothesis_internal_settings_applied", None)
        lifted = settings(own, deadline=None) if own is not None else settings(deadline=None)
        tested: Callable[[], None] = given(*args, **kwargs)(counted)  # type: ignore[no-untyped-call]
        return lifted(tested)

    return decorate


@contextmanager
def _running(found: Claim, variant: str) -> Iterator[None]:
    token = _CURRENT.set((found, variant))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def claim(
    id: str,
    *,
    statement: str,
    source: str,
    locator: str,
    check: str,
    subject: Any = None,
    falsifiers: list[tuple[str, Any]],
    xfail: str | None = None,
    figure: str | None = None,
) -> Callable[[Callable[[Any], None]], Callable[[str], None]]:
    """Register a claim and turn its check into the ``claim`` / ``falsifier`` test cases.

    Parameters
    ----------
    id : str
        The stable id from the catalogue, e.g. ``"gan.virtual-criterion"``.
    statement, source, locator : str
        The claim as stated in the catalogue, its primary source and the place in it.
    check : str
        One sentence on how the check reaches its answer by an independent route.
    subject : object
        What the check is applied to for the true claim.
    falsifiers : list of (statement, subject)
        Plausible wrong statements with the subject embodying each; at least one.
    xfail : str, optional
        Register as an expected failure with this reason (the check cannot run yet).
    figure : str, optional
        File name of the report figure illustrating the claim.
    """
    if not falsifiers:
        raise ValueError(f"claim {id} ships no falsifier; every claim needs at least one.")
    if id in REGISTRY:
        raise ValueError(f"claim {id} is registered twice; a claim lives in exactly one place.")

    def decorate(check_fn: Callable[[Any], None]) -> Callable[[str], None]:
        found = Claim(
            id=id,
            statement=statement,
            source=source,
            locator=locator,
            check=check,
            falsifiers=tuple(Falsifier(s, f) for s, f in falsifiers),
            xfail=xfail,
            module=check_fn.__module__,
            function=check_fn.__name__,
            figure=figure,
            subject=subject,
            check_fn=check_fn,
        )
        REGISTRY[id] = found
        subjects = {"claim": subject} | {
            v: f.subject for v, f in zip(found.variants[1:], found.falsifiers, strict=True)
        }

        @functools.wraps(check_fn)
        def run(variant: str) -> None:
            if found.xfail is not None:
                raise NotImplementedError(found.xfail)
            with _running(found, variant):
                if variant == "claim":
                    try:
                        check_fn(subjects[variant])
                    except (AssertionError, ExceptionGroup):
                        raise
                    except Exception as exc:
                        # a crash is no violation: the check never reached a verdict
                        found.errors[variant] = _first_line(exc)
                        raise
                    return
                try:
                    check_fn(subjects[variant])
                except (AssertionError, ExceptionGroup) as exc:
                    found.refutations[variant] = _first_line(exc)
                    return
                except Exception as exc:
                    # a crash is no refutation: the check never reached a verdict
                    found.errors[variant] = _first_line(exc)
                    raise
            index = found.variants.index(variant) - 1
            raise FalsifierAccepted(
                f"CLAIM {id} BROKEN: its check accepted the falsifier "
                f"{found.falsifiers[index].statement!r}; a check that cannot reject a wrong "
                f"statement proves nothing."
            )

        run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter("variant", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        )
        run = pytest.mark.parametrize("variant", found.variants)(run)
        run = pytest.mark.claim(id)(run)
        if xfail is not None:
            run = pytest.mark.xfail(reason=xfail, raises=NotImplementedError, strict=True)(run)
        return run

    return decorate


@dataclass
class Audit:
    """Which of a check's assertions each falsifier fails (:func:`audit`).

    ``assertions[message][variant]`` is ``(evaluated, failed)``: how often the ``expect`` with
    that message ran and failed under the true subject (``"claim"``) or a falsifier.
    """

    claim: Claim
    assertions: dict[str, dict[str, tuple[int, int]]]
    errors: dict[str, str]

    @property
    def unreached(self) -> list[str]:
        """Assertions of the check that no falsifier fails: nothing tests their teeth."""
        return [
            message
            for message, by_variant in self.assertions.items()
            if not any(failed for v, (_, failed) in by_variant.items() if v != "claim")
        ]

    @property
    def idle(self) -> list[str]:
        """Falsifiers that fail no assertion (and did not crash): the check accepts them."""
        return [
            v
            for v in self.claim.variants[1:]
            if v not in self.errors
            and not any(by_variant.get(v, (0, 0))[1] for by_variant in self.assertions.values())
        ]

    @property
    def violated(self) -> list[str]:
        """Assertions the true subject fails (the claim itself is violated)."""
        return [m for m, by in self.assertions.items() if by.get("claim", (0, 0))[1]]


def audit(found: Claim) -> Audit:
    """Run the check on the subject and on every falsifier with no assertion stopping it.

    A normal run stops at a falsifier's first failed assertion, so it cannot tell whether the
    later ones test anything. Here each ``expect`` records its outcome and the check goes on,
    under every variant: an assertion that no falsifier fails is one whose outcome the
    falsifiers never change (:attr:`Audit.unreached`). A crash ends that variant's run and is
    reported in ``errors``.
    """
    if found.check_fn is None:
        raise ValueError(f"claim {found.id} has no check to audit.")
    subjects = [found.subject, *(f.subject for f in found.falsifiers)]
    assertions: dict[str, dict[str, tuple[int, int]]] = {}
    errors: dict[str, str] = {}
    for variant, subject in zip(found.variants, subjects, strict=True):
        record: dict[str, list[int]] = {}
        token = _RECORDING.set(record)
        try:
            with _running(found, variant):
                found.check_fn(subject)
        except (Exception, pytest.skip.Exception) as exc:  # a crash or skip ends the variant
            errors[variant] = _first_line(exc) or type(exc).__name__
        finally:
            _RECORDING.reset(token)
        for message, (evaluated, failed) in record.items():
            assertions.setdefault(message, {})[variant] = (evaluated, failed)
    return Audit(found, assertions, errors)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
