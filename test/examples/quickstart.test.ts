import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('examples/quickstart.ts (npm run demo)', () => {
  it('runs on SQLite and shows each rule at work', async () => {
    const run = await runExample('examples/quickstart.ts');
    expect(run.stderr, run.stderr).not.toMatch(/Error/);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const lines = run.stdout.split('\n').map((line) => line.trim());
    const line = (start: string) => {
      const found = lines.find((candidate) => candidate.startsWith(start));
      expect(found, `a line starting with ${JSON.stringify(start)} in:\n${run.stdout}`).toBeDefined();
      return found!;
    };

    expect(line('Store: SQLite file')).toMatch(/quickstart\.sqlite$/);
    expect(line('✔ create "Help desk" (id help):')).toMatch(/version 1, contact URL https:\/\/talk\.example\.com\/add\/[A-Za-z0-9_-]{22,}$/);
    expect(line('✔ create "상담실" (id sales):')).toContain('상담실 on Basic');
    // The rules refuse what they must (R3, R5, R6, R4, R16), with their codes.
    expect(line('✘ create a third Basic account:')).toContain('product_unavailable');
    expect(line('✘ create "HELP DESK" again:')).toContain('name_taken');
    expect(line('✘ create with ID "Help-Desk":')).toContain('validation');
    expect(line('✘ add alex to help (Basic has 2 seats):')).toContain('seat_limit_exceeded');
    expect(line('✘ remove haruto from sales (last agent):')).toContain('last_agent');
    // Access follows agency (R17); the overview counts units (R2).
    expect(line('✔ access of minji:')).toMatch(/: no$/);
    expect(line('✔ access of haruto:')).toContain('yes, through help, sales');
    expect(line('✔ overview:')).toContain('2 active of 3 purchased — Basic 1/2, Pro 1/1');
    // Automatic replies (R22, R23): a welcome, then one away message per night.
    expect(line('✔ customer Lee adds help on LINE:')).toContain('reply "Welcome to the help desk!"');
    expect(line('✔ Lee writes at 23:30 Seoul time:')).toContain('reply "We are closed now');
    expect(line('✔ Lee writes again at 23:40:')).toContain('no reply');
    expect(line('✔ render PNG:')).toMatch(/\d+ bytes$/);
    // Reset (R24) and what follows from it (R13, R17).
    expect(line('✔ reset help:')).toContain('1 room(s) and 1 admin bot(s) deleted, 1 developer bot(s) kept');
    expect(line('✘ get help after reset:')).toContain('not_found');
    // Agents over time (R35, R34), what is kept (R39), channels (R43), erasure (R42), events (R30).
    expect(line('✔ haruto leaves the company (minji replaces him):')).toContain('left sales');
    expect(line('✔ swap the agent of sales for alex:')).toMatch(/: alex$/);
    expect(line('✔ history of help (kept after reset):')).toContain('customer:Lee Jiwoo, account:Lee Jiwoo');
    expect(line('✘ Lee adds sales on LINE:')).toContain('channel_disconnected');
    expect(line('✔ erase customer Lee (privacy request):')).toContain('1 contact(s), 4 message(s), 0 room(s)');
    expect(line('✔ events of acme:')).toMatch(/lastSeq \d+: product\.set×2, account\.created×2, /);
    expect(lines).toContain('Done.');

    // Every refusal is one the script means to show.
    expect(lines.filter((candidate) => candidate.startsWith('✘'))).toHaveLength(7);
  });
});
