import { defineCommand } from './cli-command.js';
import { EXIT, describeFailure } from './cli-io.js';
import { flag } from './cli-option.js';
import { openTarget } from './database-url.js';

/**
 * `cx-accounts migrate`: brings the schema up to date (every opener runs the in-code
 * migrations, under the migrator's lock, so this is safe next to running apps) and closes the
 * connection. The one command that may create a database (an SQLite file).
 */
export const migrateCommand = defineCommand({
  words: ['migrate'],
  summary: 'create the cx-accounts tables or bring them up to date, then exit',
  details: [
    'Creates the cx-accounts tables or brings them up to date, then exits. Safe next to running apps:',
    "the migrations run under the migrator's lock. The one command that creates a database: an SQLite",
    'file that does not exist yet (its folder must exist). A server database must already exist.',
  ].join('\n'),
  database: 'create',
  untilSignal: false,
  options: {
    json: flag('print the result as one JSON object: {"database": …, "schema": "up to date"}'),
  },
  async run({ values, database, io, fail }) {
    try {
      const store = await openTarget(database.target);
      await store.close();
    } catch (thrown) {
      fail(describeFailure(thrown));
      return EXIT.failure;
    }
    io.out(values.json ? JSON.stringify({ database: database.shown, schema: 'up to date' }) : `cx-accounts migrate: the schema of ${database.shown} is up to date`);
    return EXIT.ok;
  },
});
