import { err, ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { seatLimitExceeded, unitsError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { ProductRecord } from '../ports/records.js';
import { newEvent } from '../events/new-event.js';
import { runOperation } from '../run-operation.js';
import { transact } from '../run-transaction.js';
import { domainIdSchema, productIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { typeName } from '../internal/value-kinds.js';
import { nameField } from '../validation/text-fields.js';

/**
 * A purchased product (R1): `seatLimit` agents per account, bought `quantity` times.
 *
 * @category Products
 */
export type Product = ProductRecord;

/**
 * A product with the number of active accounts using it (R2) and the units still free,
 * `quantity − inUse` (R50; 0 when a lowered quantity left none).
 *
 * @category Products
 */
export type ProductUsageView = Product & { inUse: number; available: number };

/**
 * What `products.overview` answers (R2).
 *
 * @category Products
 */
export type ProductOverview = {
  /** Sum of the quantities of every product. */
  totalPurchased: number;
  /** Active accounts of the domain. */
  activeAccounts: number;
  products: ProductUsageView[];
};

const MAX_COUNT = 1_000_000;

/** A whole number from `min` to MAX_COUNT, with messages that say what was given. */
function wholeNumber(min: number) {
  return z
    .number({ error: (issue) => `must be a number, got ${typeName(issue.input)}` })
    .int({ error: (issue) => `must be a whole number, got ${String(issue.input)}` })
    .min(min, { error: (issue) => `must be at least ${min}, got ${String(issue.input)}` })
    .max(MAX_COUNT, { error: (issue) => `must be at most ${MAX_COUNT}, got ${String(issue.input)}` });
}

const productInputSchema = z.strictObject({
  productId: productIdSchema,
  name: nameField(50),
  seatLimit: wholeNumber(1),
  quantity: wholeNumber(0),
});

/**
 * The `products` operations.
 *
 * @category Products
 */
export type ProductOperations = {
  /**
   * Creates or replaces a product of the domain (R1). Lowering `quantity` below the active
   * accounts on the product fails with `quantity_below_usage`; lowering `seatLimit` below the
   * agents of an account on it fails with `seat_limit_exceeded` (R4).
   *
   * @example
   * ```ts
   * await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 3 });
   * ```
   *
   * @errors
   * - `validation`: `domainId` or a field of the product is malformed (`seatLimit` and `quantity`
   *   are whole numbers ≥ 1).
   * - `quantity_below_usage`: the new `quantity` is below the number of active accounts on the
   *   product (`inUse`, R1).
   * - `seat_limit_exceeded`: the new `seatLimit` is below the agent count of an account on the
   *   product (`requested`, R4).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  set(domainId: string, input: { productId: string; name: string; seatLimit: number; quantity: number }): ResultAsync<Product, OperationError<'products.set'>>;
  /**
   * Every product with its use, the total purchased and the active accounts (R2).
   *
   * @example
   * ```ts
   * const overview = await cx.products.overview('acme');
   * overview.match(
   *   ({ totalPurchased, activeAccounts }) => console.log(`${activeAccounts} of ${totalPurchased} units in use`),
   *   (error) => console.error(error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: `domainId` (or an option) is malformed; `issues` name the argument.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  overview(domainId: string): ResultAsync<ProductOverview, OperationError<'products.overview'>>;
};

export function productOperations(context: OperationContext): ProductOperations {
  const { store } = context;
  return narrowed<ProductOperations>({
    set: (domainId, input) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const product: Product = take(parseInput(productInputSchema, input));
        return await transact(store, domain, 'write', async (tx) => {
          const usage = (await tx.productUsage()).get(product.productId) ?? { inUse: 0, maxAgents: 0 };
          if (product.quantity < usage.inUse) {
            return err(
              unitsError('quantity_below_usage', product.productId, product.quantity, usage.inUse, `quantity ${product.quantity} is below the ${usage.inUse} active account(s) using product ${JSON.stringify(product.productId)}`,
              ),
            );
          }
          if (product.seatLimit < usage.maxAgents) {
            return err(
              seatLimitExceeded(product.productId, product.seatLimit, usage.maxAgents, `seatLimit ${product.seatLimit} is below the ${usage.maxAgents} agents of an account using product ${JSON.stringify(product.productId)}`,
              ),
            );
          }
          await tx.setProduct(product);
          const { productId, seatLimit, quantity } = product;
          await tx.appendEvents([newEvent(context, 'product.set', null, { productId, seatLimit, quantity })]);
          return ok(product);
        });
      }),

    overview: (domainId) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        return await transact(store, domain, 'read', async (tx) => {
          const products = await tx.listProducts();
          const usage = await tx.productUsage();
          let activeAccounts = 0;
          for (const { inUse } of usage.values()) activeAccounts += inUse;
          return ok({
            totalPurchased: products.reduce((sum, product) => sum + product.quantity, 0),
            activeAccounts,
            products: products.map((product) => {
              const inUse = usage.get(product.productId)?.inUse ?? 0;
              return { ...product, inUse, available: Math.max(0, product.quantity - inUse) };
            }),
          });
        });
      }),
  });
}
