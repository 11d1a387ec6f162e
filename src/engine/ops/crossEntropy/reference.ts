// CPU f64 reference of cross-entropy with ignored targets, argmax and the accuracy counters,
// and of its backward; plus torchmetrics' macro accuracy written straight from predictions.

const scored = (t: number, vocab: number): boolean => t >= 0 && t < vocab;

export interface CrossEntropyReference {
  loss: number;
  rowLoss: Float64Array;
  argmax: Int32Array;
  /** [3, V]: true positives, targets, predictions per class. */
  perClass: Uint32Array;
  /** [scored, correct]. */
  totals: Uint32Array;
}

function logSumExp(logits: Float64Array, row: number, vocab: number): number {
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) max = Math.max(max, logits[row * vocab + v]!);
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[row * vocab + v]! - max);
  return max + Math.log(sum);
}

export function crossEntropyForwardReference(logits: Float64Array, targets: ArrayLike<number>, vocab: number): CrossEntropyReference {
  const rows = targets.length;
  const rowLoss = new Float64Array(rows);
  const argmax = new Int32Array(rows);
  const perClass = new Uint32Array(3 * vocab);
  const totals = new Uint32Array(2);
  let sum = 0;
  for (let n = 0; n < rows; n++) {
    let best = 0;
    for (let v = 1; v < vocab; v++) if (logits[n * vocab + v]! > logits[n * vocab + best]!) best = v; // first max wins
    argmax[n] = best;
    const t = targets[n]!;
    if (!scored(t, vocab)) continue;
    rowLoss[n] = logSumExp(logits, n, vocab) - logits[n * vocab + t]!;
    sum += rowLoss[n]!;
    totals[0]! += 1;
    perClass[vocab + t]! += 1;
    perClass[2 * vocab + best]! += 1;
    if (best === t) {
      perClass[t]! += 1;
      totals[1]! += 1;
    }
  }
  return { loss: totals[0]! > 0 ? sum / totals[0]! : 0, rowLoss, argmax, perClass, totals };
}

/** dlogits = dLoss · (softmax − onehot) / n_scored on scored rows, 0 on ignored rows. */
export function crossEntropyBackwardReference(logits: Float64Array, targets: ArrayLike<number>, vocab: number, dLoss: number): Float64Array {
  const rows = targets.length;
  let n = 0;
  for (let r = 0; r < rows; r++) if (scored(targets[r]!, vocab)) n++;
  const d = new Float64Array(rows * vocab);
  if (n === 0) return d;
  for (let r = 0; r < rows; r++) {
    const t = targets[r]!;
    if (!scored(t, vocab)) continue;
    const lse = logSumExp(logits, r, vocab);
    for (let v = 0; v < vocab; v++) {
      const p = Math.exp(logits[r * vocab + v]! - lse);
      d[r * vocab + v] = (dLoss * (p - (v === t ? 1 : 0))) / n;
    }
  }
  return d;
}

/**
 * torchmetrics MulticlassAccuracy(average='macro', ignore_index=−100) from predicted classes and
 * targets, written from its definition (stat scores per class, then the weighted safe divide):
 * drop ignored positions; tp/fp/fn per class; score_c = tp/(tp+fn) (0/0 → 0); weight_c = 0 where
 * tp+fp+fn = 0, else 1; result = Σ weight·score / Σ weight (0/0 → 0).
 */
export function macroAccuracyFromPredictions(preds: ArrayLike<number>, targets: ArrayLike<number>, vocab: number): number {
  const tp = new Array<number>(vocab).fill(0);
  const fp = new Array<number>(vocab).fill(0);
  const fn = new Array<number>(vocab).fill(0);
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    if (t === -100) continue;
    const p = preds[i]!;
    if (p === t) tp[t]! += 1;
    else {
      fp[p]! += 1;
      fn[t]! += 1;
    }
  }
  let weighted = 0;
  let weights = 0;
  for (let c = 0; c < vocab; c++) {
    const score = tp[c]! + fn[c]! > 0 ? tp[c]! / (tp[c]! + fn[c]!) : 0;
    const w = tp[c]! + fp[c]! + fn[c]! === 0 ? 0 : 1;
    weighted += w * score;
    weights += w;
  }
  return weights > 0 ? weighted / weights : 0;
}
