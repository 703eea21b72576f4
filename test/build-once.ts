/**
 * vitest `globalSetup`: builds dist/ once, before any test file starts, when it is missing or
 * older than the sources. Test files run in parallel and several read dist/ (the package
 * tests, the Kysely 0.29 test); a build inside one of them would empty dist/ (tsup cleans it)
 * under the others' feet. So no test builds: they only read dist/, or pack it into their own
 * temp folder (`test/package/packed-package.ts`).
 */
import { buildIfStale } from './package/packed-package.js';

export default function setup(): void {
  buildIfStale();
}
