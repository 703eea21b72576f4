/**
 * CSV records as RFC 4180 writes them, with the formula guard R26 asks for. Our own few lines
 * instead of csv-stringify, which reads Node's global `Buffer` when it loads and so cannot run
 * in a browser.
 *
 * @module
 */

/**
 * Starts of a cell a spreadsheet would run as a formula: `=`, `+`, `-`, `@`, tab, CR (R26), and
 * the full-width `＝`, `＋`, `－`, `＠` that Apple Numbers folds to ASCII.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Characters that make RFC 4180 quote a cell. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Whether the formula guard prefixes this cell with `'` (R26 plus the full-width forms).
 *
 * @example
 * ```ts
 * needsFormulaGuard('=SUM(A1)'); // → true
 * needsFormulaGuard('a=1');      // → false
 * ```
 */
export function needsFormulaGuard(cell: string): boolean {
  return FORMULA_START.test(cell);
}

/**
 * One cell: guarded with a leading `'` when it starts like a formula, then quoted (quotes
 * doubled) when it holds `"`, `,`, CR or LF.
 *
 * @example
 * ```ts
 * csvCell('say "hi", then =go'); // → '"say ""hi"", then =go"'
 * csvCell('=1+1');               // → "'=1+1"
 * ```
 */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/**
 * Records as CSV text: cells joined by `,`, each record ended by CRLF (the last one too).
 *
 * @example
 * ```ts
 * csvRecords([['id', 'text'], ['1', 'a,b']]); // → 'id,text\r\n1,"a,b"\r\n'
 * ```
 */
export function csvRecords(records: readonly (readonly string[])[]): string {
  let text = '';
  for (const record of records) text += `${record.map(csvCell).join(',')}\r\n`;
  return text;
}
