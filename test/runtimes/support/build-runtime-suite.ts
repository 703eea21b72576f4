/**
 * Bundles `runtime-suite.ts` into one ES module that any runtime runs as it is (no TypeScript,
 * no vitest): `vitest` is replaced by `mini-vitest.ts`; the SQLite drivers stay out of the
 * bundle (better-sqlite3 is loaded from node_modules when it loads, the built-in ones belong to
 * the runtime). The bundle is written inside the package (node_modules/.cache) so that a bare
 * `better-sqlite3` import resolves from there in every runtime.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const RUNTIME_SUITE_DIR = here('../../../node_modules/.cache/cx-runtime-suite/');

/** Builds the bundle; answers its path. */
export async function buildRuntimeSuite(outdir = RUNTIME_SUITE_DIR): Promise<string> {
  await mkdir(outdir, { recursive: true });
  const outfile = `${outdir}runtime-suite-${process.pid}.mjs`;
  await build({
    entryPoints: [here('./runtime-suite.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'es2022',
    alias: { vitest: here('./mini-vitest.ts') },
    external: ['better-sqlite3'],
    // Bundled CommonJS packages call require() for Node built-ins: give the ES module one.
    banner: { js: "import { createRequire as __cxCreateRequire } from 'node:module'; const require = __cxCreateRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}
