import { err, ok, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { invalid, ruleError, type CxError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountRecord } from '../ports/records.js';
import { randomId } from '../random-id.js';
import { runOperation } from '../run-operation.js';
import { defaultSettings } from '../schedule/default-settings.js';
import { accountIdSchema, domainIdSchema, memberIdSchema } from '../validation/identifiers.js';
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
};

/**
 * A page of `accounts.list` (R10).
 *
 * @category Accounts
 */
export type AccountPage = { items: AccountSummary[]; nextCursor: string | null };

const createSchema = z.strictObject({
  productId: z.string({ error: 'productId must be a string' }).min(1).max(64),
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
   */
  create(domainId: string, input: CreateAccountInput): ResultAsync<Account, CxError>;
  /** The active account with this ID in the domain, or `not_found` (R13). */
  get(domainId: string, accountId: string): ResultAsync<Account, CxError>;
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
   */
  list(domainId: string, options?: { limit?: number; cursor?: string | null }): ResultAsync<AccountPage, CxError>;
  /**
   * Changes name, description or image (R5–R8, R12). Give `expectedVersion` to refuse the
   * change when someone else changed the account first (`version_conflict`). A call with
   * at least one field raises `version` by 1.
   */
  update(
    domainId: string,
    accountId: string,
    input: UpdateAccountInput,
    options?: ChangeOptions,
  ): ResultAsync<Account, CxError>;
  /** Moves an account to another product (R3, R4). Moving to its own product changes nothing. */
  changeProduct(domainId: string, accountId: string, productId: string, options?: ChangeOptions): ResultAsync<Account, CxError>;
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
   */
  reset(domainId: string, accountId: string, options?: ChangeOptions): ResultAsync<ResetReport, CxError>;
  /**
   * The contact URL as a QR code (R11): PNG bytes by default, or an SVG string.
   *
   * @example
   * ```ts
   * const png = await cx.accounts.qrCode('acme', 'help');
   * if (png.isOk()) await writeFile('help.png', png.value);
   * const svg = await cx.accounts.qrCode('acme', 'help', { format: 'svg' });
   * ```
   */
  qrCode(domainId: string, accountId: string, options?: { format?: 'png'; size?: number }): ResultAsync<Uint8Array, CxError>;
  /** The contact URL as an SVG document. */
  qrCode(domainId: string, accountId: string, options: { format: 'svg'; size?: number }): ResultAsync<string, CxError>;
  /** The contact URL as PNG bytes or SVG markup, as `options.format` says. */
  qrCode(domainId: string, accountId: string, options?: QrCodeOptions): ResultAsync<Uint8Array | string, CxError>;
  /** The image bytes of an account, or `null` when it has none. */
  image(domainId: string, accountId: string): ResultAsync<Uint8Array | null, CxError>;
};

export function accountOperations(context: OperationContext): AccountOperations {
  const { store, directory, clock } = context;

  const qrCode = (domainId: string, accountId: string, options?: QrCodeOptions) =>
    runOperation<Uint8Array | string>(async () => {
      const parsedOptions = parseInput(qrSchema, options, 'options');
      if (parsedOptions.isErr()) return err(parsedOptions.error);
      // Rendering happens after the transaction: it needs only the URL.
      const account = await inAccountTransaction(store, domainId, accountId, 'read', async (found) => ok(found));
      if (account.isErr()) return err(account.error);
      const size = parsedOptions.value?.size ?? 512;
      const url = account.value.contactUrl;
      return ok(parsedOptions.value?.format === 'svg' ? await renderQrSvg(url, size) : await renderQrPng(url, size));
    });

  return {
    create: (domainId, input) =>
      runOperation(async () => {
        const domain = parseInput(domainIdSchema, domainId, 'domainId');
        if (domain.isErr()) return err(domain.error);
        const parsed = parseInput(createSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const fields = parsed.value;
        const duplicate = firstDuplicate(fields.agentIds);
        if (duplicate !== undefined) return err(invalid('agentIds', `lists ${JSON.stringify(duplicate)} twice`));
        const members = await checkMembers(directory, domain.value, fields.agentIds);
        if (members.isErr()) return err(members.error);

        return store.transaction(domain.value, 'write', async (tx) => {
          const product = await loadProduct(tx, fields.productId);
          if (product.isErr()) return err(product.error);
          const room = await checkProductHasRoom(tx, product.value);
          if (room.isErr()) return err(room.error);
          const seats = checkSeats(product.value, fields.agentIds.length);
          if (seats.isErr()) return err(seats.error);
          if (await tx.isAccountIdActive(fields.id)) {
            return err(ruleError('id_taken', `account ID ${JSON.stringify(fields.id)} is already in use`));
          }
          const nameKey = accountNameKey(fields.name);
          if (await tx.isAccountNameActive(nameKey)) {
            return err(ruleError('name_taken', `an account of this domain is already named ${JSON.stringify(fields.name)}`));
          }
          const record: AccountRecord = {
            key: randomId(),
            domainId: domain.value,
            id: fields.id,
            name: fields.name,
            nameKey,
            description: fields.description ?? null,
            image: fields.image?.info ?? null,
            productId: product.value.productId,
            agentIds: fields.agentIds,
            contactUrl: newContactUrl(context.contactUrlBase),
            activatedAt: clock(),
            resetAt: null,
            version: 1,
            settings: defaultSettings(context.timeZone),
          };
          await tx.insertAccount(record, fields.image?.data ?? null);
          return ok(await viewAccount(tx, record));
        });
      }),

    get: (domainId, accountId) =>
      runOperation(async () => {
        return inAccountTransaction(store, domainId, accountId, 'read', async (account, tx) => ok(await viewAccount(tx, account)));
      }),

    list: (domainId, options) =>
      runOperation(async () => {
        const domain = parseInput(domainIdSchema, domainId, 'domainId');
        if (domain.isErr()) return err(domain.error);
        const parsed = parseInput(listSchema, options, 'options');
        if (parsed.isErr()) return err(parsed.error);
        const limit = parsed.value?.limit ?? 50;
        const cursor = parsed.value?.cursor;
        const after = cursor ? decodeAccountCursor(cursor) : ok(null);
        if (after.isErr()) return err(after.error);
        return store.transaction(domain.value, 'read', async (tx) => {
          // One row more than asked tells whether another page exists.
          const rows = await tx.listAccounts(after.value, limit + 1);
          const page = rows.slice(0, limit);
          const productNames = new Map((await tx.listProducts()).map((product) => [product.productId, product.name]));
          const last = page[page.length - 1];
          return ok({
            items: page.map(({ productId, ...row }) => ({ ...row, productName: productNames.get(productId) ?? productId })),
            nextCursor: rows.length > limit && last ? encodeAccountCursor(last) : null,
          });
        });
      }),

    update: (domainId, accountId, input, options) =>
      runOperation(async () => {
        const parsed = parseInput(updateSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const fields = parsed.value;
        return changeAccount(context, domainId, accountId, options, async (account, tx) => {
          if (fields.name === undefined && fields.description === undefined && fields.image === undefined) return ok(null);
          const next: AccountRecord = { ...account };
          if (fields.name !== undefined) {
            next.name = fields.name;
            next.nameKey = accountNameKey(fields.name);
            if (await tx.isAccountNameActive(next.nameKey, account.key)) {
              return err(ruleError('name_taken', `an account of this domain is already named ${JSON.stringify(fields.name)}`));
            }
          }
          if (fields.description !== undefined) next.description = fields.description;
          if (fields.image === undefined) return ok(next);
          next.image = fields.image?.info ?? null;
          return ok({ account: next, imageData: fields.image?.data ?? null });
        });
      }),

    changeProduct: (domainId, accountId, productId, options) =>
      runOperation(async () => {
        const product = parseInput(z.string({ error: 'must be a string' }).min(1).max(64), productId, 'productId');
        if (product.isErr()) return err(product.error);
        return changeAccount(context, domainId, accountId, options, async (account, tx) => {
          const newProduct = await loadProduct(tx, product.value);
          if (newProduct.isErr()) return err(newProduct.error);
          if (account.productId === newProduct.value.productId) return ok(null);
          const room = await checkProductHasRoom(tx, newProduct.value);
          if (room.isErr()) return err(room.error);
          const seats = checkSeats(newProduct.value, account.agentIds.length);
          if (seats.isErr()) return err(seats.error);
          return ok({ ...account, productId: newProduct.value.productId });
        });
      }),

    reset: (domainId, accountId, options) =>
      runOperation(async () => {
        const parsedOptions = parseInput(versionOptionsSchema, options, 'options');
        if (parsedOptions.isErr()) return err(parsedOptions.error);
        return inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
          const version = checkExpectedVersion(account, parsedOptions.value?.expectedVersion);
          if (version.isErr()) return err(version.error);
          const deletedRooms = await tx.deleteRooms(account.key);
          const bots = await tx.resetBots(account.key);
          await tx.updateAccount({ ...account, resetAt: clock(), version: account.version + 1 });
          return ok({
            deletedRooms,
            deletedBots: bots.deleted,
            keptBots: bots.kept,
            releasedAgentIds: [...account.agentIds],
          });
        });
      }),

    qrCode: qrCode as AccountOperations['qrCode'],

    image: (domainId, accountId) =>
      runOperation(async () => {
        return inAccountTransaction(store, domainId, accountId, 'read', async (account, tx) =>
          ok(account.image ? await tx.getAccountImage(account.key) : null),
        );
      }),
  };
}
