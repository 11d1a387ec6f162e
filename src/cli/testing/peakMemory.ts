// Preloaded into a CLI child process by tests (`node --import tsx --import ./src/cli/testing/peakMemory.ts`):
// at exit it writes the process's peak resident memory, in bytes, to the file MAD_PEAK_RSS_FILE
// names, so a test can bound what a refused command allocated.
import { writeFileSync } from 'node:fs';

const file = process.env.MAD_PEAK_RSS_FILE;
// resourceUsage().maxRSS is in kibibytes.
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
