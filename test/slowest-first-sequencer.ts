/**
 * vitest's file order for parallel runs: the slowest files first, so that at the end of the
 * run the workers finish short files together instead of one of them starting a minute-long
 * suite while the others sit idle.
 *
 * vitest orders by the durations it cached from the previous run, and without a cache (a
 * fresh clone, so every CI run) by file size, which puts small files that run large shared
 * suites (`backup-conformance-sql`, `conformance-servers`) near the end. So a file the cache
 * does not know takes its duration from {@link EXPECTED_SECONDS}; a file in neither keeps
 * vitest's own place, after these.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each of the slowest files took with four workers on the 2-core CI machine (average
 * of five runs). Only the order matters: a renamed or new file merely loses its head start.
 */
const EXPECTED_SECONDS: Readonly<Record<string, number>> = {
  'test/sql/backup-conformance-sql.test.ts': 75,
  'test/sql/connection-faults.test.ts': 73,
  'test/cli/cli.test.ts': 64,
  'test/galera/galera.test.ts': 56,
  'test/sql/concurrency.test.ts': 53,
  'test/sql/sql-store-port.test.ts': 36,
  // Measured alone (three runtimes at once), not in the average of five runs.
  'test/runtimes/runtime-matrix.test.ts': 30,
  'test/sql/migrations.test.ts': 35,
  'test/sql/conformance-servers.test.ts': 35,
  'test/sql/multi-process.test.ts': 32,
  'test/sql/kysely-0-29.test.ts': 32,
  'test/sql/sql-store-port-reads.test.ts': 26,
  'test/sql/model-equivalence.test.ts': 22,
  'test/sql/conformance-pglite.test.ts': 22,
};

export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const expectedMs = (file: TestSpecification): number => {
      const path = relative(root, file.moduleId).split('\\').join('/');
      const cached = this.ctx.cache.getFileTestResults(`${file.project.name}:${path}`)?.duration;
      return cached ?? (EXPECTED_SECONDS[path] ?? 0) * 1000;
    };
    const ordered = await super.sort(files);
    return ordered
      .map((file, place) => ({ file, place, ms: expectedMs(file) }))
      .sort((a, b) => b.ms - a.ms || a.place - b.place)
      .map(({ file }) => file);
  }
}
