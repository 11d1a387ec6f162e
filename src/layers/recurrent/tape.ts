// A minimal f64 reverse-mode tape for the recurrent layers' CPU references (RWKV time mixers,
// linear attention): each op records its backward; backward() runs them newest first. Every
// op's backward is plain loops, and the layer references built on it are checked against
// finite differences in the layer tests.

import type { RecurrenceMode } from '../../engine/ops/chunkedRecurrence/chunkedRecurrence.ts';
import { recurrenceBackwardReference, recurrenceForwardReference, type RecurrenceDims } from '../../engine/ops/chunkedRecurrence/reference.ts';
import { groupNormB, groupNormF, linearB, linearF } from './referenceOps.ts';

export class V {
  readonly g: Float64Array;
  constructor(readonly v: Float64Array) {
    this.g = new Float64Array(v.length);
  }
}

export class Tape {
  private readonly steps: (() => void)[] = [];

  leaf(v: Float64Array): V {
    return new V(v);
  }

  private node(v: Float64Array, back: (out: V) => void): V {
    const out = new V(v);
    this.steps.push(() => back(out));
    return out;
  }

  backward(out: V, dy: Float64Array): void {
    out.g.set(dy);
    for (let i = this.steps.length - 1; i >= 0; i--) this.steps[i]!();
  }

  /** x [rows, din] · Wᵀ, W [dout, din] (PyTorch Linear), optional bias [dout]. */
  linear(x: V, w: V, din: number, dout: number, b?: V): V {
    const rows = x.v.length / din;
    return this.node(linearF(x.v, w.v, rows, din, dout, b?.v), (o) => {
      const r = linearB(x.v, w.v, o.g, rows, din, dout);
      acc(x.g, r.dx);
      acc(w.g, r.dw);
      if (b) acc(b.g, r.db);
    });
  }

  /** x [rows, din] · W, W [din, dout] (a raw matrix parameter). */
  matmul(x: V, w: V, din: number, dout: number): V {
    const rows = x.v.length / din;
    const y = new Float64Array(rows * dout);
    for (let r = 0; r < rows; r++) for (let i = 0; i < din; i++) for (let o = 0; o < dout; o++) y[r * dout + o] += x.v[r * din + i]! * w.v[i * dout + o]!;
    return this.node(y, (out) => {
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < din; i++) {
          for (let o = 0; o < dout; o++) {
            x.g[r * din + i] += out.g[r * dout + o]! * w.v[i * dout + o]!;
            w.g[i * dout + o] += out.g[r * dout + o]! * x.v[r * din + i]!;
          }
        }
      }
    });
  }

  /** Elementwise a ∘ b; b may also be a vector broadcast over a's last axis (or a scalar). */
  private binary(a: V, b: V, f: (x: number, y: number) => number, da: (x: number, y: number) => number, db: (x: number, y: number) => number): V {
    const n = b.v.length;
    if (a.v.length % n !== 0) throw new Error('tape: bad broadcast');
    const y = a.v.map((x, i) => f(x, b.v[i % n]!));
    return this.node(y, (o) => {
      for (let i = 0; i < y.length; i++) {
        const x = a.v[i]!;
        const z = b.v[i % n]!;
        a.g[i] += o.g[i]! * da(x, z);
        b.g[i % n] += o.g[i]! * db(x, z);
      }
    });
  }

  add(a: V, b: V): V {
    return this.binary(a, b, (x, y) => x + y, () => 1, () => 1);
  }
  sub(a: V, b: V): V {
    return this.binary(a, b, (x, y) => x - y, () => 1, () => -1);
  }
  mul(a: V, b: V): V {
    return this.binary(a, b, (x, y) => x * y, (_x, y) => y, (x) => x);
  }

  map(a: V, f: (x: number) => number, df: (x: number) => number): V {
    return this.node(a.v.map(f), (o) => {
      for (let i = 0; i < a.v.length; i++) a.g[i] += o.g[i]! * df(a.v[i]!);
    });
  }
  tanh(a: V): V {
    return this.map(a, Math.tanh, (x) => 1 - Math.tanh(x) ** 2);
  }
  exp(a: V): V {
    return this.map(a, Math.exp, Math.exp);
  }
  scale(a: V, s: number): V {
    return this.map(a, (x) => s * x, () => s);
  }
  silu(a: V): V {
    const sg = (x: number): number => 1 / (1 + Math.exp(-x));
    return this.map(a, (x) => x * sg(x), (x) => sg(x) * (1 + x * (1 - sg(x))));
  }

  /** x′[b, t] = x[b, t − 1], x′[b, 0] = 0, for x [B, T, D]. */
  tokenShift(x: V, T: number, D: number): V {
    const y = new Float64Array(x.v.length);
    for (let i = 0; i < y.length; i++) if (Math.floor(i / D) % T !== 0) y[i] = x.v[i - D]!;
    return this.node(y, (o) => {
      for (let i = 0; i < y.length; i++) if (Math.floor(i / D) % T !== 0) x.g[i - D] += o.g[i]!;
    });
  }

  /** Columns [start, start + size) of x [rows, W]. */
  slice(x: V, W: number, start: number, size: number): V {
    const rows = x.v.length / W;
    const y = new Float64Array(rows * size);
    for (let r = 0; r < rows; r++) for (let j = 0; j < size; j++) y[r * size + j] = x.v[r * W + start + j]!;
    return this.node(y, (o) => {
      for (let r = 0; r < rows; r++) for (let j = 0; j < size; j++) x.g[r * W + start + j] += o.g[r * size + j]!;
    });
  }

  /** GroupNorm over `groups` groups of each row of `channels`, per-channel affine. */
  groupNorm(x: V, w: V, b: V, channels: number, groups: number, eps: number): V {
    return this.node(groupNormF(x.v, w.v, b.v, channels, groups, eps), (o) => {
      const r = groupNormB(x.v, w.v, o.g, channels, groups, eps);
      acc(x.g, r.dx);
      acc(w.g, r.dw);
      acc(b.g, r.db);
    });
  }

  /** y[r, j] = num[r, j] / (den[r] + eps): linear attention's normaliser. */
  normalize(num: V, den: V, dv: number, eps: number): V {
    const y = num.v.map((v, e) => v / (den.v[Math.floor(e / dv)]! + eps));
    return this.node(y, (o) => {
      for (let e = 0; e < y.length; e++) {
        const r = Math.floor(e / dv);
        const inv = 1 / (den.v[r]! + eps);
        num.g[e] += o.g[e]! * inv;
        den.g[r] -= o.g[e]! * num.v[e]! * inv * inv;
      }
    });
  }

  /** The sequential recurrence reference (u only for 'rwkv'). */
  recurrence(mode: RecurrenceMode, dims: RecurrenceDims, q: V, k: V, v: V, lw: V | null, u: V | null, scale = 1): V {
    const zeros = (n: number): Float64Array => new Float64Array(n);
    const x = { q: q.v, k: k.v, v: v.v, lw: lw?.v ?? zeros(q.v.length), u: u?.v ?? zeros(dims.H * dims.dk) };
    return this.node(recurrenceForwardReference(mode, dims, x, scale), (o) => {
      const r = recurrenceBackwardReference(mode, dims, x, o.g, scale);
      acc(q.g, r.dq);
      acc(k.g, r.dk);
      acc(v.g, r.dv);
      if (lw) acc(lw.g, r.dlw);
      if (u) acc(u.g, r.du);
    });
  }
}

function acc(into: Float64Array, add: Float64Array): void {
  for (let i = 0; i < into.length; i++) into[i] += add[i]!;
}
