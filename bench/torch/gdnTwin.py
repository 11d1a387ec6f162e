"""A PyTorch twin of our [delta-rule mixer, swiglu] x 2 LanguageModel on in-context recall (V 16, L 32).

Written from the semantics (docs/protocol.md §4.9 delta-rule layers, §4.1 swiglu, §5.1 backbone, §6
AdamW), not from our kernels, to tell an engine bug from a setting that does not learn. It trains from
our exact initial weights, data and batch order (bench/torch/exportForTwin.ts writes them), with the
schedule of src/train/testing/learningRun.ts, and scores as it does (macro accuracy per test batch of
--batch rows, default 16, averaged over the whole test batches). Also mh-linear-attention (§4.5) and noisy recall (V 32) for the
delta-net vs linear-attention sweep (exportForTwin.ts --task noisy-recall). See bench/torch/README.md.

  /usr/bin/python3 bench/torch/gdnTwin.py check --dir /tmp/gdntwin
  /usr/bin/python3 bench/torch/gdnTwin.py train --dir /tmp/gdntwin --model gdn16x2 --seed 1 --lr 1e-2 --steps 200
  /usr/bin/python3 bench/torch/gdnTwin.py sweep --dir /tmp/gdntwin --out sweep.jsonl [--models …] [--lrs …] [--steps …] [--seeds …]
      [--batch B] [--schedule cosine|constant] [--warmup W]
"""

import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

V, L, N_TRAIN, N_TEST, B = 16, 32, 8192, 64, 16  # V, N_TRAIN, N_TEST are the data's (shape.json); B is --batch
NORM_EPS = 1e-5  # backbone RMSNorm and the mixer's output RMSNorm
L2_EPS = 1e-6  # under the root of the q, k normalisation


# ---- data and weights written by exportForTwin.ts ----

def load_data(d, seed):
    global V, N_TRAIN, N_TEST
    base = os.path.join(d, 'data', f'seed{seed}')
    shape = json.load(open(os.path.join(base, 'shape.json')))
    V = shape.get('vocab', 16)
    N_TRAIN, N_TEST = shape['train'][0], shape['test'][0]
    if N_TEST < B:
        raise ValueError(f'{N_TEST} test rows hold no batch of {B} (export with --test ≥ --batch)')
    read = lambda name, s: torch.from_numpy(np.fromfile(os.path.join(base, name), dtype=np.int32).reshape(s).astype(np.int64))
    return {
        'train': (read('train_ids.bin', shape['train']), read('train_targets.bin', shape['train'])),
        'test': (read('test_ids.bin', shape['test']), read('test_targets.bin', shape['test'])),
    }


def load_model(d, model, seed):
    index = json.load(open(os.path.join(d, 'init', f'{model}.json')))
    pool = np.fromfile(os.path.join(d, 'init', f'{model}_seed{seed}.bin'), dtype=np.float32)
    params = {p['label']: torch.tensor(pool[p['offset']:p['offset'] + p['size']].reshape(p['shape']), requires_grad=True) for p in index['params']}
    return index['architecture'], index['params'], params


# ---- the model ----

def rmsnorm(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + NORM_EPS) * w


def short_conv(x, w):
    """Depthwise causal conv: y[t, c] = sum_j w[c, j] x[t - (K-1) + j, c], x [B, T, C]."""
    K = w.shape[1]
    return F.conv1d(x.transpose(1, 2), w[:, None, :], padding=K - 1, groups=x.shape[-1])[..., :x.shape[1]].transpose(1, 2)


def delta_mixer(p, pre, x, heads, gated, gate=True):
    """S_t = a_t S_{t-1}(I - b_t k kᵀ) + b_t v kᵀ, o_t = S_t q_t; a_t = 1 without the gate."""
    Bsz, T, _ = x.shape
    stream = lambda name: F.silu(short_conv(x @ p[f'{pre}.{name}_proj.weight'].T, p[f'{pre}.{name}_conv1d.weight']))
    q, k, v = stream('q'), stream('k'), stream('v')
    dk = q.shape[-1] // heads
    dv = v.shape[-1] // heads
    q = q.view(Bsz, T, heads, dk)
    k = k.view(Bsz, T, heads, dk)
    v = v.view(Bsz, T, heads, dv)
    q = q * torch.rsqrt(q.pow(2).sum(-1, keepdim=True) + L2_EPS) * dk ** -0.5
    k = k * torch.rsqrt(k.pow(2).sum(-1, keepdim=True) + L2_EPS)
    beta = torch.sigmoid(x @ p[f'{pre}.b_proj.weight'].T)  # [B, T, H]
    if gated:
        g = -torch.exp(p[f'{pre}.A_log']) * F.softplus(x @ p[f'{pre}.a_proj.weight'].T + p[f'{pre}.dt_bias'])
        alpha = torch.exp(g)
    S = x.new_zeros(Bsz, heads, dv, dk)
    outs = []
    for t in range(T):
        kt, vt, qt, bt = k[:, t], v[:, t], q[:, t], beta[:, t, :, None, None]
        Sk = torch.einsum('bhvk,bhk->bhv', S, kt)
        S = S - bt * Sk[..., None] * kt[:, :, None, :]  # S (I - b k kᵀ)
        if gated:
            S = alpha[:, t, :, None, None] * S
        S = S + bt * vt[..., None] * kt[:, :, None, :]
        outs.append(torch.einsum('bhvk,bhk->bhv', S, qt))
    o = rmsnorm(torch.stack(outs, 1), p[f'{pre}.o_norm.weight']).reshape(Bsz, T, heads * dv)
    if gated and gate:
        o = o * F.silu(x @ p[f'{pre}.g_proj.weight'].T)
    return o @ p[f'{pre}.o_proj.weight'].T


def linear_attention(p, pre, x, heads, eps=1e-12):
    """mh-linear-attention (docs/protocol.md §4.5): φ(z) = (W_a z + b_a) ⊙ (W_b z + b_b) per head,
    y_t = Σ_{s≤t} (φq_t·φk_s) v_s / (φq_t · Σ_{s≤t} φk_s + eps), no scale; the quadratic causal form."""
    Bsz, T, _ = x.shape
    q, k, v = (x @ p[f'{pre}.proj_{n}.weight'].T for n in 'qkv')
    q, k = q.view(Bsz, T, heads, -1), k.view(Bsz, T, heads, -1)
    v = v.view(Bsz, T, heads, -1)
    phi = lambda z, m: (z @ p[f'{pre}.{m}.layer1.weight'].T + p[f'{pre}.{m}.layer1.bias']) * (z @ p[f'{pre}.{m}.layer2.weight'].T + p[f'{pre}.{m}.layer2.bias'])
    fq, fk = phi(q, 'feature_map_q'), phi(k, 'feature_map_k')
    A = torch.einsum('bthd,bshd->bhts', fq, fk) * torch.ones(T, T).tril()  # [B, H, t, s], s ≤ t
    num = torch.einsum('bhts,bshv->bthv', A, v)
    den = A.sum(-1).transpose(1, 2)[..., None]  # [B, T, H, 1] = φq_t · Σ_{s≤t} φk_s
    return (num / (den + eps)).reshape(Bsz, T, -1) @ p[f'{pre}.out_proj.weight'].T


def swiglu(p, pre, x):
    return (F.silu(x @ p[f'{pre}.w1.weight'].T) * (x @ p[f'{pre}.w2.weight'].T)) @ p[f'{pre}.w3.weight'].T


def logits_of(arch, p, ids, gate=True):
    x = p['embedding.weight'][ids]
    for i, layer in enumerate(arch['layers']):
        kind = layer['type']
        pre = f'layers.{i}.{kind}'
        h = rmsnorm(x, p[f'layers.{i}.norm.weight'])
        if kind == 'swiglu':
            x = x + swiglu(p, pre, h)
        elif kind == 'mh-linear-attention':
            x = x + linear_attention(p, pre, h, layer['config']['num_heads'])
        else:
            x = x + delta_mixer(p, pre, h, layer['config']['num_heads'], kind == 'gated-delta-net', gate)
    return rmsnorm(x, p['final_norm.weight']) @ p['head.weight'].T + p['head.bias']


def loss_of(logits, targets):
    return F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=-100)


def macro_accuracy(logits, targets):
    """torchmetrics MulticlassAccuracy(average='macro', ignore_index=-100) of one batch."""
    pred = logits.argmax(-1).reshape(-1)
    t = targets.reshape(-1)
    keep = t != -100
    pred, t = pred[keep], t[keep]
    total, classes = 0.0, 0
    for c in range(V):
        tp = int(((pred == c) & (t == c)).sum())
        n_t = int((t == c).sum())
        n_p = int((pred == c).sum())
        if tp + (n_t - tp) + (n_p - tp) == 0:
            continue
        classes += 1
        total += tp / n_t if n_t > 0 else 0.0
    return total / classes if classes else 0.0


def evaluate(arch, p, data, gate=True):
    ids, targets = data['test']
    losses, macros = [], []
    with torch.no_grad():
        for s in range(0, N_TEST - B + 1, B):  # learningRun's whole test batches
            lg = logits_of(arch, p, ids[s:s + B], gate)
            losses.append(float(loss_of(lg, targets[s:s + B])))
            macros.append(macro_accuracy(lg, targets[s:s + B]))
    return sum(losses) / len(losses), sum(macros) / len(macros)


def batch_rows(k, seed):
    """learningRun.ts's stride order: a new offset each pass, shifted by the seed."""
    pass_ = (k * B) // N_TRAIN
    offset = (seed - 1) * 13
    return [(((k * B + b) % N_TRAIN) * 37 + pass_ * 11 + offset) % N_TRAIN for b in range(B)]


def lr_at(lr, k, steps, warmup, schedule):
    """learningRun.ts's schedules: lr × (k + 1) / warmup for the first `warmup` steps, then 'constant'
    lr or 'cosine' from lr to 0.1 × lr over the other steps (warmup 0: cosine over all steps)."""
    if k < warmup:
        return lr * (k + 1) / warmup
    if schedule == 'constant':
        return lr
    return lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (k - warmup) / (steps - warmup))))


def train(d, model, seed, lr, steps, gate=True, log=False, warmup=0, schedule='cosine'):
    torch.manual_seed(seed)
    data = load_data(d, seed)
    arch, _, p = load_model(d, model, seed)
    _, untrained = evaluate(arch, p, data, gate)
    opt = torch.optim.AdamW(list(p.values()), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    eval_every = max(1, steps // 8)
    curve, losses, run = [], [], []
    start = time.time()
    ids, targets = data['train']
    for k in range(steps):
        for group in opt.param_groups:
            group['lr'] = lr_at(lr, k, steps, warmup, schedule)
        rows = torch.tensor(batch_rows(k, seed))
        loss = loss_of(logits_of(arch, p, ids[rows], gate), targets[rows])
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.append(float(loss))
        if (k + 1) % eval_every == 0 or k == steps - 1:
            curve.append(evaluate(arch, p, data, gate)[1])
            losses.append(sum(run) / len(run))
            run = []
            if log:
                print(f'  step {k + 1}: test macro {curve[-1]:.3f}, train loss {losses[-1]:.3f}', flush=True)
    return {'model': model, 'seed': seed, 'lr': lr, 'steps': steps, 'batch': B, 'warmup': warmup, 'schedule': schedule, 'train_rows': N_TRAIN, 'test_rows': N_TEST, 'gate': gate, 'untrained': untrained, 'curve': curve, 'losses': losses,
            'final': curve[-1], 'seconds': time.time() - start}


def check(d, models):
    """Our engine's untrained test loss/macro and step-0 loss and gradients against the twin's."""
    for model in models:
        ours = json.load(open(os.path.join(d, 'check', f'{model}.json')))
        grads = np.fromfile(os.path.join(d, 'check', f'{model}_grads.bin'), dtype=np.float32)
        data = load_data(d, 1)
        arch, index, p = load_model(d, model, 1)
        loss, macro = evaluate(arch, p, data)
        ids, targets = data['train']
        rows = torch.tensor(ours['step0']['rows'])
        with torch.no_grad():
            logits = logits_of(arch, p, ids[rows])
        step0 = loss_of(logits_of(arch, p, ids[rows]), targets[rows])
        step0.backward()
        worst, where, scale = 0.0, '', 0.0
        for e in index:
            g = grads[e['offset']:e['offset'] + e['size']]
            t = p[e['label']].grad.numpy().reshape(-1)
            diff = np.abs(g - t)
            scale = max(scale, float(np.abs(t).max()))
            if diff.max() > worst:
                worst, where = float(diff.max()), f"{e['label']}[{int(diff.argmax())}] (ours {g[diff.argmax()]:.6g}, twin {t[diff.argmax()]:.6g})"
        print(f"{model} ({ours['adapter']}): untrained test loss ours {ours['untrained']['loss']:.6f} twin {loss:.6f} |Δ| {abs(ours['untrained']['loss'] - loss):.1e}; "
              f"macro ours {ours['untrained']['macro']:.4f} twin {macro:.4f}; step-0 loss ours {ours['step0']['loss']:.6f} twin {float(step0):.6f} "
              f"|Δ| {abs(ours['step0']['loss'] - float(step0)):.1e}; max |Δgrad| {worst:.1e} at {where}; max |grad| {scale:.1e}; "
              f"logits range {float(logits.min()):.3f}..{float(logits.max()):.3f}")


def main():
    torch.set_num_threads(1)
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['check', 'train', 'sweep'])
    ap.add_argument('--dir', required=True)
    ap.add_argument('--model', default='gdn16x2')
    ap.add_argument('--models', nargs='+', default=['gdn16x2', 'gdn16x4', 'gdn32x4', 'dn16x2'])
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3, 4, 5])
    ap.add_argument('--lr', type=float, default=1e-2)
    ap.add_argument('--lrs', type=float, nargs='+', default=[3e-3, 1e-2, 2e-2])
    ap.add_argument('--steps', type=int, nargs='+', default=[200, 400])
    ap.add_argument('--batch', type=int, default=16, help='rows per step and per test batch (the export must hold ≥ this many test rows)')
    ap.add_argument('--warmup', type=int, default=0, help='linear warmup steps before the cosine (learningRun.ts warmup)')
    ap.add_argument('--schedule', choices=['cosine', 'constant'], default='cosine')
    ap.add_argument('--no-gate', action='store_true', help='drop the SiLU output gate (an ablation, not our layer)')
    ap.add_argument('--out')
    a = ap.parse_args()
    global B
    B = a.batch
    if a.mode == 'check':
        check(a.dir, a.models)
    elif a.mode == 'train':
        r = train(a.dir, a.model, a.seed, a.lr, a.steps[0], gate=not a.no_gate, log=True, warmup=a.warmup, schedule=a.schedule)
        print(json.dumps(r))
    else:
        out = open(a.out, 'a') if a.out else None
        for steps in a.steps:
            for model in a.models:
                for lr in a.lrs:
                    for seed in a.seeds:
                        r = train(a.dir, model, seed, lr, steps, gate=not a.no_gate, warmup=a.warmup, schedule=a.schedule)
                        line = json.dumps(r)
                        print(f"{model} lr {lr} B {B} steps {steps} warmup {a.warmup} {a.schedule} seed {seed}: untrained {r['untrained']:.3f} curve {' '.join(f'{c:.3f}' for c in r['curve'])} "
                              f"loss {' '.join(f'{l:.2f}' for l in r['losses'])} ({r['seconds']:.0f} s)", flush=True)
                        if out:
                            out.write(line + '\n')
                            out.flush()


if __name__ == '__main__':
    main()
