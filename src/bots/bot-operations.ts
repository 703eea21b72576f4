import { err, ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { invalid, notFound, ruleError } from '../errors.js';
import { newEvent } from '../events/new-event.js';
import { transact } from '../run-transaction.js';
import { inAccountTransaction } from '../accounts/account-transaction.js';
import type { OperationContext } from '../operation-context.js';
import { BOT_ORIGINS, type BotRecord } from '../ports/records.js';
import { runOperation } from '../run-operation.js';
import { accountIdSchema, botIdSchema, domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { nameField } from '../validation/text-fields.js';

/**
 * An inquiry bot of an account. `origin` decides its fate on reset (R24).
 *
 * @category Conversations
 */
export type Bot = {
  botId: string;
  name: string;
  origin: 'admin' | 'dev_console';
  /** The account it serves; `null` for a `dev_console` bot detached by a reset (R38). */
  accountId: string | null;
  createdAt: Date;
};

const registerSchema = z.strictObject({
  botId: botIdSchema,
  name: nameField(50),
  origin: z.enum(BOT_ORIGINS),
});

/**
 * The `bots` operations.
 *
 * @category Conversations
 */
export type BotOperations = {
  /**
   * Registers an inquiry bot of an account. A bot id is unique in the domain: registering
   * one that exists (even detached by a reset) is `id_taken` (R38).
   *
   * @example
   * ```ts
   * const bot = await cx.bots.register('acme', 'help', { botId: 'faq', name: 'FAQ bot', origin: 'admin' });
   * if (bot.isErr() && bot.error.code === 'id_taken') console.log('pick another bot id');
   * ```
   *
   * @errors
   * - `validation`: the bot ID, name or origin is malformed.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `id_taken`: a bot with this ID is registered in the domain.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  register(
    domainId: string,
    accountId: string,
    input: { botId: string; name: string; origin: 'admin' | 'dev_console' },
  ): ResultAsync<Bot, OperationError<'bots.register'>>;
  /**
   * The bots of the domain by `botId`, or of one active account (R38). A `dev_console` bot
   * detached by a reset has `accountId: null`.
   *
   * @errors
   * - `validation`: `domainId` or `options.accountId` is malformed.
   * - `not_found`: `options.accountId` names no active account of the domain.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  list(domainId: string, options?: { accountId?: string }): ResultAsync<Bot[], OperationError<'bots.list'>>;
  /**
   * Attaches a detached `dev_console` bot to an active account (R38). An attached bot, or an
   * `admin` one, is a `validation` error on `botId`.
   *
   * @example
   * ```ts
   * const attached = await cx.bots.attach('acme', 'orders-bot', 'help2');
   * attached.match((bot) => console.log(bot.accountId), (error) => console.error(error.message));
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `botId` or `accountId` is malformed, or the bot cannot be attached
   *   (attached already, or not a `dev_console` bot, R38).
   * - `not_found`: no such bot, or no such active account (`entity` says which).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  attach(domainId: string, botId: string, accountId: string): ResultAsync<Bot, OperationError<'bots.attach'>>;
  /**
   * Deletes a bot of the domain (`not_found`, entity `bot`, for an unknown one).
   *
   * @errors
   * - `validation`: `domainId` or `botId` is malformed.
   * - `not_found`: the domain has no bot with this ID.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  remove(domainId: string, botId: string): ResultAsync<void, OperationError<'bots.remove'>>;
};

function toBot(record: BotRecord): Bot {
  return {
    botId: record.botId,
    name: record.name,
    origin: record.origin,
    accountId: record.accountKey === null ? null : record.accountId,
    createdAt: record.createdAt,
  };
}

const listOptionsSchema = z.strictObject({ accountId: accountIdSchema.optional() }).optional();

export function botOperations(context: OperationContext): BotOperations {
  const { store, clock } = context;
  return narrowed<BotOperations>({
    register: (domainId, accountId, input) =>
      runOperation(async (take) => {
        const fields = take(parseInput(registerSchema, input));
        return await inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
          if (await tx.findBot(fields.botId)) {
            return err(ruleError('id_taken', `a bot ${JSON.stringify(fields.botId)} is already registered in this domain`));
          }
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
          await tx.appendEvents([newEvent(context, 'bot.registered', account, { botId: bot.botId })]);
          return ok(toBot(bot));
        });
      }),

    list: (domainId, options) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const parsed = take(parseInput(listOptionsSchema, options, 'options'));
        if (parsed?.accountId === undefined) {
          return await transact(store, domain, 'read', async (tx) => ok((await tx.listBots()).map(toBot)));
        }
        return await inAccountTransaction(store, domain, parsed.accountId, 'read', async (account, tx) =>
          ok((await tx.listBots(account.key)).map(toBot)),
        );
      }),

    attach: (domainId, botId, accountId) =>
      runOperation(async (take) => {
        const bot = take(parseInput(botIdSchema, botId, 'botId'));
        return await inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
          const found = await tx.findBot(bot);
          if (!found) return err(notFound('bot', bot));
          if (found.origin !== 'dev_console' || found.accountKey !== null) {
            return err(invalid('botId', `only a detached dev_console bot can be attached; ${JSON.stringify(bot)} is ${found.accountKey === null ? 'an admin bot' : 'attached'}`));
          }
          await tx.attachBot(bot, account.key, account.id);
          await tx.appendEvents([newEvent(context, 'bot.attached', account, { botId: bot })]);
          return ok(toBot({ ...found, accountKey: account.key, accountId: account.id }));
        });
      }),

    remove: (domainId, botId) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const bot = take(parseInput(botIdSchema, botId, 'botId'));
        return await transact(store, domain, 'write', async (tx) => {
          const found = await tx.findBot(bot);
          if (!found) return err(notFound('bot', bot));
          await tx.deleteBot(bot);
          const account = found.accountKey === null ? null : { id: found.accountId, key: found.accountKey };
          await tx.appendEvents([newEvent(context, 'bot.removed', account, { botId: bot })]);
          return ok(undefined);
        });
      }),
  });
}
