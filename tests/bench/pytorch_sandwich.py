#!/usr/bin/env python3
"""PyTorch-eager reference of supernet-cli's bench-train, for side-by-side timing.

The same search space (read from resources/spaces/NAME.json), the same dynamic layers
(first channels, centre kernel, sliced BN statistics, SE), the same sandwich step (largest
with label-smoothed CE, smallest + 2 random with KL distillation from the largest, SGD with
Nesterov momentum, no weight decay on 1-D parameters) on random data resident on the device.

  python3 tests/bench/pytorch_sandwich.py --space ofa-mbv3 --res 32 --channels 3 \
      --classes 10 --batch 128 --steps 20 --threads 2 [--device cuda]
"""
import argparse
import json
import math
import os
import random
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def act(x, name):
    if name == "relu":
        return F.relu(x)
    if name == "h_swish":
        return F.hardswish(x)
    return x


class DynConv(nn.Module):
    def __init__(self, cin, cout, k, stride, depthwise):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout, 1 if depthwise else cin, k, k))
        nn.init.normal_(self.weight, 0, math.sqrt(2.0 / (k * k * cout)))
        self.stride, self.depthwise = stride, depthwise

    def forward(self, x, cout, k):
        cin = x.size(1)
        w = self.weight
        if self.depthwise:
            w = w[:cin]
        else:
            w = w[:cout, :cin]
        off = (w.size(2) - k) // 2
        if off:
            w = w[:, :, off:off + k, off:off + k]
        return F.conv2d(x, w, None, self.stride, k // 2, 1, cin if self.depthwise else 1)


class DynBN(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.register_buffer("running_mean", torch.zeros(c))
        self.register_buffer("running_var", torch.ones(c))

    def forward(self, x):
        c = x.size(1)
        return F.batch_norm(x, self.running_mean[:c], self.running_var[:c], self.weight[:c],
                            self.bias[:c], self.training, 0.1, 1e-5)


class DynSE(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = make_divisible(c // 4)
        self.rw = nn.Parameter(torch.randn(h, c, 1, 1) * math.sqrt(2.0 / h))
        self.rb = nn.Parameter(torch.zeros(h))
        self.ew = nn.Parameter(torch.randn(c, h, 1, 1) * math.sqrt(2.0 / c))
        self.eb = nn.Parameter(torch.zeros(c))

    def forward(self, x):
        c = x.size(1)
        h = make_divisible(c // 4)
        y = x.mean((2, 3), keepdim=True)
        y = F.relu(F.conv2d(y, self.rw[:h, :c], self.rb[:h]))
        y = F.conv2d(y, self.ew[:c, :h], self.eb[:c])
        return x * F.hardsigmoid(y)


class DynMBConv(nn.Module):
    def __init__(self, cin, cout, stride, kmax, emax, expand_conv, act_name, se):
        super().__init__()
        self.cin, self.cout, self.act, self.expand_conv = cin, cout, act_name, expand_conv
        mid = make_divisible(round(cin * emax)) if expand_conv else cin
        if expand_conv:
            self.ec, self.eb = DynConv(cin, mid, 1, 1, False), DynBN(mid)
        self.dc, self.db = DynConv(mid, mid, kmax, stride, True), DynBN(mid)
        self.se = DynSE(mid) if se else None
        self.pc, self.pb = DynConv(mid, cout, 1, 1, False), DynBN(cout)
        self.residual = stride == 1 and cin == cout

    def forward(self, x, k, e):
        y = x
        if self.expand_conv:
            y = act(self.eb(self.ec(y, make_divisible(round(self.cin * e)), 1)), self.act)
        y = act(self.db(self.dc(y, y.size(1), k)), self.act)
        if self.se is not None:
            y = self.se(y)
        y = self.pb(self.pc(y, self.cout, 1))
        return y + x if self.residual else y


class Supernet(nn.Module):
    def __init__(self, space, channels, classes):
        super().__init__()
        wm = space.get("width_mult", 1.0)
        s = space["stem"]
        self.space = space
        self.stem_w = make_divisible(s["out"] * wm)
        self.stem = DynConv(channels, self.stem_w, s["kernel"], s["stride"], False)
        self.stem_bn = DynBN(self.stem_w)
        fb = space["first_block"]
        fb_w = make_divisible(fb["out"] * wm)
        self.first = DynMBConv(self.stem_w, fb_w, 1, fb["kernel"], fb["expand"], fb["expand"] != 1,
                               fb["act"], fb["se"])
        self.fb = fb
        cin = fb_w
        expand_conv = space["expands"] != [1]
        self.blocks = nn.ModuleList()
        for st in space["stages"]:
            w = make_divisible(st["width"] * wm)
            stage = nn.ModuleList()
            for b in range(max(space["depths"])):
                stage.append(DynMBConv(cin, w, st["stride"] if b == 0 else 1, max(space["kernels"]),
                                       max(space["expands"]), expand_conv, st["act"], st["se"]))
                cin = w
            self.blocks.append(stage)
        fe = make_divisible(space["head"]["final_expand"] * wm)
        feat = space["head"]["feature"]
        self.fe, self.fe_bn, self.fe_w = DynConv(cin, fe, 1, 1, False), DynBN(fe), fe
        self.feat, self.feat_w = DynConv(fe, feat, 1, 1, False), feat
        self.dropout = nn.Dropout(space["head"]["dropout"])
        self.classifier = nn.Linear(feat, classes)
        self.arch = None

    def forward(self, x):
        x = act(self.stem_bn(self.stem(x, self.stem_w, self.space["stem"]["kernel"])),
                self.space["stem"]["act"])
        x = self.first(x, self.fb["kernel"], self.fb["expand"])
        for stage, (ks, es) in zip(self.blocks, self.arch):
            for b in range(len(ks)):
                x = stage[b](x, ks[b], es[b])
        x = F.hardswish(self.fe_bn(self.fe(x, self.fe_w, 1)))
        x = x.mean((2, 3), keepdim=True)
        x = F.hardswish(self.feat(x, self.feat_w, 1))
        return self.classifier(self.dropout(x.flatten(1)))


def uniform(space, d, k, e):
    return [([k] * d, [e] * d) for _ in space["stages"]]


def sample(space, rng):
    arch = []
    for _ in space["stages"]:
        d = rng.choice(space["depths"])
        arch.append(([rng.choice(space["kernels"]) for _ in range(d)],
                     [rng.choice(space["expands"]) for _ in range(d)]))
    return arch


def augment(x, pad=2):
    """Random crop after zero padding and random horizontal flip, as BatchLoader does."""
    n, c, h, w = x.shape
    padded = F.pad(x, (pad, pad, pad, pad))
    dy = torch.randint(0, 2 * pad + 1, (n, 1), device=x.device)
    dx = torch.randint(0, 2 * pad + 1, (n, 1), device=x.device)
    rows = (dy + torch.arange(h, device=x.device)).view(n, 1, h, 1)
    cols = (dx + torch.arange(w, device=x.device)).view(n, 1, 1, w)
    x = padded.gather(2, rows.expand(n, c, h, w + 2 * pad)).gather(3, cols.expand(n, c, h, w))
    flip = torch.rand(n, 1, 1, 1, device=x.device) < 0.5
    return torch.where(flip, x.flip(3), x)


def smoothed_ce(logits, labels, eps=0.1):
    logp = F.log_softmax(logits, 1)
    nll = -logp.gather(1, labels[:, None]).squeeze(1)
    return ((1 - eps) * nll - eps * logp.mean(1)).mean()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--space", default="ofa-mbv3")
    p.add_argument("--res", type=int, default=32)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--device", default="cpu")
    p.add_argument("--channels-last", action="store_true",
                   help="run the network in channels_last, as supernet-cli does")
    p.add_argument("--bf16", action="store_true",
                   help="forward passes under bf16 autocast (supernet-cli's --precision bf16)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "resources", "spaces", a.space + ".json")) as f:
        space = json.load(f)
    dev = torch.device(a.device)
    torch.manual_seed(0)
    net = Supernet(space, a.channels, a.classes).to(dev)
    decay = [q for q in net.parameters() if q.dim() > 1]
    no_decay = [q for q in net.parameters() if q.dim() <= 1]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-5},
                           {"params": no_decay, "weight_decay": 0.0}],
                          lr=0.1, momentum=0.9, nesterov=True)
    n = a.batch * 4
    images = torch.randint(0, 256, (n, a.channels, a.res, a.res), dtype=torch.uint8, device=dev)
    labels = torch.randint(0, a.classes, (n,), device=dev)
    rng = random.Random(0)
    largest = uniform(space, max(space["depths"]), max(space["kernels"]), max(space["expands"]))
    smallest = uniform(space, min(space["depths"]), min(space["kernels"]), min(space["expands"]))

    def step(i):
        idx = torch.randperm(n, device=dev)[:a.batch]
        x = augment(images[idx].float().div_(255).sub_(0.5).div_(0.25))
        if a.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        y = labels[idx]
        opt.zero_grad()
        net.train()
        teacher = None
        last = None
        for j, arch in enumerate([largest, smallest, sample(space, rng), sample(space, rng)]):
            net.arch = arch
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.bf16):
                out = net(x)
            out = out.float()
            if j == 0:
                loss = smoothed_ce(out, y)
                teacher = F.softmax(out.detach(), 1)
            else:
                loss = (teacher * (teacher.clamp_min(1e-8).log() - F.log_softmax(out, 1))).sum(1).mean()
            loss.backward()
            last = loss.detach()
        opt.step()
        return last

    for i in range(a.warmup):
        step(i).item()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for i in range(a.steps):
        last = step(i)
    last.item()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    sec = time.perf_counter() - t0
    print(json.dumps({"impl": "pytorch-eager", "torch": torch.__version__, "space": a.space, "channels_last": a.channels_last, "bf16": a.bf16,
                      "batch": a.batch, "steps": a.steps, "threads": torch.get_num_threads(),
                      "seconds": sec, "steps_per_s": a.steps / sec,
                      "images_per_s": a.batch * a.steps / sec}, indent=2))


if __name__ == "__main__":
    main()
