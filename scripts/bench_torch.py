#!/usr/bin/python3
"""PyTorch reference for `lpnp bench`: the project's 1-Lipschitz ResNet (nn.LipschitzResNet, 2D
image form) written again in plain PyTorch, with the same layers and the same arithmetic:

  lift      A = V / max(1, sigma(V)), y = conv(x, A) + c          (1 -> C channels, kernel k)
  blocks    x - h W^T relu(W x + b),  h = 2 tau / sigma(W)^2       (C -> C, tau = 1, depth times)
            W^T is the convolution with the flipped, channel-swapped kernel (as in nn.LayerKind)
  project   A = V / max(1, sigma(V)), y = conv(x, A) + c          (C -> 1, kernel k)

sigma(W) = u^T W v with persistent power-iteration vectors u, v (images of side 16). In training,
each layer first takes one power step with W detached (v <- W^T u/|.|, u <- W v/|.|), then sigma
is differentiable in W only (nn.SpectralLayer). Inference uses the frozen form: constant scale
for lift and projection, constant h for blocks (what a loaded model runs).

Timed: the inference forward pass (no autograd) and one training step (forward, MSE loss,
backward, Adam with PyTorch's defaults = DJL's defaults), after warm-up; medians of repeats.

Run: /usr/bin/python3 scripts/bench_torch.py --width 16 --depth 6 --batch 8 --side 64
Prints one JSON object on the last line of stdout.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

PI_SIZE = 16


def adjoint_kernel(w):
    return w.flip(2, 3).transpose(0, 1)


def conv(x, w, b=None):
    return F.conv2d(x, w, b, stride=1, padding=(w.shape[2] - 1) // 2)


class Spectral(torch.nn.Module):
    """Weight with persistent power-iteration vectors (like nn.SpectralLayer)."""

    def __init__(self, cout, cin, k, warmup=30):
        super().__init__()
        std = 1.0 / (k * (cout ** 0.5 + cin ** 0.5))
        self.weight = torch.nn.Parameter(torch.randn(cout, cin, k, k) * std)
        self.frozen = False
        with torch.no_grad():
            u = torch.randn(1, cout, PI_SIZE, PI_SIZE)
            u = u / u.norm()
            v = None
            for _ in range(warmup):
                u, v = self._step(self.weight, u)
        self.register_buffer("u", u)
        self.register_buffer("v", v)

    @staticmethod
    def _step(wd, u):
        vt = conv(u, adjoint_kernel(wd))
        v = vt / (vt.norm() + 1e-30)
        ut = conv(v, wd)
        return ut / (ut.norm() + 1e-30), v

    def sigma(self, training):
        w = self.weight
        if training:
            with torch.no_grad():
                u, v = self._step(w.detach(), self.u)
                self.u.copy_(u)
                self.v.copy_(v)
        return (self.u * conv(self.v, w)).sum()


class NormConstrained(Spectral):
    def __init__(self, cin, cout, k):
        super().__init__(cout, cin, k)
        self.bias = torch.nn.Parameter(torch.zeros(cout))
        self.scale = None

    def freeze(self):
        with torch.no_grad():
            self.scale = 1.0 / max(1.0, float(self.sigma(False)))
        self.frozen = True

    def forward(self, x):
        v = self.weight
        if self.frozen:
            a = v * self.scale
        else:
            s = self.sigma(self.training)
            a = v / torch.maximum(s, torch.ones_like(s))
        return conv(x, a, self.bias)


class GradientStep(Spectral):
    def __init__(self, width, k, tau=1.0):
        super().__init__(width, width, k)
        self.bias = torch.nn.Parameter(torch.zeros(width))
        self.tau = tau
        self.h = None

    def freeze(self):
        with torch.no_grad():
            s = float(self.sigma(False))
        self.h = self.tau * 2.0 / (s * s)
        self.frozen = True

    def forward(self, x):
        w = self.weight
        z = conv(x, w) + self.bias.reshape(1, -1, 1, 1)
        g = conv(torch.relu(z), adjoint_kernel(w))
        if self.frozen:
            return x - g * self.h
        s = self.sigma(self.training)
        return x - g * (2.0 * self.tau / s.square())


class LipschitzResNet(torch.nn.Module):
    def __init__(self, width, depth, k):
        super().__init__()
        layers = [NormConstrained(1, width, k)]
        layers += [GradientStep(width, k) for _ in range(depth)]
        layers.append(NormConstrained(width, 1, k))
        self.layers = torch.nn.ModuleList(layers)

    def freeze(self):
        for layer in self.layers:
            layer.freeze()

    def unfreeze(self):
        for layer in self.layers:
            layer.frozen = False

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def timed(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--kernel", type=int, default=3)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--side", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    net = LipschitzResNet(a.width, a.depth, a.kernel)
    x = torch.rand(a.batch, 1, a.side, a.side)
    y = torch.rand(a.batch, 1, a.side, a.side)

    net.eval()
    net.freeze()

    def forward():
        with torch.no_grad():
            net(x)

    fwd = timed(forward, a.warmup, a.reps)

    net.unfreeze()
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def train_step():
        opt.zero_grad(set_to_none=False)
        loss = (net(x) - y).square().mean()
        loss.backward()
        opt.step()

    trn = timed(train_step, a.warmup, a.reps)
    print(json.dumps({
        "engine": "pytorch " + torch.__version__,
        "threads": torch.get_num_threads(),
        "width": a.width, "depth": a.depth, "kernel": a.kernel, "batch": a.batch, "side": a.side,
        "forward_s": statistics.median(fwd), "forward_samples_s": fwd,
        "train_step_s": statistics.median(trn), "train_step_samples_s": trn,
    }))


if __name__ == "__main__":
    main()
