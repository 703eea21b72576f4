import { err, ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { invalid, nameTaken, ruleError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountPatch, AccountRecord } from '../ports/records.js';
import { membersGainingAccess, membersLosingAccess } from './access-changes.js';
import { newEvent } from '../events/new-event.js';
import { transact } from '../run-transaction.js';
import { randomId } from '../random-id.js';
import { runOperation } from '../run-operation.js';
import { defaultSettings } from '../schedule/default-settings.js';
import { accountIdSchema, domainIdSchema, memberIdSchema, productIdSchema } from '../validation/identifiers.js';
import { inAccountTransaction } from './account-transaction.js';
import { parseInput } from '../validation/parse-input.js';
import { decodeAccountCursor, encodeAccountCursor } from './account-cursor.js';
import { accountNameKey, accountNameSchema, descriptionSchema, versionOptionsSchema } from './account-fields.js';
import {
  checkMembers,
  checkProductHasRoom,
  checkSeats,
  loadProduct,
  viewAccount,
} from './account-lookup.js';
import type { Account, AccountSummary } from './account-view.js';
import { changeAccount, checkExpectedVersion, type ChangeOptions } from './change-account.js';
import { newContactUrl } from './contact-url.js';
import { imageFieldSchema } from './image-field.js';
import { renderQrPng, renderQrSvg, type QrCodeOptions } from './qr-code.js';

/**
 * An image given to `accounts.create` or `accounts.update` (R8).
 *
 * @category Accounts
 */
export type ImageInput = { fileName: string; data: Uint8Array };

/**
 * What `accounts.create` takes (R9).
 *
 * @category Accounts
 */
export type CreateAccountInput = {
  productId: string;
  name: string;
  id: string;
  description?: string | null;
  image?: ImageInput | null;
  agentIds: string[];
};

/**
 * What `accounts.update` takes (R12); omitted fields keep their value.
 *
 * @category Accounts
 */
export type UpdateAccountInput = {
  name?: string;
  description?: string | null;
  image?: ImageInput | null;
};

/**
 * What `accounts.reset` did (R24).
 *
 * @category Accounts
 */
export type ResetReport = {
  deletedRooms: number;
  deletedBots: number;
  keptBots: number;
  releasedAgentIds: string[];
  /** The rooms deleted, so the host can tear down its side. */
  deletedRoomIds: string[];
  /** The `admin` bots deleted. */
  deletedBotIds: string[];
  /** The `dev_console` bots kept, now detached (`accountId: null` in `bots.list`). */
  keptBotIds: string[];
};

/**
 * A page of `accounts.list` (R10).
 *
 * @category Accounts
 */
export type AccountPage = { items: AccountSummary[]; nextCursor: string | null };

const createSchema = z.strictObject({
  productId: productIdSchema,
  name: accountNameSchema,
  id: accountIdSchema,
  description: descriptionSchema.optional(),
  image: imageFieldSchema.optional(),
  agentIds: z
    .array(memberIdSchema, { error: 'must be a list of member ids' })
    .min(1, 'an account needs at least one agent')
    .max(10_000, 'too many agents'),
});

const updateSchema = z.strictObject({
  name: accountNameSchema.optional(),
  description: descriptionSchema.optional(),
  image: imageFieldSchema.optional(),
});

const listSchema = z
  .strictObject({
    limit: z.number().int().min(1).max(200).optional(),
    cursor: z.string().nullable().optional(),
  })
  .optional();

const qrSchema = z
  .strictObject({
    format: z.enum(['png', 'svg']).optional(),
    size: z.number().int().min(64).max(2048).optional(),
  })
  .optional();

/** Finds the first duplicate in a list. */
function firstDuplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

/**
 * The `accounts` operations.
 *
 * @category Accounts
 */
export type AccountOperations = {
  /**
   * Creates an account on a product with its first agents (R3–R9).
   *
   * @example
   * ```ts
   * const created = await cx.accounts.create('acme', {
   *   productId: 'basic', name: 'Help desk', id: 'help', agentIds: ['u1'],
   * });
   * if (created.isOk()) console.log(created.value.contactUrl);
   * ```
   *
   * @errors
   * - `validation`: the ID, name, description, image or agent list is malformed or out of bounds;
   *   `issues` name each field.
   * - `not_found`: the product is not one of the domain (`entity: "product"`), or an agent is not a
   *   member in your directory (`entity: "member"`).
   * - `product_unavailable`: every unit of the product is in use by an active account (`quantity`,
   *   `inUse`, R3).
   * - `seat_limit_exceeded`: more agents than the product's `seatLimit` (R4).
   * - `id_taken`: an active account of any domain has this ID (R5).
   * - `name_taken`: an active account of the domain has this name, after Unicode normalisation
   *   (R6).
   * - `directory_failure`: your member directory threw or answered something other than a list of
   *   members.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  create(domainId: string, input: CreateAccountInput): ResultAsync<Account, OperationError<'accounts.create'>>;
  /**
   * The active account with this ID in the domain, or `not_found` (R13).
   *
   * @errors
   * - `validation`: `domainId`, `accountId` or another argument is malformed; `issues` name each
   *   one.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  get(domainId: string, accountId: string): ResultAsync<Account, OperationError<'accounts.get'>>;
  /**
   * A page of the active accounts, oldest activation first (R10). Pass `nextCursor` back to
   * get the next page; it is `null` on the last page.
   *
   * @example
   * ```ts
   * let cursor: string | null = null;
   * do {
   *   const page: Result<AccountPage, CxError> = await cx.accounts.list('acme', { limit: 100, cursor });
   *   if (page.isErr()) break;
   *   page.value.items.forEach((item) => console.log(item.id, item.agentCount));
   *   cursor = page.value.nextCursor;
   * } while (cursor);
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `limit` (1–200) or `cursor` is malformed.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  list(domainId: string, options?: { limit?: number; cursor?: string | null }): ResultAsync<AccountPage, OperationError<'accounts.list'>>;
  /**
   * Changes name, description or image (R5–R8, R12). Give `expectedVersion` to refuse the
   * change when someone else changed the account first (`version_conflict`). A call with
   * at least one field raises `version` by 1.
   *
   * @errors
   * - `validation`: a field is malformed or out of bounds (name, description, image); `issues` name
   *   it.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `name_taken`: another active account of the domain has the new name (R6).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  update(
    domainId: string,
    accountId: string,
    input: UpdateAccountInput,
    options?: ChangeOptions,
  ): ResultAsync<Account, OperationError<'accounts.update'>>;
  /**
   * Moves an account to another product (R3, R4). Moving to its own product changes nothing.
   *
   * @errors
   * - `validation`: `domainId`, `accountId` or another argument is malformed; `issues` name each
   *   one.
   * - `not_found`: no such account, or the product is not one of the domain (`entity` says which).
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `product_unavailable`: every unit of the new product is in use (R3).
   * - `seat_limit_exceeded`: the account has more agents than the new product's `seatLimit` (R4).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  changeProduct(domainId: string, accountId: string, productId: string, options?: ChangeOptions): ResultAsync<Account, OperationError<'accounts.changeProduct'>>;
  /**
   * Ends an account for good (R24) and says what it did.
   *
   * @example
   * ```ts
   * (await cx.accounts.reset('acme', 'help')).match(
   *   (report) => console.log(`${report.deletedRooms} rooms deleted, ${report.keptBots} developer bots kept`),
   *   (error) => console.error(error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `accountId` or another argument is malformed; `issues` name each
   *   one.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  reset(domainId: string, accountId: string, options?: ChangeOptions): ResultAsync<ResetReport, OperationError<'accounts.reset'>>;
  /**
   * The contact URL as a QR code (R11): PNG bytes by default, or an SVG string.
   *
   * @example
   * ```ts
   * const png = await cx.accounts.qrCode('acme', 'help');
   * if (png.isOk()) await writeFile('help.png', png.value);
   * const svg = await cx.accounts.qrCode('acme', 'help', { format: 'svg' });
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `accountId`, `format` or `size` (64–2048) is malformed.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  qrCode(domainId: string, accountId: string, options?: { format?: 'png'; size?: number }): ResultAsync<Uint8Array, OperationError<'accounts.qrCode'>>;
  /** The contact URL as an SVG document. */
  qrCode(domainId: string, accountId: string, options: { format: 'svg'; size?: number }): ResultAsync<string, OperationError<'accounts.qrCode'>>;
  /** The contact URL as PNG bytes or SVG markup, as `options.format` says. */
  qrCode(domainId: string, accountId: string, options?: QrCodeOptions): ResultAsync<Uint8Array | string, OperationError<'accounts.qrCode'>>;
  /**
   * The image bytes of an account, or `null` when it has none.
   *
   * @errors
   * - `validation`: `domainId`, `accountId` or another argument is malformed; `issues` name each
   *   one.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  image(domainId: string, accountId: string): ResultAsync<Uint8Array | null, OperationError<'accounts.image'>>;
};

export function accountOperations(context: OperationContext): AccountOperations {
  const { store, directory, clock } = context;

  const qrCode = (domainId: string, accountId: string, options?: QrCodeOptions) =>
    runOperation<Uint8Array | string>(async (take) => {
      const parsedOptions = take(parseInput(qrSchema, options, 'options'));
      // Rendering happens after the transaction: it needs only the URL.
      const account = take(await inAccountTransaction(store, domainId, accountId, 'read', async (found) => ok(found)));
      const size = parsedOptions?.size ?? 512;
      const url = account.contactUrl;
      return ok(parsedOptions?.format === 'svg' ? await renderQrSvg(url, size) : await renderQrPng(url, size));
    });

  return narrowed<AccountOperations>({
    create: (domainId, input) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const fields = take(parseInput(createSchema, input));
        const duplicate = firstDuplicate(fields.agentIds);
        if (duplicate !== undefined) return err(invalid('agentIds', `lists ${JSON.stringify(duplicate)} twice`));
        take(await checkMembers(directory, domain, fields.agentIds));

        return await transact(store, domain, 'write', async (tx, take) => {
          const product = take(await loadProduct(tx, fields.productId));
          take(await checkProductHasRoom(tx, product));
          take(checkSeats(product, fields.agentIds.length));
          if (await tx.isAccountIdActive(fields.id)) {
            return err(ruleError('id_taken', `account ID ${JSON.stringify(fields.id)} is already in use`));
          }
          const nameKey = accountNameKey(fields.name);
          const holder = await tx.findAccountByName(nameKey);
          if (holder) return err(nameTaken(holder.id, `account ${holder.id} of this domain already has the name ${JSON.stringify(fields.name)} (or one that reads alike)`));
          const record: AccountRecord = {
            key: randomId(),
            domainId: domain,
            id: fields.id,
            name: fields.name,
            nameKey,
            description: fields.description ?? null,
            image: fields.image?.info ?? null,
            productId: product.productId,
            agentIds: fields.agentIds,
            contactUrl: newContactUrl(context.contactUrlBase),
            activatedAt: clock(),
            resetAt: null,
            version: 1,
            settings: defaultSettings(context.timeZone),
          };
          const gainedAccessIds = await membersGainingAccess(tx, fields.agentIds);
          await tx.insertAccount(record, fields.image?.data ?? null);
          await tx.appendEvents([
            newEvent(context, 'account.created', record, {
              name: record.name,
              productId: record.productId,
              agentIds: [...record.agentIds],
              gainedAccessIds,
            }),
          ]);
          return ok(await viewAccount(tx, record, product));
        });
      }),

    get: (domainId, accountId) =>
      runOperation(() => inAccountTransaction(store, domainId, accountId, 'read', async (account, tx) => ok(await viewAccount(tx, account)))),

    list: (domainId, options) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const parsed = take(parseInput(listSchema, options, 'options'));
        const limit = parsed?.limit ?? 50;
        const after = parsed?.cursor ? take(decodeAccountCursor(parsed.cursor)) : null;
        return await transact(store, domain, 'read', async (tx) => {
          // One row more than asked tells whether another page exists.
          const rows = await tx.listAccounts(after, limit + 1);
          const page = rows.slice(0, limit);
          const products = new Map((await tx.listProducts()).map((product) => [product.productId, product]));
          const last = page[page.length - 1];
          return ok({
            items: page.map(({ productId, ...row }) => {
              const product = products.get(productId);
              return { ...row, productName: product?.name ?? productId, seatLimit: product?.seatLimit ?? row.agentCount };
            }),
            nextCursor: rows.length > limit && last ? encodeAccountCursor(last) : null,
          });
        });
      }),

    update: (domainId, accountId, input, options) =>
      runOperation(async (take) => {
        const fields = take(parseInput(updateSchema, input));
        return await changeAccount(context, domainId, accountId, options, async (account, tx) => {
          const patch: AccountPatch = {};
          const changed: string[] = [];
          if (fields.name !== undefined) {
            const nameKey = accountNameKey(fields.name);
            const holder = await tx.findAccountByName(nameKey);
            if (holder && holder.key !== account.key) {
              return err(nameTaken(holder.id, `account ${holder.id} of this domain already has the name ${JSON.stringify(fields.name)} (or one that reads alike)`));
            }
            patch.name = fields.name;
            patch.nameKey = nameKey;
            changed.push('name');
          }
          if (fields.description !== undefined) {
            patch.description = fields.description;
            changed.push('description');
          }
          if (fields.image !== undefined) changed.push('image');
          if (changed.length === 0) return ok(null);
          const events = [newEvent(context, 'account.updated', account, { fields: changed })];
          return ok(fields.image === undefined ? { patch, events } : { patch, image: fields.image, events });
        });
      }),

    changeProduct: (domainId, accountId, productId, options) =>
      runOperation(async (take) => {
        const wanted = take(parseInput(productIdSchema, productId, 'productId'));
        return await changeAccount(context, domainId, accountId, options, async (account, tx, take) => {
          const product = take(await loadProduct(tx, wanted));
          if (account.productId === product.productId) return ok(null);
          take(await checkProductHasRoom(tx, product));
          take(checkSeats(product, account.agentIds.length));
          return ok({
            patch: { productId: product.productId },
            events: [newEvent(context, 'account.product_changed', account, { from: account.productId, to: product.productId })],
            product,
          });
        });
      }),

    reset: (domainId, accountId, options) =>
      runOperation(async (take) => {
        const parsedOptions = take(parseInput(versionOptionsSchema, options, 'options'));
        return await inAccountTransaction(store, domainId, accountId, 'write', async (account, tx, take) => {
          take(checkExpectedVersion(account, parsedOptions?.expectedVersion));
          const deletedRoomIds = (await tx.listRooms(account.key)).map((room) => room.roomId);
          const bots = await tx.listBots(account.key);
          const deletedBotIds = bots.filter((bot) => bot.origin === 'admin').map((bot) => bot.botId);
          const keptBotIds = bots.filter((bot) => bot.origin !== 'admin').map((bot) => bot.botId);
          const releasedAgentIds = [...account.agentIds];
          const lostAccessIds = await membersLosingAccess(tx, releasedAgentIds, account.id);
          await tx.deleteRooms(account.key);
          await tx.resetBots(account.key);
          await tx.markReset(account.key, clock(), account.version + 1);
          await tx.appendEvents([
            newEvent(context, 'account.reset', account, { deletedRoomIds, deletedBotIds, keptBotIds, releasedAgentIds, lostAccessIds }),
          ]);
          return ok({
            deletedRooms: deletedRoomIds.length,
            deletedBots: deletedBotIds.length,
            keptBots: keptBotIds.length,
            releasedAgentIds,
            deletedRoomIds,
            deletedBotIds,
            keptBotIds,
          });
        });
      }),

    qrCode: qrCode as AccountOperations['qrCode'],

    image: (domainId, accountId) =>
      runOperation(() =>
        inAccountTransaction(store, domainId, accountId, 'read', async (account, tx) =>
          ok(account.image ? await tx.getAccountImage(account.key) : null),
        ),
      ),
  });
}
