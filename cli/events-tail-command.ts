import { domainIdSchema } from '../src/validation/identifiers.js';
import { defineCommand } from './cli-command.js';
import { EXIT } from './cli-io.js';
import { MAX_TIMER_MS, flag, identifier, wholeNumber } from './cli-option.js';
import { pause } from './pause.js';

/** Events one `events.read` call answers at most (its `limit` bound). */
const MAX_EVENT_PAGE = 1000;

/**
 * `cx-accounts events tail --domain <id>`: prints a domain's events as JSON lines, oldest
 * first, then follows the log (R30–R32). `seq` never goes back, so a consumer that remembers
 * the last `seq` it read resumes with `--after <seq>`. SIGTERM, SIGINT or its output closing
 * (`| head -1`) stops it after the page in hand, with exit code 0.
 */
export const eventsTailCommand = defineCommand({
  words: ['events', 'tail'],
  summary: "print a domain's events as JSON lines, then follow the log until SIGTERM or SIGINT",
  details: [
    "Prints a domain's events with seq above --after as JSON lines (one event a line, oldest first),",
    'then follows the log, reading again when a read found nothing new after --interval-ms. seq never',
    'goes back: resume with --after <the last seq printed>. SIGTERM, SIGINT or the output closing',
    '(| head) ends it with exit code 0.',
  ].join('\n'),
  database: 'existing',
  untilSignal: true,
  options: {
    domain: identifier({ placeholder: '<id>', schema: domainIdSchema, help: 'the domain whose events to print: 1 to 128 characters, no control characters' }),
    after: wholeNumber({ placeholder: '<seq>', min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0, help: 'print the events with a greater seq' }),
    once: flag('print what there is, then exit, instead of following'),
    'interval-ms': wholeNumber({ placeholder: '<ms>', min: 1, max: MAX_TIMER_MS, fallback: 1000, help: 'pause after a read that found nothing new' }),
    limit: wholeNumber({ placeholder: '<events>', min: 1, max: MAX_EVENT_PAGE, fallback: MAX_EVENT_PAGE, help: 'events one read fetches' }),
    json: flag('one JSON object a line (what it always prints; accepted like the other commands)'),
  },
  async run({ values, database, io, stop, fail }) {
    // Loaded here: a wrong command line is answered without loading the library.
    const { openOperatorSession } = await import('./operator-session.js');
    const session = await openOperatorSession(database.target, fail);
    if (session === null) return EXIT.failure;
    const { store, cx } = session;
    let after = values.after;
    try {
      while (!stop.aborted) {
        const page = await cx.events.read(values.domain, { after, limit: values.limit });
        if (page.isErr()) {
          fail(`${page.error.code}: ${page.error.message}`);
          return EXIT.failure;
        }
        for (const event of page.value.events) {
          if (stop.aborted) break;
          io.out(JSON.stringify(event));
          after = event.seq;
        }
        if (stop.aborted) break;
        if (after < page.value.lastSeq) continue;
        if (values.once) break;
        await pause(values['interval-ms'], stop);
      }
      return EXIT.ok;
    } finally {
      await store.close().catch(() => undefined);
    }
  },
});
