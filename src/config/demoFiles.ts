// The texts of configs/demos/*.yml by file name; ui/classroom/demosFile.ts parses them into demos.

import { configTexts } from './configFiles.ts';

export function demoTexts(): Record<string, string> {
  return configTexts('demos', () => import.meta.glob('../../configs/demos/*.yml', { query: '?raw', import: 'default', eager: true }));
}
