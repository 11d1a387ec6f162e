// Share links: an architecture and its run settings in the URL fragment, after the route of the
// page that opens them: `#/builder&mad=v2.<base64url>`. The fragment never reaches a server, so a
// link is the whole experiment and nothing else. Links written before the route was added
// (`#mad=v1.…`) still open: the router sends a bare share parameter to the same page.
//
// The text after `mad=` starts with its format version. Encoding always writes the newest format;
// decoding keeps a decoder for every format ever released, so old links keep opening, and says
// plainly when a link comes from a newer MAD Lab. Formats:
//   v1  JSON with short keys, base64url (linkFormatV1.ts)
//   v2  v1 plus the demo scale of a task-grid or protocol run (linkFormatV2.ts)
//
// decodeShareLink throws only ShareLinkError, with one sentence for the user; it reads, and never
// writes anywhere (the library is untouched until the user saves). A link longer than any model
// within the size policy could make (MAX_SHARE_LINK_LENGTH) is refused before it is decoded.

import { decodeBase64Url, encodeBase64Url } from './base64url.ts';
import { decodeV1 } from './linkFormatV1.ts';
import { decodeV2, encodeV2 } from './linkFormatV2.ts';
import { ShareLinkError } from './shareLinkError.ts';
import { MAX_SHARE_LINK_LENGTH, textLengthProblem, validateShareState, type ShareState } from './shareState.ts';

/** The fragment parameter that carries a shared state. */
export const SHARE_PARAM = 'mad';
/** The page every share link opens on: the Builder shows the model, and fills the Runs launcher with the run. */
export const SHARE_PAGE_ID = 'builder';
/** The format encodeShareLink writes. */
export const LINK_FORMAT_VERSION = 2;

/** Every released format's decoder, by version. Never remove an entry. */
const DECODERS: Readonly<Record<number, (json: unknown) => ShareState>> = { 1: decodeV1, 2: decodeV2 };

/** `mad=v2.<data>`: the share parameter that reproduces `state`. Throws for an invalid state. */
export function encodeShareLink(state: ShareState): string {
  const problems = validateShareState(state);
  if (problems.length > 0) throw new Error(`Cannot share an invalid architecture or run: ${problems.join('; ')}.`);
  return `${SHARE_PARAM}=v${LINK_FORMAT_VERSION}.${encodeBase64Url(encodeV2(state))}`;
}

/**
 * The full link for the "copy link" buttons: the page URL (any old fragment dropped), the route of
 * the page that opens shared states, and the share parameter: `…#/builder&mad=v2.…`.
 */
export function shareUrl(pageUrl: string, state: ShareState): string {
  return `${pageUrl.split('#')[0]}#/${SHARE_PAGE_ID}&${encodeShareLink(state)}`;
}

/** Whether a URL fragment (without '#') starts with the share parameter: a link from before routes. */
export function isBareShareFragment(fragment: string): boolean {
  return fragment.startsWith(`${SHARE_PARAM}=`);
}

/**
 * The `v<N>.<data>` value of the share parameter in a full URL, a fragment (with or without '#'),
 * or the value itself; null when the text has none.
 */
export function findShareValue(text: string): string | null {
  const trimmed = text.trim();
  if (/^v\d+\./.test(trimmed)) return trimmed;
  const fragment = trimmed.includes('#') ? trimmed.slice(trimmed.indexOf('#') + 1) : trimmed;
  const prefix = `${SHARE_PARAM}=`;
  const param = fragment.split('&').find((part) => part.startsWith(prefix));
  return param === undefined ? null : param.slice(prefix.length);
}

/** Whether `text` (typically location.hash) carries a share link, valid or not. */
export function hasShareLink(text: string): boolean {
  return findShareValue(text) !== null;
}

/**
 * Whether JSON text stops part-way: it ends inside a string or with brackets still open. A link
 * cut while copying loses its tail, and v1's JSON always ends by closing its outer object.
 */
function endsPartWay(json: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return inString || depth > 0;
}

const TRUNCATED = 'This link is incomplete: its data stops part-way, so copy the whole link again.';

function decodeOrThrow(text: string): ShareState {
  const tooLong = textLengthProblem('This link', text.length, MAX_SHARE_LINK_LENGTH, 'share a smaller model');
  if (tooLong !== null) throw new ShareLinkError('invalid', tooLong);
  const value = findShareValue(text);
  if (value === null) {
    throw new ShareLinkError('not-a-link', `This is not a MAD Lab link: it has no '#${SHARE_PARAM}=v${LINK_FORMAT_VERSION}.…' part.`);
  }
  const match = /^v(0|[1-9]\d*)\.([\s\S]*)$/.exec(value);
  if (match === null) {
    throw new ShareLinkError('malformed', `This link's data must start with a format version such as 'v${LINK_FORMAT_VERSION}.'; copy the whole link again.`);
  }
  const version = Number(match[1]);
  if (version > LINK_FORMAT_VERSION) {
    throw new ShareLinkError(
      'future-version',
      `This link was made by a newer MAD Lab (format v${version}); this version reads up to v${LINK_FORMAT_VERSION}, so open it in an updated MAD Lab.`,
    );
  }
  const decoder = DECODERS[version];
  if (decoder === undefined) throw new ShareLinkError('malformed', `This link names format v${match[1]}, which no MAD Lab ever wrote.`);
  // Links wrapped across lines in mail or chat pick up whitespace that is never part of base64url.
  const decoded = decodeBase64Url(match[2]!.replace(/\s+/g, ''));
  if (!decoded.ok) {
    if (decoded.problem === 'bad-character') throw new ShareLinkError('malformed', `This link's data is damaged (${decoded.detail}); copy the whole link again.`);
    throw new ShareLinkError('truncated', TRUNCATED);
  }
  let json: unknown;
  try {
    json = JSON.parse(decoded.text);
  } catch {
    if (endsPartWay(decoded.text)) throw new ShareLinkError('truncated', TRUNCATED);
    throw new ShareLinkError('malformed', "This link's data is damaged (it is not JSON); copy the whole link again.");
  }
  const state = decoder(json);
  const problems = validateShareState(state);
  if (problems.length > 0) throw new ShareLinkError('invalid', `This link describes an invalid model or run: ${problems.join('; ')}.`);
  return state;
}

/** The state a link carries. Throws ShareLinkError (and nothing else) when it cannot be opened. */
export function decodeShareLink(text: string): ShareState {
  try {
    return decodeOrThrow(text);
  } catch (err) {
    if (err instanceof ShareLinkError) throw err;
    // A decoder bug must still reach the user as a readable message, not a crash.
    throw new ShareLinkError('malformed', `This link could not be read (${err instanceof Error ? err.message : String(err)}).`);
  }
}
