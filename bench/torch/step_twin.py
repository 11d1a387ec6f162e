"""PyTorch eager twin of our training step, for `npm run bench -- step --torch` (bench/step.ts).

Written from docs/protocol.md, not from our kernels: §5.1 LanguageModel (embedding, pre-norm residual
layers with RMSNorm eps 1e-5, final RMSNorm, head Linear with bias), §4.2 mh-attention (qkv
Linear(d→3d, bias) laid out [3][heads][head_dim], GPT-NeoX rotary base 10000 over the whole head,
causal softmax, out_proj with bias), §4.3 hyena (order 2, inner 4·d, in_proj tiled 4×, depthwise
short filter k 3, implicit filter MLP with one shared Sin frequency and exponential modulation,
FFT long conv with 2T padding plus the skip weight D, out_proj), §4.1 swiglu (inner 352 at d 128,
no biases), §6 AdamW (0.9, 0.999), eps 1e-8. One step = zero grads, forward, cross-entropy, backward,
global gradient norm (our step computes one too), AdamW. Timing only: weights are not ours.

  /usr/bin/python3 bench/torch/step_twin.py --arch mA-Sg-mA-Sg,H-Sg-H-Sg --steps 5

Prints one JSON object on stdout; {"error": "no-torch", ...} when torch is missing.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as err:  # bench/step.ts tries the next python, then prints how to install torch
    print(json.dumps({'error': 'no-torch', 'message': str(err), 'python': sys.executable}))
    sys.exit(0)

NORM_EPS = 1e-5
ROTARY_BASE = 10000.0


class RMSNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + NORM_EPS) * self.weight


class SwiGLU(nn.Module):
    def __init__(self, d):
        super().__init__()
        inner = int(2 * d * 4 / 3)
        inner = 16 * ((inner + 15) // 16)  # 352 at d 128 (§4.1)
        self.w1 = nn.Linear(d, inner, bias=False)
        self.w2 = nn.Linear(d, inner, bias=False)
        self.w3 = nn.Linear(inner, d, bias=False)

    def forward(self, x):
        return self.w3(F.silu(self.w1(x)) * self.w2(x))


class MHAttention(nn.Module):
    def __init__(self, d, heads, max_len):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        half = self.hd // 2
        inv = ROTARY_BASE ** (-torch.arange(half, dtype=torch.float32) * 2 / self.hd)
        theta = torch.arange(max_len, dtype=torch.float32)[:, None] * inv[None, :]
        self.register_buffer('cos', theta.cos(), persistent=False)
        self.register_buffer('sin', theta.sin(), persistent=False)
        self.sdpa = hasattr(F, 'scaled_dot_product_attention')  # torch ≥ 2.0

    def rotary(self, x, T):  # x [B, H, T, hd], NeoX halves
        half = self.hd // 2
        a, b = x[..., :half], x[..., half:]
        c, s = self.cos[:T], self.sin[:T]
        return torch.cat([a * c - b * s, b * c + a * s], dim=-1)

    def forward(self, x):
        B, T, d = x.shape
        qkv = self.qkv(x).view(B, T, 3, self.heads, self.hd).permute(2, 0, 3, 1, 4)
        q, k, v = self.rotary(qkv[0], T), self.rotary(qkv[1], T), qkv[2]
        if self.sdpa:
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd)
            mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
            o = scores.masked_fill(mask, float('-inf')).softmax(-1) @ v
        return self.out_proj(o.transpose(1, 2).reshape(B, T, d))


class HyenaFilter(nn.Module):
    def __init__(self, width, order, max_len):
        super().__init__()
        i = torch.arange(max_len, dtype=torch.float32)
        t = i / (max_len - 1)
        w = 2 * math.pi * i / max_len
        self.z = nn.Parameter(torch.stack([t, torch.cos(1e-4 * w), -torch.sin(1e-4 * w)], dim=-1))
        self.l1, self.l2, self.l3 = nn.Linear(3, order), nn.Linear(order, order), nn.Linear(order, order)
        self.freq = nn.Parameter(torch.ones(order))  # one Sin shared by the three activations
        self.l4 = nn.Linear(order, width, bias=False)
        delta = torch.linspace(math.log(1e-2) / 1.5, math.log(1e-2) / 0.3, width)
        self.register_buffer('decay', torch.exp(-t[:, None] * delta.abs()[None, :]), persistent=False)

    def forward(self, T):
        s = lambda h: torch.sin(self.freq * h)
        h = self.l4(s(self.l3(s(self.l2(s(self.l1(self.z[:T])))))))
        return h * self.decay[:T]  # [T, width]


class Hyena(nn.Module):
    def __init__(self, d, max_len, inner_factor=4, proj_groups=4, filter_order=4, short_k=3):
        super().__init__()
        self.inner = d * inner_factor
        self.groups = proj_groups
        proj = 3 * self.inner // proj_groups  # 384: tiled proj_groups× to 3·inner
        self.in_proj = nn.Linear(d, proj)
        self.short_k = short_k
        self.short_filter = nn.Conv1d(3 * self.inner, 3 * self.inner, short_k, groups=3 * self.inner, padding=short_k - 1)
        self.filter_fn = HyenaFilter(self.inner, filter_order, max_len)
        self.D = nn.Parameter(torch.randn(self.inner))
        self.out_proj = nn.Linear(self.inner, d)

    def forward(self, x):
        B, T, _ = x.shape
        u = self.in_proj(x).repeat(1, 1, self.groups).transpose(1, 2)  # [B, 3·inner, T], channel j = u[j mod 384]
        u = self.short_filter(u)[..., :T]
        x0, x1, v = u.split(self.inner, dim=1)
        v = v * x1
        k = self.filter_fn(T).transpose(0, 1)  # [inner, T]
        n = 2 * T
        y = torch.fft.irfft(torch.fft.rfft(v, n=n) * torch.fft.rfft(k, n=n), n=n)[..., :T]
        y = y + v * self.D[:, None]
        return self.out_proj((y * x0).transpose(1, 2))


def make_layer(short, d, max_len):
    if short == 'mA':
        return MHAttention(d, 16, max_len)  # configs/layers/mh-attention.yml: 16 heads of 8
    if short == 'H':
        return Hyena(d, max_len)
    if short == 'Sg':
        return SwiGLU(d)
    raise SystemExit(f'step_twin.py: no twin for layer {short!r} (have mA, H, Sg)')


class LanguageModel(nn.Module):
    def __init__(self, layers, vocab, d, max_len):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d)
        nn.init.normal_(self.embedding.weight, std=0.02)
        self.norms = nn.ModuleList(RMSNorm(d) for _ in layers)
        self.layers = nn.ModuleList(make_layer(s, d, max_len) for s in layers)
        self.norm_f = RMSNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.embedding(ids)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x))
        return self.head(self.norm_f(x))


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize()


def time_arch(arch, args, device):
    torch.manual_seed(7)
    model = LanguageModel(arch.split('-'), args.vocab, args.dim, args.seq_len).to(device)
    params = [p for p in model.parameters()]
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=args.weight_decay)
    ids = torch.randint(0, args.vocab, (args.batch, args.seq_len), device=device)
    targets = torch.randint(0, args.vocab, (args.batch, args.seq_len), device=device)

    def step():
        opt.zero_grad()
        logits = model(ids)
        loss = F.cross_entropy(logits.reshape(-1, args.vocab), targets.reshape(-1), ignore_index=-100)
        loss.backward()
        grad_norm = torch.norm(torch.stack([p.grad.norm() for p in params]))
        opt.step()
        return loss, grad_norm

    times = []
    for i in range(args.warmup + args.steps):
        sync(device)
        start = time.perf_counter()
        loss, _ = step()
        sync(device)
        if i >= args.warmup:
            times.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(times)
    return {
        'arch': arch,
        'parameters': sum(p.numel() for p in params),
        'msPerStep': ms,
        'stepsMs': times,
        'tokensPerSecond': args.batch * args.seq_len / (ms / 1000),
        'loss': float(loss),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--arch', default='mA-Sg-mA-Sg,H-Sg-H-Sg', help='comma-separated model ids (layers mA, H, Sg)')
    ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--warmup', type=int, default=1)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--seq-len', type=int, default=128)
    ap.add_argument('--dim', type=int, default=128)
    ap.add_argument('--vocab', type=int, default=16)
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--weight-decay', type=float, default=0.0)
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--device', default='auto', help="'auto' (cuda when available), 'cpu' or 'cuda'")
    args = ap.parse_args()
    device = torch.device('cuda' if args.device == 'auto' and torch.cuda.is_available() else ('cpu' if args.device == 'auto' else args.device))
    torch.set_num_threads(args.threads)
    results = [time_arch(a, args, device) for a in args.arch.split(',') if a]
    print(json.dumps({
        'torch': torch.__version__,
        'python': sys.executable,
        'device': torch.cuda.get_device_name(0) if device.type == 'cuda' else 'cpu',
        'threads': torch.get_num_threads(),
        'attention': 'scaled_dot_product_attention' if hasattr(F, 'scaled_dot_product_attention') else 'explicit softmax(q·kᵀ)·v',
        'steps': args.steps,
        'warmup': args.warmup,
        'results': results,
    }))


if __name__ == '__main__':
    main()
