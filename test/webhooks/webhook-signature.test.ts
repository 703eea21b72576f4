import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { newWebhookSecret, secretKeyBytes, webhookUrlProblem } from '../../src/webhooks/webhook-endpoint.js';
import { signatureHeaders, signingKeys } from '../../src/webhooks/webhook-signature.js';

describe('webhook secrets and URLs (R53)', () => {
  it('R53: a secret is whsec_ and the standard base64 of 32 random bytes, read back as those bytes, never the same twice', () => {
    const secrets = Array.from({ length: 200 }, newWebhookSecret);
    expect(new Set(secrets).size).toBe(200);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const bytes = secretKeyBytes(secret);
      expect(bytes).toHaveLength(32);
      expect(`whsec_${btoa(String.fromCharCode(...bytes))}`).toBe(secret);
    }
  });

  it('R53: a URL must be absolute https (http only when allowed), at most 2,000 characters, without credentials or whitespace', () => {
    expect(webhookUrlProblem('https://hooks.example.com/cx', false)).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.com/cx', true)).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.com/cx', false)).toMatch(/https/);
    expect(webhookUrlProblem('/cx', false)).toMatch(/absolute/);
    expect(webhookUrlProblem('https://user:pw@hooks.example.com/cx', false)).toMatch(/credentials/);
    expect(webhookUrlProblem('https://hooks.example.com/c x', false)).toMatch(/whitespace/);
    expect(webhookUrlProblem(`https://hooks.example.com/${'a'.repeat(2000)}`, false)).toMatch(/2000/);
    expect(webhookUrlProblem('ftp://hooks.example.com/cx', true)).toMatch(/https: or http:/);
  });
});

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
