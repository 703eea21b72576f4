import type { ImageInfo } from '../ports/records.js';
import { imageInputSchema } from './png-image.js';

/** A checked image: what the account shows, and the bytes to store. */
export type CheckedImage = { info: ImageInfo; data: Uint8Array };

/**
 * The `image` field of account inputs (R8): `null` clears, absent keeps (the account schemas
 * make it optional), otherwise a `{ fileName, data }` that {@link imageInputSchema} accepts.
 * Issues land under `image.…`.
 */
export const imageFieldSchema = imageInputSchema
  .transform(({ fileName, data, byteLength, width, height }): CheckedImage => ({ info: { fileName, byteLength, width, height }, data }))
  .nullable();
