// Accuracy from the cross-entropy counters, exactly as torchmetrics
// MulticlassAccuracy(num_classes=V, average='macro', ignore_index=−100) computes it for one batch
// (docs/protocol.md §6): recall_c = TP_c / (TP_c + FN_c) with 0/0 → 0, averaged over the classes with
// TP + FP + FN > 0 (a class predicted but never a target counts as 0; a class absent from both
// targets and predictions is skipped); 0 when no class qualifies (torchmetrics' safe divide).

/** perClass: the [3, V] counters read back (TP, targets, predictions per class). */
export function macroAccuracy(perClass: ArrayLike<number>): number {
  if (perClass.length % 3 !== 0) throw new Error(`macroAccuracy: expected [3, V] counters, got ${perClass.length} values`);
  const vocab = perClass.length / 3;
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < vocab; c++) {
    const tp = perClass[c]!;
    const targets = perClass[vocab + c]!; // TP + FN
    const predictions = perClass[2 * vocab + c]!; // TP + FP
    const fn = targets - tp;
    const fp = predictions - tp;
    if (tp + fp + fn === 0) continue;
    classes += 1;
    sum += targets > 0 ? tp / targets : 0;
  }
  return classes > 0 ? sum / classes : 0;
}

/** totals: the [2] counters read back (scored, correct): plain token accuracy, 0 if none scored. */
export function microAccuracy(totals: ArrayLike<number>): number {
  const scored = totals[0]!;
  return scored > 0 ? totals[1]! / scored : 0;
}

/** torchmetrics Perplexity(ignore_index=−100) of one batch: exp of its mean NLL (the loss). */
export function perplexity(loss: number): number {
  return Math.exp(loss);
}
