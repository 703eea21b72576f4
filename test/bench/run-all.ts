/**
 * `npm run bench`: runs every `*.bench.ts` in this folder, one child process each so that one
 * benchmark's heap and JIT state do not colour the next. Pass words to run only the benchmarks
 * whose file names contain one of them: `npm run bench -- schedule history`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(folder)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length}, node ${process.version}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
console.log('Shared machines are noisy: compare the ratios printed within one run, not absolute figures across runs.\n');

let failed = 0;
for (const bench of benches) {
  console.log(`━━ ${bench} ━━`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(folder, bench)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.log(`   ${bench} exited with ${run.status ?? run.signal}`);
  }
  console.log();
}
process.exitCode = failed ? 1 : 0;
