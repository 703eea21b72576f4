import * as z from 'zod';
import type { ImageInfo } from '../ports/records.js';
import { checkImageInput } from './png-image.js';

/** A checked image: what the account shows, and the bytes to store. */
export type CheckedImage = { info: ImageInfo; data: Uint8Array };

/**
 * The `image` field of account inputs (R8): `null` clears, absent keeps, otherwise a
 * `{ fileName, data }` whose PNG passes the structural checks. Issues land under `image.…`.
 */
export const imageFieldSchema = z.unknown().transform((value, ctx): CheckedImage | null | undefined => {
  if (value === undefined || value === null) return value;
  const checked = checkImageInput(value);
  if (checked.isOk()) {
    const { fileName, data, byteLength, width, height } = checked.value;
    return { info: { fileName, byteLength, width, height }, data };
  }
  const issues = checked.error.code === 'validation' ? checked.error.issues : [{ path: 'image', message: checked.error.message }];
  for (const issue of issues) {
    // checkImageInput names paths from `image`; zod prefixes the field's own path.
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path.split('.').slice(1) });
  }
  return z.NEVER;
});
