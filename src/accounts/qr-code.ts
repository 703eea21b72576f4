import QRCode from 'qrcode';

/**
 * Options of `accounts.qrCode`.
 *
 * @category Accounts
 */
export type QrCodeOptions = {
  /** `'png'` (default) answers bytes, `'svg'` answers markup. */
  format?: 'png' | 'svg';
  /** Width in pixels of the PNG (and of the SVG's `width`/`height`), 64–2048; default 512. */
  size?: number;
};

/**
 * Renders a URL as a QR code PNG.
 *
 * @category Accounts
 */
export async function renderQrPng(url: string, size: number): Promise<Uint8Array> {
  const buffer = await QRCode.toBuffer(url, { type: 'png', width: size, margin: 4, errorCorrectionLevel: 'M' });
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * Renders a URL as a QR code SVG document.
 *
 * @category Accounts
 */
export async function renderQrSvg(url: string, size: number): Promise<string> {
  return QRCode.toString(url, { type: 'svg', width: size, margin: 4, errorCorrectionLevel: 'M' });
}
