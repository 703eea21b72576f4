import { describe, expect, it } from 'vitest';
import { accountNameSchema, descriptionSchema } from '../../src/accounts/account-fields.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { nameField, proseField } from '../../src/validation/text-fields.js';
import { z } from 'zod';

const create = z.strictObject({ name: accountNameSchema, description: descriptionSchema.optional() });

/** The one issue of a refused input, or `null` when it is accepted. */
function issueOf(input: unknown): { path: string; message: string } | null {
  const result = parseInput(create, input);
  if (result.isOk()) return null;
  expect(result.error.code).toBe('validation');
  const issues = result.error.code === 'validation' ? result.error.issues : [];
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

describe('R5 R48: names show what they hold', () => {
  it('R48: format characters (Cf) are refused, naming the field and the code point', () => {
    const cases: [string, string][] = [
      ['help\u200Bdesk', 'U+200B'],
      ['soft\u00ADhyphen', 'U+00AD'],
      ['abc\u202Egpj.exe', 'U+202E'],
      ['\uFEFFhelp', 'U+FEFF'],
      ['help\uFEFF', 'U+FEFF'],
      ['in\u2066side\u2069', 'U+2066'],
      ['word\u2060joiner', 'U+2060'],
      ['non\u200Cjoiner', 'U+200C'],
      ['help\u200D', 'U+200D'],
      ['tag\u{E0041}', 'U+E0041'],
    ];
    for (const [name, codePoint] of cases) {
      expect(issueOf({ name }), JSON.stringify(name)).toEqual({
        path: 'name',
        message: `must not contain invisible format characters (${codePoint})`,
      });
    }
    expect(parseInput(create, { name: 'help\u200Bdesk' })._unsafeUnwrapErr().message).toBe(
      'name: must not contain invisible format characters (U+200B)',
    );
  });

  it('R48: line and paragraph separators inside a name are refused', () => {
    expect(issueOf({ name: 'line\u2028two' })).toEqual({ path: 'name', message: 'must not contain line or paragraph separators (U+2028)' });
    expect(issueOf({ name: 'para\u2029two' })).toEqual({ path: 'name', message: 'must not contain line or paragraph separators (U+2029)' });
  });

  it('R48: names blank to the eye are refused: fillers, white space, combining marks alone', () => {
    const blank: [string, string][] = [
      ['\u3164', 'U+3164'],
      ['\u2800\u2800', 'U+2800'],
      ['\u115F\u1160', 'U+115F, U+1160'],
      ['\uFFA0', 'U+FFA0'],
      ['\u3164 \u3164', 'U+3164, U+0020'],
      ['\u0301', 'U+0301'],
      ['\u0301\u0302\u0303\u0304', 'U+0301, U+0302, U+0303, …'],
      ['\u034F', 'U+034F'],
    ];
    for (const [name, labels] of blank) {
      expect(issueOf({ name }), JSON.stringify(name)).toEqual({ path: 'name', message: `must not be blank: it shows nothing (${labels})` });
    }
    // White space alone trims to nothing: empty, as before.
    expect(issueOf({ name: ' \u3000 ' })).toEqual({ path: 'name', message: 'must not be empty' });
  });

  it('R5 R48: visible names stay accepted, emoji joiners and tag sequences included, and come back trimmed only', () => {
    for (const name of ['Help', '상담', 'e\u0301cole', '👨‍👩‍👧‍👦 Team', '👩🏽‍💻 Dev', '🏳️‍🌈', '❤️‍🔥', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scots', 'ㅋㅋ', '⠁⠃']) {
      expect(parseInput(create, { name: `  ${name} ` })._unsafeUnwrap().name, name).toBe(name);
    }
    // A joiner outside an emoji, or tags outside a flag, is hidden text.
    expect(issueOf({ name: 'a\u200D😀' })?.message).toContain('U+200D');
    expect(issueOf({ name: '😀\u{E0067}\u{E007F}' })?.message).toContain('U+E0067');
  });

  it('R7 R48: descriptions keep line breaks, joiners and direction marks, and refuse bidirectional controls', () => {
    for (const description of ['line one\nline two', 'para\u2029two', '👨‍👩‍👧', 'עברית\u200Fabc', 'soft\u00ADhyphen', 'non\u200Cjoiner']) {
      expect(parseInput(create, { name: 'Help', description })._unsafeUnwrap().description).toBe(description);
    }
    for (const [description, codePoint] of [['price \u202E0001', 'U+202E'], ['\u2067isolate\u2069', 'U+2067'], ['\u202Aembed', 'U+202A']]) {
      expect(issueOf({ name: 'Help', description })).toEqual({
        path: 'description',
        message: `must not contain bidirectional control characters (${codePoint})`,
      });
    }
  });

  it('R19 R48: consultation messages (proseField) keep line breaks and refuse bidirectional controls', () => {
    const message = proseField(500);
    expect(message.parse('Hello!\r\nWe answer on weekdays.\u2028Thanks')).toBe('Hello!\r\nWe answer on weekdays.\u2028Thanks');
    expect(message.parse('')).toBe('');
    expect(message.safeParse('evil \u202Dtext').error?.issues[0]?.message).toBe('must not contain bidirectional control characters (U+202D)');
  });

  it('R48: other names (nameField) follow the same rules', () => {
    const productName = nameField(50);
    expect(productName.parse(' Basic ')).toBe('Basic');
    expect(productName.safeParse('Ba\u200Bsic').error?.issues[0]?.message).toBe('must not contain invisible format characters (U+200B)');
    expect(productName.safeParse('\u3164').error?.issues[0]?.message).toBe('must not be blank: it shows nothing (U+3164)');
    expect(productName.safeParse('bell\u0007').error?.issues[0]?.message).toBe('must not contain control characters (U+0007)');
  });
});
