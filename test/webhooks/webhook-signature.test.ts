import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { newWebhookSecret } from '../../src/webhooks/webhook-endpoint.js';
import { signatureHeaders, signingKeys } from '../../src/webhooks/webhook-signature.js';

describe('webhook signatures (R54)', () => {
  it('R54: a signature made with a kept key is the one made with a fresh key, and the Standard Webhooks library accepts it', async () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ specversion: '1.0', id: 'acme:7', type: 'agents.added' });
    const now = Math.floor(Date.now() / 1000);
    const fresh = await signatureHeaders(secret, 'acme:7', now, body);
    const keys = signingKeys();
    const kept = await signatureHeaders(secret, 'acme:7', now, body, keys);
    expect(kept).toEqual(fresh);
    expect(new Webhook(secret).verify(body, kept)).toMatchObject({ id: 'acme:7' });
    // Another secret signs differently through the same keys.
    const other = await signatureHeaders(newWebhookSecret(), 'acme:7', now, body, keys);
    expect(other['webhook-signature']).not.toBe(fresh['webhook-signature']);
  });

  it('R54: signingKeys imports a secret once, and does not keep a failed import', async () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    try {
      const keys = signingKeys();
      const secret = newWebhookSecret();
      const first = await keys(secret);
      expect(await keys(secret)).toBe(first);
      expect(importKey).toHaveBeenCalledTimes(1);

      importKey.mockRejectedValueOnce(new Error('import failed'));
      const flaky = newWebhookSecret();
      await expect(keys(flaky)).rejects.toThrow('import failed');
      await expect(keys(flaky)).resolves.toBeDefined();
      expect(importKey).toHaveBeenCalledTimes(3);
    } finally {
      importKey.mockRestore();
    }
  });
});
