import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The package's version, written into the build where `src/telemetry/package-version.ts` reads
// `__CX_VERSION__` (the tracer's version): a constant works alike in ESM, CommonJS and a
// browser bundle of dist/, with no package.json read at run time.
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __CX_VERSION__: JSON.stringify(version) };

/** The public entry points: subpath name → source file. */
const entries = {
  index: 'src/index.ts',
  schedule: 'src/schedule-entry.ts',
  store: 'src/store-entry.ts',
  memory: 'adapters/memory/index.ts',
  sql: 'adapters/sql/index.ts',
  testing: 'testing/index.ts',
};

// TypeScript 6 deprecates the baseUrl tsup's d.ts build sets (TOOLCHAIN.md).
const dtsCompilerOptions = { ignoreDeprecations: '6.0' };

export default defineConfig([
  {
    // ESM, one output file per source module and nothing bundled: an app's bundler then keeps
    // only the modules its imports reach (with `"sideEffects": false`), so `availability` does
    // not bring zod, the QR encoder or the operations along. Imports already name `./x.js`,
    // which is what each output file is called.
    entry: ['src/**/*.ts', 'adapters/**/*.ts', 'testing/**/*.ts', 'cli/**/*.ts'],
    outDir: 'dist/esm',
    format: ['esm'],
    bundle: false,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    define,
  },
  {
    // CommonJS for the `require` condition, bundled per entry point (a require() loads what it
    // loads; tree-shaking is an ESM concern).
    entry: entries,
    outDir: 'dist',
    format: ['cjs'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    define,
    splitting: true,
    treeshake: true,
  },
  {
    // Declarations, bundled per entry point: `.d.ts` for `import`, `.d.cts` for `require`.
    entry: entries,
    outDir: 'dist',
    format: ['esm', 'cjs'],
    dts: { only: true, compilerOptions: dtsCompilerOptions },
    clean: false,
  },
]);
