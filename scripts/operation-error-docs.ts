/**
 * Writes the "Errors" section (`@errors`) of each operation's TSDoc from
 * `src/operation-error-notes.ts`: `npx tsx scripts/operation-error-docs.ts`. The section lists
 * every code the operation can answer and when; TypeDoc shows it on the operation's page
 * (`tsdoc.json` declares the tag). `test/docs/operation-error-docs.test.ts` fails when a source
 * file differs from what this would write.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { OPERATION_ERROR_NOTES } from '../src/operation-error-notes.js';

const TAG = '@errors';
const WIDTH = 100;

/** One source file as it is and as it should be. */
export type ErrorDocFile = { file: string; current: string; expected: string };

/** What the rewrite found: the files, and the operations whose TSDoc carries the section. */
export type ErrorDocs = { files: ErrorDocFile[]; documented: string[] };

/** The lines of an operation's section: the tag, then one list item per code, wrapped. */
export function errorSection(notes: Readonly<Record<string, string>>, width: number): string[] {
  const lines = [TAG];
  // Codes with the same text (the three every operation can answer) make one item.
  const items: { codes: string[]; when: string }[] = [];
  for (const [code, when] of Object.entries(notes)) {
    const last = items.at(-1);
    if (last && last.when === when) last.codes.push(code);
    else items.push({ codes: [code], when });
  }
  for (const { codes, when } of items) lines.push(...wrap(`- ${codes.map((code) => `\`${code}\``).join(', ')}: ${when}`, width, '  '));
  return lines;
}

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The text lines of a `/** … *\/` comment, without the comment's own marks. */
function commentLines(comment: string): string[] {
  const body = comment.replace(/^\/\*\*/, '').replace(/\*\/$/, '');
  const lines = body.split('\n').map((line, index) => (index === 0 ? line.trim() : (/^\s*\* ?(.*)$/.exec(line)?.[1] ?? line.trim()).trimEnd()));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** The lines without an `@errors` section (from the tag to the next tag or the end). */
function withoutSection(lines: string[]): string[] {
  const start = lines.findIndex((line) => line.trim() === TAG);
  if (start < 0) return lines;
  let end = start + 1;
  while (end < lines.length && !/^@\w+/.test(lines[end]!)) end += 1;
  const kept = [...lines.slice(0, start), ...lines.slice(end)];
  while (kept.length > 0 && kept.at(-1) === '') kept.pop();
  return kept;
}

function render(lines: string[], indent: string): string {
  return ['/**', ...lines.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`].join('\n');
}

/** Every `.ts` file under `folder`, relative to `root`. */
function sourceFiles(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${folder}/${name}`)
    .sort();
}

/** Each source file of `src/` with its operations' sections as the notes say. */
export function operationErrorDocs(root: string): ErrorDocs {
  const notes: Readonly<Record<string, Readonly<Record<string, string>>>> = OPERATION_ERROR_NOTES;
  const documented: string[] = [];
  const files: ErrorDocFile[] = [];
  for (const file of sourceFiles(root, 'src')) {
    const current = readFileSync(join(root, file), 'utf8');
    const source = ts.createSourceFile(file, current, ts.ScriptTarget.Latest, true);
    const edits: { start: number; end: number; text: string }[] = [];
    const visit = (node: ts.Node, seen: Set<string>) => {
      if (ts.isTypeLiteralNode(node) || ts.isInterfaceDeclaration(node)) {
        // Overloads: the section goes on the first signature of an operation only.
        const inType = new Set<string>();
        for (const member of node.members) visitMember(member, inType);
        node.forEachChild((child) => visit(child, seen));
        return;
      }
      node.forEachChild((child) => visit(child, seen));
    };
    const visitMember = (member: ts.TypeElement, inType: Set<string>) => {
      if (!ts.isMethodSignature(member) || !member.type) return;
      const operation = /OperationError<'([\w.]+)'>/.exec(member.type.getText(source))?.[1];
      if (!operation) return;
      const first = !inType.has(operation);
      inType.add(operation);
      const ranges = ts.getLeadingCommentRanges(current, member.getFullStart()) ?? [];
      const range = [...ranges].reverse().find((candidate) => current.startsWith('/**', candidate.pos));
      const lineStart = current.lastIndexOf('\n', member.getStart(source)) + 1;
      const indent = current.slice(lineStart, member.getStart(source));
      const existing = range ? commentLines(current.slice(range.pos, range.end)) : [];
      let lines = withoutSection(existing);
      if (first) {
        const operationNotes = notes[operation];
        if (!operationNotes) throw new Error(`${file}: ${operation} has no notes in src/operation-error-notes.ts`);
        documented.push(operation);
        lines = [...lines, ...(lines.length > 0 ? [''] : []), ...errorSection(operationNotes, WIDTH - indent.length - 3)];
      }
      if (lines.length === existing.length && lines.every((line, index) => line === existing[index]) && range) {
        // Unchanged: keep the comment exactly as written (a one-line comment stays one line).
        return;
      }
      const text = lines.length === 0 ? '' : render(lines, indent);
      if (range) edits.push({ start: range.pos, end: range.end, text });
      else edits.push({ start: member.getStart(source), end: member.getStart(source), text: `${text}\n${indent}` });
    };
    visit(source, new Set());
    let expected = current;
    for (const edit of edits.sort((a, b) => b.start - a.start)) expected = expected.slice(0, edit.start) + edit.text + expected.slice(edit.end);
    files.push({ file, current, expected });
  }
  return { files, documented };
}

/**
 * The codes each operation's TSDoc lists in its `@errors` section, read from the sources as
 * they are (the first signature of an operation; a signature without the section lists none).
 */
export function listedErrorCodes(root: string): Map<string, string[]> {
  const listed = new Map<string, string[]>();
  for (const file of sourceFiles(root, 'src')) {
    const text = readFileSync(join(root, file), 'utf8');
    if (!text.includes('OperationError<')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isMethodSignature(node) && node.type) {
        const operation = /OperationError<'([\w.]+)'>/.exec(node.type.getText(source))?.[1];
        if (operation && !listed.has(operation)) {
          const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
          const range = [...ranges].reverse().find((candidate) => text.startsWith('/**', candidate.pos));
          const lines = range ? commentLines(text.slice(range.pos, range.end)) : [];
          const start = lines.findIndex((line) => line.trim() === TAG);
          const codes: string[] = [];
          for (let index = start + 1; start >= 0 && index < lines.length && !/^@\w+/.test(lines[index]!); index++) {
            const item = /^- ((?:`[a-z_]+`(?:, )?)+):/.exec(lines[index]!);
            if (item) codes.push(...[...item[1]!.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!));
          }
          listed.set(operation, codes);
        }
      }
      node.forEachChild(visit);
    };
    visit(source);
  }
  return listed;
}

const invoked = process.argv[1];
if (invoked && resolve(invoked) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { files, documented } = operationErrorDocs(root);
  for (const { file, current, expected } of files) {
    if (current === expected) continue;
    writeFileSync(join(root, file), expected);
    console.log(`wrote ${file}`);
  }
  const missing = Object.keys(OPERATION_ERROR_NOTES).filter((operation) => !documented.includes(operation));
  if (missing.length > 0) {
    console.error(`no signature found for: ${missing.join(', ')}`);
    process.exitCode = 1;
  }
}
