// What a model predicts for one instance, from its logits: the most likely token at every position
// (ties go to the lower id, as torch.argmax does) and the softmax probability of that token. Pure,
// so the page-side tests and the worker share it.

/** A finished run's predictions for one instance: plain data, it crosses postMessage. */
export interface RunPrediction {
  /** [T]: the argmax token id at each position. */
  predictions: Int32Array;
  /** [T]: the softmax probability of the predicted token. */
  probabilities: Float32Array;
}

/** logits: row-major [T, V] (one instance). */
export function predictFromLogits(logits: Float32Array, vocabSize: number): RunPrediction {
  if (!Number.isInteger(vocabSize) || vocabSize < 1 || logits.length % vocabSize !== 0) {
    throw new Error(`logits of ${logits.length} values do not split into rows of ${vocabSize} tokens`);
  }
  const positions = logits.length / vocabSize;
  const predictions = new Int32Array(positions);
  const probabilities = new Float32Array(positions);
  for (let t = 0; t < positions; t++) {
    const row = t * vocabSize;
    let best = 0;
    for (let v = 1; v < vocabSize; v++) if (logits[row + v]! > logits[row + best]!) best = v;
    const top = logits[row + best]!;
    let denominator = 0;
    for (let v = 0; v < vocabSize; v++) denominator += Math.exp(logits[row + v]! - top);
    predictions[t] = best;
    probabilities[t] = 1 / denominator;
  }
  return { predictions, probabilities };
}
