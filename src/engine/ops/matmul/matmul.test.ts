import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { matmulChecks } from './checks.ts';
import { MATMUL_ACTIVATIONS, matmul, matmulVariantFor, type MatmulActivation, type MatmulVariant } from './matmul.ts';
import { OP_IDENTITY_CODE, unaryOpCode } from '../unary/unary.ts';
import { matmulBackwardReference, matmulForwardReference, type MatmulShape } from './reference.ts';

function shape(over: Partial<MatmulShape>): MatmulShape {
  return { batch: 2, M: 3, N: 4, K: 5, transA: false, transB: false, sharedB: false, hasBias: true, activation: 'none', ...over };
}

function referenceGradcheck(s: MatmulShape): number {
  const aSize = s.batch * s.M * s.K;
  const bSize = (s.sharedB ? 1 : s.batch) * s.K * s.N;
  const a = randomArray(aSize, 1);
  const b = randomArray(bSize, 2);
  const bias = randomArray(s.N, 3);
  const dy = randomArray(s.batch * s.M * s.N, 4);
  const ref = matmulBackwardReference(s, a, b, bias, dy);
  const result = gradcheck(
    ([xa, xb, xbias]) => matmulForwardReference(s, xa!, xb!, xbias!),
    [a, b, bias],
    dy,
    [ref.da, ref.db, ref.dbias],
    [0, 1, 2],
  );
  return result.maxAbsDiff;
}

describe('matmul', () => {

  describe('reference backward matches finite differences', () => {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      for (const sharedB of [false, true]) {
        it(`transA=${transA} transB=${transB} sharedB=${sharedB}`, () => {
          expect(referenceGradcheck(shape({ transA, transB, sharedB }))).toBeLessThan(1e-7);
        });
      }
    }
    const activations: MatmulActivation[] = ['gelu-tanh', 'gelu-erf', 'silu', 'sigmoid', 'softplus'];
    for (const activation of activations) {
      it(`activation ${activation}`, () => {
        expect(referenceGradcheck(shape({ activation, sharedB: true, transB: true }))).toBeLessThan(1e-7);
      });
    }
  });

  it('the gradcheck catches a wrong backward', () => {
    // Guard against a vacuous test: a reference with dB swapped for dA's layout must fail.
    const s = shape({ transB: true, hasBias: false });
    const a = randomArray(s.batch * s.M * s.K, 1);
    const b = randomArray(s.batch * s.N * s.K, 2);
    const dy = randomArray(s.batch * s.M * s.N, 4);
    const ref = matmulBackwardReference({ ...s, transB: false }, a, b, null, dy);
    const result = gradcheck(([xa, xb]) => matmulForwardReference(s, xa!, xb!, null), [a, b], dy, [ref.da, ref.db], [0, 1]);
    expect(result.maxAbsDiff).toBeGreaterThan(1e-2);
  });

  it('rejects mismatched shapes', () => {
    const g = new Graph('cpu');
    const a = g.input([2, 3, 4], 'f32', 'a');
    expect(() => matmul(g, a, g.input([5, 6], 'f32', 'b'))).toThrow(/inner dimensions/);
    expect(() => matmul(g, a, g.input([3, 4, 6], 'f32', 'b'))).toThrow(/leading dimensions/);
    expect(() => matmul(g, a, g.input([4, 6], 'f32', 'b'), { bias: g.input([5], 'f32', 'bias') })).toThrow(/bias/);
    expect(matmul(g, a, g.input([6, 4], 'f32', 'w'), { transposeB: true }).shape).toEqual([2, 3, 6]);
  });

  it("runs the graph's target's kernel (tiles on 'gpu', register blocks on 'cpu') unless a call names one", () => {
    const entryPoint = (target: 'gpu' | 'cpu', variant?: MatmulVariant): string => {
      const g = new Graph(target);
      matmul(g, g.input([8, 8], 'f32', 'a'), g.input([8, 8], 'f32', 'b'), { variant });
      return g.launches[0]!.entryPoint;
    };
    expect(entryPoint('gpu')).toBe('matmul_kernel4_tiled');
    expect(entryPoint('cpu')).toBe('matmul_kernel3_register_vec4');
    expect(entryPoint('gpu', 'naive')).toBe('matmul_kernel1_naive');
    expect(entryPoint('cpu', 'tiled')).toBe('matmul_kernel4_tiled');
    expect([matmulVariantFor('gpu'), matmulVariantFor('cpu')]).toEqual(['tiled', 'register-vec4']);
  });

  it("specialises the epilogue with the unary ops' shader codes, and refuses an activation it cannot run", () => {
    const act = (activation: MatmulActivation): number => {
      const g = new Graph('cpu');
      matmul(g, g.input([4, 4], 'f32', 'a'), g.input([4, 4], 'f32', 'b'), { activation });
      return g.launches[0]!.constants.ACT!;
    };
    expect(act('none')).toBe(OP_IDENTITY_CODE);
    for (const activation of MATMUL_ACTIVATIONS.filter((a) => a !== 'none')) expect(act(activation), activation).toBe(unaryOpCode(activation));
    // relu-squared is a unary op (code 9) the epilogue has no derivative for: refused, never run as identity.
    expect(() => act('relu-squared' as MatmulActivation)).toThrow(/matmul: unknown activation relu-squared/);
  });

  itPassesKernelChecks(matmulChecks);
});
