// Share links of the builder: the page route followed by the share parameter, `#/builder&mad=v1.…`,
// so the link opens this page (the router reads the part before '&') and the codec finds `mad=`.
import type { ArchitectureSpec } from '../../model/architecture.ts';
import { encodeShareLink } from '../../share/urlCodec.ts';
import { pageHref } from '../layout/useHashRoute.ts';

export const BUILDER_PAGE_ID = 'builder';

/** The full URL that opens `spec` in the builder, from the current page URL (its fragment replaced). */
export function builderLink(pageUrl: string, spec: ArchitectureSpec): string {
  return `${pageUrl.split('#')[0]}${pageHref(BUILDER_PAGE_ID)}&${encodeShareLink({ architecture: spec })}`;
}
