/**
 * Every bare import of the built package names a package a user's install brings: a
 * `dependency`, or a `peerDependency` (optional ones included — the entry point that needs it
 * says so). A devDependency is not installed for users: `cx-accounts/testing` importing
 * `csv-parse` while it was only a devDependency failed at its first import in a user's project.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, packageRoot } from './packed-package.js';

type Manifest = { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; devDependencies?: Record<string, string> };

/** `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`, `require('x')`, `import type … from 'x'`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\1/gm;

/** The package a specifier names (`@scope/name` or `name`), or `null` for relative paths and runtime built-ins. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return null;
  if (/^(node|bun|deno):/.test(specifier)) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? null : name;
}

/** Block comments and whole-line comments (TSDoc examples import `cx-accounts` itself). */
const COMMENT = /\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm;

/** Bare packages imported by a file's text, comments left out. */
export function importedPackages(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.replace(COMMENT, '').matchAll(SPECIFIER)) {
    const name = packageOf(match[2]!);
    if (name !== null) names.add(name);
  }
  return names;
}

/** The built files a user loads: modules and declarations, source maps left out. */
function builtFiles(): string[] {
  const dist = join(packageRoot, 'dist');
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(js|cjs|mjs|d\.ts|d\.cts)$/.test(file))
    .map((file) => join(dist, file));
}

describe('the built package imports only what a user installs', () => {
  beforeAll(ensureBuilt);

  it('finds the imports of each form (the check itself)', () => {
    const text = [
      "import { a } from 'csv-parse/sync';",
      'export { b } from "@scope/pkg/sub";',
      "import 'side-effect';",
      "const c = await import('dynamic');",
      "const d = require('required');",
      "import type { E } from 'types-only';",
      "import { f } from './local.js';",
      "import { g } from 'node:fs'; import { h } from 'fs'; import { i } from 'bun:sqlite';",
      "/** @example\n * import { j } from 'in-a-comment';\n */",
      "  // const k = require('commented-out');",
    ].join('\n');
    expect([...importedPackages(text)].sort()).toEqual(['@scope/pkg', 'csv-parse', 'dynamic', 'required', 'side-effect', 'types-only']);
  });

  it('every bare import in dist/ is a dependency or a peer dependency', () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as Manifest;
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const files = builtFiles();
    expect(files.length).toBeGreaterThan(50);
    const undeclared = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const file of files) {
      for (const name of importedPackages(readFileSync(file, 'utf8'))) {
        seen.add(name);
        if (!declared.has(name)) undeclared.set(name, [...(undeclared.get(name) ?? []), file.slice(packageRoot.length)]);
      }
    }
    expect(Object.fromEntries([...undeclared].map(([name, where]) => [name, where.slice(0, 3)]))).toEqual({});
    // The scan sees the imports it must: a runtime dependency, an optional peer, the testing kit's.
    expect([...seen]).toEqual(expect.arrayContaining(['neverthrow', 'zod', 'kysely', 'vitest', 'fast-check', 'csv-parse']));
  });
});
