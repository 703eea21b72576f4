/**
 * The cx-accounts quickstart: run it with `npm run demo`.
 *
 * It keeps its data in an embedded SQLite file next to this script (made anew on every run),
 * so no server is needed.
 */
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createCxAccounts, type CxError, type Result } from '../src/index.js';
import { memoryDirectory } from '../adapters/memory/index.js';
import { openSqlite } from '../adapters/sql/index.js';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const databaseFile = here('quickstart.sqlite');
const qrFile = here('quickstart-help-qr.png');

/** Prints a result in one line: the value's summary, or the error's code and message. */
function show<T>(label: string, result: Result<T, CxError>, summary: (value: T) => string = (value) => JSON.stringify(value)) {
  if (result.isOk()) console.log(`  ✔ ${label}: ${summary(result.value)}`);
  else console.log(`  ✘ ${label}: ${result.error.code} — ${result.error.message}`);
  return result;
}

async function main() {
  for (const suffix of ['', '-wal', '-shm']) await rm(databaseFile + suffix, { force: true });
  const store = await openSqlite(databaseFile);
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([
      { domainId: 'acme', id: 'minji', name: 'Kim Minji', email: 'minji@acme.test' },
      { domainId: 'acme', id: 'haruto', name: 'Sato Haruto', email: 'haruto@acme.test' },
      { domainId: 'acme', id: 'alex', name: 'Alex Doe', email: 'alex@acme.test' },
    ]),
    contactUrlBase: 'https://talk.example.com/add/',
    timeZone: 'Asia/Seoul',
  });

  console.log(`\nStore: SQLite file ${databaseFile}\n`);
  console.log('1. Products');
  show('set Basic (2 seats, 2 units)', await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 2 }));
  show('set Pro (5 seats, 1 unit)', await cx.products.set('acme', { productId: 'pro', name: 'Pro', seatLimit: 5, quantity: 1 }));

  console.log('\n2. Accounts');
  const help = show('create "Help desk" (id help)', await cx.accounts.create('acme', {
    productId: 'basic', name: 'Help desk', id: 'help', description: 'Questions about orders', agentIds: ['minji'],
  }), (account) => `version ${account.version}, contact URL ${account.contactUrl}`);
  show('create "상담실" (id sales)', await cx.accounts.create('acme', {
    productId: 'basic', name: '상담실', id: 'sales', agentIds: ['haruto'],
  }), (account) => `${account.name} on ${account.productName}`);
  show('create a third Basic account', await cx.accounts.create('acme', {
    productId: 'basic', name: 'Returns', id: 'returns', agentIds: ['alex'],
  }));
  show('create "HELP DESK" again', await cx.accounts.create('acme', {
    productId: 'pro', name: 'ＨＥＬＰ ＤＥＳＫ', id: 'help2', agentIds: ['alex'],
  }));
  show('create with ID "Help-Desk"', await cx.accounts.create('acme', {
    productId: 'pro', name: 'Other', id: 'Help-Desk', agentIds: ['alex'],
  }));

  console.log('\n3. Agents');
  show('add haruto to help', await cx.agents.add('acme', 'help', ['haruto']), (account) => account.agentIds.join(', '));
  show('add alex to help (Basic has 2 seats)', await cx.agents.add('acme', 'help', ['alex']));
  show('move help to Pro', await cx.accounts.changeProduct('acme', 'help', 'pro'), (account) => account.productName);
  show('add alex to help', await cx.agents.add('acme', 'help', ['alex']), (account) => account.agentIds.join(', '));
  show('remove minji from help', await cx.agents.remove('acme', 'help', 'minji'), (account) => account.agentIds.join(', '));
  show('remove haruto from sales (last agent)', await cx.agents.remove('acme', 'sales', 'haruto'));
  for (const member of ['minji', 'haruto', 'alex']) {
    show(`access of ${member}`, await cx.agents.access('acme', member), (access) =>
      access.hasAccess ? `yes, through ${access.accountIds.join(', ')}` : 'no');
  }

  console.log('\n4. Product overview');
  show('overview', await cx.products.overview('acme'), (overview) =>
    `${overview.activeAccounts} active of ${overview.totalPurchased} purchased — ` +
    overview.products.map((product) => `${product.name} ${product.inUse}/${product.quantity}`).join(', '));

  console.log('\n5. Operating hours and automatic replies');
  show('set Seoul hours and messages', await cx.settings.update('acme', 'help', {
    weeklyHours: { sat: [{ from: '10:00', to: '14:00' }] },
    welcomeMessage: 'Welcome to the help desk!',
    awayMessage: 'We are closed now and will answer from 09:00 (Seoul time).',
  }), (account) => `version ${account.version}`);
  show('customer Lee adds help on LINE', await cx.conversations.addContact('acme', 'help', {
    customerId: 'lee', name: 'Lee Jiwoo', channel: 'line',
  }), (reply) => (reply ? `reply "${reply.text}"` : 'no reply'));
  const night = new Date('2026-11-25T14:30:00Z'); // 23:30 in Seoul
  show('Lee writes at 23:30 Seoul time', await cx.conversations.receiveMessage('acme', 'help', {
    customerId: 'lee', content: 'Where is my order?', channel: 'line', at: night,
  }), (reply) => (reply ? `reply "${reply.text}"` : 'no reply'));
  show('Lee writes again at 23:40', await cx.conversations.receiveMessage('acme', 'help', {
    customerId: 'lee', content: 'Hello?', channel: 'line', at: new Date(night.getTime() + 10 * 60_000),
  }), (reply) => (reply ? `reply "${reply.text}"` : 'no reply (already told this night)'));

  console.log('\n6. Contact QR code');
  const qr = show('render PNG', await cx.accounts.qrCode('acme', 'help'), (png) => `${png.byteLength} bytes`);
  if (qr.isOk()) {
    await writeFile(qrFile, qr.value);
    console.log(`  → written to ${qrFile}`);
  }

  console.log('\n7. Reset');
  await cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['haruto', 'alex'] });
  await cx.bots.register('acme', 'help', { botId: 'faq', name: 'FAQ bot', origin: 'admin' });
  await cx.bots.register('acme', 'help', { botId: 'crm', name: 'CRM sync', origin: 'dev_console' });
  show('reset help', await cx.accounts.reset('acme', 'help'), (report) =>
    `${report.deletedRooms} room(s) and ${report.deletedBots} admin bot(s) deleted, ${report.keptBots} developer bot(s) kept, agents released: ${report.releasedAgentIds.join(', ')}`);
  show('get help after reset', await cx.accounts.get('acme', 'help'));
  show('access of alex', await cx.agents.access('acme', 'alex'), (access) => (access.hasAccess ? 'yes' : 'no'));
  show('overview', await cx.products.overview('acme'), (overview) =>
    overview.products.map((product) => `${product.name} ${product.inUse}/${product.quantity}`).join(', '));

  console.log('\n8. Agents over time, what is kept, and the event log');
  show('haruto leaves the company (minji replaces him)', await cx.members.depart('acme', 'haruto', { replacementId: 'minji' }), (report) =>
    `left ${report.accountIds.join(', ')}`);
  show('swap the agent of sales for alex', await cx.agents.set('acme', 'sales', ['alex']), (account) => account.agentIds.join(', '));
  show('history of help (kept after reset)', await cx.conversations.history('acme', { accountId: 'help' }), (page) =>
    page.items.map((message) => `${message.sender.kind}:${message.customerName}`).join(', '));
  show('switch LINE off for sales', await cx.settings.update('acme', 'sales', { channels: { line: false } }), (account) =>
    `line ${account.settings.channels.line ? 'on' : 'off'}`);
  show('Lee adds sales on LINE', await cx.conversations.addContact('acme', 'sales', { customerId: 'lee', name: 'Lee Jiwoo', channel: 'line' }));
  show('erase customer Lee (privacy request)', await cx.customers.erase('acme', 'lee'), (counts) =>
    `${counts.contacts} contact(s), ${counts.messages} message(s), ${counts.rooms} room(s)`);
  show('events of acme', await cx.events.read('acme', { limit: 1000 }), (page) => {
    const types = new Map<string, number>();
    for (const event of page.events) types.set(event.type, (types.get(event.type) ?? 0) + 1);
    return `lastSeq ${page.lastSeq}: ` + [...types].map(([type, count]) => `${type}×${count}`).join(', ');
  });

  await store.close();
  console.log(help.isOk() ? '\nDone.\n' : '\nThe first account could not be created; see above.\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
