/**
 * A page script that runs the whole flow of `cx-accounts` in a browser, on the memory store:
 * an account with a PNG image drawn by the browser's own canvas, its QR code as PNG and SVG,
 * automatic replies, and a history backup downloaded as a CSV file. The test bundles it with
 * esbuild for the browser and drives it in Chromium; it reports through `window.flowResult`.
 */
import { createCxAccounts, type CxError, type Result } from '../../../src/index.js';
import { memoryDirectory, memoryStore } from '../../../adapters/memory/index.js';

/** What the page reports to the test. */
export type FlowResult = {
  accountId: string;
  contactUrl: string;
  image: { width: number; height: number } | null;
  qrPng: number[];
  qrSvg: string;
  replies: (string | null)[];
  backupStatus: string;
  /** The event log: `seq` and type of each event, and the actor of the one made through `cx.as`. */
  events: { seq: number; type: string; actor: string | null }[];
  /** The JSONL backup of the same history, as text. */
  jsonl: string;
  /** Whether the page is a secure context, and which of its crypto functions exist (R57). */
  secureContext: boolean;
  crypto: { randomUUID: boolean; subtle: boolean; getRandomValues: boolean };
};

declare global {
  interface Window {
    flowResult?: FlowResult;
    flowError?: string;
    downloadBackup?: () => Promise<void>;
  }
}

/** The value of a Result, or a thrown message naming the step (the test reads `flowError`). */
function valueOf<T>(step: string, result: Result<T, CxError>): T {
  return result.match(
    (value) => value,
    (error) => {
      throw new Error(`${step}: ${error.code}: ${error.message}`);
    },
  );
}

/** A 32 × 32 PNG made by the browser (Chromium's own encoder), for the account image (R8). */
async function canvasPng(): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(32, 32);
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#06c755';
  context.fillRect(0, 0, 32, 32);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

async function runFlow(): Promise<void> {
  // Friday 2026-11-27 20:00 in Seoul: outside the default 09:00–18:00.
  const now = new Date('2026-11-27T11:00:00Z');
  const cx = createCxAccounts({
    store: memoryStore(),
    directory: memoryDirectory([
      { domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' },
      { domainId: 'acme', id: 'u2', name: 'Sato', email: 'sato@acme.test' },
    ]),
    contactUrlBase: 'https://talk.example.com/add/',
    timeZone: 'Asia/Seoul',
    clock: () => now,
    backups: { runner: 'manual' },
  });
  valueOf('products.set', await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 1 }));
  const account = valueOf(
    'accounts.create',
    await cx.accounts.create('acme', {
      productId: 'basic',
      name: '상담 Help',
      id: 'help',
      agentIds: ['u1'],
      image: { fileName: 'logo.png', data: await canvasPng() },
    }),
  );
  valueOf('settings.update', await cx.settings.update('acme', 'help', { welcomeMessage: '어서 오세요', awayMessage: '=Closed, back at 9' }));
  const qrPng = valueOf('accounts.qrCode png', await cx.accounts.qrCode('acme', 'help'));
  const qrSvg = valueOf('accounts.qrCode svg', await cx.accounts.qrCode('acme', 'help', { format: 'svg', size: 256 }));

  const replies: (string | null)[] = [];
  const reply = (result: Result<{ text: string } | null, CxError>, step: string) => replies.push(valueOf(step, result)?.text ?? null);
  reply(await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee, "Jay"', channel: 'line' }), 'addContact');
  reply(await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'Hello?\nAnyone?', channel: 'line' }), 'receive 1');
  reply(await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'Still there?', channel: 'line' }), 'receive 2');

  const job = valueOf('history.startBackup', await cx.history.startBackup('acme'));
  valueOf('history.runPendingBackups', await cx.history.runPendingBackups());
  const ready = valueOf('history.job', await cx.history.job('acme', job.id));

  // Saving the file the way a web app does: a Blob, an object URL, a link with `download`.
  window.downloadBackup = async () => {
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    for await (const chunk of valueOf('history.download', await cx.history.download('acme', job.id))) {
      chunks.push(chunk as Uint8Array<ArrayBuffer>);
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob(chunks, { type: 'text/csv;charset=utf-8' }));
    link.download = 'history-backup.csv';
    document.body.append(link);
    link.click();
  };

  // The event log (R30–R33), and a JSONL backup of the same history (R45).
  valueOf('agents.set', await cx.as('admin:u1').agents.set('acme', 'help', ['u2']));
  const log = valueOf('events.read', await cx.events.read('acme', { limit: 1000 }));
  const jsonlJob = valueOf('history.startBackup jsonl', await cx.history.startBackup('acme', { format: 'jsonl' }));
  valueOf('history.runPendingBackups jsonl', await cx.history.runPendingBackups());
  const jsonlChunks: Uint8Array[] = [];
  for await (const chunk of valueOf('history.download jsonl', await cx.history.download('acme', jsonlJob.id))) jsonlChunks.push(chunk);
  const decoder = new TextDecoder();
  const jsonl = jsonlChunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();

  window.flowResult = {
    accountId: account.id,
    contactUrl: account.contactUrl,
    image: account.image ? { width: account.image.width, height: account.image.height } : null,
    qrPng: Array.from(qrPng as Uint8Array),
    qrSvg: qrSvg as string,
    replies,
    backupStatus: ready.status,
    events: log.events.map((event) => ({ seq: event.seq, type: event.type, actor: event.actor })),
    jsonl,
    secureContext: window.isSecureContext,
    crypto: {
      randomUUID: typeof globalThis.crypto.randomUUID === 'function',
      subtle: typeof globalThis.crypto.subtle === 'object' && globalThis.crypto.subtle !== null,
      getRandomValues: typeof globalThis.crypto.getRandomValues === 'function',
    },
  };
}

runFlow().then(
  () => document.body.setAttribute('data-ready', 'true'),
  (error: unknown) => {
    window.flowError = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    document.body.setAttribute('data-ready', 'true');
  },
);
