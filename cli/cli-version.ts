import { createRequire } from 'node:module';

/**
 * The version of the installed package, read from its `package.json` (through the package's
 * own name, which its `exports` map resolves from the sources and from `dist/` alike).
 *
 * @example
 * ```ts
 * console.log(`cx-accounts ${cliVersion()}`); // cx-accounts 0.1.0
 * ```
 */
export function cliVersion(): string {
  const manifest: unknown = createRequire(import.meta.url)('cx-accounts/package.json');
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
