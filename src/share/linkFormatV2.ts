// Share-link format v2 (MAD Lab 0.2): v1 (linkFormatV1.ts) plus the demo scale of a task-grid or
// protocol run, as one more key of the run:
//
//   r: { …v1's run…, ds?: [numTrainExamples, numTestExamples, epochs] }
//
// Everything else is v1 byte for byte, so v2 encodes and decodes through v1. A new format rather
// than a new v1 key, so that a MAD Lab that reads only v1 says the link is from a newer version
// instead of calling it damaged.
//
// Frozen like v1: links written in this format must keep opening.

import { decodeV1, encodeV1 } from './linkFormatV1.ts';
import { ShareLinkError } from './shareLinkError.ts';
import type { DemoScale, ShareState } from './shareState.ts';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The v2 JSON text of a valid state. */
export function encodeV2(state: ShareState): string {
  const compact = JSON.parse(encodeV1(state)) as Json;
  const demo = state.run?.demo;
  if (demo !== undefined) (compact.r as Json).ds = [demo.numTrainExamples, demo.numTestExamples, demo.epochs];
  return JSON.stringify(compact);
}

/**
 * The state a v2 JSON value describes; throws ShareLinkError like decodeV1. The caller validates
 * the result (the demo's numbers among it) with validateShareState.
 */
export function decodeV2(value: unknown): ShareState {
  if (!isRecord(value) || !isRecord(value.r) || value.r.ds === undefined) return decodeV1(value);
  const { ds, ...run } = value.r;
  if (!Array.isArray(ds) || ds.length !== 3) {
    throw new ShareLinkError('malformed', "This link's data is damaged (the demo scale is not three numbers); copy the whole link again.");
  }
  const state = decodeV1({ ...value, r: run });
  const [numTrainExamples, numTestExamples, epochs] = ds as unknown[];
  const demo = { numTrainExamples, numTestExamples, epochs } as DemoScale;
  return { ...state, run: { ...state.run!, demo } };
}
