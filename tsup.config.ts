import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    memory: 'adapters/memory/index.ts',
    sql: 'adapters/sql/index.ts',
    testing: 'testing/index.ts',
  },
  format: ['esm', 'cjs'],
  // TypeScript 6 deprecates the baseUrl tsup's d.ts build sets (TOOLCHAIN.md).
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
