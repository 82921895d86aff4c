"""The released PacGAN configuration in PyTorch, to tell a short budget from simplifications.

``python -m benches.pacgan_reference --data grid --packing 1 --iterations 40000`` trains the
configuration of Lin et al.'s released code (github.com/fjxmlzn/PacGAN,
``synthetic_data_experiments/2D{Grid,Ring}_GAN&PacGAN/config.py`` and ``pacgan_task.py``, Theano
and Blocks, which no longer install) rewritten in PyTorch, and prints the Table 1 metrics every
``--every`` iterations, measured with this library's
:func:`~divergences.trainer.metrics.mode_metrics` on 2,500 generator samples, as the released
``MetricLogger`` does. It answers one question for ``python -m divergences.trainer reproduce
pacgan-table1``: whether that reproduction's distance from the published numbers comes from its
budget (20 times fewer iterations than the paper's 400,000) or from its simplifications (no batch
normalisation, no maxout, other initialisation, alternating updates).

What it matches of the released code:

* generator: 2-D standard normal noise, four hidden layers of 400 units, each a linear map
  without bias, batch normalisation (epsilon 1e-4, Blocks' default) and ReLU; a linear output
  with bias. Each of the ``packing`` slots is its own noise batch of 100 with its own batch
  statistics; the running averages used at evaluation take one update per iteration, with
  momentum 0.05, from the mean of the slots' statistics (the released ``pop_update_merges``).
  Left different: PyTorch averages the unbiased batch variance, Blocks the population standard
  deviation;
* discriminator: three maxout layers of 200 units with 5 pieces, a linear output (logit); its
  input is ``packing`` samples concatenated, one from each slot;
* every weight from N(0, 0.02^2), every bias 0;
* the ALI algorithm of the released code: one minibatch, both losses from the same forward
  pass (discriminator: softplus(-D(x)) + softplus(D(G(z))); generator: softplus(-D(G(z)))),
  both networks updated at once; Adam with learning rate 1e-4, beta1 = 0.8, beta2 = 0.999
  (Blocks' default). Assumed: beta1 is the decay rate of the first moment, as in PyTorch and in
  Blocks' current Adam; early Blocks took its complement, and the released code pins no
  version;
* data: a fixed training set of 100,000 packs, shuffled every epoch, minibatches of 100 packs.

PyTorch runs in float32 on one thread, as the paper's Theano did in float32. It is an optional
comparison, never a dependency: install it with ``pip install torch`` (a CPU build is enough).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from divergences.trainer.metrics import mode_metrics
from divergences.trainer.reproduce import PACGAN_DATA


def main(argv: list[str] | None = None) -> int:
    """Train the released configuration and print its metrics as JSON lines; 2 without torch."""
    parser = argparse.ArgumentParser(prog="python -m benches.pacgan_reference", description=__doc__)
    parser.add_argument("--data", choices=sorted(PACGAN_DATA), default="grid")
    parser.add_argument("--packing", type=int, default=1, help="samples per discriminator input")
    parser.add_argument("--iterations", type=int, default=20_000)
    parser.add_argument("--every", type=int, default=5_000, help="iterations between metrics")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-batchnorm", action="store_true", help="ablation: a generator without batch norm"
    )
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("benches.pacgan_reference needs PyTorch: pip install torch", file=sys.stderr)
        return 2
    from torch import nn
    from torch.nn.functional import softplus

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    mixture = PACGAN_DATA[args.data]
    m = args.packing
    train_set = mixture.sample(rng, 100_000 * m).reshape(100_000, 2 * m).astype(np.float32)

    class Maxout(nn.Module):
        def __init__(self, n_in: int, n_out: int, pieces: int) -> None:
            super().__init__()
            self.pieces = pieces
            self.linear = nn.Linear(n_in, n_out * pieces)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.linear(x).view(x.shape[0], -1, self.pieces).amax(-1)

    layers: list[nn.Module] = []
    width = 2
    for _ in range(4):
        layers.append(nn.Linear(width, 400, bias=args.no_batchnorm))
        if not args.no_batchnorm:
            layers.append(nn.BatchNorm1d(400, eps=1e-4, momentum=1.0))
        layers.append(nn.ReLU())
        width = 400
    generator = nn.Sequential(*layers, nn.Linear(400, 2))
    discriminator = nn.Sequential(
        Maxout(2 * m, 200, 5), Maxout(200, 200, 5), Maxout(200, 200, 5), nn.Linear(200, 1)
    )
    for module in [*generator.modules(), *discriminator.modules()]:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, 0.0, 0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    adam_g = torch.optim.Adam(generator.parameters(), lr=1e-4, betas=(0.8, 0.999))
    adam_d = torch.optim.Adam(discriminator.parameters(), lr=1e-4, betas=(0.8, 0.999))
    d_params, g_params = list(discriminator.parameters()), list(generator.parameters())
    norms = [module for module in generator.modules() if isinstance(module, nn.BatchNorm1d)]

    def generated_packs() -> tuple[torch.Tensor, list[tuple[torch.Tensor, torch.Tensor]]]:
        """The packs of generated samples, and the running statistics the iteration ends with.

        Momentum 1 leaves each slot's batch statistics in the running buffers; the iteration's
        update is 0.95 * old + 0.05 * (their mean over the slots), as in the released code. It is
        applied after the backward pass, which needs the buffers as the forward pass left them.
        """
        before = [(norm.running_mean.clone(), norm.running_var.clone()) for norm in norms]
        seen: list[list[tuple[torch.Tensor, torch.Tensor]]] = [[] for _ in norms]
        slots = []
        for _ in range(m):
            slots.append(generator(torch.randn(100, 2)))
            for stats, norm in zip(seen, norms, strict=True):
                stats.append((norm.running_mean.clone(), norm.running_var.clone()))
        after = [
            (
                0.95 * mean + 0.05 * torch.stack([a for a, _ in stats]).mean(0),
                0.95 * var + 0.05 * torch.stack([b for _, b in stats]).mean(0),
            )
            for (mean, var), stats in zip(before, seen, strict=True)
        ]
        return torch.cat(slots, dim=1), after

    def measure() -> dict[str, float]:
        generator.eval()
        with torch.no_grad():
            samples = generator(torch.randn(2500, 2)).double().numpy()
        generator.train()
        metrics = mode_metrics(samples, mixture.centers, mixture.std)
        return {
            "modes": metrics.modes_captured,
            "high_quality_share": metrics.high_quality_share,
            "reverse_kl": metrics.reverse_kl,
        }

    order, position = rng.permutation(100_000), 0
    start = time.perf_counter()
    for iteration in range(1, args.iterations + 1):
        if position == 100_000:
            order, position = rng.permutation(100_000), 0
        x = torch.from_numpy(train_set[order[position : position + 100]])
        position += 100
        fake, running = generated_packs()
        logits = discriminator(torch.cat([x, fake]))
        d_loss = (softplus(-logits[:100]) + softplus(logits[100:])).mean()
        g_loss = softplus(-logits[100:]).mean()
        d_grads = torch.autograd.grad(d_loss, d_params, retain_graph=True)
        g_grads = torch.autograd.grad(g_loss, g_params)
        for params, grads in ((d_params, d_grads), (g_params, g_grads)):
            for param, grad in zip(params, grads, strict=True):
                param.grad = grad
        adam_d.step()
        adam_g.step()
        with torch.no_grad():
            for norm, (mean, var) in zip(norms, running, strict=True):
                norm.running_mean.copy_(mean)
                norm.running_var.copy_(var)
        if iteration % args.every == 0 or iteration == args.iterations:
            row = {"iteration": iteration, **measure()}
            row["seconds"] = round(time.perf_counter() - start, 1)
            print(json.dumps({"data": args.data, "packing": m, "seed": args.seed, **row}))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
