// `__CX_VERSION__` is replaced by the package's version when tsup builds dist/ (tsup.config.ts,
// `define`) and by vitest (vitest.config.ts). Run from the sources by anything else (tsx, a
// bundler pointed at src/), it is not defined: `typeof` reads that without a ReferenceError.
// A build-time constant works alike in ESM, CommonJS and a browser bundle, where reading
// package.json at run time would need `node:fs` or an import attribute.
declare const __CX_VERSION__: string | undefined;

/** The version of this package, `undefined` when run from the sources outside the build and the tests. */
export const PACKAGE_VERSION: string | undefined = typeof __CX_VERSION__ === 'string' ? __CX_VERSION__ : undefined;
