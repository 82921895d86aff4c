"""divergences.HistogramAccumulator against one pass over the concatenated samples."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import divergences as dv
from divergences import strategies as dst

from . import naive

RULES = ["auto", "fd", "scott", "sturges", "sqrt", "rice", "quantile"]


@st.composite
def chunkings(draw, n, label):
    """Split points cutting ``range(n)`` into consecutive chunks (some possibly empty)."""
    cuts = draw(st.lists(st.integers(0, n), max_size=6), label=label)
    return [0, *sorted(cuts), n]


def owners(n, parts):
    """Which of ``parts`` accumulators receives each of ``n`` values."""
    return st.lists(st.integers(0, parts - 1), min_size=n, max_size=n).map(np.array)


def chunks(a, cuts):
    return [a[cuts[i] : cuts[i + 1]] for i in range(len(cuts) - 1)]


def assert_same_counts(h, x, y, edges):
    np.testing.assert_array_equal(h.counts_x, naive.counts_by_definition(x, edges))
    np.testing.assert_array_equal(h.counts_y, naive.counts_by_definition(y, edges))
    assert (h.n_x, h.n_y) == (x.size, y.size)
    assert h.dropped_x == x.size - h.counts_x.sum()
    assert h.dropped_y == y.size - h.counts_y.sum()


def fed(acc, x_chunks, y_chunks):
    """``acc`` updated with the chunks, x and y interleaved, padding the shorter list with None."""
    for i in range(max(len(x_chunks), len(y_chunks))):
        xc = x_chunks[i] if i < len(x_chunks) else None
        yc = y_chunks[i] if i < len(y_chunks) else None
        acc.update(xc, yc)
    return acc


def state(acc):
    return (acc.counts_x, acc.counts_y, acc.n_x, acc.n_y, acc.underflow_x, acc.overflow_x,
            acc.underflow_y, acc.overflow_y, acc.nonfinite_x, acc.nonfinite_y)  # fmt: skip


def assert_same_state(a, b):
    for left, right in zip(state(a), state(b), strict=True):
        np.testing.assert_array_equal(left, right)
    np.testing.assert_array_equal(a.edges, b.edges)


# ---------------------------------------------------------------------------------------------
# Exactness: any chunking, any merge order
# ---------------------------------------------------------------------------------------------


@given(
    pair=dst.sample_pairs(min_size=1, max_size=150),
    bins=st.integers(1, 40),
    ends=st.tuples(st.floats(-20, 20), st.floats(0.5, 30)),
    data=st.data(),
)
def test_accumulator_equals_one_pass_over_any_chunking(pair, bins, ends, data):
    x, y = pair
    range_ = (ends[0], ends[0] + ends[1])
    acc = dv.HistogramAccumulator(bins=bins, range=range_)
    fed(
        acc,
        chunks(x, data.draw(chunkings(x.size, "x cuts"))),
        chunks(y, data.draw(chunkings(y.size, "y cuts"))),
    )
    once = dv.histogram_pair(x, y, bins=bins, range=range_)
    h = acc.histogram()
    np.testing.assert_array_equal(h.edges, once.edges)
    assert_same_counts(h, x, y, once.edges)
    np.testing.assert_array_equal(h.counts_x, once.counts_x)
    np.testing.assert_array_equal(h.counts_y, once.counts_y)
    assert (h.dropped_x, h.dropped_y) == (once.dropped_x, once.dropped_y)
    assert acc.underflow_x == np.count_nonzero(x < once.edges[0])
    assert acc.overflow_y == np.count_nonzero(y > once.edges[-1])


@given(
    pair=dst.sample_pairs(min_size=0, max_size=120),
    edges=st.lists(st.floats(-50, 50), min_size=2, max_size=12, unique=True).map(sorted),
    parts=st.integers(1, 5),
    data=st.data(),
)
def test_accumulator_merge_is_exact_and_associative(pair, edges, parts, data):
    x, y = pair
    # each part of the stream goes to an accumulator of its own, chunked its own way
    owner_x = data.draw(owners(x.size, parts), label="owner of each x")
    owner_y = data.draw(owners(y.size, parts), label="owner of each y")
    accs = []
    for k in range(parts):
        xk, yk = x[owner_x == k], y[owner_y == k]
        x_chunks = chunks(xk, data.draw(chunkings(xk.size, f"x cuts {k}")))
        y_chunks = chunks(yk, data.draw(chunkings(yk.size, f"y cuts {k}")))
        accs.append(fed(dv.HistogramAccumulator(bins=edges), x_chunks, y_chunks))
    left = accs[0]
    for acc in accs[1:]:
        left = left.merge(acc)
    right = accs[-1]
    for acc in reversed(accs[:-1]):
        right = acc.merge(right)
    whole = fed(dv.HistogramAccumulator(bins=edges), [x], [y])
    assert_same_state(left, whole)
    assert_same_state(right, whole)
    assert_same_counts(left.histogram(), x, y, np.asarray(edges))
    if parts >= 3:
        a, b, c = accs[:3]
        assert_same_state(a.merge(b).merge(c), a.merge(b.merge(c)))


def test_accumulator_merge_leaves_both_unchanged():
    a = dv.HistogramAccumulator(bins=4, range=(0, 4))
    b = dv.HistogramAccumulator(bins=4, range=(0, 4))
    a.update([0.5, 1.5], [2.5])
    b.update([3.5], [-1.0])
    before_a, before_b = state(a), state(b)
    merged = a.merge(b)
    merged.update([0.1], [0.1])
    for now, then in zip(state(a) + state(b), before_a + before_b, strict=True):
        np.testing.assert_array_equal(now, then)
    assert merged.n_x == 4
    assert merged.underflow_y == 1


def test_accumulator_merge_with_an_accumulator_without_edges_takes_the_other():
    a = dv.HistogramAccumulator(bins="auto")
    b = dv.HistogramAccumulator(bins=3, range=(0, 3))
    b.update([0.5, 2.5], [1.5])
    for merged in (a.merge(b), b.merge(a)):
        assert_same_state(merged, b)
    assert a.merge(dv.HistogramAccumulator()).edges is None


# ---------------------------------------------------------------------------------------------
# Edges: explicit, declared range, or fixed from the first chunk
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [*RULES, 13])
def test_accumulator_first_chunk_fixes_the_edges_as_histogram_pair_does(rule):
    rng = np.random.default_rng(1)
    x, y = rng.normal(0, 1, 3000), rng.normal(0.3, 1.5, 2000)
    acc = dv.HistogramAccumulator(bins=rule)
    assert acc.edges is None
    acc.update(x[:1000], y[:500])
    first = dv.histogram_pair(x[:1000], y[:500], bins=rule)
    np.testing.assert_array_equal(acc.edges, first.edges)
    assert acc.rule == f"{first.rule} (fixed from the first chunk: 1000 + 500 values)"
    acc.update(x[1000:], y[500:])
    h = acc.histogram()
    assert_same_counts(h, x, y, first.edges)
    # later values beyond the first chunk's range are reported, not lost
    outside = 0
    for a, below, above in (
        (x, acc.underflow_x, acc.overflow_x),
        (y, acc.underflow_y, acc.overflow_y),
    ):
        assert below == np.count_nonzero(a < first.edges[0])
        assert above == np.count_nonzero(a > first.edges[-1])
        outside += below + above
    assert outside > 0


def test_accumulator_first_chunk_of_one_sample_fixes_the_edges():
    acc = dv.HistogramAccumulator(bins=4)
    acc.update(None, [1.0, 2.0, 5.0])
    np.testing.assert_array_equal(acc.edges, [1.0, 2.0, 3.0, 4.0, 5.0])
    acc.update([0.0, 1.5], [])
    assert (acc.n_x, acc.n_y, acc.underflow_x) == (2, 3, 1)
    np.testing.assert_array_equal(acc.counts_x, [1, 0, 0, 0])


def test_accumulator_float32_first_chunk_gives_float32_edges():
    x = np.linspace(0, 1, 50, dtype=np.float32)
    acc = dv.HistogramAccumulator(bins=7)
    acc.update(x, x[::2])
    first = dv.histogram_pair(x, x[::2], bins=7)
    assert acc.edges.dtype == np.float32 == first.edges.dtype
    np.testing.assert_array_equal(acc.edges, first.edges)


def test_accumulator_with_a_declared_range_has_edges_before_any_data():
    acc = dv.HistogramAccumulator(bins=5, range=(-1, 1))
    np.testing.assert_array_equal(acc.edges, np.linspace(-1, 1, 6))
    assert acc.rule == "bins=5"
    np.testing.assert_array_equal(acc.counts_x, np.zeros(5, np.int64))
    assert (acc.n_x, acc.underflow_y, acc.nonfinite_x) == (0, 0, 0)


def test_accumulator_empty_updates_change_nothing():
    acc = dv.HistogramAccumulator()
    acc.update()
    acc.update([], np.empty(0, np.float32))
    assert acc.edges is None
    assert (acc.n_x, acc.n_y, acc.overflow_x, acc.nonfinite_y) == (0, 0, 0, 0)
    assert acc.counts_x.size == 0
    assert repr(acc) == "HistogramAccumulator(bins='auto': edges from the first chunk, empty)"


def test_accumulator_reads_every_real_dtype_and_layout():
    values = np.array([0.5, 1.5, 2.5, 9.0])
    acc = dv.HistogramAccumulator(bins=[0.0, 1.0, 2.0, 3.0])
    acc.update(values.astype(np.float16), values.astype(">f8"))
    acc.update(values.astype(np.int32), np.repeat(values, 2)[::2])
    np.testing.assert_array_equal(acc.counts_x, [2, 2, 2])  # as int32: 0, 1, 2, 9
    np.testing.assert_array_equal(acc.counts_y, [2, 2, 2])
    assert (acc.overflow_x, acc.overflow_y) == (2, 2)


# ---------------------------------------------------------------------------------------------
# NaN and inf
# ---------------------------------------------------------------------------------------------


def test_accumulator_refuses_a_nonfinite_chunk_and_stays_unchanged():
    acc = dv.HistogramAccumulator(bins=4, range=(0, 4))
    acc.update([0.5, 1.5], [2.5])
    before = state(acc)
    with pytest.raises(ValueError, match=r"^y contains 1 NaN entry and 1 infinite entry; samples"):
        acc.update([0.5], [1.0, np.nan, np.inf])
    for now, then in zip(state(acc), before, strict=True):
        np.testing.assert_array_equal(now, then)


def test_accumulator_refuses_a_nonfinite_first_chunk_and_keeps_no_edges():
    acc = dv.HistogramAccumulator(bins="auto")
    with pytest.raises(ValueError, match=r"^x contains 1 NaN entry; samples must be finite"):
        acc.update([1.0, np.nan], [2.0])
    assert acc.edges is None
    assert acc.n_x == 0


def test_accumulator_omits_and_reports_nonfinite_values():
    acc = dv.HistogramAccumulator(bins=2, nonfinite="omit")
    acc.update([np.nan, 0.0, 1.0, -np.inf], [np.inf, 0.5])
    np.testing.assert_array_equal(acc.edges, [0.0, 0.5, 1.0])
    assert (acc.nonfinite_x, acc.nonfinite_y, acc.n_x, acc.n_y) == (2, 1, 4, 2)
    h = acc.histogram()
    assert (h.dropped_x, h.dropped_y) == (2, 1)
    np.testing.assert_array_equal(h.counts_x, [1, 1])


# ---------------------------------------------------------------------------------------------
# Every estimate from the counts
# ---------------------------------------------------------------------------------------------


def test_accumulator_estimates_are_the_count_level_functions_on_one_pass():
    rng = np.random.default_rng(2)
    x, y = rng.normal(0, 1, 20_000), rng.normal(0.2, 1.1, 15_000)
    acc = dv.HistogramAccumulator(bins=30, range=(-4, 4))
    for xc, yc in zip(np.array_split(x, 7), np.array_split(y, 7), strict=True):
        acc.update(xc, yc)
    once = dv.histogram_pair(x, y, bins=30, range=(-4, 4))
    options = dict(bias_correction="miller-madow", ci=0.9, n_boot=200, seed=3, base=2)
    js, js_once = acc.js_estimate(**options), dv.js_from_histogram(once, **options)
    assert (js.value, js.plugin, js.bias, js.interval) == (
        js_once.value,
        js_once.plugin,
        js_once.bias,
        js_once.interval,
    )
    kl, kl_once = acc.kl_estimate(**options), dv.kl_from_histogram(once, **options)
    assert (kl.value, kl.interval) == (kl_once.value, kl_once.interval)
    assert acc.kl_estimate(pseudocount=1).value == dv.kl_from_histogram(once, pseudocount=1).value
    assert acc.js_estimate().value == dv.js_from_samples(x, y, bins=30, range=(-4, 4)).value
    for method in ("chi2", "permutation"):
        test = acc.js_test(method=method, n_permutations=99, seed=4)
        same = dv.js_test_from_histogram(once, method=method, n_permutations=99, seed=4)
        assert (test.statistic, test.df, test.pvalue) == (same.statistic, same.df, same.pvalue)


def test_accumulator_repr_reports_what_lies_outside():
    acc = dv.HistogramAccumulator(bins=2, range=(0, 1), nonfinite="omit")
    acc.update([-1.0, 0.5, 2.0, np.nan], [0.5, 3.0])
    assert repr(acc) == (
        "HistogramAccumulator(2 bins (bins=2) on [0, 1], n_x=4, n_y=2, x below/above/non-finite "
        "1/1/1, y 0/1/0)"
    )


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_accumulator_without_edges_has_no_histogram():
    acc = dv.HistogramAccumulator(bins="fd")
    with pytest.raises(ValueError, match=r"^this accumulator has no edges yet: they are fixed"):
        acc.histogram()
    with pytest.raises(ValueError, match=r"no edges yet"):
        acc.js_estimate()


def test_accumulator_merge_refuses_other_edges():
    a = dv.HistogramAccumulator(bins=4, range=(0, 1))
    a.update([0.5], [0.5])
    b = dv.HistogramAccumulator(bins=4, range=(0, 2))
    with pytest.raises(
        ValueError,
        match=r"^cannot merge accumulators on different edges: 4 bins on \[0\.0, 1\.0\] and 4 bins "
        r"on \[0\.0, 2\.0\]\. Counts only add on the same bins",
    ):
        a.merge(b)
    c = dv.HistogramAccumulator(bins=[0.0, 0.3, 0.5, 0.75, 1.0])
    with pytest.raises(ValueError, match=r"\(the same count and range, but different edges\)"):
        a.merge(c)


def test_accumulator_merge_refuses_float32_edges_against_float64():
    a = dv.HistogramAccumulator(bins=np.array([0.0, 0.5, 1.0], np.float32))
    b = dv.HistogramAccumulator(bins=np.array([0.0, 0.5, 1.0]))
    with pytest.raises(ValueError, match=r"cannot merge accumulators on different edges"):
        a.merge(b)


def test_accumulator_merge_refuses_another_policy_and_type():
    a = dv.HistogramAccumulator(bins=2, range=(0, 1))
    b = dv.HistogramAccumulator(bins=2, range=(0, 1), nonfinite="omit")
    with pytest.raises(
        ValueError,
        match=r"^cannot merge an accumulator with nonfinite='raise' and one with "
        r"nonfinite='omit'",
    ):
        a.merge(b)
    with pytest.raises(
        TypeError, match=r"^other must be a HistogramAccumulator; got HistogramPair"
    ):
        a.merge(dv.histogram_pair([0.5], [0.5], bins=2))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(bins=4, range=(0, 1), nonfinite="keep"), ValueError, r"nonfinite must be 'raise'"),
        (dict(bins=[0.0, 1.0], range=(0, 1)), ValueError, r"range cannot be combined with"),
        (dict(bins="best"), ValueError, r"bins='best' is not a known rule"),
        (dict(bins=0), ValueError, r"bins must be a positive number of bins"),
        (dict(bins=4, range=(1, 0)), ValueError, r"range must satisfy lo <= hi"),
    ],
)
def test_accumulator_validates_its_bins(kwargs, error, message):
    with pytest.raises(error, match=message):
        dv.HistogramAccumulator(**kwargs)


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        (np.zeros((2, 3)), ValueError, r"^x must be a 1-D chunk of a sample; got 2 dimension\(s\)"),
        (np.array(["a"]), TypeError, r"^x must be an array of real numbers; got dtype <U1"),
        (1.0, ValueError, r"^x must be a 1-D chunk of a sample; got 0 dimension\(s\)"),
    ],
)
def test_accumulator_validates_chunks(x, error, message):
    acc = dv.HistogramAccumulator(bins=2, range=(0, 1))
    with pytest.raises(error, match=message):
        acc.update(x, None)
    assert acc.n_x == 0


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def test_accumulator_save_and_load_round_trip(tmp_path):
    acc = dv.HistogramAccumulator(bins="auto", nonfinite="omit")
    acc.update(np.linspace(0, 1, 100, dtype=np.float32), np.array([0.5, np.nan], np.float32))
    acc.update([-3.0, 7.0, np.inf], None)
    path = tmp_path / "state.npz"
    acc.save(path)
    loaded = dv.HistogramAccumulator.load(path)
    assert_same_state(loaded, acc)
    assert loaded.edges.dtype == np.float32
    assert (loaded.rule, loaded.nonfinite, repr(loaded)) == (acc.rule, "omit", repr(acc))
    # a loaded accumulator goes on accumulating and merging
    loaded.update([0.5], [0.5])
    assert loaded.merge(acc).n_x == 2 * acc.n_x + 1
    assert sorted(os.listdir(tmp_path)) == ["state.npz"]  # no temporary file left


def test_accumulator_saves_and_loads_before_its_edges_are_fixed(tmp_path):
    for bins in ("quantile", 12):
        acc = dv.HistogramAccumulator(bins=bins)
        acc.save(tmp_path / "empty.npz")
        loaded = dv.HistogramAccumulator.load(tmp_path / "empty.npz")
        assert loaded.edges is None
        loaded.update([0.0, 1.0, 2.0], [1.0])
        acc.update([0.0, 1.0, 2.0], [1.0])
        assert_same_state(loaded, acc)


def test_accumulator_save_replaces_the_file_only_when_complete(tmp_path, monkeypatch):
    acc = dv.HistogramAccumulator(bins=3, range=(0, 3))
    acc.update([0.5], [1.5])
    path = tmp_path / "state.npz"
    acc.save(path)
    acc.update([2.5, 2.5], [0.5])

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # a crash between writing the new state and the rename

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        acc.save(path)
    monkeypatch.undo()
    loaded = dv.HistogramAccumulator.load(path)
    assert (loaded.n_x, loaded.n_y) == (1, 1)  # the previous save, intact
    assert sorted(os.listdir(tmp_path)) == ["state.npz"]  # and the partial file removed


def test_accumulator_save_killed_mid_write_keeps_the_previous_state(tmp_path):
    path = tmp_path / "state.npz"
    acc = dv.HistogramAccumulator(bins=3, range=(0, 3))
    acc.update([0.5], [1.5])
    acc.save(path)
    # a process dies (no cleanup, no exception handler) halfway through writing the new state
    script = textwrap.dedent(
        f"""
        import os, numpy as np, divergences as dv
        acc = dv.HistogramAccumulator.load({str(path)!r})
        acc.update(np.arange(3.0), None)
        real = np.savez
        def savez_then_die(file, **arrays):
            real(file, **arrays)
            file.flush()
            file.truncate(file.tell() // 2)
            os._exit(9)
        np.savez = savez_then_die
        acc.save({str(path)!r})
        """
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, timeout=120)
    assert done.returncode == 9
    loaded = dv.HistogramAccumulator.load(path)
    assert (loaded.n_x, loaded.n_y) == (1, 1)
    leftovers = [name for name in os.listdir(tmp_path) if name != "state.npz"]
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".state.npz.")
    assert leftovers[0].endswith(".tmp")


def saved_entries(tmp_path, **changes):
    acc = dv.HistogramAccumulator(bins=2, range=(0, 1))
    acc.update([0.25], [0.75])
    acc.save(tmp_path / "good.npz")
    with np.load(tmp_path / "good.npz") as data:
        entries = {name: data[name] for name in data.files}
    entries.update(changes)
    for name in [k for k, v in changes.items() if v is None]:
        del entries[name]
    path = tmp_path / "bad.npz"
    np.savez(path, **entries)
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(format=np.array("something.else")), r"\(its format is 'something.else'\)"),
        (dict(format=None), r"\(no 'format' entry\)"),
        (dict(edges=None), r"\(missing entries \['edges'\]\)"),
        (
            dict(extended_x=np.zeros(5, np.int64)),
            r"\(extended_x has dtype int64 and shape \(5,\), not int64 of shape \(6,\) for 2 "
            r"bins\)",
        ),
        (dict(extended_y=np.zeros(6)), r"\(extended_y has dtype float64"),
        (dict(extended_y=np.array([0, -1, 0, 0, 0, 0])), r"\(extended_y has negative counts\)"),
        (dict(edges=np.array([0.0, 1.0, 0.5])), r"\(bad edges or policy: bins must increase"),
        (dict(nonfinite=np.array("keep")), r"\(bad edges or policy: nonfinite must be"),
    ],
)
def test_accumulator_load_refuses_a_wrong_file(tmp_path, changes, message):
    path = saved_entries(tmp_path, **changes)
    with pytest.raises(
        ValueError, match=r"^'.*bad\.npz' is not a saved HistogramAccumulator " + message
    ):
        dv.HistogramAccumulator.load(path)


def test_accumulator_load_refuses_a_newer_format(tmp_path):
    path = saved_entries(tmp_path, version=np.array(2))
    with pytest.raises(
        ValueError,
        match=r"holds a HistogramAccumulator in file format 2; this version of divergences reads "
        r"format 1\. Upgrade",
    ):
        dv.HistogramAccumulator.load(path)


def test_accumulator_load_refuses_a_damaged_or_foreign_file(tmp_path):
    acc = dv.HistogramAccumulator(bins=2, range=(0, 1))
    acc.save(tmp_path / "good.npz")
    raw = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "truncated.npz").write_bytes(raw[: len(raw) // 2])
    (tmp_path / "notes.txt").write_text("not an accumulator\n")
    np.save(tmp_path / "plain.npy", np.arange(3))
    for name in ("truncated.npz", "notes.txt"):
        with pytest.raises(
            ValueError, match=r"is not a saved HistogramAccumulator \(it cannot be "
        ):
            dv.HistogramAccumulator.load(tmp_path / name)
    with pytest.raises(ValueError, match=r"\(it holds a single array, not an \.npz archive\)"):
        dv.HistogramAccumulator.load(tmp_path / "plain.npy")
    with pytest.raises(FileNotFoundError):
        dv.HistogramAccumulator.load(tmp_path / "missing.npz")
    assert zipfile.is_zipfile(tmp_path / "good.npz")


def _saved_accumulator():
    acc = dv.HistogramAccumulator(bins=np.linspace(0.0, 1.0, 5))
    acc.update([0.1, 0.2, 0.9], [0.5])
    return acc


def test_save_keeps_the_permissions_of_an_existing_file(tmp_path):
    path = tmp_path / "acc.npz"
    acc = _saved_accumulator()
    acc.save(path)
    path.chmod(0o640)
    acc.save(path)
    assert (path.stat().st_mode & 0o777) == 0o640


def test_a_new_file_gets_the_mode_open_would_give(tmp_path):
    import divergences.streaming as streaming

    path = tmp_path / "new.npz"
    _saved_accumulator().save(path)
    assert (path.stat().st_mode & 0o777) == 0o666 & ~streaming._umask()


def test_save_writes_through_a_symlink(tmp_path):
    real = tmp_path / "real.npz"
    link = tmp_path / "link.npz"
    acc = _saved_accumulator()
    acc.save(real)
    link.symlink_to(real)
    acc.update([0.3], [0.3])
    acc.save(link)
    assert link.is_symlink()
    loaded = dv.HistogramAccumulator.load(real)
    assert np.array_equal(loaded.counts_x, acc.counts_x)


def test_a_killed_saves_temporary_file_is_removed_by_the_next_save(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "acc.npz"
    # a process that is gone: its pid cannot be running any more once it has been reaped
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".acc.npz.{int(dead.stdout)}.k1ll3d.tmp"
    stale.write_bytes(b"half a file")
    alive = tmp_path / f".acc.npz.{os.getpid()}.other.tmp"  # a save in progress here
    alive.write_bytes(b"")
    _saved_accumulator().save(path)
    assert not stale.exists()
    assert alive.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, "acc.npz"])


@given(st.lists(st.integers(0, 12), min_size=1, max_size=5))
def test_every_chunking_gives_the_same_counts_under_omit(cuts):
    # a stream beginning with NaN-only chunks is not refused: its NaNs are counted as dropped
    rng = np.random.default_rng(len(cuts))
    x = np.concatenate(([np.nan, np.nan, np.inf], rng.normal(size=9)))
    y = np.concatenate(([np.nan], rng.normal(size=11), [-np.inf]))
    edges = np.linspace(-3, 3, 7)
    whole = dv.HistogramAccumulator(bins=edges, nonfinite="omit")
    whole.update(x, y)
    for data_driven in (False, True):
        acc = dv.HistogramAccumulator(bins=6 if data_driven else edges, nonfinite="omit")
        points = sorted(set(cuts))
        for a, b in zip([0, *points], [*points, 13], strict=True):
            acc.update(x[a:b], y[a:b])
        assert (acc.n_x, acc.n_y) == (whole.n_x, whole.n_y) == (12, 13)
        if not data_driven:
            assert np.array_equal(acc.counts_x, whole.counts_x)
            assert np.array_equal(acc.counts_y, whole.counts_y)


def test_nonfinite_counts_before_the_edges_survive_merge_and_save(tmp_path):
    waiting = dv.HistogramAccumulator(bins="auto", nonfinite="omit")
    waiting.update([np.nan, np.inf], [np.nan])
    path = tmp_path / "waiting.npz"
    waiting.save(path)
    loaded = dv.HistogramAccumulator.load(path)
    assert (loaded.n_x, loaded.n_y, loaded.edges) == (2, 1, None)
    started = dv.HistogramAccumulator(bins="auto", nonfinite="omit")
    started.update([0.0, 1.0, 2.0], [1.0, 3.0])
    for merged in (loaded.merge(started), started.merge(loaded)):
        assert (merged.n_x, merged.n_y) == (5, 3)
        assert np.array_equal(merged.counts_x, started.counts_x)
