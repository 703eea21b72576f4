/**
 * Which addresses a webhook delivery may never reach unless the host sets
 * `webhooks.allowPrivateNetworks` (R55). Pure: it reads address text, no DNS.
 *
 * @module
 */

/** The 16 bytes of an IPv6 address, or the 4 of an IPv4 one; `null` when `text` is not an IP address. */
export function parseIpAddress(text: string): Uint8Array | null {
  const address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIpv4(address) ?? parseIpv6(address);
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let index = 0; index < 4; index++) {
    const part = parts[index]!;
    if (!/^\d{1,3}$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[index] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  // A zone (`fe80::1%eth0`) names an interface: the address is what decides.
  const address = text.split('%')[0]!;
  if (!/^[0-9a-f:.]+$/i.test(address) || !address.includes(':')) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  const pushGroups = (list: string[], last: boolean): boolean => {
    for (let index = 0; index < list.length; index++) {
      const group = list[index]!;
      if (last && index === list.length - 1 && group.includes('.')) {
        const v4 = parseIpv4(group);
        if (!v4) return false;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-f]{1,4}$/i.test(group)) return false;
      words.push(parseInt(group, 16));
    }
    return true;
  };
  if (!pushGroups(head, halves.length === 1)) return null;
  const headWords = words.length;
  if (!pushGroups(tail, true)) return null;
  const tailWords = words.splice(headWords);
  if (halves.length === 2) {
    const missing = 8 - headWords - tailWords.length;
    if (missing < 1) return null;
    words.push(...new Array<number>(missing).fill(0));
  }
  words.push(...tailWords);
  if (words.length !== 8) return null;
  const bytes = new Uint8Array(16);
  words.forEach((word, index) => {
    bytes[index * 2] = word >> 8;
    bytes[index * 2 + 1] = word & 0xff;
  });
  return bytes;
}

/** Whether `bytes` starts with the first `bits` bits of `prefix`. */
function inPrefix(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((bytes[byte]! & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

/** IPv4 ranges that are not the public internet (R55), with what they are. */
const BLOCKED_V4: readonly [readonly number[], number, string][] = [
  [[0, 0, 0, 0], 8, 'unspecified ("this network")'],
  [[10, 0, 0, 0], 8, 'private (RFC 1918)'],
  [[100, 64, 0, 0], 10, 'carrier-grade NAT'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private (RFC 1918)'],
  [[192, 0, 0, 0], 24, 'IETF protocol assignments'],
  [[192, 168, 0, 0], 16, 'private (RFC 1918)'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved, broadcast'],
];

/** IPv6 ranges that are not the public internet; the IPv4-embedding ones are checked on their IPv4 part. */
const BLOCKED_V6: readonly [readonly number[], number, string][] = [
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'site-local'],
  [[0xfc], 7, 'unique-local'],
  [[0xff], 8, 'multicast'],
];

/**
 * Why a delivery must not go to this address (e.g. `'loopback'`), or `null` when it may (R55).
 * IPv4-mapped (`::ffff:127.0.0.1`, `::ffff:7f00:1`), IPv4-compatible, NAT64 (`64:ff9b::/96`)
 * and 6to4 (`2002::/16`) forms are judged by the IPv4 address inside. Text that is no IP
 * address answers `'not an IP address'`: only addresses are judged.
 *
 * @example
 * ```ts
 * blockedAddressReason('::ffff:7f00:1'); // 'loopback'
 * blockedAddressReason('93.184.216.34'); // null
 * ```
 */
export function blockedAddressReason(address: string): string | null {
  const bytes = parseIpAddress(address);
  if (!bytes) return 'not an IP address';
  return bytes.length === 4 ? blockedV4(bytes) : blockedV6(bytes);
}

function blockedV4(bytes: Uint8Array): string | null {
  for (const [prefix, bits, reason] of BLOCKED_V4) if (inPrefix(bytes, prefix, bits)) return reason;
  return null;
}

function blockedV6(bytes: Uint8Array): string | null {
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((byte) => byte === 0);
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && bytes[15] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64).
  const mapped = zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff;
  const compatible = zeros(0, 12);
  const nat64 = inPrefix(bytes, [0x00, 0x64, 0xff, 0x9b], 32) && zeros(4, 12);
  if (mapped || compatible || nat64) {
    const inner = blockedV4(bytes.subarray(12, 16));
    return inner === null ? null : `IPv4-embedded ${inner}`;
  }
  if (inPrefix(bytes, [0x20, 0x02], 16)) {
    const inner = blockedV4(bytes.subarray(2, 6));
    if (inner !== null) return `6to4 ${inner}`;
  }
  for (const [prefix, bits, reason] of BLOCKED_V6) if (inPrefix(bytes, prefix, bits)) return reason;
  return null;
}
