// MAD's sizes for the kernels, as the GPU check's MAD-shape checks and its benchmark use them:
// sequences of T = 128 (in-context recall's length, docs/protocol.md §1.1) at width d = 128 (§4),
// 32 sequences at a time: a quarter of MAD's 128-sequence batch (§6), so every kernel runs on
// hundreds of full tiles while the checks' f64 CPU references stay at seconds, not minutes.

export const MAD_KERNEL_SHAPE = { batch: 32, seqLen: 128, dim: 128 } as const;

/** In-context recall's vocabulary (docs/protocol.md §1.1): the logits' width of MAD's loss. */
export const MAD_VOCAB = 16;

/** Appended to the name of every check at MAD's shape, so `selftest --filter` can pick them. */
export const MAD_SHAPE_TAG = '(MAD shape)';

/**
 * Absolute tolerance of a result that sums `terms` f32 values of magnitude ≲ 1 (a parameter
 * gradient over every row of MAD's shape): rounding grows about linearly with the count (n·ε,
 * ε = 2⁻²³), past the fixed tolerances sized for the small checks' sums of ~100–1,000 terms, and
 * stays far below a skipped or doubled row, which is off by a whole term (O(0.1–1)).
 */
export function rowSumAtol(terms: number): number {
  return terms * 2 ** -23;
}
