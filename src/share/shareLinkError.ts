// The one error a share link's decoder throws. `problem` lets the page choose how to react
// (e.g. offer an update for 'future-version'); `message` is one sentence for the user.

export type ShareLinkProblem =
  /** The text holds no `mad=` parameter. */
  | 'not-a-link'
  /** The data is not base64url, not JSON, or not the shape of its format version. */
  | 'malformed'
  /** The data stops part-way (a link cut when copied). */
  | 'truncated'
  /** Written by a newer MAD Lab in a format this build cannot read. */
  | 'future-version'
  /** Well-formed, but the architecture or run it describes is invalid. */
  | 'invalid';

export class ShareLinkError extends Error {
  override readonly name = 'ShareLinkError';
  constructor(
    readonly problem: ShareLinkProblem,
    message: string,
  ) {
    super(message);
  }
}
