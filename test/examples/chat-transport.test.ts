import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('examples/chat-transport.ts (guide: integrating with your chat transport)', () => {
  it('R30 R32: a consumer resumes after its saved seq, gets an event again after a crash, and applies each once', async () => {
    const run = await runExample('examples/chat-transport.ts');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const lines = run.stdout.split('\n').map((line) => line.trim());
    expect(lines).toContain('first pass stopped; saved position 6');
    expect(lines).toContain('second pass done; saved position 9');
    // Event 7 came twice (at least once) and was applied once (idempotent by seq).
    expect(lines.filter((line) => line === '#7 deliver away reply to lee')).toHaveLength(1);
    expect(lines).toContain('skip #7 (already applied)');
    expect(lines).toContain('#8 minji left help; rooms handed over: 1');
    expect(lines).toContain('#8 revoke console access of minji');
    expect(lines).toContain('#9 tear down rooms 1 and bots - of help');
    expect(lines).toContain('applied 9 events once each');
  });
});
