/**
 * The part of vitest's API the conformance kit calls (`describe`, `it`, hooks, `expect`), as a
 * tiny sequential runner, so the kit runs where vitest does not: Bun, Deno, newer Node
 * versions without a second install. `expect` is vitest's own (`@vitest/expect` on chai), so
 * matchers behave exactly as under vitest. The runtime suite bundles this file in place of
 * `vitest` (esbuild `alias`).
 *
 * Tests run one at a time in the order they were declared; `run()` answers the counts and the
 * failures.
 */
import { JestAsymmetricMatchers, JestChaiExpect, JestExtend } from '@vitest/expect';
import * as chai from 'chai';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

/** vitest's `expect`, from the same packages vitest builds it from. */
export const expect = chai.expect as unknown as typeof import('vitest').expect;

type Hook = () => unknown;
type Test = { name: string; fn: Hook; skip: boolean; timeout: number };
type Suite = {
  name: string;
  skip: boolean;
  children: (Suite | Test)[];
  beforeAll: Hook[];
  afterAll: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
};

const DEFAULT_TIMEOUT = 120_000;
const root: Suite = newSuite('', false);
let current = root;

function newSuite(name: string, skip: boolean): Suite {
  return { name, skip, children: [], beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
}

function declareSuite(name: string, body: () => void, skip: boolean): void {
  const suite = newSuite(name, skip);
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    body();
  } finally {
    current = parent;
  }
}

function declareTest(name: string, fn: Hook | undefined, skip: boolean, timeout?: number | { timeout?: number }): void {
  const ms = typeof timeout === 'number' ? timeout : (timeout?.timeout ?? DEFAULT_TIMEOUT);
  current.children.push({ name, fn: fn ?? (() => undefined), skip: skip || !fn, timeout: ms });
}

type DescribeFn = ((name: string, body: () => void) => void) & {
  skip(name: string, body: () => void): void;
  skipIf(condition: unknown): (name: string, body: () => void) => void;
  runIf(condition: unknown): (name: string, body: () => void) => void;
};
type TestFn = ((name: string, fn?: Hook, timeout?: number | { timeout?: number }) => void) & {
  skip(name: string, fn?: Hook, timeout?: number): void;
  skipIf(condition: unknown): (name: string, fn?: Hook, timeout?: number) => void;
  runIf(condition: unknown): (name: string, fn?: Hook, timeout?: number) => void;
};

export const describe: DescribeFn = Object.assign((name: string, body: () => void) => declareSuite(name, body, false), {
  skip: (name: string, body: () => void) => declareSuite(name, body, true),
  skipIf: (condition: unknown) => (name: string, body: () => void) => declareSuite(name, body, Boolean(condition)),
  runIf: (condition: unknown) => (name: string, body: () => void) => declareSuite(name, body, !condition),
});

export const it: TestFn = Object.assign(
  (name: string, fn?: Hook, timeout?: number | { timeout?: number }) => declareTest(name, fn, false, timeout),
  {
    skip: (name: string, fn?: Hook, timeout?: number) => declareTest(name, fn, true, timeout),
    skipIf: (condition: unknown) => (name: string, fn?: Hook, timeout?: number) => declareTest(name, fn, Boolean(condition), timeout),
    runIf: (condition: unknown) => (name: string, fn?: Hook, timeout?: number) => declareTest(name, fn, !condition, timeout),
  },
);
export const test = it;

export const beforeAll = (fn: Hook) => void current.beforeAll.push(fn);
export const afterAll = (fn: Hook) => void current.afterAll.push(fn);
export const beforeEach = (fn: Hook) => void current.beforeEach.push(fn);
export const afterEach = (fn: Hook) => void current.afterEach.push(fn);

/** What a run did. */
export type RunReport = { passed: number; failed: number; skipped: number; failures: { name: string; error: string }[] };

async function withTimeout(fn: Hook, ms: number, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([Promise.resolve().then(fn), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.message}\n${error.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`;
  return String(error);
}

/** Runs every test declared so far; prints one line per test when `log` is given. */
export async function run(log: (line: string) => void = () => undefined): Promise<RunReport> {
  const report: RunReport = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const visit = async (suite: Suite, path: string[], eachBefore: Hook[], eachAfter: Hook[], skipped: boolean): Promise<void> => {
    const skip = skipped || suite.skip;
    const before = [...eachBefore, ...suite.beforeEach];
    const after = [...suite.afterEach, ...eachAfter];
    let setupFailed: unknown = null;
    if (!skip) {
      try {
        for (const hook of suite.beforeAll) await withTimeout(hook, DEFAULT_TIMEOUT, 'beforeAll');
      } catch (error) {
        setupFailed = error;
      }
    }
    for (const child of suite.children) {
      const names = suite.name ? [...path, suite.name] : path;
      if ('children' in child) {
        await visit(child, names, before, after, skip);
        continue;
      }
      const name = [...names, child.name].join(' > ');
      if (skip || child.skip) {
        report.skipped += 1;
        continue;
      }
      try {
        if (setupFailed) throw setupFailed;
        try {
          for (const hook of before) await withTimeout(hook, DEFAULT_TIMEOUT, 'beforeEach');
          await withTimeout(child.fn, child.timeout, 'test');
        } finally {
          for (const hook of after) await withTimeout(hook, DEFAULT_TIMEOUT, 'afterEach');
        }
        report.passed += 1;
        log(`ok ${name}`);
      } catch (error) {
        report.failed += 1;
        report.failures.push({ name, error: describeError(error) });
        log(`not ok ${name}\n  ${describeError(error).replaceAll('\n', '\n  ')}`);
      }
    }
    if (!skip) {
      for (const hook of suite.afterAll) {
        try {
          await withTimeout(hook, DEFAULT_TIMEOUT, 'afterAll');
        } catch (error) {
          report.failed += 1;
          report.failures.push({ name: [...path, suite.name, 'afterAll'].join(' > '), error: describeError(error) });
        }
      }
    }
  };
  await visit(root, [], [], [], false);
  return report;
}
