import { describe, expect, it } from 'vitest';
import { redactedUrl, redactingIo, urlSecrets } from '../../cli/redact-url.js';
import { CLI_TEST_TIMEOUT_MS, cli } from './cli-process.js';

/** URL → what the CLI prints of it; `secrets` must appear nowhere in the printed form. */
const table: { url: string; printed: string; secrets: string[] }[] = [
  { url: 'postgres://app:s3cret@db/cx', printed: 'postgres://app:***@db/cx', secrets: ['s3cret'] },
  // A raw @ in the password: the userinfo ends at the last @ (as WHATWG URL and pg read it).
  { url: 'postgres://postgres:p@ssS3cret@db:5432/cx', printed: 'postgres://postgres:***@db:5432/cx', secrets: ['p@ssS3cret', 'ssS3cret'] },
  { url: 'postgresql://u:a@b@c@db/cx', printed: 'postgresql://u:***@db/cx', secrets: ['a@b@c', 'b@c'] },
  // Percent-encoded characters, and raw ones that end a URL's authority.
  { url: 'postgres://u:p%40ss%2Fw%3Ard@db/cx', printed: 'postgres://u:***@db/cx', secrets: ['p%40ss', 'w%3Ard'] },
  { url: 'postgres://u:pa/ss?wo#rd@db/cx', printed: 'postgres://u:***@db/cx', secrets: ['pa/ss', 'wo#rd'] },
  { url: 'postgres://u:pass:word@db/cx', printed: 'postgres://u:***@db/cx', secrets: ['pass:word', 'word'] },
  // An empty password, a user without one, no userinfo at all: nothing to hide, nothing changed.
  { url: 'postgres://u:@db/cx', printed: 'postgres://u:***@db/cx', secrets: [] },
  { url: 'postgres://app@db:5432/cx', printed: 'postgres://app@db:5432/cx', secrets: [] },
  { url: 'postgres://db:5432/cx?sslmode=require', printed: 'postgres://db:5432/cx?sslmode=require', secrets: [] },
  // Query parameters, first or later, in any case.
  { url: 'postgres://app@db/cx?password=hunter2', printed: 'postgres://app@db/cx?password=***', secrets: ['hunter2'] },
  { url: 'postgres://app@db/cx?sslmode=require&password=hunter2&application_name=x', printed: 'postgres://app@db/cx?sslmode=require&password=***&application_name=x', secrets: ['hunter2'] },
  { url: 'postgres://app@db/cx?PASSWORD=Hunter2', printed: 'postgres://app@db/cx?PASSWORD=***', secrets: ['Hunter2'] },
  { url: 'postgres://app@db/cx?pass%77ord=hunter2', printed: 'postgres://app@db/cx?pass%77ord=***', secrets: ['hunter2'] },
  { url: 'postgres://app@db/cx?sslmode=verify-full&sslpassword=keypass', printed: 'postgres://app@db/cx?sslmode=verify-full&sslpassword=***', secrets: ['keypass'] },
  { url: 'postgres://app@db/cx?password=a%26b%23c', printed: 'postgres://app@db/cx?password=***', secrets: ['a%26b', 'a&b'] },
  { url: 'postgres://app@db/cx?password=ab#cd', printed: 'postgres://app@db/cx?password=***', secrets: ['ab#cd', 'cd'] },
  { url: 'postgresql:///cx?host=/var/run/postgresql&user=app&password=hunter2', printed: 'postgresql:///cx?host=/var/run/postgresql&user=app&password=***', secrets: ['hunter2'] },
  // Both forms at once.
  { url: 'postgres://u:first@db/cx?password=second', printed: 'postgres://u:***@db/cx?password=***', secrets: ['first', 'second'] },
  // MySQL / MariaDB: mysql2 reads options from the query too (password1–3 for multi-factor auth, ssl as JSON).
  { url: 'mysql://root:r00t@db:3306/cx', printed: 'mysql://root:***@db:3306/cx', secrets: ['r00t'] },
  { url: 'mysql://root@db/cx?password=hunter2', printed: 'mysql://root@db/cx?password=***', secrets: ['hunter2'] },
  { url: 'mariadb://root@db/cx?charset=utf8mb4&password1=one&password2=two', printed: 'mariadb://root@db/cx?charset=utf8mb4&password1=***&password2=***', secrets: ['one', 'two'] },
  { url: 'mysql://root@db/cx?ssl={"key":"PRIVATEKEY","passphrase":"pp"}', printed: 'mysql://root@db/cx?ssl=***', secrets: ['PRIVATEKEY', 'passphrase'] },
  { url: 'mysql://root@db/cx?ssl=%7B%22passphrase%22%3A%22pp%22%7D', printed: 'mysql://root@db/cx?ssl=***', secrets: ['%22pp%22'] },
  // Semicolon-separated and libpq keyword/value forms.
  { url: 'postgres://app@db/cx?sslmode=require;password=hunter2', printed: 'postgres://app@db/cx?sslmode=require;password=***', secrets: ['hunter2'] },
  { url: 'host=db user=app password=hunter2 dbname=cx', printed: 'host=db user=app password=*** dbname=cx', secrets: ['hunter2'] },
  // Tokens and secrets by other names.
  { url: 'postgres://app@db/cx?auth_token=t0ken&client_secret=s3c', printed: 'postgres://app@db/cx?auth_token=***&client_secret=***', secrets: ['t0ken', 's3c'] },
  // SQLite paths and URLs hold no credentials and stay as given.
  { url: '/var/lib/cx/cx.db', printed: '/var/lib/cx/cx.db', secrets: [] },
  { url: 'sqlite:///var/lib/cx.db', printed: 'sqlite:///var/lib/cx.db', secrets: [] },
  { url: './data/key=value.db', printed: './data/key=value.db', secrets: [] },
];

describe('cx-accounts CLI: redactedUrl hides every credential form (R27 item 10 of the attack round)', () => {
  it.each(table)('$url', ({ url, printed, secrets }) => {
    const shown = redactedUrl(url);
    expect(shown).toBe(printed);
    for (const secret of secrets) expect(shown).not.toContain(secret);
  });

  it('urlSecrets lists the secrets as written and decoded, longest first, and redactingIo hides them in any line', () => {
    expect(urlSecrets('mysql://root:s%40cret@db/cx?password=hunter2')).toEqual(['s%40cret', 'hunter2', 's@cret']);
    expect(urlSecrets('postgres://app@db/cx')).toEqual([]);
    const lines: string[] = [];
    const io = redactingIo({ out: (line) => lines.push(`out ${line}`), error: (line) => lines.push(`err ${line}`) }, 'postgres://u:p@ss@db/cx?password=hunter2');
    io.out('connected with p@ss');
    io.error('server said: password hunter2 rejected');
    expect(lines).toEqual(['out connected with ***', 'err server said: password *** rejected']);
  });
});

describe('cx-accounts CLI: failures print no credential', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  // Nothing listens on port 1: each opener fails, and its message is printed under the command.
  it.concurrent.each([
    { args: ['migrate', '--url', 'postgres://app:p@ssS3cret@127.0.0.1:1/cx?password=QuerySecret1'], secrets: ['p@ssS3cret', 'ssS3cret', 'QuerySecret1'] },
    { args: ['backups', 'run', '--once', '--url', 'postgres://app@127.0.0.1:1/cx?sslpassword=SslSecret2&password=QuerySecret3'], secrets: ['SslSecret2', 'QuerySecret3'] },
    { args: ['events', 'tail', '--domain', 'acme', '--url', 'mysql://root:My%40Secret4@127.0.0.1:1/cx'], secrets: ['My%40Secret4', 'My@Secret4'] },
    { args: ['migrate', '--url', 'mariadb://root:Secret5@127.0.0.1:1/cx?password=QuerySecret6'], secrets: ['Secret5', 'QuerySecret6'] },
  ])('$args.0 $args.1', async ({ args, secrets }) => {
    const run = await cli(args);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^cx-accounts (migrate|backups run|events tail): cannot open (PostgreSQL|MySQL) database/);
    for (const secret of secrets) expect(run.stdout + run.stderr, secret).not.toContain(secret);
  });
});
