// Display order, names and counts of token roles. Colours live in styles.css (--role-* variables).
import type { TokenRole } from '../../tasks/types.ts';

const ROLE_ORDER: readonly TokenRole[] = [
  'key',
  'value',
  'noise',
  'pad',
  'insert',
  'copy',
  'blank',
  'data',
  'compress',
];

export const ROLE_LABELS: Record<TokenRole, string> = {
  key: 'key',
  value: 'value',
  noise: 'noise',
  pad: 'padding',
  insert: 'insert',
  copy: 'copy',
  blank: 'blank',
  data: 'data',
  compress: 'compress',
};

export interface RoleCount {
  role: TokenRole;
  count: number;
}

/** How many tokens of each role the sequence has, in ROLE_ORDER, roles that do not occur left out. */
export function countRoles(roles: readonly TokenRole[]): RoleCount[] {
  const counts = new Map<TokenRole, number>();
  for (const role of roles) counts.set(role, (counts.get(role) ?? 0) + 1);
  return ROLE_ORDER.filter((role) => counts.has(role)).map((role) => ({ role, count: counts.get(role) ?? 0 }));
}
