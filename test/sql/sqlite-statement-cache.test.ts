import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachingSqliteDatabase } from '../../adapters/sql/sqlite/sqlite-statement-cache.js';

describe('SQLite statement cache', () => {
  it('prepares each text once, and past its capacity drops the least recently used', () => {
    const database = new Database(':memory:');
    let prepared = 0;
    const counting = {
      prepare: (sql: string) => {
        prepared += 1;
        return database.prepare(sql);
      },
      close: () => database.close(),
    };
    const cache = cachingSqliteDatabase(counting, 4);
    const text = (n: number) => `select ${n} as n`;
    const a = cache.prepare(text(1));
    cache.prepare(text(2));
    expect(cache.prepare(text(1))).toBe(a);
    cache.prepare(text(3));
    cache.prepare(text(4));
    expect(prepared).toBe(4);
    // Over half full: a hit makes the statement the most recent, so text 2 is now the oldest.
    expect(cache.prepare(text(1))).toBe(a);
    cache.prepare(text(3));
    cache.prepare(text(5));
    expect(prepared).toBe(5);
    expect(cache.prepare(text(1))).toBe(a);
    expect(prepared).toBe(5);
    cache.prepare(text(2));
    expect(prepared).toBe(6);
    cache.close();
  });
});
