import { EXIT, describeFailure, type CliIo } from './cli-io.js';
import { openTarget, redactedUrl, type DatabaseTarget } from './database-url.js';

/**
 * `cx-accounts migrate --url <database>`: brings the schema up to date (every opener runs the
 * in-code migrations, under the migrator's lock, so this is safe next to running apps) and
 * closes the connection. Answers the exit code.
 */
export async function migrateCommand(url: string, target: DatabaseTarget, io: CliIo): Promise<number> {
  try {
    const store = await openTarget(target);
    await store.close();
  } catch (thrown) {
    io.error(`cx-accounts migrate: ${describeFailure(thrown)}`);
    return EXIT.failure;
  }
  io.out(`cx-accounts migrate: the schema of ${redactedUrl(url)} is up to date`);
  return EXIT.ok;
}
