import { createHash } from 'node:crypto';

/**
 * The value of the unique `active_name_hash` column: SHA-256 (hex) of an account's
 * normalised name key. A fixed-size hash keeps the unique index within MySQL's key length
 * (a name key may be 1,000+ characters after NFKC) and compares byte-wise on every
 * database, whatever its collation.
 */
export function nameKeyHash(nameKey: string): string {
  return createHash('sha256').update(nameKey, 'utf8').digest('hex');
}
