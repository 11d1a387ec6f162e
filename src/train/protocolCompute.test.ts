import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../config/protocolFiles.ts';
import { PROTOCOL_NAMES } from '../config/protocols.ts';
import { makeSetting } from '../tasks/settings.ts';
import { protocolCompute, relativeCompute, runCompute } from './protocolCompute.ts';

describe('protocolCompute', () => {
  it('counts one run as docs/protocol.md §11 does', () => {
    // In-context recall baseline: 100 steps per epoch, 127 input positions per sequence.
    const run = runCompute(makeSetting('in-context-recall'), 200);
    expect(run.steps).toBe(20_000);
    expect(run.trainTokens).toBe(200 * 12_800 * 127);
    expect(run.evalTokens).toBe((200 * 1_280 + 12_800 + 1_280) * 127);
    expect(runCompute(makeSetting('memorization', { vocabSize: 256, seqLen: 32, numTrainExamples: 256 }), 200).steps).toBe(400);
  });

  it("gives the full protocol docs/protocol.md §11's totals", () => {
    const full = protocolCompute(PROTOCOLS.full);
    expect(full.runs).toBe(396);
    expect(full.steps).toBe(6 * 897_400);
    expect(full.trainTokens / 1e9).toBeCloseTo(181.5, 1); // spec: ≈ 181 G
    // Spec §11's 21.6 G counts the per-epoch test passes; ours adds one final pass over each split.
    // With 200 epochs everywhere, the final passes are trainTokens / 200 plus testPasses / 200.
    const testPasses = (full.evalTokens - full.trainTokens / 200) / (1 + 1 / 200);
    expect(testPasses / 1e9).toBeCloseTo(21.6, 1);
  });

  it("matches each profile's stated compute relative to full (3 significant digits)", () => {
    for (const name of PROTOCOL_NAMES) {
      const computed = relativeCompute(PROTOCOLS[name], PROTOCOLS.full);
      expect(PROTOCOLS[name].computeRelativeToFull, `${name}: computed ${computed}`).toBe(Number(computed.toPrecision(3)));
    }
    expect(PROTOCOLS.quick.computeRelativeToFull).toBeLessThan(0.01);
  });
});
