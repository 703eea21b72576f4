import { readFileSync } from 'node:fs';

/** A fenced TypeScript block of the docs, with where it was found. */
export type CodeBlock = {
  /** `README.md:27` or `src/schedule/availability.ts:29`: file and first line of the code. */
  origin: string;
  /** The file it came from, relative to the package root. */
  file: string;
  code: string;
  /**
   * From a Markdown comment on the line before the fence: `<!-- docs-check: continues -->`
   * joins the block to the one before it (a tutorial's steps share their variables);
   * `<!-- docs-check: skip -->` leaves out a sketch that is not meant to compile.
   */
  mode: 'check' | 'continues' | 'skip';
  /**
   * `<!-- docs-check: postgres -->`: the block connects to PostgreSQL through the URLs in
   * `process.env` it names; the run test gives it a scratch database.
   */
  postgres: boolean;
};

const FENCE_OPEN = /^```(ts|typescript)\s*$/;
const FENCE_CLOSE = /^```\s*$/;

/** The ```ts blocks of a Markdown file. */
export function markdownBlocks(root: string, file: string): CodeBlock[] {
  const lines = readFileSync(`${root}/${file}`, 'utf8').split('\n');
  return fencedBlocks(file, lines, (line) => line).map((block) => {
    const fence = Number(block.origin.split(':')[1]) - 2;
    let before = fence - 1;
    while (before >= 0 && lines[before]!.trim() === '') before -= 1;
    const marker = /^<!--\s*docs-check:\s*(continues|skip|postgres)\b.*-->$/.exec(lines[before]?.trim() ?? '');
    const postgres = marker?.[1] === 'postgres';
    const mode = (postgres ? 'check' : (marker?.[1] as CodeBlock['mode'] | undefined)) ?? 'check';
    return { ...block, mode, postgres };
  });
}

/**
 * The ```ts blocks inside the TSDoc `@example` sections of a source file. The comment's
 * leading `*` is stripped; a section ends at the next tag or the end of the comment.
 */
export function tsdocExampleBlocks(root: string, file: string): CodeBlock[] {
  const lines = readFileSync(`${root}/${file}`, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let inExample = false;
  const exampleLines: (string | null)[] = lines.map((line) => {
    const comment = /^\s*\*(?: ?)(.*)$/.exec(line);
    if (/^\s*\/\*\*/.test(line) || /\*\/\s*$/.test(line) || !comment) {
      inExample = false;
      return null;
    }
    const text = comment[1] ?? '';
    if (/^@example\b/.test(text)) inExample = true;
    else if (/^@\w+/.test(text)) inExample = false;
    return inExample ? text : null;
  });
  blocks.push(...fencedBlocks(file, exampleLines, (line) => line));
  return blocks;
}

function fencedBlocks(file: string, lines: readonly (string | null)[], text: (line: string) => string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let start = -1;
  let body: string[] = [];
  lines.forEach((line, index) => {
    if (line === null) {
      start = -1;
      return;
    }
    if (start < 0 && FENCE_OPEN.test(line.trim())) {
      start = index + 1;
      body = [];
    } else if (start >= 0 && FENCE_CLOSE.test(line.trim())) {
      blocks.push({ origin: `${file}:${start + 1}`, file, code: body.join('\n'), mode: 'check', postgres: false });
      start = -1;
    } else if (start >= 0) {
      body.push(text(line));
    }
  });
  return blocks;
}

/** Blocks of one Markdown file joined as a reader runs them: a block and the ones that continue it. */
export type MarkdownProgram = {
  /** Origin of its first block, `README.md:64`. */
  origin: string;
  code: string;
  /** Whether one of its blocks needs PostgreSQL. */
  postgres: boolean;
};

/** The programs of a Markdown file: its blocks, those marked `continues` joined to the one before, `skip` left out. */
export function markdownPrograms(root: string, file: string): MarkdownProgram[] {
  const programs: MarkdownProgram[] = [];
  for (const block of markdownBlocks(root, file)) {
    if (block.mode === 'skip') continue;
    const previous = programs.at(-1);
    if (block.mode === 'continues' && previous) {
      previous.code += `\n${block.code}`;
      previous.postgres ||= block.postgres;
    } else {
      programs.push({ origin: block.origin, code: block.code, postgres: block.postgres });
    }
  }
  return programs;
}
