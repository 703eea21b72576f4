/**
 * Bundles `availability-page.ts` for `examples/browser-availability.html` into
 * `examples/browser/dist/` with esbuild, for browsers (`platform: 'browser'`). Run it with
 * `npm run example:browser`, then open the HTML file.
 *
 * The build fails when anything in the bundle imports a Node built-in (`node:fs`, `crypto`, …):
 * that is how this example proves the schedule functions are browser-safe.
 */
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The page script and where its bundle goes. */
export const PAGE_ENTRY = here('./availability-page.ts');
export const DEFAULT_OUTDIR = here('./dist/');

/** What {@link buildAvailabilityPage} made. */
export type PageBuild = {
  /** The bundle's path. */
  outfile: string;
  /** Its size in bytes. */
  bytes: number;
  /** Every source file in the bundle, relative to the working directory. */
  inputs: string[];
};

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]!]));

/** Whether an import names a Node built-in module (`node:fs`, `fs`, `fs/promises`, …). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!);
}

/** Refuses every import of a Node built-in, naming the importing file. */
const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) =>
      isNodeBuiltin(args.path)
        ? { errors: [{ text: `"${args.path}" is a Node built-in, imported by ${args.importer}: it cannot run in a browser` }] }
        : undefined,
    );
  },
};

/**
 * Bundles a page script (by default the availability page) as one classic script (an IIFE,
 * so the page also works when opened from a `file://` address). Rejects with esbuild's errors,
 * among them any import of a Node built-in.
 */
export async function buildAvailabilityPage(options: { entryPoint?: string; outdir?: string } = {}): Promise<PageBuild> {
  const entryPoint = options.entryPoint ?? PAGE_ENTRY;
  const outdir = options.outdir ?? DEFAULT_OUTDIR;
  const result = await build({
    entryPoints: [entryPoint],
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  });
  const [outfile, output] = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.js'))!;
  return { outfile: resolve(outfile), bytes: output.bytes, inputs: Object.keys(result.metafile.inputs) };
}

const invokedPath = process.argv[1];
if (invokedPath && resolve(invokedPath) === fileURLToPath(import.meta.url)) {
  buildAvailabilityPage().then(
    (page) => {
      console.log(`Bundled ${page.inputs.length} modules into ${page.outfile} (${(page.bytes / 1024).toFixed(1)} KiB).`);
      console.log(`Open ${here('../browser-availability.html')} in a browser.`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
