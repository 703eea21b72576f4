/**
 * The page shell and the small pieces every screen uses: fields with their help text and their
 * errors, tables, and the mapping of a `CxError` to the fields it is about.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { formatCxError, type CxError } from '../../src/index.js';
import type { Language, Texts } from './texts.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What every page needs to draw its frame. */
export type PageContext = {
  texts: Texts;
  language: Language;
  csrfToken: string;
  /** The signed-in admin's name; `null` on the sign-in page. */
  adminName: string | null;
  /** The path of this page, for the language switch. */
  path: string;
};

const STYLE = `
body{font-family:system-ui,'Noto Sans KR',sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
header a,header button{color:#fff}header nav{display:flex;gap:1rem;flex:1}
header form{display:inline}header button{background:none;border:1px solid #fff8;border-radius:4px;padding:.2rem .6rem;cursor:pointer}
main{padding:1.2rem;max-width:72rem}
table{border-collapse:collapse;background:#fff;margin:.6rem 0}th,td{border:1px solid #d5d9e0;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#eef1f5}.field{margin:.7rem 0}.field label{display:block;font-weight:600}
.help{color:#5b6474;font-size:.85rem;margin:.15rem 0}.error{color:#b3261e;font-size:.9rem;margin:.15rem 0}
.notice{background:#e6f4ea;border:1px solid #9ad0a8;padding:.5rem .8rem}.alert{background:#fdecea;border:1px solid #f1a9a3;padding:.5rem .8rem}
input[type=text],input[type=date],textarea,select{font:inherit;padding:.25rem;min-width:18rem}textarea{min-height:3.5rem}
button{font:inherit}.status{font-weight:600}fieldset{background:#fff;border:1px solid #d5d9e0;margin:.8rem 0}
img.qr{width:96px;height:96px}img.preview{max-width:160px;max-height:160px;display:block;margin:.3rem 0}
`;

/** A whole page: header with navigation, language switch and sign-out, then the screen. */
export function page(context: PageContext, title: string, body: Html): Html {
  const { texts } = context;
  const other = context.language === 'ko' ? 'en' : 'ko';
  const separator = context.path.includes('?') ? '&' : '?';
  return html`<!doctype html>
<html lang="${texts.htmlLang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · ${texts.appTitle}</title><style>${raw(STYLE)}</style></head>
<body>
<header>
  <strong>${texts.appTitle}</strong>
  ${context.adminName === null
    ? ''
    : html`<nav aria-label="${texts.appTitle}">
    <a href="/products">${texts.nav.products}</a>
    <a href="/accounts">${texts.nav.accounts}</a>
    <a href="/accounts/new">${texts.nav.newAccount}</a>
    <a href="/backups">${texts.nav.backups}</a>
    <a href="/audit">${texts.nav.audit}</a>
  </nav>`}
  <a href="${context.path}${separator}lang=${other}" lang="${other}">${texts.switchLanguage}</a>
  ${context.adminName === null
    ? ''
    : html`<span>${texts.signedInAs(context.adminName)}</span>
  <form method="post" action="/sign-out">${csrfField(context)}<button type="submit">${texts.signOut}</button></form>`}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** The hidden CSRF field every form carries. */
export function csrfField(context: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${context.csrfToken}">`;
}

/** Field errors by field name, and the errors that belong to no field. */
export type FormErrors = { fields: Map<string, string[]>; general: string[] };

export const NO_ERRORS: FormErrors = { fields: new Map(), general: [] };

/**
 * Sorts an error's messages to the fields they are about: a validation issue by the first
 * segment of its `path` (`image.data` → `image`), a rule error by the field whose rule it is.
 * Every text is written by `formatCxError` in the page's language.
 */
export function formErrors(
  error: CxError,
  language: Language,
  ruleFields: Partial<Record<CxError['code'], string>> = {},
  fieldOf: (path: string) => string = (path) => path.split('.')[0] ?? path,
): FormErrors {
  const fields = new Map<string, string[]>();
  const general: string[] = [];
  const add = (field: string | undefined, message: string) => {
    if (field === undefined) general.push(message);
    else fields.set(field, [...(fields.get(field) ?? []), message]);
  };
  if (error.code === 'validation') {
    for (const issue of error.issues) {
      add(fieldOf(issue.path), formatCxError({ code: 'validation', message: issue.message, issues: [issue] }, language));
    }
  } else if (error.code === 'not_found' && error.entity === 'member') {
    add(ruleFields.not_found ?? 'agentIds', formatCxError(error, language));
  } else {
    add(ruleFields[error.code], formatCxError(error, language));
  }
  return { fields, general };
}

/** A labelled field with its help text and errors; `control` gets `id` and `aria-describedby`. */
export function field(
  name: string,
  label: string,
  errors: FormErrors,
  control: (attributes: Html) => Html,
  help?: string,
): Html {
  const messages = errors.fields.get(name) ?? [];
  const described = [help ? `${name}-help` : '', messages.length > 0 ? `${name}-error` : ''].filter(Boolean).join(' ');
  const attributes = html`id="${name}" name="${name}"${described ? html` aria-describedby="${described}"` : ''}${messages.length > 0 ? raw(' aria-invalid="true"') : ''}`;
  return html`<div class="field">
  <label for="${name}">${label}</label>
  ${help ? html`<p class="help" id="${name}-help">${help}</p>` : ''}
  ${control(attributes)}
  ${messages.length > 0 ? html`<p class="error" id="${name}-error" role="alert">${messages.join(' ')}</p>` : ''}
</div>`;
}

/** The messages that belong to no field, above the form. */
export function generalErrors(errors: FormErrors, lead?: string): Html {
  if (errors.general.length === 0 && (errors.fields.size === 0 || lead === undefined)) return html``;
  return html`<div class="alert" role="alert">${lead && errors.fields.size > 0 ? html`<p>${lead}</p>` : ''}${errors.general.map((message) => html`<p>${message}</p>`)}</div>`;
}

export function notice(message: string | undefined): Html {
  return message ? html`<p class="notice" role="status">${message}</p>` : html``;
}

/** A date and time in the page's language and the given time zone. */
export function formatInstant(at: Date, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}
