/**
 * The admin page over the embedded SQLite store: `npm run example:admin`, then open
 * http://127.0.0.1:3000 (Korean; `?lang=en` for English). Data lives in
 * `examples/admin-page.sqlite` (`CX_ADMIN_SQLITE` to change it; delete the file for fresh demo
 * data); `PORT` changes the port.
 */
import { serve } from '@hono/node-server';
import { createCxAccounts } from '../../src/index.js';
import { memoryDirectory } from '../../adapters/memory/index.js';
import { openSqlite } from '../../adapters/sql/index.js';
import { createAdminApp } from './app.js';
import { DEMO_DOMAIN, DEMO_MEMBERS, seedDemo } from './demo-data.js';

const filename = process.env.CX_ADMIN_SQLITE ?? new URL('../admin-page.sqlite', import.meta.url).pathname;
const port = Number(process.env.PORT ?? 3000);

async function main(): Promise<void> {
  const store = await openSqlite(filename);
  const directory = memoryDirectory(DEMO_MEMBERS.map((member) => ({ ...member, domainId: DEMO_DOMAIN })));
  const cx = createCxAccounts({
    store,
    directory,
    contactUrlBase: 'https://talk.example.com/add/',
    timeZone: 'Asia/Seoul',
  });
  const overview = await cx.products.overview(DEMO_DOMAIN);
  if (overview.isOk() && overview.value.products.length === 0) {
    const problem = await seedDemo(cx, new Date());
    if (problem) {
      console.error(`could not set up the demo data: ${problem}`);
      process.exitCode = 1;
      await store.close();
      return;
    }
  }
  const app = createAdminApp({ cx, directory, domainId: DEMO_DOMAIN, admins: DEMO_MEMBERS });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => {
    console.log(`admin page: http://127.0.0.1:${info.port}/ (data: ${filename})`);
  });
  const stop = () => server.close(() => void store.close());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
