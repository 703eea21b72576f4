import { EventEmitter } from 'node:events';
import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineCommand, type StopReason } from '../../cli/cli-command.js';
import { CLI_COMMANDS } from '../../cli/cli-commands.js';
import { MAX_TIMER_MS, flag, identifier, shown, wholeNumber } from '../../cli/cli-option.js';
import { globalUsage, runCli, type CliHost } from '../../cli/run-cli.js';

/** A host in memory: the lines printed, signals sent by the test, the output closed on demand. */
function memoryHost(env: Record<string, string> = {}) {
  const out: string[] = [];
  const error: string[] = [];
  let firstLine: () => void = () => undefined;
  const printed = new Promise<void>((resolve) => (firstLine = resolve));
  const signals = new EventEmitter();
  const outputClosed = new AbortController();
  const host: CliHost = {
    io: {
      out: (line) => {
        out.push(line);
        firstLine();
      },
      error: (line) => error.push(line),
    },
    signals: { once: (name: string, listener: () => void) => signals.once(name, listener), off: (name: string, listener: () => void) => signals.off(name, listener) } as CliHost['signals'],
    env,
    outputClosed: outputClosed.signal,
  };
  return { host, out, error, signals, printed, closeOutput: () => outputClosed.abort() };
}

/**
 * A command as another helper would add one (`reports send`): a spec and one entry in the
 * table. It runs until stopped, and tells the test what it was given.
 */
function webhooksRun(seen: { values?: unknown; stopped?: StopReason; database?: string }) {
  return defineCommand({
    words: ['reports', 'send'],
    summary: 'deliver pending webhook events until SIGTERM or SIGINT',
    details: 'Delivers pending webhook events in rounds.',
    database: 'existing',
    untilSignal: true,
    options: {
      once: flag('run one round, then exit'),
      limit: wholeNumber({ placeholder: '<deliveries>', min: 1, max: 500, fallback: 50, help: 'deliveries one round makes at most' }),
      endpoint: identifier({ placeholder: '<id>', schema: z.string().min(1, 'must not be empty').max(8, 'at most 8 characters'), help: 'one endpoint only' }),
    },
    async run({ values, stop, database, io }) {
      seen.values = values;
      seen.database = database.shown;
      io.out('started');
      if (!values.once) await new Promise((resolve) => stop.addEventListener('abort', resolve, { once: true }));
      seen.stopped = stop.reason as StopReason;
      return 0;
    },
  });
}

describe('cx-accounts CLI: the command table', () => {
  it('a new command is one entry: parsed, checked and listed in every usage from its spec', async () => {
    const seen: { values?: unknown; stopped?: StopReason; database?: string } = {};
    const commands = [...CLI_COMMANDS, webhooksRun(seen)];
    const url = 'postgres://app:s3cret@db/cx';

    const ok = memoryHost();
    const code = await runCli(['reports', 'send', '--url', url, '--endpoint', 'hook1', '--limit', '7', '--once'], ok.host, commands);
    expect(code).toBe(0);
    expect(seen).toMatchObject({ values: { once: true, limit: 7, endpoint: 'hook1' }, database: 'postgres://app:***@db/cx', stopped: undefined });

    const wrong = memoryHost();
    expect(await runCli(['reports', 'send', '--url', url, '--endpoint', 'hook1', '--limit', '501'], wrong.host, commands)).toBe(2);
    expect(wrong.error[0]).toBe("cx-accounts reports send: --limit must be a whole number from 1 to 500, got '501'");
    expect(wrong.error.join('\n')).toContain('--limit <deliveries>  deliveries one round makes at most: a whole number from 1 to 500 (default 50)');

    const tooLong = memoryHost();
    expect(await runCli(['reports', 'send', '--url', url, '--endpoint', 'endpoint-9'], tooLong.host, commands)).toBe(2);
    expect(tooLong.error[0]).toBe("cx-accounts reports send: --endpoint: at most 8 characters, got 'endpoint-9'");

    const group = memoryHost();
    expect(await runCli(['reports'], group.host, commands)).toBe(2);
    expect(group.error[0]).toBe('cx-accounts reports: needs a command: send');
    expect(globalUsage(commands)).toContain('cx-accounts reports send [--url <database>] [--once] [--limit <deliveries>] --endpoint <id>');
    expect(globalUsage(CLI_COMMANDS)).not.toContain('reports');
  });

  it('an option name means one thing in every command (the first parse reads all commands\' options at once)', () => {
    const types = new Map<string, Set<string>>();
    for (const command of CLI_COMMANDS) {
      for (const [name, option] of Object.entries(command.parseOptions)) types.set(name, (types.get(name) ?? new Set()).add(option.type));
    }
    for (const [name, seen] of types) expect([...seen], name).toHaveLength(1);
    expect([...types.keys()].sort()).toEqual(['after', 'allow-http', 'allow-private-networks', 'domain', 'help', 'interval-ms', 'json', 'limit', 'once', 'url', 'version']);
  });

  it('a command that runs until stopped gets SIGTERM, SIGINT or its output closing as `stop`, and its listeners go when it ends', async () => {
    for (const [reason, send] of [
      ['SIGTERM', (host: ReturnType<typeof memoryHost>) => host.signals.emit('SIGTERM')],
      ['SIGINT', (host: ReturnType<typeof memoryHost>) => host.signals.emit('SIGINT')],
      ['EPIPE', (host: ReturnType<typeof memoryHost>) => host.closeOutput()],
    ] as const) {
      const seen: { stopped?: StopReason } = {};
      const host = memoryHost({ DATABASE_URL: 'postgres://db/cx' });
      const running = runCli(['reports', 'send', '--endpoint', 'hook1'], host.host, [webhooksRun(seen)]);
      // The command has started once it has printed; then the stop is sent.
      await host.printed;
      expect(host.out).toEqual(['started']);
      send(host);
      expect(await running).toBe(0);
      expect(seen.stopped).toBe(reason);
      expect([host.signals.listenerCount('SIGTERM'), host.signals.listenerCount('SIGINT')]).toEqual([0, 0]);
    }
  });

  it('a command that throws (a bug) answers 1 with its message, the URL secrets hidden', async () => {
    const failing = defineCommand({
      words: ['boom'],
      summary: 'throws',
      details: 'Throws.',
      database: 'create',
      untilSignal: false,
      options: {},
      async run() {
        throw new Error('could not reach postgres://app:s3cret@db/cx');
      },
    });
    const host = memoryHost();
    expect(await runCli(['boom', '--url', 'postgres://app:s3cret@db/cx'], host.host, [failing])).toBe(1);
    expect(host.error).toEqual(['cx-accounts boom: could not reach postgres://app:***@db/cx']);
  });

  it('options read their text strictly: digits only, within the range; flags; ids through the schema', () => {
    const interval = wholeNumber({ placeholder: '<ms>', min: 1, max: MAX_TIMER_MS, fallback: 5, help: 'pause' });
    expect(interval.read(undefined, 'interval-ms')).toEqual(ok(5));
    expect(interval.read('2147483647', 'interval-ms')).toEqual(ok(MAX_TIMER_MS));
    for (const text of ['2147483648', '0', '-1', '1.0', '1e3', '0x10', ' 1', '1 ', '', '٣']) {
      expect(interval.read(text, 'interval-ms').isErr(), text).toBe(true);
    }
    expect([flag('x').read(true, 'x'), flag('x').read(undefined, 'x')]).toEqual([ok(true), ok(false)]);
    expect(shown('a\nb\u0085\'c')).toBe("'a\\nb\\u0085\\'c'");
    expect(shown('x'.repeat(100))).toBe(`'${'x'.repeat(60)}…'`);
  });
});
