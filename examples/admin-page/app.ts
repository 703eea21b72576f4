/**
 * The seed's admin page as a server-rendered Hono app over `cx-accounts`: product overview,
 * accounts (list, create, edit), agents, consultation settings, reset, history backup and the
 * audit trail. Plain HTML forms; every change goes through `cx.as('admin:<member>')`, so the
 * audit shows who did it. Tests drive it in Chromium by label and role.
 */
import { TZDate } from '@date-fns/tz';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { html, raw } from 'hono/html';
import {
  availability,
  nextChange,
  WEEKDAYS,
  type Account,
  type CxAccounts,
  type CxError,
  type Member,
  type MemberDirectory,
  type SettingsInput,
  type Weekday,
} from '../../src/index.js';
import {
  csrfField,
  field,
  formatInstant,
  formErrors,
  generalErrors,
  NO_ERRORS,
  notice,
  page,
  type FormErrors,
  type PageContext,
} from './layout.js';
import { csrfTokenMatches, SESSION_COOKIE, sessionStore, type Session } from './sessions.js';
import { pickLanguage, TEXTS, type Language } from './texts.js';

export type AdminAppOptions = {
  cx: CxAccounts;
  /** The company this page administers. */
  domainId: string;
  /** The host's member directory (the same one `cx` uses), for agents' names. */
  directory: MemberDirectory;
  /** The members offered on the demo sign-in page. */
  admins: readonly Member[];
  /** The clock of `cx`, for "open now" and holiday dates; default `() => new Date()`. */
  clock?: () => Date;
};

/** Largest request body: a 10 MiB image (R8 refuses anything bigger) plus the form's other fields. */
const MAX_BODY_BYTES = 10 * 1024 * 1024 + 64 * 1024;
const LANGUAGE_COOKIE = 'cx_admin_lang';
const PAGE_SIZE = 10;

type Env = { Variables: { session: Session; language: Language; admin: Member | null } };

export function createAdminApp(options: AdminAppOptions): Hono<Env> {
  const { cx, domainId, admins, directory } = options;
  const clock = options.clock ?? (() => new Date());
  const sessions = sessionStore();
  const app = new Hono<Env>();

  // Session, language, and the signed-in admin for every request.
  app.use('*', async (c, next) => {
    const session = sessions.open(getCookie(c, SESSION_COOKIE));
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Lax', path: '/' });
    const language = pickLanguage(c.req.query('lang'), getCookie(c, LANGUAGE_COOKIE));
    if (c.req.query('lang') === language) setCookie(c, LANGUAGE_COOKIE, language, { sameSite: 'Lax', path: '/' });
    c.set('session', session);
    c.set('language', language);
    c.set('admin', admins.find((member) => member.id === session.memberId) ?? null);
    await next();
  });
  // Uploads are refused by size before they are read.
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text(TEXTS[(c.get('language') as Language | undefined) ?? 'ko'].tooLarge, 413) }));
  // Every POST carries the session's CSRF token; every screen but sign-in needs an admin.
  app.use('*', async (c, next) => {
    if (c.req.method === 'POST') {
      const body = await c.req.parseBody({ all: true });
      if (!csrfTokenMatches(c.get('session'), body._csrf)) return c.text(TEXTS[c.get('language')].csrfRefused, 403);
    }
    if (c.get('admin') === null && c.req.path !== '/sign-in') return c.redirect('/sign-in');
    await next();
  });

  const contextOf = (c: Context<Env>): PageContext => ({
    texts: TEXTS[c.get('language')],
    language: c.get('language'),
    csrfToken: c.get('session').csrfToken,
    adminName: c.get('admin')?.name ?? null,
    path: c.req.path,
  });
  const acting = (c: Context<Env>) => cx.as(`admin:${c.get('admin')?.id ?? 'anonymous'}`);
  const failure = (c: Context<Env>, error: CxError) =>
    c.html(page(contextOf(c), TEXTS[c.get('language')].appTitle, generalErrors(formErrors(error, c.get('language')))), error.code === 'not_found' ? 404 : 409);

  // ---- sign-in ----
  app.get('/sign-in', (c) => {
    const context = contextOf(c);
    const { texts } = context;
    return c.html(page({ ...context, adminName: null }, texts.signIn.title, html`<p>${texts.signIn.lead}</p>
${admins.map((member) => html`<form method="post" action="/sign-in">${csrfField(context)}<input type="hidden" name="memberId" value="${member.id}">
<button type="submit">${texts.signIn.as(member.name)}</button></form>`)}`));
  });
  app.post('/sign-in', async (c) => {
    const body = await c.req.parseBody();
    const member = admins.find((candidate) => candidate.id === body.memberId);
    if (!member) return c.redirect('/sign-in');
    const session = sessions.signIn(c.get('session'), member.id);
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Lax', path: '/' });
    return c.redirect('/products');
  });
  app.post('/sign-out', (c) => {
    sessions.signOut(c.get('session'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/sign-in');
  });
  app.get('/', (c) => c.redirect('/products'));

  // ---- product overview ----
  app.get('/products', async (c) => {
    const context = contextOf(c);
    const { texts } = context;
    const overview = await cx.products.overview(domainId);
    if (overview.isErr()) return failure(c, overview.error);
    const { totalPurchased, activeAccounts, products } = overview.value;
    return c.html(page(context, texts.products.title, html`<dl>
<dt>${texts.products.totalPurchased}</dt><dd data-testid="total-purchased">${totalPurchased}</dd>
<dt>${texts.products.activeAccounts}</dt><dd data-testid="active-accounts">${activeAccounts}</dd>
</dl>
<table><caption>${texts.products.title}</caption>
<thead><tr><th scope="col">${texts.products.product}</th><th scope="col">${texts.products.seatLimit}</th><th scope="col">${texts.products.quantity}</th><th scope="col">${texts.products.inUse}</th><th scope="col">${texts.products.available}</th></tr></thead>
<tbody>${products.map((product) => html`<tr><th scope="row">${product.name}</th><td>${product.seatLimit}</td><td>${product.quantity}</td><td>${product.inUse}</td><td>${product.quantity - product.inUse}</td></tr>`)}</tbody>
</table>`));
  });

  // ---- account list ----
  app.get('/accounts', async (c) => {
    const context = contextOf(c);
    const { texts, language } = context;
    const cursor = c.req.query('cursor');
    const listed = await cx.accounts.list(domainId, { limit: PAGE_SIZE, cursor: cursor ?? null });
    if (listed.isErr()) return failure(c, listed.error);
    const { items, nextCursor } = listed.value;
    const zone = await domainTimeZone();
    return c.html(page(context, texts.accounts.title, html`${notice(c.req.query('notice'))}
${items.length === 0 ? html`<p>${texts.accounts.empty}</p>` : html`<table><caption>${texts.accounts.title}</caption>
<thead><tr><th scope="col">${texts.accounts.name}</th><th scope="col">${texts.accounts.id}</th><th scope="col">${texts.accounts.contactUrl}</th><th scope="col">${texts.accounts.qr}</th><th scope="col">${texts.accounts.product}</th><th scope="col">${texts.accounts.activatedAt}</th><th scope="col">${texts.accounts.agents}</th><th scope="col">${texts.accounts.actions}</th></tr></thead>
<tbody>${items.map((account) => html`<tr>
<th scope="row">${account.name}</th><td>${account.id}</td>
<td><a href="${account.contactUrl}">${account.contactUrl}</a></td>
<td><img class="qr" src="/accounts/${account.id}/qr.png" alt="${texts.accounts.qrAlt(account.name)}"></td>
<td>${account.productName}</td><td>${formatInstant(account.activatedAt, language, zone)}</td><td>${account.agentCount}</td>
<td><a href="/accounts/${account.id}/edit" aria-label="${texts.accounts.edit}: ${account.name}">${texts.accounts.edit}</a> ·
<a href="/accounts/${account.id}/agents" aria-label="${texts.accounts.manageAgents}: ${account.name}">${texts.accounts.manageAgents}</a> ·
<a href="/accounts/${account.id}/settings" aria-label="${texts.accounts.settings}: ${account.name}">${texts.accounts.settings}</a> ·
<a href="/accounts/${account.id}/reset" aria-label="${texts.accounts.reset}: ${account.name}">${texts.accounts.reset}</a></td>
</tr>`)}</tbody></table>`}
<p>${cursor ? html`<a href="/accounts">${texts.accounts.firstPage}</a> ` : ''}${nextCursor ? html`<a href="/accounts?cursor=${encodeURIComponent(nextCursor)}">${texts.accounts.nextPage}</a>` : ''}</p>`));
  });

  app.get('/accounts/:id/qr.png', async (c) => {
    const png = await cx.accounts.qrCode(domainId, c.req.param('id'), { format: 'png', size: 256 });
    return png.match(
      (data) => c.body(typeof data === 'string' ? data : new Uint8Array(data), 200, { 'content-type': 'image/png', 'cache-control': 'private, max-age=3600' }),
      (error) => c.text(error.message, error.code === 'not_found' ? 404 : 500),
    );
  });
  app.get('/accounts/:id/image', async (c) => {
    // The stored image is not readable through the API (the answers carry its size only);
    // the form shows the file name and dimensions instead.
    return c.notFound();
  });

  // ---- create an account ----
  type AccountForm = { productId: string; name: string; id: string; description: string; agentIds: string[]; query: string };
  const emptyForm: AccountForm = { productId: '', name: '', id: '', description: '', agentIds: [], query: '' };

  async function accountFormPage(c: Context<Env>, form: AccountForm, errors: FormErrors, account: Account | null): Promise<Response> {
    const context = contextOf(c);
    const { texts } = context;
    const overview = await cx.products.overview(domainId);
    if (overview.isErr()) return failure(c, overview.error);
    const picked = form.agentIds.length > 0 ? await directoryMembers(form.agentIds) : [];
    const found = await cx.members.search(domainId, form.query, { limit: 20 });
    if (found.isErr()) return failure(c, found.error);
    const candidates = [...picked, ...found.value.filter((member) => !form.agentIds.includes(member.id))];
    const action = account ? `/accounts/${account.id}` : '/accounts';
    const title = account ? texts.form.editTitle(account.name) : texts.form.createTitle;
    const body = html`${generalErrors(errors, texts.form.refused)}
<form method="post" action="${action}" enctype="multipart/form-data">
${csrfField(context)}
${account ? html`<input type="hidden" name="expectedVersion" value="${account.version}">` : ''}
${field('image', texts.form.image, errors, (attributes) => html`<input type="file" accept="image/png" ${attributes}>
<img class="preview" id="image-preview" alt="${texts.form.imagePreview}" hidden>
${account?.image ? html`<p>${texts.form.currentImage}: ${account.image.fileName} (${account.image.width}×${account.image.height})</p>
<label><input type="checkbox" name="removeImage" value="1"> ${texts.form.removeImage}</label>` : ''}`, texts.form.imageHelp)}
${field('name', texts.form.name, errors, (attributes) => html`<input type="text" ${attributes} value="${form.name}">`, texts.form.nameHelp)}
${account
    ? html`<p><strong>${texts.form.id}</strong>: ${account.id}</p>`
    : field('id', texts.form.id, errors, (attributes) => html`<input type="text" ${attributes} value="${form.id}" autocomplete="off">`, texts.form.idHelp)}
${field('description', texts.form.description, errors, (attributes) => html`<textarea ${attributes}>${form.description}</textarea>`, texts.form.descriptionHelp)}
${field('productId', texts.form.product, errors, (attributes) => html`<select ${attributes}>
${overview.value.products.map((product) => html`<option value="${product.productId}"${product.productId === form.productId ? raw(' selected') : ''}>${texts.form.productOption(product.name, product.quantity - product.inUse)}</option>`)}
</select>`)}
${account ? '' : html`${field('query', texts.form.agentSearch, NO_ERRORS, (attributes) => html`<input type="search" ${attributes} value="${form.query}">`, texts.form.agentSearchHelp)}
<button type="submit" name="intent" value="search">${texts.form.search}</button>
<fieldset aria-describedby="agentIds-error"><legend>${texts.form.agents}</legend>
${candidates.map((member) => html`<label><input type="checkbox" name="agentIds" value="${member.id}"${form.agentIds.includes(member.id) ? raw(' checked') : ''}> ${member.name} &lt;${member.email}&gt;</label><br>`)}
${errors.fields.get('agentIds') ? html`<p class="error" id="agentIds-error" role="alert">${errors.fields.get('agentIds')?.join(' ')}</p>` : ''}
</fieldset>`}
<button type="submit" name="intent" value="save">${account ? texts.form.save : texts.form.create}</button>
</form>
<script>
// Shows the chosen image before it is saved (the only script of this form).
document.getElementById('image').addEventListener('change', (event) => {
  const file = event.target.files[0], preview = document.getElementById('image-preview');
  if (file) { preview.src = URL.createObjectURL(file); preview.hidden = false; } else preview.hidden = true;
});
</script>`;
    return c.html(page(context, title, body), errors === NO_ERRORS ? 200 : 422);
  }

  const accountRuleFields: Partial<Record<CxError['code'], string>> = {
    name_taken: 'name',
    id_taken: 'id',
    product_unavailable: 'productId',
    seat_limit_exceeded: 'agentIds',
    not_found: 'agentIds',
    version_conflict: undefined,
  };

  app.get('/accounts/new', (c) => accountFormPage(c, emptyForm, NO_ERRORS, null));
  app.post('/accounts', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const form: AccountForm = {
      productId: text(body.productId),
      name: text(body.name),
      id: text(body.id),
      description: text(body.description),
      agentIds: texts(body.agentIds),
      query: text(body.query),
    };
    if (body.intent === 'search') return accountFormPage(c, form, NO_ERRORS, null);
    const image = await imageInput(body.image);
    const created = await acting(c).accounts.create(domainId, {
      productId: form.productId,
      name: form.name,
      id: form.id,
      description: form.description === '' ? null : form.description,
      agentIds: form.agentIds,
      ...(image ? { image } : {}),
    });
    return created.match(
      (account) => c.redirect(`/accounts?notice=${encodeURIComponent(TEXTS[c.get('language')].form.created(account.id))}`),
      (error) => accountFormPage(c, form, formErrors(error, c.get('language'), accountRuleFields), null),
    );
  });

  // ---- edit an account ----
  app.get('/accounts/:id/edit', async (c) => {
    const account = await cx.accounts.get(domainId, c.req.param('id'));
    if (account.isErr()) return failure(c, account.error);
    const { productId, name, id, description } = account.value;
    return accountFormPage(c, { productId, name, id, description: description ?? '', agentIds: [], query: '' }, NO_ERRORS, account.value);
  });
  app.post('/accounts/:id', async (c) => {
    const accountId = c.req.param('id');
    const current = await cx.accounts.get(domainId, accountId);
    if (current.isErr()) return failure(c, current.error);
    const body = await c.req.parseBody({ all: true });
    const form: AccountForm = { productId: text(body.productId), name: text(body.name), id: accountId, description: text(body.description), agentIds: [], query: '' };
    const image = await imageInput(body.image);
    const expectedVersion = Number(body.expectedVersion);
    const admin = acting(c);
    const updated = await admin.accounts.update(
      domainId,
      accountId,
      { name: form.name, description: form.description === '' ? null : form.description, ...(image ? { image } : body.removeImage === '1' ? { image: null } : {}) },
      { expectedVersion },
    );
    if (updated.isErr()) return accountFormPage(c, form, formErrors(updated.error, c.get('language'), accountRuleFields), current.value);
    if (form.productId !== updated.value.productId) {
      const moved = await admin.accounts.changeProduct(domainId, accountId, form.productId);
      if (moved.isErr()) return accountFormPage(c, form, formErrors(moved.error, c.get('language'), { ...accountRuleFields, seat_limit_exceeded: 'productId' }), updated.value);
    }
    return c.redirect(`/accounts?notice=${encodeURIComponent(TEXTS[c.get('language')].form.saved)}`);
  });

  // ---- agents ----
  async function agentsPage(c: Context<Env>, accountId: string, errors: FormErrors, message?: string): Promise<Response> {
    const context = contextOf(c);
    const { texts } = context;
    const account = await cx.accounts.get(domainId, accountId);
    if (account.isErr()) return failure(c, account.error);
    const overview = await cx.products.overview(domainId);
    if (overview.isErr()) return failure(c, overview.error);
    const seatLimit = overview.value.products.find((product) => product.productId === account.value.productId)?.seatLimit ?? 0;
    const agents = await directoryMembers(account.value.agentIds);
    const query = c.req.query('q') ?? '';
    const found = await cx.members.search(domainId, query, { limit: 20 });
    if (found.isErr()) return failure(c, found.error);
    const accessOf = await Promise.all(agents.map(async (agent) => ({ agent, access: await cx.agents.access(domainId, agent.id) })));
    const accessMember = c.req.query('access');
    const accessAnswer = accessMember ? await cx.agents.access(domainId, accessMember) : null;
    const body = html`${notice(message)}${generalErrors(errors)}
<p>${texts.agents.seats(agents.length, seatLimit)}</p>
<table><caption>${texts.form.agents}</caption><tbody>
${accessOf.map(({ agent, access }) => html`<tr><th scope="row">${agent.name}</th><td>${agent.email}</td>
<td>${access.isOk() ? (access.value.hasAccess ? texts.agents.hasAccess(agent.id, access.value.accountIds) : texts.agents.noAccess(agent.id)) : ''}</td>
<td><form method="post" action="/accounts/${accountId}/agents/remove">${csrfField(context)}<input type="hidden" name="memberIds" value="${agent.id}"><button type="submit">${texts.agents.remove(agent.name)}</button></form></td></tr>`)}
</tbody></table>
<form method="get" action="/accounts/${accountId}/agents">
${field('q', texts.agents.searchMembers, NO_ERRORS, (attributes) => html`<input type="search" ${attributes} value="${query}">`)}
<button type="submit">${texts.form.search}</button>
</form>
<form method="post" action="/accounts/${accountId}/agents">
${csrfField(context)}
<fieldset><legend>${texts.agents.replaceWith}</legend>
${found.value.map((member) => html`<label><input type="checkbox" name="memberIds" value="${member.id}"> ${member.name} &lt;${member.email}&gt;</label><br>`)}
</fieldset>
<button type="submit" name="intent" value="add">${texts.agents.addSelected}</button>
<button type="submit" name="intent" value="set" aria-describedby="swap-help">${texts.agents.swap}</button>
<p class="help" id="swap-help">${texts.agents.swapHelp}</p>
</form>
<h2>${texts.agents.access}</h2>
<form method="get" action="/accounts/${accountId}/agents">
${field('access', texts.agents.accessMember, NO_ERRORS, (attributes) => html`<input type="text" ${attributes} value="${accessMember ?? ''}">`)}
<button type="submit">${texts.agents.accessCheck}</button>
</form>
${accessAnswer === null ? '' : accessAnswer.match(
    (access) => html`<p role="status" data-testid="access-answer">${access.hasAccess ? texts.agents.hasAccess(accessMember ?? '', access.accountIds) : texts.agents.noAccess(accessMember ?? '')}</p>`,
    (error) => generalErrors(formErrors(error, context.language)),
  )}`;
    return c.html(page(context, texts.agents.title(account.value.name), body), errors === NO_ERRORS ? 200 : 409);
  }
  app.get('/accounts/:id/agents', (c) => agentsPage(c, c.req.param('id'), NO_ERRORS));
  app.post('/accounts/:id/agents', async (c) => {
    const accountId = c.req.param('id');
    const body = await c.req.parseBody({ all: true });
    const memberIds = texts(body.memberIds);
    const admin = acting(c);
    const changed = body.intent === 'set' ? await admin.agents.set(domainId, accountId, memberIds) : await admin.agents.add(domainId, accountId, memberIds);
    return changed.match(
      () => agentsPage(c, accountId, NO_ERRORS, TEXTS[c.get('language')].agents.done),
      (error) => agentsPage(c, accountId, formErrors(error, c.get('language'))),
    );
  });
  app.post('/accounts/:id/agents/remove', async (c) => {
    const accountId = c.req.param('id');
    const body = await c.req.parseBody({ all: true });
    const removed = await acting(c).agents.remove(domainId, accountId, text(body.memberIds));
    return removed.match(
      () => agentsPage(c, accountId, NO_ERRORS, TEXTS[c.get('language')].agents.done),
      (error) => agentsPage(c, accountId, formErrors(error, c.get('language'))),
    );
  });

  // ---- consultation settings: one Save ----
  type SettingsForm = Record<string, string | string[]>;
  async function settingsPage(c: Context<Env>, accountId: string, errors: FormErrors, given: SettingsForm | null, message?: string): Promise<Response> {
    const context = contextOf(c);
    const { texts, language } = context;
    const account = await cx.accounts.get(domainId, accountId);
    if (account.isErr()) return failure(c, account.error);
    const settings = account.value.settings;
    const now = clock();
    const state = availability(settings, now);
    const change = nextChange(settings, now);
    const stateText = state === 'open' ? texts.settings.openNow : state === 'away' ? texts.settings.awayNow : texts.settings.holidayNow;
    const value = (name: string, fallback: string) => (given && typeof given[name] === 'string' ? (given[name] as string) : fallback);
    const checked = (name: string, fallback: boolean) => (given ? given[name] === '1' : fallback);
    const body = html`${notice(message)}${generalErrors(errors, texts.form.refused)}
<p class="status" role="status" data-testid="availability">${stateText}${change ? html` · ${texts.settings.until(formatInstant(change.at, language, settings.timeZone))}` : ''}</p>
<form method="post" action="/accounts/${accountId}/settings">
${csrfField(context)}
<input type="hidden" name="expectedVersion" value="${account.value.version}">
${field('timeZone', texts.settings.timeZone, errors, (attributes) => html`<input type="text" ${attributes} value="${value('timeZone', settings.timeZone)}">`)}
<fieldset><legend>${texts.settings.hours}</legend><p class="help">${texts.settings.hoursHelp}</p>
${WEEKDAYS.map((day) => field(`hours-${day}`, texts.settings.day[day], errors, (attributes) => html`<input type="text" ${attributes} value="${value(`hours-${day}`, settings.weeklyHours[day].map((range) => `${range.from}-${range.to}`).join(', '))}">`))}
</fieldset>
${field('welcomeMessage', texts.settings.welcome, errors, (attributes) => html`<textarea ${attributes}>${value('welcomeMessage', settings.welcomeMessage)}</textarea>`, texts.settings.messageHelp)}
${field('awayMessage', texts.settings.away, errors, (attributes) => html`<textarea ${attributes}>${value('awayMessage', settings.awayMessage)}</textarea>`, texts.settings.messageHelp)}
${field('holidayMessage', texts.settings.holidayMessage, errors, (attributes) => html`<textarea ${attributes}>${value('holidayMessage', settings.holidayMessage)}</textarea>`, texts.settings.messageHelp)}
<fieldset aria-describedby="holidays-error"><legend>${texts.settings.holidays}</legend>
${settings.holidays.map((holiday) => html`<label><input type="checkbox" name="keepHoliday" value="${holiday.id}" checked> ${texts.settings.keepHoliday(`${holiday.start} – ${holiday.end}${holiday.label ? ` ${holiday.label}` : ''}`)}</label><br>`)}
${[1, 2].map((index) => html`<fieldset><legend>${texts.settings.newHoliday(index)}</legend>
<label for="holiday-${index}-start">${texts.settings.holidayStart} (${texts.settings.newHoliday(index)})</label> <input type="date" id="holiday-${index}-start" name="holiday-${index}-start" value="${value(`holiday-${index}-start`, '')}">
<label for="holiday-${index}-end">${texts.settings.holidayEnd} (${texts.settings.newHoliday(index)})</label> <input type="date" id="holiday-${index}-end" name="holiday-${index}-end" value="${value(`holiday-${index}-end`, '')}">
<label for="holiday-${index}-label">${texts.settings.holidayLabel} (${texts.settings.newHoliday(index)})</label> <input type="text" id="holiday-${index}-label" name="holiday-${index}-label" value="${value(`holiday-${index}-label`, '')}">
</fieldset>`)}
${errors.fields.get('holidays') ? html`<p class="error" id="holidays-error" role="alert">${errors.fields.get('holidays')?.join(' ')}</p>` : ''}
</fieldset>
<fieldset><legend>${texts.settings.channels}</legend>
<input type="hidden" name="channelsShown" value="1">
<label><input type="checkbox" name="line" value="1"${checked('line', settings.channels.line) ? raw(' checked') : ''}> ${texts.settings.line}</label><br>
<label><input type="checkbox" name="mail" value="1"${checked('mail', settings.channels.mail) ? raw(' checked') : ''}> ${texts.settings.mail}</label>
</fieldset>
<button type="submit">${texts.settings.save}</button>
</form>`;
    return c.html(page(context, texts.settings.title(account.value.name), body), errors === NO_ERRORS ? 200 : 422);
  }
  app.get('/accounts/:id/settings', (c) => settingsPage(c, c.req.param('id'), NO_ERRORS, null));
  app.post('/accounts/:id/settings', async (c) => {
    const accountId = c.req.param('id');
    const account = await cx.accounts.get(domainId, accountId);
    if (account.isErr()) return failure(c, account.error);
    const body = await c.req.parseBody({ all: true });
    const form: SettingsForm = {};
    for (const [name, given] of Object.entries(body)) form[name] = Array.isArray(given) ? given.filter((item) => typeof item === 'string') : typeof given === 'string' ? given : '';
    const kept = new Set(texts(body.keepHoliday));
    const holidays: NonNullable<SettingsInput['holidays']> = account.value.settings.holidays.filter((holiday) => kept.has(holiday.id));
    for (const index of [1, 2]) {
      const start = text(body[`holiday-${index}-start`]);
      const end = text(body[`holiday-${index}-end`]);
      const label = text(body[`holiday-${index}-label`]);
      if (start !== '' || end !== '') holidays.push({ start, end: end === '' ? start : end, ...(label ? { label } : {}) });
    }
    const weeklyHours = Object.fromEntries(WEEKDAYS.map((day) => [day, parseRanges(text(body[`hours-${day}`]))])) as Record<Weekday, { from: string; to: string }[]>;
    const input: SettingsInput = {
      timeZone: text(body.timeZone),
      weeklyHours,
      welcomeMessage: text(body.welcomeMessage),
      awayMessage: text(body.awayMessage),
      holidayMessage: text(body.holidayMessage),
      channels: { line: body.line === '1', mail: body.mail === '1' },
      holidays,
    };
    const saved = await acting(c).settings.update(domainId, accountId, input, { expectedVersion: Number(body.expectedVersion) });
    return saved.match(
      () => settingsPage(c, accountId, NO_ERRORS, null, TEXTS[c.get('language')].form.saved),
      (error) => settingsPage(c, accountId, formErrors(error, c.get('language'), { holiday_in_past: 'holidays', holiday_overlap: 'holidays' }, settingsField), form),
    );
  });

  // ---- reset ----
  app.get('/accounts/:id/reset', async (c) => {
    const context = contextOf(c);
    const { texts } = context;
    const accountId = c.req.param('id');
    const account = await cx.accounts.get(domainId, accountId);
    if (account.isErr()) return failure(c, account.error);
    const rooms = await cx.conversations.rooms(domainId, accountId);
    const bots = await cx.bots.list(domainId, { accountId });
    const contacts = await countContacts(accountId);
    if (rooms.isErr()) return failure(c, rooms.error);
    if (bots.isErr()) return failure(c, bots.error);
    const adminBots = bots.value.filter((bot) => bot.origin === 'admin').length;
    const body = html`<p class="alert" role="alert">${texts.reset.warning}</p>
<h2>${texts.reset.deleted}</h2>
<ul><li>${texts.reset.rooms(rooms.value.length)}</li><li>${texts.reset.adminBots(adminBots)}</li><li>${texts.reset.agents(account.value.agentIds.length)}</li></ul>
<h2>${texts.reset.kept}</h2>
<ul><li>${texts.reset.devBots(bots.value.length - adminBots)}</li><li>${texts.reset.history}</li><li>${texts.reset.contacts(contacts)}</li></ul>
<form method="post" action="/accounts/${accountId}/reset">${csrfField(context)}<button type="submit">${texts.reset.confirm}</button></form>`;
    return c.html(page(context, texts.reset.title(account.value.name), body));
  });
  app.post('/accounts/:id/reset', async (c) => {
    const context = contextOf(c);
    const { texts } = context;
    const accountId = c.req.param('id');
    const reset = await acting(c).accounts.reset(domainId, accountId);
    if (reset.isErr()) return failure(c, reset.error);
    const report = reset.value;
    const ids = (values: string[]) => (values.length === 0 ? texts.reset.none : values.join(', '));
    return c.html(page(context, texts.reset.title(accountId), html`${notice(texts.reset.done)}
<dl>
<dt>${texts.reset.deletedRoomIds}</dt><dd data-testid="deleted-rooms">${ids(report.deletedRoomIds)}</dd>
<dt>${texts.reset.deletedBotIds}</dt><dd data-testid="deleted-bots">${ids(report.deletedBotIds)}</dd>
<dt>${texts.reset.keptBotIds}</dt><dd data-testid="kept-bots">${ids(report.keptBotIds)}</dd>
<dt>${texts.reset.releasedAgentIds}</dt><dd data-testid="released-agents">${ids(report.releasedAgentIds)}</dd>
</dl>`));
  });

  // ---- history backup ----
  app.get('/backups', async (c) => {
    const context = contextOf(c);
    const { texts, language } = context;
    const listed = await cx.accounts.list(domainId, { limit: 200 });
    if (listed.isErr()) return failure(c, listed.error);
    const jobs = await recentBackupJobs();
    const zone = await domainTimeZone();
    const body = html`<h2>${texts.backups.request}</h2>
<form method="post" action="/backups">
${csrfField(context)}
${field('from', texts.backups.from, NO_ERRORS, (attributes) => html`<input type="date" ${attributes}>`)}
${field('to', texts.backups.to, NO_ERRORS, (attributes) => html`<input type="date" ${attributes}>`)}
<fieldset><legend>${texts.backups.accounts}</legend>
${listed.value.items.map((account) => html`<label><input type="checkbox" name="accountIds" value="${account.id}"> ${account.name} (${account.id})</label><br>`)}
</fieldset>
<fieldset><legend>${texts.backups.format}</legend>
<label><input type="radio" name="format" value="csv" checked> ${texts.backups.csv}</label>
<label><input type="radio" name="format" value="jsonl"> ${texts.backups.jsonl}</label>
</fieldset>
<button type="submit">${texts.backups.request}</button>
</form>
<h2>${texts.backups.jobs}</h2>
${jobs.length === 0 ? html`<p>${texts.backups.none}</p>` : html`<table><thead><tr><th scope="col">${texts.backups.job}</th><th scope="col">${texts.backups.status}</th><th scope="col">${texts.backups.progress}</th><th scope="col">${texts.backups.expires}</th></tr></thead><tbody>
${jobs.map((job) => html`<tr><td><a href="/backups/${job.id}">${job.id}</a></td><td>${texts.backups.statusText[job.status]}</td><td>${texts.backups.rows(job.rowsDone, job.rowsTotal)}</td><td>${job.expiresAt ? formatInstant(job.expiresAt, language, zone) : ''}</td></tr>`)}
</tbody></table>`}`;
    return c.html(page(context, texts.backups.title, body));
  });
  app.post('/backups', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const zone = await domainTimeZone();
    const accountIds = texts(body.accountIds);
    const from = text(body.from);
    const to = text(body.to);
    const started = await acting(c).history.startBackup(domainId, {
      ...(from ? { from: startOfDay(from, zone) } : {}),
      ...(to ? { to: startOfDay(to, zone) } : {}),
      ...(accountIds.length > 0 ? { accountIds } : {}),
      format: body.format === 'jsonl' ? 'jsonl' : 'csv',
    });
    return started.match(
      (job) => c.redirect(`/backups/${job.id}`),
      (error) => failure(c, error),
    );
  });
  app.get('/backups/:jobId/status.json', async (c) => {
    const job = await cx.history.job(domainId, c.req.param('jobId'));
    return job.match(
      (found) => c.json({ status: found.status, rowsDone: found.rowsDone, rowsTotal: found.rowsTotal }),
      (error) => c.json({ error: error.code }, 404),
    );
  });
  app.get('/backups/:jobId', async (c) => {
    const context = contextOf(c);
    const { texts, language } = context;
    const jobId = c.req.param('jobId');
    const job = await cx.history.job(domainId, jobId);
    if (job.isErr()) return failure(c, job.error);
    const zone = await domainTimeZone();
    const { status, rowsDone, rowsTotal, expiresAt, format } = job.value;
    const finished = status === 'ready' || status === 'failed' || status === 'cancelled';
    const body = html`<dl>
<dt>${texts.backups.status}</dt><dd data-testid="backup-status">${texts.backups.statusText[status]}</dd>
<dt>${texts.backups.progress}</dt><dd><progress id="backup-progress" max="${rowsTotal ?? 1}" value="${rowsDone}" aria-label="${texts.backups.progress}"></progress> <span id="backup-rows">${texts.backups.rows(rowsDone, rowsTotal)}</span></dd>
<dt>${texts.backups.format}</dt><dd>${format.toUpperCase()}</dd>
${expiresAt ? html`<dt>${texts.backups.expires}</dt><dd>${formatInstant(expiresAt, language, zone)}</dd>` : ''}
</dl>
${status === 'ready' ? html`<p><a href="/backups/${jobId}/file" download>${texts.backups.download}</a></p>` : ''}
${finished ? '' : html`<script>
// Polls the job until it ends, then reloads to show the download link.
const poll = setInterval(async () => {
  const job = await (await fetch(${raw(JSON.stringify(`/backups/${jobId}/status.json`))})).json();
  const bar = document.getElementById('backup-progress');
  bar.max = job.rowsTotal ?? 1; bar.value = job.rowsDone;
  if (job.status !== ${raw(JSON.stringify(status))}) { clearInterval(poll); location.reload(); }
}, 500);
</script>`}`;
    return c.html(page(context, texts.backups.title, body));
  });
  app.get('/backups/:jobId/file', async (c) => {
    const jobId = c.req.param('jobId');
    const job = await cx.history.job(domainId, jobId);
    if (job.isErr()) return failure(c, job.error);
    const stream = await cx.history.downloadStream(domainId, jobId);
    if (stream.isErr()) return failure(c, stream.error);
    const csv = job.value.format === 'csv';
    return c.body(stream.value, 200, {
      'content-type': csv ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8',
      'content-disposition': `attachment; filename="history-${jobId}.${csv ? 'csv' : 'jsonl'}"`,
      ...(job.value.byteLength === null ? {} : { 'content-length': String(job.value.byteLength) }),
    });
  });

  // ---- audit ----
  app.get('/audit', async (c) => {
    const context = contextOf(c);
    const { texts, language } = context;
    const head = await cx.events.read(domainId, { after: 0, limit: 1 });
    if (head.isErr()) return failure(c, head.error);
    const before = Math.min(Number(c.req.query('before') ?? head.value.lastSeq + 1) || head.value.lastSeq + 1, head.value.lastSeq + 1);
    const after = Math.max(0, before - 1 - 20);
    const read = before - 1 > after ? await cx.events.read(domainId, { after, limit: before - 1 - after }) : null;
    if (read?.isErr()) return failure(c, read.error);
    const events = read?.isOk() ? [...read.value.events].reverse() : [];
    const zone = await domainTimeZone();
    const body = html`<table><caption>${texts.audit.title}</caption>
<thead><tr><th scope="col">${texts.audit.seq}</th><th scope="col">${texts.audit.at}</th><th scope="col">${texts.audit.actor}</th><th scope="col">${texts.audit.type}</th><th scope="col">${texts.audit.account}</th><th scope="col">${texts.audit.data}</th></tr></thead>
<tbody>${events.map((event) => html`<tr><td>${event.seq}</td><td>${formatInstant(event.at, language, zone)}</td><td>${event.actor ?? texts.audit.system}</td><td>${event.type}</td><td>${event.accountId ?? ''}</td><td><code>${JSON.stringify(event.data)}</code></td></tr>`)}</tbody>
</table>
<p>${before <= head.value.lastSeq ? html`<a href="/audit">${texts.audit.newest}</a> ` : ''}${after > 0 ? html`<a href="/audit?before=${after + 1}">${texts.audit.older}</a>` : ''}</p>`;
    return c.html(page(context, texts.audit.title, body));
  });

  // ---- helpers that read through cx ----
  async function directoryMembers(memberIds: string[]): Promise<Member[]> {
    // The host owns its directory: names of members who left it show as their ids.
    const known = await directory.get(domainId, memberIds).catch(() => [] as Member[]);
    return memberIds.map((id) => known.find((member) => member.id === id) ?? { id, name: id, email: '' });
  }
  async function domainTimeZone(): Promise<string> {
    const first = await cx.accounts.list(domainId, { limit: 1 });
    if (first.isErr() || first.value.items.length === 0) return 'UTC';
    const account = await cx.accounts.get(domainId, first.value.items[0]!.id);
    return account.isOk() ? account.value.settings.timeZone : 'UTC';
  }
  async function countContacts(accountId: string): Promise<number> {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page = await cx.conversations.contacts(domainId, accountId, { limit: 200, cursor });
      if (page.isErr()) return count;
      count += page.value.items.length;
      cursor = page.value.nextCursor;
    } while (cursor !== null);
    return count;
  }
  async function recentBackupJobs() {
    // The backup jobs are found through the audit trail: the newest `backup.requested` events.
    const head = await cx.events.read(domainId, { after: 0, limit: 1 });
    if (head.isErr()) return [];
    const recent = await cx.events.read(domainId, { after: Math.max(0, head.value.lastSeq - 1000), limit: 1000 });
    if (recent.isErr()) return [];
    const ids = recent.value.events.filter((event) => event.type === 'backup.requested').map((event) => String(event.data.jobId)).reverse().slice(0, 10);
    const jobs = await Promise.all(ids.map((id) => cx.history.job(domainId, id)));
    return jobs.flatMap((job) => (job.isOk() ? [job.value] : []));
  }

  return app;
}

/** `09:00-12:00, 13:00-18:00` → ranges; what is not of that shape goes to the library as it is, which names the problem. */
function parseRanges(value: string): { from: string; to: string }[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [from = '', to = ''] = part.split('-').map((time) => time.trim());
      return { from, to };
    });
}

/** `weeklyHours.mon.0.to` → the field `hours-mon`; other paths by their first segment. */
function settingsField(path: string): string {
  const [first, second] = path.split('.');
  return first === 'weeklyHours' && second ? `hours-${second}` : first ?? path;
}

/** The instant a civil date starts in a time zone. */
function startOfDay(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(new TZDate(year ?? 1970, (month ?? 1) - 1, day ?? 1, timeZone).getTime());
}

function text(value: unknown): string {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value : '';
}

function texts(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((item): item is string => typeof item === 'string' && item !== '');
}

/** The uploaded file as the library's image input, or `undefined` when none was chosen. */
async function imageInput(value: unknown): Promise<{ fileName: string; data: Uint8Array } | undefined> {
  const file = Array.isArray(value) ? value[0] : value;
  if (!(file instanceof File) || file.size === 0) return undefined;
  return { fileName: file.name, data: new Uint8Array(await file.arrayBuffer()) };
}
