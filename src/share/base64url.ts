// base64url (RFC 4648 §5, no padding) of UTF-8 text, written out by hand: the same code runs in
// browsers, workers and Node, and decoding says *why* a text is not base64url instead of
// silently skipping bad characters as atob-based decoders do.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE_OF = new Map([...ALPHABET].map((c, i) => [c, i]));

export function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    if (b !== undefined) out += ALPHABET[(n >> 6) & 63]!;
    if (c !== undefined) out += ALPHABET[n & 63]!;
  }
  return out;
}

/** Why a text is not base64url of UTF-8, or the decoded text. */
export type Base64UrlResult = { ok: true; text: string } | { ok: false; problem: 'bad-character' | 'bad-length' | 'not-utf8'; detail: string };

export function decodeBase64Url(encoded: string): Base64UrlResult {
  for (const [i, c] of [...encoded].entries()) {
    if (!VALUE_OF.has(c)) return { ok: false, problem: 'bad-character', detail: `character ${JSON.stringify(c)} at position ${i + 1}` };
  }
  // One leftover character carries only 6 bits, less than a byte: no encoder writes that.
  if (encoded.length % 4 === 1) return { ok: false, problem: 'bad-length', detail: `${encoded.length} characters` };
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i += 4) {
    const chunk = encoded.slice(i, i + 4);
    const n = [...chunk].reduce((acc, c, k) => acc | (VALUE_OF.get(c)! << (18 - 6 * k)), 0);
    bytes.push((n >> 16) & 255);
    if (chunk.length > 2) bytes.push((n >> 8) & 255);
    if (chunk.length > 3) bytes.push(n & 255);
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes)) };
  } catch {
    return { ok: false, problem: 'not-utf8', detail: 'the decoded bytes are not UTF-8 text' };
  }
}
