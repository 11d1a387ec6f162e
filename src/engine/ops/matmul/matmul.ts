// Batched matrix multiply with a fused epilogue, the workhorse of every layer:
//   C[batch] = act(op(A[batch]) · op(B[batch]) + bias)
// and linear(), the PyTorch-layout Linear layer built on it. The forward pass is one GEMM
// dispatch (bias and activation applied in its epilogue, the pre-activation Z saved when there is
// an activation). Backward: dZ = dY ∘ act'(Z) and dbias = Σ_rows dZ in one fused pass, then
// dA = dZ · op(B)ᵀ and dB = op(A)ᵀ · dZ as GEMMs that accumulate into the gradients.
//
// Four numbered GEMM kernels (shaders/matmul/gemm.wgsl, gemm_vec4.wgsl), chosen by the graph's
// kernel target (matmulVariantFor) unless a call names one:
//   'naive'          kernel1, one output per invocation: the readable baseline;
//   'register'       kernel2, barrier-free 8×8 register blocking from scalar loads, any shape;
//   'register-vec4'  kernel3, the same from 16-byte loads when M, N, K are multiples of 4 (else
//                    kernel2): fastest on SwiftShader and other CPU adapters;
//   'tiled'          kernel4, workgroup-memory tiles: the classic real-GPU kernel.

import type { KernelTarget } from '../../../config/kernelTarget.ts';
import { bind, type Graph } from '../../graph.ts';
import { MAX_WORKGROUPS_PER_DIM } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';
import { OP_IDENTITY_CODE, unaryOpCode, type UnaryOp } from '../unary/unary.ts';

/** The epilogue's activations: 'none' or a unary op (their shader codes are unary.ts's). */
export const MATMUL_ACTIVATIONS = ['none', 'gelu-tanh', 'gelu-erf', 'silu', 'sigmoid', 'softplus'] as const satisfies readonly ('none' | UnaryOp)[];
export type MatmulActivation = (typeof MATMUL_ACTIVATIONS)[number];

export const MATMUL_VARIANTS = ['naive', 'register', 'register-vec4', 'tiled'] as const;
/** Which GEMM kernel runs (see the list above and shaders/matmul/gemm.wgsl). */
export type MatmulVariant = (typeof MATMUL_VARIANTS)[number];

export interface MatmulOptions {
  /** a is [..., K, M] instead of [..., M, K]. */
  transposeA?: boolean;
  /** b is [..., N, K] instead of [..., K, N] (PyTorch's Linear weight [Dout, Din]). */
  transposeB?: boolean;
  /** [N], added before the activation. */
  bias?: Tensor;
  activation?: MatmulActivation;
  /** Overrides the graph's target's kernel (matmulVariantFor) for this call. */
  variant?: MatmulVariant;
}

function activationCode(act: MatmulActivation): number {
  // Checked here too: a string from outside the type system must not reach unaryOpCode as an op
  // the epilogue cannot run (scale needs an alpha, exp and sin are not activations).
  if (!(MATMUL_ACTIVATIONS as readonly string[]).includes(act)) throw new Error(`matmul: unknown activation ${act}`);
  return act === 'none' ? OP_IDENTITY_CODE : unaryOpCode(act);
}

// ---- kernel choice ------------------------------------------------------------------------

/** Workgroup shape per kernel: invocations in x (over N) and y (over M), outputs per invocation. */
const WORKGROUP: Record<MatmulVariant, { x: number; y: number; block: number }> = {
  naive: { x: 16, y: 16, block: 1 },
  // 8×8 invocations of 8×8 outputs; on SwiftShader the workgroup shape matters far less than
  // the block (bench/matmulVariants.ts).
  register: { x: 8, y: 8, block: 8 },
  'register-vec4': { x: 8, y: 8, block: 8 },
  // 64 × 64 output tiles, the largest the fixed tile arrays in gemm.wgsl hold (≤ 16 × 16).
  tiled: { x: 16, y: 16, block: 4 },
};

const ENTRY_POINT: Record<MatmulVariant, string> = {
  naive: 'matmul_kernel1_naive',
  register: 'matmul_kernel2_register',
  'register-vec4': 'matmul_kernel3_register_vec4',
  tiled: 'matmul_kernel4_tiled',
};

/**
 * The kernel for a target: CPU adapters (SwiftShader, llvmpipe/lavapipe, any fallback adapter)
 * run workgroups as coroutines, where barriers are expensive, so they get the barrier-free
 * register-blocked kernel (vec4 loads where shapes allow, 3–4 GFLOP/s on SwiftShader against
 * 0.5–0.9 for the tiles); real GPUs get workgroup-memory tiles.
 */
export function matmulVariantFor(target: KernelTarget): MatmulVariant {
  return target === 'gpu' ? 'tiled' : 'register-vec4';
}

// ---- placeholder bindings -----------------------------------------------------------------

// Every binding is read_write, and WebGPU rejects two writable bindings of overlapping ranges in
// one dispatch (Dawn: "Writable storage buffer binding aliasing"), so a binding a launch does not
// use (no bias, no saved Z, a B read through A) gets its own small tensor, not a neighbour's.
const placeholders = new WeakMap<Graph, Tensor[]>();

function unusedBinding(g: Graph, slot: number): Tensor {
  let list = placeholders.get(g);
  if (!list) placeholders.set(g, (list = []));
  return (list[slot] ??= g.tensor([4], 'f32', `matmul unused binding ${slot}`)); // 16 bytes: a vec4 binding's minimum
}

// ---- GEMM launches ------------------------------------------------------------------------

/** One GEMM as gemm.wgsl sees it (strides in elements). */
interface Gemm {
  a: Tensor;
  b: Tensor;
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  /** Output batches (grid z). */
  batch: number;
  aBatch: number;
  bBatch: number;
  cBatch: number;
  /** Slices summed into each output (≥ 1), with their strides. */
  red: number;
  aRed: number;
  bRed: number;
}

/** What a GEMM does with its result: the forward epilogue, or accumulation into a gradient. */
type Epilogue =
  | { kind: 'forward'; y: Tensor; z: Tensor | null; bias: Tensor | null; act: number }
  | { kind: 'accumulate'; c: Tensor };

/** The kernel that runs: 'register-vec4' needs M, N, K multiples of 4 (16-byte loads). */
function resolveVariant(p: Gemm, variant: MatmulVariant): MatmulVariant {
  if (variant === 'register-vec4' && (p.M % 4 !== 0 || p.N % 4 !== 0 || p.K % 4 !== 0)) return 'register';
  return variant;
}

/** GemmParams of shaders/matmul/gemm_common.wgsl, in declaration order. */
function gemmParams(p: Gemm): ArrayBuffer {
  // A is stored [M, K] ([K, M] transposed), B [K, N] ([N, K] transposed), row-major.
  const [aSm, aSk] = p.transA ? [1, p.M] : [p.K, 1];
  const [bSk, bSn] = p.transB ? [1, p.K] : [p.N, 1];
  return packUniform([
    ['u32', p.M],
    ['u32', p.N],
    ['u32', p.K],
    ['u32', p.aBatch],
    ['u32', p.bBatch],
    ['u32', p.cBatch],
    ['u32', p.red],
    ['u32', p.aRed],
    ['u32', p.bRed],
    ['u32', aSm],
    ['u32', aSk],
    ['u32', bSk],
    ['u32', bSn],
  ]);
}

function launchGemm(g: Graph, label: string, p: Gemm, epilogue: Epilogue, requested: MatmulVariant): void {
  const variant = resolveVariant(p, requested);
  const wg = WORKGROUP[variant];
  const x = Math.ceil(p.N / (wg.x * wg.block));
  const y = Math.ceil(p.M / (wg.y * wg.block));
  if (x > MAX_WORKGROUPS_PER_DIM || y > MAX_WORKGROUPS_PER_DIM || p.batch > MAX_WORKGROUPS_PER_DIM) {
    throw new Error(`matmul: grid ${x}×${y}×${p.batch} exceeds ${MAX_WORKGROUPS_PER_DIM} workgroups per dimension`);
  }
  const vec4 = variant === 'register-vec4';
  // Transposes are overrides only where they change the loop (the vec4 kernel); the scalar
  // kernels take strides from the uniform, so all layouts share their pipelines.
  const constants: Record<string, number> = { WG_X: wg.x, WG_Y: wg.y, B_FROM_A: Number(p.a === p.b) };
  if (vec4) Object.assign(constants, { TRANS_A: Number(p.transA), TRANS_B: Number(p.transB) });
  // The epilogue is specialised too: SwiftShader would run every branch of a runtime switch.
  if (epilogue.kind === 'forward') Object.assign(constants, { ACT: epilogue.act, HAS_BIAS: Number(epilogue.bias !== null) });
  // A B that is A itself is read through `a` (B_FROM_A): two writable bindings may not overlap.
  const operands = [bind(p.a), bind(p.a === p.b ? unusedBinding(g, 0) : p.b)];
  const file = `matmul/matmul_${epilogue.kind === 'forward' ? 'forward' : 'backward'}${vec4 ? '_vec4' : ''}.wgsl`;
  const bindings =
    epilogue.kind === 'forward'
      ? [
          ...operands,
          bind(epilogue.bias ?? unusedBinding(g, 1)),
          bind(epilogue.y),
          bind(epilogue.z ?? unusedBinding(g, 2)),
          { kind: 'uniform' as const, data: gemmParams(p) },
        ]
      : [...operands, bind(epilogue.c), { kind: 'uniform' as const, data: gemmParams(p) }];
  g.launch({ label, source: shaderSource(file), entryPoint: ENTRY_POINT[variant], constants, bindings, workgroups: [x, y, p.batch] });
}

// ---- the op -------------------------------------------------------------------------------

/**
 * Batched C = act(op(A)·op(B) + bias). a: [..., M, K] ([..., K, M] with transposeA);
 * b: [..., K, N] ([..., N, K] with transposeB) with the same leading dims as a, or 2-D and shared
 * by every batch; bias: [N]. Returns [..., M, N].
 */
export function matmul(g: Graph, a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transA = options.transposeA ?? false;
  const transB = options.transposeB ?? false;
  if (a.rank < 2) throw new Error(`matmul: a needs rank ≥ 2, got ${a}`);
  if (b.rank < 2) throw new Error(`matmul: b needs rank ≥ 2, got ${b}`);
  const lead = a.shape.slice(0, -2);
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const [M, K] = transA ? [a1, a0] : [a0, a1];
  const [Kb, N] = transB ? [b1, b0] : [b0, b1];
  if (K !== Kb) throw new Error(`matmul: inner dimensions differ: ${a}${transA ? 'ᵀ' : ''} · ${b}${transB ? 'ᵀ' : ''}`);
  const shared = b.rank === 2;
  if (!shared && (b.rank !== a.rank || b.shape.slice(0, -2).some((d, i) => d !== lead[i]))) {
    throw new Error(`matmul: b must be 2-D or have a's leading dimensions: ${a} · ${b}`);
  }
  const batch = lead.reduce((x, y) => x * y, 1);
  return matmulCore(g, a, b, { ...options, transA, transB, M, N, K, batch, shared, outShape: [...lead, M, N] });
}

/**
 * PyTorch's Linear: x [..., Din] · weightᵀ + bias with weight [Dout, Din], bias [Dout]; leading
 * dimensions are flattened into one GEMM of B·T rows. Returns [..., Dout].
 */
export function linear(
  g: Graph,
  x: Tensor,
  weight: Tensor,
  bias?: Tensor,
  activation: MatmulActivation = 'none',
  variant?: MatmulVariant,
): Tensor {
  if (weight.rank !== 2) throw new Error(`linear: weight must be [Dout, Din], got ${weight}`);
  const [dout, din] = weight.shape as [number, number];
  if (x.lastDim !== din) throw new Error(`linear: ${x} does not end in Din = ${din} of ${weight}`);
  const rows = x.size / din;
  return matmulCore(g, x, weight, {
    transA: false,
    transB: true,
    bias,
    activation,
    variant,
    M: rows,
    N: dout,
    K: din,
    batch: 1,
    shared: true,
    outShape: [...x.shape.slice(0, -1), dout],
  });
}

interface CoreSpec {
  transA: boolean;
  transB: boolean;
  bias?: Tensor;
  activation?: MatmulActivation;
  variant?: MatmulVariant;
  M: number;
  N: number;
  K: number;
  batch: number;
  /** b is one 2-D matrix used by every batch. */
  shared: boolean;
  outShape: number[];
}

function matmulCore(g: Graph, a: Tensor, b: Tensor, s: CoreSpec): Tensor {
  const { transA, transB, bias, M, N, K, batch, shared } = s;
  const activation = s.activation ?? 'none';
  const variant = s.variant ?? matmulVariantFor(g.target);
  for (const t of [a, b, bias]) if (t && t.dtype !== 'f32') throw new Error(`matmul: needs f32 tensors, got ${t}`);
  if (bias && (bias.size !== N || bias.rank !== 1)) throw new Error(`matmul: bias must be [${N}], got ${bias}`);
  // Two writable bindings of one range are invalid in a dispatch (only a === b is handled).
  if (bias && (bias === a || bias === b)) throw new Error(`matmul: the bias ${bias} cannot also be an operand`);
  const act = activationCode(activation);
  const tag = `${transA ? 'ᵀ' : ''}·${transB ? 'ᵀ' : ''}`;

  const y = g.tensor(s.outShape, 'f32', `matmul(${a.label}${tag}${b.label})`);
  const z = act === OP_IDENTITY_CODE ? null : g.tensor(s.outShape, 'f32', `matmul_pre(${a.label}${tag}${b.label})`);

  // A 2-D B with an untransposed A: the batch is just more rows of one GEMM.
  const fold = shared && !transA;
  const forward: Gemm = {
    a,
    b,
    transA,
    transB,
    M: fold ? batch * M : M,
    N,
    K,
    batch: fold ? 1 : batch,
    aBatch: M * K,
    bBatch: shared ? 0 : K * N,
    cBatch: M * N,
    red: 1,
    aRed: 0,
    bRed: 0,
  };
  launchGemm(g, `matmul forward ${a.label}${tag}${b.label}`, forward, { kind: 'forward', y, z, bias: bias ?? null, act }, variant);

  const inputs = bias ? [a, b, bias] : [a, b];
  g.apply('matmul', inputs, [y], ([dy], [da, db, dbias]) => {
    // dZ = dY ∘ act'(Z), fused with dbias = Σ_rows dZ over the same read of dY.
    let dz = dy!;
    if (z) dz = g.tensor(s.outShape, 'f32', `grad(${z.label})`);
    const needBias = dbias !== null && dbias !== undefined;
    if (z || needBias) launchDz(g, { z, dy: dy!, dz, dbias: needBias ? dbias : null, rows: batch * M, N, act });

    if (da) {
      // dA = dZ·op(B)ᵀ; stored transposed ([K, M]) when A was: dAᵀ = op(B)·dZᵀ.
      const p: Gemm = transA
        ? { a: b, b: dz, transA: transB, transB: true, M: K, N: M, K: N, batch, aBatch: shared ? 0 : K * N, bBatch: M * N, cBatch: K * M, red: 1, aRed: 0, bRed: 0 }
        : {
            a: dz,
            b,
            transA: false,
            transB: !transB,
            M: fold ? batch * M : M,
            N: K,
            K: N,
            batch: fold ? 1 : batch,
            aBatch: M * N,
            bBatch: shared ? 0 : K * N,
            cBatch: M * K,
            red: 1,
            aRed: 0,
            bRed: 0,
          };
      launchGemm(g, `matmul backward dA ${a.label}`, p, { kind: 'accumulate', c: da }, variant);
    }
    if (db) {
      // dB = op(A)ᵀ·dZ; stored transposed ([N, K]) when B was: dBᵀ = dZᵀ·op(A). A shared B sums
      // over the batch: folded into the reduction (K') when A's rows are contiguous, else as `red`.
      const sum = shared ? (fold ? { rows: batch * M, batch: 1, red: 1 } : { rows: M, batch: 1, red: batch }) : { rows: M, batch, red: 1 };
      const common = { batch: sum.batch, red: sum.red };
      const p: Gemm = transB
        ? { a: dz, b: a, transA: true, transB: transA, M: N, N: K, K: sum.rows, aBatch: M * N, bBatch: M * K, cBatch: N * K, aRed: M * N, bRed: M * K, ...common }
        : { a, b: dz, transA: !transA, transB: false, M: K, N, K: sum.rows, aBatch: M * K, bBatch: M * N, cBatch: K * N, aRed: M * K, bRed: M * N, ...common };
      launchGemm(g, `matmul backward dB ${b.label}`, p, { kind: 'accumulate', c: db }, variant);
    }
  });
  return y;
}

// ---- dZ and dbias -------------------------------------------------------------------------

const DZ_WG = { x: 32, y: 8 };
/** Rows per workgroup when no bias needs the whole column: enough work to amortise a workgroup. */
const DZ_ROWS_PER_GROUP = 256;

function launchDz(
  g: Graph,
  p: { z: Tensor | null; dy: Tensor; dz: Tensor; dbias: Tensor | null; rows: number; N: number; act: number },
): void {
  // With a bias, one workgroup column owns whole columns so the sum is deterministic.
  const rowsPerGroup = p.dbias ? p.rows : DZ_ROWS_PER_GROUP;
  const groupsY = Math.ceil(p.rows / rowsPerGroup);
  const groupsX = Math.ceil(p.N / DZ_WG.x);
  if (groupsY > MAX_WORKGROUPS_PER_DIM || groupsX > MAX_WORKGROUPS_PER_DIM) throw new Error('matmul: dZ grid too large');
  g.launch({
    label: `matmul backward dZ${p.dbias ? '+dbias' : ''}`,
    source: shaderSource('matmul/matmul_backward_dz.wgsl'),
    entryPoint: 'main',
    constants: { WG_X: DZ_WG.x, WG_Y: DZ_WG.y, ACT: p.z ? p.act : OP_IDENTITY_CODE, HAS_BIAS: Number(p.dbias !== null) },
    bindings: [
      bind(p.z ?? unusedBinding(g, 0)),
      bind(p.dy),
      bind(p.z ? p.dz : unusedBinding(g, 1)),
      bind(p.dbias ?? unusedBinding(g, 2)),
      {
        kind: 'uniform',
        data: packUniform([
          ['u32', p.rows],
          ['u32', p.N],
          ['u32', rowsPerGroup],
        ]),
      },
    ],
    workgroups: [groupsX, groupsY, 1],
  });
}
