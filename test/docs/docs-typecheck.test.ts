import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../package/packed-package.js';
import { markdownBlocks, tsdocExampleBlocks, type CodeBlock } from './code-blocks.js';

/** Where `cx-accounts` and its subpaths point for the check: the sources, so no build is needed. */
const SUBPATH_SOURCES: Record<string, string> = {
  'cx-accounts': 'src/index.ts',
  'cx-accounts/schedule': 'src/schedule-entry.ts',
  'cx-accounts/store': 'src/store-entry.ts',
  'cx-accounts/memory': 'adapters/memory/index.ts',
  'cx-accounts/sql': 'adapters/sql/index.ts',
  'cx-accounts/testing': 'testing/index.ts',
};

/** Folders whose TSDoc `@example`s are checked. */
const SOURCE_FOLDERS = ['src', 'adapters', 'testing', 'cli'];

let workDir: string | undefined;
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The ```ts blocks of README.md and guides/*.md and the TSDoc examples of the source folders. */
function docBlocks(): { blocks: CodeBlock[]; sources: string[] } {
  const markdown = ['README.md', ...readdirSync(join(packageRoot, 'guides')).filter((name) => name.endsWith('.md')).map((name) => `guides/${name}`)];
  const sources = SOURCE_FOLDERS.flatMap((folder) =>
    readdirSync(join(packageRoot, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `${folder}/${name}`),
  );
  const blocks = [...markdown.flatMap((file) => markdownBlocks(packageRoot, file)), ...sources.flatMap((file) => tsdocExampleBlocks(packageRoot, file))];
  return { blocks, sources };
}

/** Exported names of a module, read by the TypeScript checker. */
function exportedNames(program: ts.Program, file: string): string[] {
  const source = program.getSourceFile(file);
  const symbol = source && program.getTypeChecker().getSymbolAtLocation(source);
  return symbol ? program.getTypeChecker().getExportsOfModule(symbol).map((entry) => entry.name) : [];
}

/** Names a block declares or imports itself (an import of the same name would clash). */
function ownNames(code: string): Set<string> {
  const names = [...code.matchAll(/\b(?:const|let|var|function|class|type|interface)\s+([A-Za-z_$][\w$]*)/g)].map((match) => match[1]!);
  for (const [, list] of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of list!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).at(-1)?.trim();
      if (name) names.push(name);
    }
  }
  for (const [, name] of code.matchAll(/import\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from/g)) names.push(name!);
  return new Set(names);
}

/**
 * Imports for a TSDoc example: the exports of its own module, then the root's, leaving out
 * what the example declares or imports itself — what a reader of that page has in view.
 */
function autoImports(block: CodeBlock, program: ts.Program, rootNames: Set<string>, workDir: string): string[] {
  const own = ownNames(block.code);
  const moduleNames = exportedNames(program, join(packageRoot, block.file)).filter((name) => !own.has(name) && name !== 'default');
  const fromRoot = [...rootNames].filter((name) => !own.has(name) && !moduleNames.includes(name));
  const modulePath = relative(workDir, join(packageRoot, block.file)).replace(/\.ts$/, '.js');
  const lines: string[] = [];
  if (moduleNames.length > 0) lines.push(`import { ${moduleNames.join(', ')} } from '${modulePath}';`);
  if (fromRoot.length > 0) lines.push(`import { ${fromRoot.join(', ')} } from 'cx-accounts';`);
  return lines;
}

// Every ```ts block of README.md and guides/*.md and every TSDoc @example must compile
// against the real API: a renamed option or a wrong import fails here, not in a reader's
// editor. Blocks are modules of their own; `docs-prelude.d.ts` declares what they take as
// given (the host's `cx`, `myDirectory`, …). Source examples without imports see their own
// module's exports and the root's, as a reader of that page would.
describe('docs: code blocks type-check', () => {
  it('examples read Results with match / isOk / isErr, never _unsafeUnwrap (it throws what we return as values)', () => {
    const { blocks } = docBlocks();
    const programs = readdirSync(join(packageRoot, 'examples'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts') && !name.includes('dist/'));
    const offenders = [
      ...blocks.filter((block) => block.code.includes('_unsafeUnwrap')).map((block) => block.origin),
      ...programs.filter((name) => readFileSync(join(packageRoot, 'examples', name), 'utf8').includes('_unsafeUnwrap')).map((name) => `examples/${name}`),
    ];
    expect(offenders).toEqual([]);
  });


  it('README, guides and TSDoc examples compile with tsc --noEmit (one run)', () => {
    const { blocks, sources } = docBlocks();
    expect(blocks.length).toBeGreaterThan(50);

    const program = ts.createProgram([...new Set([...Object.values(SUBPATH_SOURCES), ...sources])].map((file) => join(packageRoot, file)), {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
      skipLibCheck: true,
    });
    const rootNames = new Set(exportedNames(program, join(packageRoot, SUBPATH_SOURCES['cx-accounts']!)));

    // Inside the package root, so the blocks resolve kysely, pg, … from its node_modules.
    workDir = mkdtempSync(join(packageRoot, '.docs-check-'));
    const dir = workDir;
    // Each temp file with the origin of each of its lines, to report errors where they are.
    const files: { name: string; lines: string[]; origins: string[] }[] = [];
    for (const block of blocks) {
      if (block.mode === 'skip') continue;
      const header = block.file.endsWith('.ts') ? autoImports(block, program, rootNames, dir) : [];
      const [file, first] = block.origin.split(':');
      const codeLines = block.code.split('\n');
      const origins = [...header.map(() => `${block.origin} (auto-import)`), ...codeLines.map((_, index) => `${file}:${Number(first) + index}`)];
      const previous = files.at(-1);
      if (block.mode === 'continues' && previous) {
        previous.lines.push(...header, ...codeLines);
        previous.origins.push(...origins);
      } else {
        files.push({ name: `block-${String(files.length).padStart(3, '0')}.ts`, lines: [...header, ...codeLines], origins });
      }
    }
    for (const file of files) writeFileSync(join(workDir, file.name), `${file.lines.join('\n')}\nexport {};\n`);
    const paths = Object.fromEntries(Object.entries(SUBPATH_SOURCES).map(([name, file]) => [name, [join(packageRoot, file)]]));
    const config = ts.parseJsonConfigFileContent(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2024', 'DOM', 'DOM.AsyncIterable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          paths,
        },
        include: ['*.ts', join(packageRoot, 'test/docs/docs-prelude.d.ts')],
      },
      ts.sys,
      workDir,
    );
    // Only the blocks (and the prelude) are checked: the library's own sources, which the blocks
    // reach through `paths`, are checked by `npm run typecheck` with the project's settings, and
    // checking them again here doubled this test's time.
    const check = ts.createProgram({ rootNames: config.fileNames, options: config.options });
    const checked = [...files.map((file) => join(dir, file.name)), join(packageRoot, 'test/docs/docs-prelude.d.ts')];
    const diagnostics = [
      ...check.getOptionsDiagnostics(),
      ...check.getGlobalDiagnostics(),
      ...checked.flatMap((file) => {
        const source = check.getSourceFile(file);
        return source ? [...check.getSyntacticDiagnostics(source), ...check.getSemanticDiagnostics(source)] : [];
      }),
    ];
    const output = diagnostics
      .map((diagnostic) => {
        const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
        if (!diagnostic.file || diagnostic.start === undefined) return text;
        const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
        return `${diagnostic.file.fileName}(${line + 1},${character + 1}): ${text}`;
      })
      .join('\n');
    // Report each error at its place in the docs, not in the temp file.
    const errors = output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const match = /^(?:.*[/\\])?(block-\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
        const origin = match && files.find((file) => file.name === match[1])?.origins[Number(match[2]) - 1];
        return match && origin ? `${origin}: ${match[4]}` : line;
      });
    expect(errors).toEqual([]);
  }, 240_000);
});
