import { err, ok, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { invalid, type CxError } from '../errors.js';
import { inAccountTransaction } from '../accounts/account-transaction.js';
import type { OperationContext } from '../operation-context.js';
import type { BotRecord } from '../ports/records.js';
import { runOperation } from '../run-operation.js';
import { opaqueId } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { textField } from '../validation/text-fields.js';

/**
 * An inquiry bot of an account. `origin` decides its fate on reset (R24).
 *
 * @category Conversations
 */
export type Bot = {
  botId: string;
  name: string;
  origin: 'admin' | 'dev_console';
  /** The account it serves (after a reset, the account it served). */
  accountId: string;
  createdAt: Date;
};

const registerSchema = z.strictObject({
  botId: opaqueId('botId', 64),
  name: textField({ min: 1, max: 50, trim: true, forbidControl: true }),
  origin: z.enum(['admin', 'dev_console']),
});

/**
 * The `bots` operations.
 *
 * @category Conversations
 */
export type BotOperations = {
  /**
   * Registers an inquiry bot of an account. A bot id is unique in the domain: registering
   * one that exists (even detached by a reset) is a `validation` error on `botId`.
   *
   * @example
   * ```ts
   * await cx.bots.register('acme', 'help', { botId: 'faq', name: 'FAQ bot', origin: 'admin' });
   * ```
   */
  register(
    domainId: string,
    accountId: string,
    input: { botId: string; name: string; origin: 'admin' | 'dev_console' },
  ): ResultAsync<Bot, CxError>;
};

export function botOperations(context: OperationContext): BotOperations {
  const { store, clock } = context;
  return {
    register: (domainId, accountId, input) =>
      runOperation(async () => {
        const parsed = parseInput(registerSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const fields = parsed.value;
        return inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
          if (await tx.findBot(fields.botId)) return err(invalid('botId', `a bot ${JSON.stringify(fields.botId)} is already registered`));
          const bot: BotRecord = {
            domainId: account.domainId,
            botId: fields.botId,
            name: fields.name,
            origin: fields.origin,
            accountKey: account.key,
            accountId: account.id,
            createdAt: clock(),
          };
          await tx.insertBot(bot);
          return ok({ botId: bot.botId, name: bot.name, origin: bot.origin, accountId: bot.accountId, createdAt: bot.createdAt });
        });
      }),
  };
}
