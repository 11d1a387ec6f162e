// The texts of configs/presets/*.yml by file name; model/presets.ts parses them into ArchitectureSpecs.

import { configTexts } from './configFiles.ts';

export function presetTexts(): Record<string, string> {
  return configTexts('presets', () => import.meta.glob('../../configs/presets/*.yml', { query: '?raw', import: 'default', eager: true }));
}
