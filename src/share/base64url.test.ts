import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url.ts';

describe('base64url', () => {
  it("agrees with Node's encoder and reads its own output back, for every length mod 3 and non-ASCII text", () => {
    const texts = ['', 'a', 'ab', 'abc', 'abcd', '{"nm":"Mamba ✓ – 深度"}', '\u{1F600}?>~', 'x'.repeat(257)];
    for (const text of texts) {
      const encoded = encodeBase64Url(text);
      expect(encoded).toBe(Buffer.from(text, 'utf8').toString('base64url'));
      expect(decodeBase64Url(encoded)).toEqual({ ok: true, text });
    }
  });

  it('says why a text is not base64url of UTF-8', () => {
    expect(decodeBase64Url('ab+c')).toEqual({ ok: false, problem: 'bad-character', detail: 'character "+" at position 3' });
    expect(decodeBase64Url('abc=')).toMatchObject({ ok: false, problem: 'bad-character' });
    expect(decodeBase64Url('abcde')).toEqual({ ok: false, problem: 'bad-length', detail: '5 characters' });
    expect(decodeBase64Url(encodeBase64Url('✓').slice(0, 3))).toMatchObject({ ok: false, problem: 'not-utf8' });
  });
});
