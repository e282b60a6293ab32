import { describe, expect, it } from 'vitest';
import {
  containerAddresses,
  firstFreeSubnet,
  formatBlock,
  gatewayOf,
  nthSubnet,
  parseBlock,
  subnetCount,
  type Ipv4Block,
} from './subnet-pool';

const block = (cidr: string): Ipv4Block => {
  const b = parseBlock(cidr);
  if (!b) throw new Error(`bad test CIDR ${cidr}`);
  return b;
};

describe('subnet pool arithmetic', () => {
  it('reads aligned IPv4 blocks and refuses anything else', () => {
    expect(formatBlock(block('10.73.0.0/16'))).toBe('10.73.0.0/16');
    expect(formatBlock(block('0.0.0.0/0'))).toBe('0.0.0.0/0');
    for (const bad of ['10.73.0.1/16', '10.73.0.0', '10.73.0.0/33', '256.0.0.0/8', 'fd00::/8', '10.73.0.0/16/1', 'x/16'])
      expect(parseBlock(bad)).toBeNull();
  });

  it('cuts a /16 into 1,024 /26 subnets of 61 container addresses each', () => {
    const pool = block('10.73.0.0/16');
    expect(subnetCount(pool, 26)).toBe(1024);
    expect(subnetCount(pool, 15)).toBe(0);
    expect(formatBlock(nthSubnet(pool, 26, 1023))).toBe('10.73.255.192/26');
    expect(gatewayOf(nthSubnet(pool, 26, 1))).toBe('10.73.0.65');
    expect(containerAddresses(26)).toBe(61);
    expect(containerAddresses(30)).toBe(1);
  });

  it('hands out the first subnet that overlaps nothing taken, skipping wider foreign blocks', () => {
    const pool = block('10.73.0.0/24');
    expect(formatBlock(firstFreeSubnet(pool, 26, [])!)).toBe('10.73.0.0/26');
    expect(formatBlock(firstFreeSubnet(pool, 26, [block('10.73.0.0/26'), block('10.73.0.128/26')])!)).toBe('10.73.0.64/26');
    // A foreign /25 (another network on the engine) covers two /26 subnets.
    expect(formatBlock(firstFreeSubnet(pool, 26, [block('10.73.0.0/25')])!)).toBe('10.73.0.128/26');
    // A block taken elsewhere (outside the pool) does not count; a wider one around the pool fills it.
    expect(formatBlock(firstFreeSubnet(pool, 26, [block('192.168.0.0/20')])!)).toBe('10.73.0.0/26');
    expect(firstFreeSubnet(pool, 26, [block('10.0.0.0/8')])).toBeNull();
  });

  it('is full after exactly subnetCount allocations', () => {
    const pool = block('10.73.0.0/28');
    const taken: Ipv4Block[] = [];
    for (let i = 0; i < subnetCount(pool, 30); i++) taken.push(firstFreeSubnet(pool, 30, taken)!);
    expect(taken.map(formatBlock)).toEqual(['10.73.0.0/30', '10.73.0.4/30', '10.73.0.8/30', '10.73.0.12/30']);
    expect(firstFreeSubnet(pool, 30, taken)).toBeNull();
  });
});
