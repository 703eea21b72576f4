import { z } from 'zod';

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A message's time (R48): a valid `Date` from 1970-01-01 to 9999-12-31 (UTC). */
export const messageTimeSchema = z
  .date({ error: 'must be a valid Date' })
  .refine((at) => at.getTime() >= EARLIEST && at.getTime() <= LATEST, 'must lie between 1970-01-01 and 9999-12-31 (UTC)');
