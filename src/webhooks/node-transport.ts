import { blockedAddressReason } from './address-guard.js';
import { BLOCKED_ADDRESS, blockedLiteralHost, shortError, type WebhookTransport } from './webhook-transport.js';

/** Most bytes of a response body read (to keep the connection for the next delivery); a longer body closes it. */
const BODY_CAP = 64 * 1024;

type LookupAddress = { address: string; family: number };
type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Loads a Node built-in by a name bundlers do not follow, so the core stays free of Node
 * imports: browsers and workers never reach this code (see {@link nodeTransport}).
 */
function nodeBuiltin<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return import(/* @vite-ignore */ specifier) as Promise<T>;
}

/**
 * The built-in sender on Node (and Bun, Deno, which offer `node:http`), or `null` elsewhere.
 *
 * Why not `fetch`: the guard (R55) must judge the address actually connected to, after DNS,
 * so that a name that resolves to a public address once and a private one the next time
 * (DNS rebinding) cannot pass. `node:http`'s `lookup` option is that hook, with no dependency
 * (undici's `connect.lookup` is the same hook, but Node 20's global `fetch` takes a
 * dispatcher only from the `undici` package). A host name whose addresses are all refused
 * fails with `blocked_address`; an IP-address host is judged before connecting (Node does
 * not look it up). Redirects are never followed (`http.request` does not); the body is read
 * up to 64 KiB, then the connection is dropped: a 2 GB answer costs nothing.
 */
export async function nodeTransport(): Promise<WebhookTransport | null> {
  const runtime = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!runtime?.versions?.node) return null;
  type Http = typeof import('node:http');
  type Https = typeof import('node:https');
  type Dns = typeof import('node:dns');
  const [http, https, dns] = await Promise.all([nodeBuiltin<Http>('http'), nodeBuiltin<Https>('https'), nodeBuiltin<Dns>('dns')]);

  const guardedLookup = (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = addresses.filter((entry) => blockedAddressReason(entry.address) === null);
      if (allowed.length === 0) {
        return callback(Object.assign(new Error(BLOCKED_ADDRESS), { code: 'CX_BLOCKED_ADDRESS' }), []);
      }
      if (options.all) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
  const agents = {
    guarded: { http: new http.Agent({ keepAlive: true, lookup: guardedLookup as never }), https: new https.Agent({ keepAlive: true, lookup: guardedLookup as never }) },
    open: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
  };

  return (request) =>
    new Promise((resolve) => {
      if (!request.allowPrivateNetworks && blockedLiteralHost(request.url)) return resolve({ error: BLOCKED_ADDRESS });
      let settled = false;
      const finish = (answer: { status: number } | { error: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const url = new URL(request.url);
      const secure = url.protocol === 'https:';
      const agentSet = request.allowPrivateNetworks ? agents.open : agents.guarded;
      const body = new TextEncoder().encode(request.body);
      const outgoing = (secure ? https : http).request(url, {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(body.byteLength) },
        agent: secure ? agentSet.https : agentSet.http,
      });
      let answered: number | null = null;
      const timer = setTimeout(() => {
        finish(answered === null ? { error: `timeout after ${request.timeoutMs} ms` } : { status: answered });
        outgoing.destroy();
      }, request.timeoutMs);
      outgoing.on('error', (error: Error & { code?: string }) => {
        finish({ error: error.code === 'CX_BLOCKED_ADDRESS' ? BLOCKED_ADDRESS : shortError(error) });
      });
      outgoing.on('response', (response) => {
        const status = response.statusCode ?? 0;
        answered = status;
        const length = status === 204 || status === 304 ? 0 : Number(response.headers['content-length'] ?? NaN);
        if (Number.isFinite(length) && length <= BODY_CAP) {
          // Read a small body whole, so the connection serves the next delivery.
          response.on('error', () => finish({ status }));
          response.on('end', () => finish({ status }));
          response.resume();
        } else {
          finish({ status });
          response.destroy();
          outgoing.destroy();
        }
      });
      outgoing.end(body);
    });
}
