import { describe, expect, it } from 'vitest';
import { blockedAddressReason, parseIpAddress } from '../../src/webhooks/address-guard.js';

describe('address guard (R55)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'IPv4-embedded loopback'],
    ['::ffff:7f00:1', 'IPv4-embedded loopback'],
    ['[::ffff:7f00:1]', 'IPv4-embedded loopback'],
    ['::127.0.0.1', 'IPv4-embedded loopback'],
    ['64:ff9b::10.0.0.1', 'IPv4-embedded private (RFC 1918)'],
    ['2002:7f00:1::', '6to4 loopback'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['172.31.255.255', 'private (RFC 1918)'],
    ['192.168.1.1', 'private (RFC 1918)'],
    ['::ffff:192.168.1.1', 'IPv4-embedded private (RFC 1918)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved, broadcast'],
  ])('R55: %s is refused (%s)', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '2001:db8::1',
    '::ffff:8.8.8.8',
    '2002:0808:0808::1',
  ])('R55: %s is a public address and passes', (address) => {
    expect(blockedAddressReason(address)).toBeNull();
  });

  it.each(['example.com', '1.2.3', '1.2.3.256', '01.2.3.4x', ':::1', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', ''])(
    'R55: %j is not an IP address (and so never passes as one)',
    (text) => {
      expect(parseIpAddress(text)).toBeNull();
      expect(blockedAddressReason(text)).toBe('not an IP address');
    },
  );

  it('parses the compressed and embedded IPv6 forms into the same bytes', () => {
    expect(parseIpAddress('::ffff:7f00:1')).toEqual(parseIpAddress('::ffff:127.0.0.1'));
    expect(parseIpAddress('0:0:0:0:0:ffff:7f00:0001')).toEqual(parseIpAddress('::ffff:127.0.0.1'));
    expect(Array.from(parseIpAddress('1::')!)).toEqual([0, 1, ...new Array(14).fill(0)]);
  });
});
