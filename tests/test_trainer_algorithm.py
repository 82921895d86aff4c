"""Algorithm 1: update order, fresh minibatches, what each step may change, determinism."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from divergences.trainer import algorithm, data, gradients
from divergences.trainer.config import TrainConfig, instance_noise_std
from divergences.trainer.history import History
from divergences.trainer.state import init_gan


class Recording:
    """A distribution that keeps a copy of every batch it hands out."""

    def __init__(self, inner):
        self.inner = inner
        self.batches = []

    @property
    def dim(self):
        return self.inner.dim

    def sample(self, rng, n):
        x = self.inner.sample(rng, n)
        self.batches.append(x.copy())
        return x


def small_config(**kwargs):
    defaults = dict(
        generator_hidden=(8,), discriminator_hidden=(8,), batch_size=16, eval_size=500, bins=20
    )
    return TrainConfig(**{**defaults, **kwargs})


def assert_all_distinct(batches):
    for i in range(len(batches)):
        for j in range(i):
            assert not np.array_equal(batches[i], batches[j]), f"batch {i} repeats batch {j}"


@pytest.mark.parametrize("k", [1, 3])
def test_iteration_draws_fresh_minibatches_k_discriminator_steps_then_one_generator_step(k):
    gaussian, noise = Recording(data.Gaussian(4.0, 1.0)), Recording(data.GaussianNoise())
    config = small_config(k=k)
    state = init_gan(gaussian.inner, noise.inner, config)
    algorithm.train_iteration(state, gaussian, noise, config)
    assert len(gaussian.batches) == k  # one fresh data minibatch per discriminator step
    assert len(noise.batches) == k + 1  # and one fresh noise minibatch per step of either net
    assert_all_distinct(gaussian.batches)
    assert_all_distinct(noise.batches)
    assert state.discriminator_optimizer.t == k
    assert state.generator_optimizer.t == 1
    assert state.step == 1


@pytest.mark.parametrize("k", [1, 2])
@pytest.mark.parametrize("sigma", [0.0, 0.7])
def test_iteration_equals_algorithm_1_replayed_by_hand(k, sigma):
    # SGD makes every update an explicit theta -= lr * grad, so the replay is exact: the k
    # discriminator updates come first, each on its own fresh data and noise, and the generator
    # gradient is taken through the discriminator as those k updates left it
    config = small_config(
        k=k,
        generator_optimizer="sgd",
        discriminator_optimizer="sgd",
        generator_lr=0.05,
        discriminator_lr=0.05,
        instance_noise=sigma,
        instance_noise_anneal_steps=10 if sigma else 0,
        engine="numpy",
    )
    gaussian, noise = data.Gaussian(4.0, 1.0), data.GaussianNoise()
    state = init_gan(gaussian, noise, config)
    algorithm.train_iteration(state, gaussian, noise, config)  # so the schedule is at step 1

    replay = copy.deepcopy(state)
    rng, g, d = replay.rng, replay.generator, replay.discriminator
    s = instance_noise_std(config, 1)
    assert s == pytest.approx(0.9 * sigma)
    for _ in range(k):
        x_real, z = gaussian.sample(rng, 16), noise.sample(rng, 16)
        extra = {}
        if s > 0:
            extra = {
                "noise_real": s * rng.standard_normal((16, 1)),
                "noise_fake": s * rng.standard_normal((16, 1)),
            }
        _, grads = gradients.discriminator_gradient(g, d, x_real, z, **extra)
        d.flat[:] -= 0.05 * grads.flat
    z = noise.sample(rng, 16)
    extra = {"noise_fake": s * rng.standard_normal((16, 1))} if s > 0 else {}
    _, grads = gradients.generator_gradient(g, d, z, saturating=False, **extra)
    g.flat[:] -= 0.05 * grads.flat

    algorithm.train_iteration(state, gaussian, noise, config)
    np.testing.assert_array_equal(state.discriminator.flat, d.flat)
    np.testing.assert_array_equal(state.generator.flat, g.flat)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_generator_step_does_not_change_the_discriminator(engine):
    config = small_config(engine=engine)
    gaussian, noise = data.Gaussian(), data.GaussianNoise()
    state = init_gan(gaussian, noise, config)
    d_before, g_before = state.discriminator.flat.copy(), state.generator.flat.copy()
    algorithm.generator_step(state, gaussian, noise, config)
    np.testing.assert_array_equal(state.discriminator.flat, d_before)
    assert state.discriminator_optimizer.t == 0
    assert not np.array_equal(state.generator.flat, g_before)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_discriminator_step_does_not_change_the_generator(engine):
    config = small_config(engine=engine)
    gaussian, noise = data.Gaussian(), data.GaussianNoise()
    state = init_gan(gaussian, noise, config)
    d_before, g_before = state.discriminator.flat.copy(), state.generator.flat.copy()
    algorithm.discriminator_step(state, gaussian, noise, config)
    np.testing.assert_array_equal(state.generator.flat, g_before)
    assert state.generator_optimizer.t == 0
    assert not np.array_equal(state.discriminator.flat, d_before)


def test_frozen_generator_never_moves():
    config = small_config(n_steps=30, k=2, freeze_generator=True, eval_every=10)
    gaussian, noise = data.Gaussian(), data.GaussianNoise()
    state = init_gan(gaussian, noise, config)
    g_before = state.generator.flat.copy()
    result = algorithm.train(gaussian, noise, config, state=state)
    np.testing.assert_array_equal(result.state.generator.flat, g_before)
    assert result.state.discriminator_optimizer.t == 60
    assert np.isnan(result.history["g_loss"][1:]).all()


@pytest.mark.parametrize("precision", ["float64", "float32"])
@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_training_is_deterministic_per_seed(engine, precision):
    config = small_config(
        n_steps=40, eval_every=20, seed=3, engine=engine, instance_noise=0.3, precision=precision
    )
    gaussian, noise = data.GaussianMixture.two_modes(), data.UniformNoise()
    a = algorithm.train(gaussian, noise, config)
    b = algorithm.train(gaussian, noise, config)
    np.testing.assert_array_equal(a.state.generator.flat, b.state.generator.flat)
    np.testing.assert_array_equal(a.state.discriminator.flat, b.state.discriminator.flat)
    assert a.history.records == b.history.records
    c = algorithm.train(gaussian, noise, dataclasses.replace(config, seed=4))
    assert not np.array_equal(a.state.generator.flat, c.state.generator.flat)


def test_engines_agree_on_a_short_run():
    gaussian, noise = data.Gaussian(4.0, 1.0), data.GaussianNoise()
    runs = [
        algorithm.train(gaussian, noise, small_config(n_steps=20, eval_every=20, engine=engine))
        for engine in ("numpy", "numba")
    ]
    np.testing.assert_allclose(
        runs[1].state.generator.flat, runs[0].state.generator.flat, rtol=1e-8, atol=1e-12
    )
    np.testing.assert_allclose(
        runs[1].state.discriminator.flat, runs[0].state.discriminator.flat, rtol=1e-8, atol=1e-12
    )


def test_single_precision_training_follows_the_double_precision_run():
    """Twenty steps in float32 stay near the float64 run; they differ, so float32 was used."""
    gaussian, noise = data.Gaussian(4.0, 1.0), data.GaussianNoise()
    runs = [
        algorithm.train(
            gaussian, noise, small_config(n_steps=20, eval_every=20, precision=precision)
        )
        for precision in ("float64", "float32")
    ]
    for network in ("generator", "discriminator"):
        double, single = (getattr(run.state, network).flat for run in runs)
        assert single.dtype == np.float64
        # an Adam step is lr * m / sqrt(v) with lr = 1e-3: a gradient off by ~1e-6 relative
        # changes m / sqrt(v) by ~1e-6, so 20 steps drift by ~20 * 1e-3 * 1e-6 = 2e-8 at most
        # (measured: 0.7e-9 to 6e-9 over seeds 0-4)
        np.testing.assert_allclose(single, double, rtol=0, atol=1e-7)
        assert not np.array_equal(single, double)


def test_evaluating_does_not_change_training():
    gaussian, noise = data.Gaussian(4.0, 1.0), data.GaussianNoise()
    often = algorithm.train(gaussian, noise, small_config(n_steps=20, eval_every=1))
    rarely = algorithm.train(gaussian, noise, small_config(n_steps=20, eval_every=20))
    np.testing.assert_array_equal(often.state.generator.flat, rarely.state.generator.flat)
    assert often.history["step"].tolist() == list(range(21))
    assert rarely.history["step"].tolist() == [0, 20]
    assert often.history.last("jsd") == rarely.history.last("jsd")


def test_instance_noise_schedule():
    constant = TrainConfig(instance_noise=0.5)
    annealed = TrainConfig(instance_noise=0.5, instance_noise_anneal_steps=4)
    assert [instance_noise_std(constant, t) for t in (0, 10**6)] == [0.5, 0.5]
    assert [instance_noise_std(annealed, t) for t in range(6)] == [
        0.5,
        0.375,
        0.25,
        0.125,
        0.0,
        0.0,
    ]


def test_history_records_the_measurements_and_snapshots(tmp_path):
    config = small_config(n_steps=40, eval_every=20, snapshot_steps=(0, 20))
    result = algorithm.train(data.GaussianMixture.two_modes(), data.GaussianNoise(), config)
    h = result.history
    assert h["step"].tolist() == [0, 20, 40]
    assert set(h.keys()) >= {
        "step",
        "d_loss",
        "g_loss",
        "noise_std",
        "value",
        "d_data",
        "d_generator",
        "jsd",
        "criterion",
        "d_error",
        "d_error_max",
        "modes_captured",
        "high_quality_share",
        "mode_reverse_kl",
    }
    assert math.isnan(h["d_loss"][0])  # nothing trained yet at step 0
    np.testing.assert_allclose(h["criterion"], 2 * h["jsd"] - math.log(4), rtol=1e-15)
    assert [s.step for s in h.snapshots] == [0, 20, 40]
    snap = h.snapshots[-1].arrays
    assert set(snap) == {"centers", "p_data", "p_g", "d", "d_star"}
    width = snap["centers"][1] - snap["centers"][0]
    assert float(np.sum(snap["p_g"]) * width) == pytest.approx(1.0, rel=1e-12)
    h.save(tmp_path / "h.npz")
    loaded = History.load(tmp_path / "h.npz")
    assert loaded.keys() == h.keys()
    for key in h:
        np.testing.assert_array_equal(loaded[key], h[key])
    np.testing.assert_array_equal(loaded.snapshots[1].arrays["d"], h.snapshots[1].arrays["d"])


def test_two_dimensional_runs_record_mode_metrics_and_samples():
    config = small_config(n_steps=10, eval_every=10)
    result = algorithm.train(data.GaussianMixture.ring(), data.GaussianNoise(2), config)
    assert "jsd" not in result.history  # histogram JSD is 1-D only
    assert "modes_captured" in result.history
    assert result.history.snapshots[-1].arrays["samples"].shape == (500, 2)


def test_two_dimensional_runs_record_the_knn_jsd_of_generator_and_data():
    import divergences as dv
    from divergences.trainer.evaluation import FORWARD, Evaluator

    ring, noise = data.GaussianMixture.ring(), data.GaussianNoise(2)
    config = small_config(n_steps=10, eval_every=10)
    result = algorithm.train(ring, noise, config)
    evaluator = Evaluator(ring, noise, config)
    x_gen = FORWARD[config.engine](result.state.generator, evaluator.z)[0]
    assert result.history["knn_jsd"][-1] == float(dv.js_knn(x_gen, evaluator.x_data))
    # an estimate, not clipped to [0, log 2] (js_knn, Returns): far-apart samples may exceed it
    assert result.history["knn_jsd"][-1] > 0.5
    # a generator with every unit dead maps all noise to one point: undefined, not a number
    state = init_gan(ring, noise, config)
    state.generator.flat[:] = 0.0
    values = Evaluator(ring, noise, config).measure(state, snapshot=False)[0]
    assert math.isnan(values["knn_jsd"])


def test_training_continues_from_a_given_state():
    gaussian, noise = data.Gaussian(), data.GaussianNoise()
    config = small_config(n_steps=10, eval_every=5)
    state = init_gan(gaussian, noise, config)
    algorithm.train(gaussian, noise, config, state=state)
    result = algorithm.train(gaussian, noise, config, state=state)
    assert result.state.step == 20
    assert result.history["step"].tolist() == [10, 15, 20]


def test_progress_bar_goes_to_stderr(capsys):
    algorithm.train(data.Gaussian(), data.GaussianNoise(), small_config(n_steps=5), progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "5/5" in captured.err


def test_any_frozen_scipy_distribution_trains_and_is_measured():
    from scipy import stats

    gamma = data.ScipyDistribution(stats.gamma(2.0))
    result = algorithm.train(gamma, data.GaussianNoise(), small_config(n_steps=10, eval_every=10))
    assert 0.0 < result.history.last("jsd") <= math.log(2)
    assert 0.0 <= result.history.last("d_error") <= 1.0


def test_importing_the_trainer_loads_neither_numba_scipy_nor_matplotlib():
    import subprocess
    import sys

    code = (
        "import sys, divergences.trainer, divergences.trainer.experiments, "
        "divergences.trainer.plots; "
        "print(sorted(m for m in ('numba', 'scipy', 'matplotlib') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_result_prints_in_a_line_and_times_training_apart_from_evaluation():
    config = TrainConfig(n_steps=40, eval_every=10, eval_size=300)
    result = algorithm.train(data.Gaussian(4.0, 1.0), data.GaussianNoise(), config)
    shown = repr(result)
    assert "\n" not in shown
    assert len(shown) < 400
    assert "Mlp(sizes=(1, 16, 16, 1), activation='leaky_relu', 321 parameters)" in shown
    assert "History(5 evaluations, steps 0-40; series: step, d_loss" in shown
    assert result.first_step_seconds > 0.0
    assert result.train_seconds > 0.0
    assert result.eval_seconds > 0.0
    assert result.steps_per_second == pytest.approx(39 / result.train_seconds)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
@pytest.mark.parametrize("packing", [1, 2])
def test_unrolled_generator_step_is_a_step_against_the_discriminator_u_steps_ahead(engine, packing):
    # the same seed twice: one state takes an unrolled generator step; the other takes the u
    # discriminator steps for real and then a plain generator step. The generators must agree
    # bit for bit, and the unrolled state's discriminator must not have moved.
    u = 3
    ring, noise = data.GaussianMixture.ring(), data.GaussianNoise(2)
    unrolled = small_config(unrolled_steps=u, packing=packing, engine=engine, instance_noise=0.1)
    plain = dataclasses.replace(unrolled, unrolled_steps=0)
    a, b = init_gan(ring, noise, unrolled), init_gan(ring, noise, plain)
    d_before, optimizer_before = (
        a.discriminator.flat.copy(),
        copy.deepcopy(a.discriminator_optimizer),
    )
    algorithm.generator_step(a, ring, noise, unrolled)
    for _ in range(u):
        algorithm.discriminator_step(b, ring, noise, plain)
    algorithm.generator_step(b, ring, noise, plain)
    np.testing.assert_array_equal(a.generator.flat, b.generator.flat)
    np.testing.assert_array_equal(a.discriminator.flat, d_before)
    assert a.discriminator_optimizer.t == optimizer_before.t == 0
    assert b.discriminator_optimizer.t == u
    assert not np.array_equal(b.discriminator.flat, d_before)


def test_packed_and_unrolled_runs_record_every_measurement():
    config = small_config(n_steps=6, eval_every=3, packing=3, unrolled_steps=2, eval_size=499)
    result = algorithm.train(data.GaussianMixture.grid(), data.GaussianNoise(2), config)
    assert result.state.discriminator.sizes[0] == 6
    # one discriminator step per iteration for real; the unrolled ones are on copies
    assert result.state.discriminator_optimizer.t == 6
    assert np.isfinite(result.history["value"]).all()
    assert np.isfinite(result.history["high_quality_share"]).all()
    one_d = algorithm.train(data.Gaussian(4.0, 1.0), data.GaussianNoise(), config).history
    assert np.isfinite(one_d["jsd"]).all()
    assert np.isnan(one_d["d_error"]).all()


DEFAULTS = """
import json
import scipy.linalg.cython_blas
from threadpoolctl import threadpool_info
print(json.dumps({p["filepath"]: p["num_threads"] for p in threadpool_info()
                  if p["user_api"] == "blas"}))
"""


def test_training_runs_on_one_blas_thread_and_restores_the_limits():
    # in a fresh interpreter, so that no BLAS library the engine uses is loaded before train()
    # (one loaded after the limits were set would keep its default threads)
    script = """
import json
from threadpoolctl import threadpool_info, threadpool_limits
from divergences.trainer import algorithm, data
from divergences.trainer.config import TrainConfig

def blas():
    return {p["filepath"]: p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}

seen = []

class Watching(data.Gaussian):
    def sample(self, rng, n):
        seen.append(blas())
        return super().sample(rng, n)

with threadpool_limits(limits=2, user_api="blas"):
    before = blas()
    config = TrainConfig(n_steps=3, eval_every=3, eval_size=500, engine=ENGINE)
    algorithm.train(Watching(), data.GaussianNoise(), config)
    after = blas()
print(json.dumps({"before": before, "seen": seen, "after": after, "final": blas()}))
"""
    for engine in ("numba", "numpy"):
        code = script.replace("ENGINE", repr(engine))
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
        )
        out = json.loads(run.stdout.splitlines()[-1])
        assert out["before"], "no BLAS library is loaded: the check would prove nothing"
        assert len(out["seen"]) == 4  # the evaluation's data sample, then one per step
        # after the first step every library the engine uses is loaded: all on one thread
        libraries = set(out["seen"][-1])
        assert len(libraries) > len(out["before"])  # scipy's BLAS was loaded by train()
        assert all(set(threads.values()) == {1} for threads in out["seen"])
        # the limits in force before the call are restored: 2 where the caller had set them,
        # the library's own default for the one train() loaded (read in another fresh process)
        defaults = json.loads(
            subprocess.run(
                [sys.executable, "-c", DEFAULTS], capture_output=True, text=True, check=True
            ).stdout
        )
        expected = {lib: 2 if lib in out["before"] else defaults[lib] for lib in out["after"]}
        assert out["after"] == expected


def test_blas_threads_none_leaves_the_libraries_alone():
    import scipy.linalg.cython_blas  # noqa: F401  (the engine's BLAS, loaded before the limits)
    from threadpoolctl import threadpool_info, threadpool_limits

    seen: list[set[int]] = []

    class Watching(Recording):
        def sample(self, rng, n):
            pools = threadpool_info()
            seen.append({p["num_threads"] for p in pools if p["user_api"] == "blas"})
            return super().sample(rng, n)

    config = small_config(n_steps=2, eval_every=2)
    with threadpool_limits(limits=2, user_api="blas"):
        algorithm.train(Watching(data.Gaussian()), data.GaussianNoise(), config, blas_threads=None)
        assert seen
        assert all(threads == {2} for threads in seen)
        seen.clear()
        algorithm.train(Watching(data.Gaussian()), data.GaussianNoise(), config, blas_threads=1)
        assert all(threads == {1} for threads in seen)
    with pytest.raises(ValueError, match=r"blas_threads must be an integer >= 1; got 0\."):
        algorithm.train(data.Gaussian(), data.GaussianNoise(), config, blas_threads=0)
