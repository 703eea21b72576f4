import { describe, expect, it } from 'vitest';
import { newMessageId } from '../../src/internal/message-id.js';

describe('message ids (R39: one instant lists by messageId)', () => {
  it('are 26 lowercase hex digits, strictly increasing in the order they are made, across many random batches', () => {
    const ids = Array.from({ length: 5000 }, () => newMessageId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{26}$/);
    for (let index = 1; index < ids.length; index++) expect(ids[index]! > ids[index - 1]!).toBe(true);
  });

  it('end in random digits that differ from id to id (two processes making ids at once do not collide)', () => {
    const tails = Array.from({ length: 3000 }, () => newMessageId().slice(18));
    // 3,000 draws of 32 random bits: a repeat is about a 1-in-1,000 chance; a stuck or
    // reused random source repeats at once.
    expect(new Set(tails).size).toBeGreaterThan(2995);
  });
});
