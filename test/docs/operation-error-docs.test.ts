import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listedErrorCodes, operationErrorDocs } from '../../scripts/operation-error-docs.js';
import { OPERATION_ERROR_CODES } from '../../src/operation-errors.js';
import { packageRoot } from '../package/packed-package.js';

// Each operation's page in the API reference lists the error codes it can answer and when
// (TypeDoc renders the `@errors` block tag as an "Errors" section). The texts live in
// src/operation-error-notes.ts, whose type demands exactly the codes of OPERATION_ERROR_CODES;
// scripts/operation-error-docs.ts writes them into the TSDoc.
describe('docs: every operation lists its error codes', () => {
  it('the TSDoc of each operation lists exactly the codes its error type declares', () => {
    const listed = listedErrorCodes(packageRoot);
    const expected = Object.fromEntries(Object.entries(OPERATION_ERROR_CODES).map(([operation, codes]) => [operation, [...codes].sort()]));
    const actual = Object.fromEntries(Object.keys(OPERATION_ERROR_CODES).map((operation) => [operation, [...(listed.get(operation) ?? [])].sort()]));
    expect(actual).toEqual(expected);
  });

  it('the sources hold the sections as src/operation-error-notes.ts words them (else: npx tsx scripts/operation-error-docs.ts)', () => {
    const { files, documented } = operationErrorDocs(packageRoot);
    expect(files.filter((file) => file.current !== file.expected).map((file) => file.file)).toEqual([]);
    expect([...documented].sort()).toEqual(Object.keys(OPERATION_ERROR_CODES).sort());
  });

  it('TypeDoc knows the @errors tag (tsdoc.json), so the section renders instead of warning', () => {
    const tsdoc = JSON.parse(readFileSync(join(packageRoot, 'tsdoc.json'), 'utf8')) as { tagDefinitions: { tagName: string; syntaxKind: string }[] };
    expect(tsdoc.tagDefinitions).toContainEqual({ tagName: '@errors', syntaxKind: 'block' });
  });
});

describe('docs: the guides are TypeDoc documents', () => {
  it('typedoc.json lists every guide as a project document, each with a title and the Guides group', () => {
    const typedoc = JSON.parse(readFileSync(join(packageRoot, 'typedoc.json'), 'utf8')) as { projectDocuments: string[]; searchInDocuments: boolean };
    const guides = readdirSync(join(packageRoot, 'guides')).filter((name) => name.endsWith('.md')).map((name) => `guides/${name}`);
    expect([...typedoc.projectDocuments].sort()).toEqual(guides.sort());
    expect(typedoc.searchInDocuments).toBe(true);
    for (const guide of guides) {
      const front = /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(join(packageRoot, guide), 'utf8'))?.[1] ?? '';
      expect({ guide, title: /^title: \S/m.test(front), group: /^group: Guides$/m.test(front) }).toEqual({ guide, title: true, group: true });
    }
  });
});
