/**
 * IPv4 arithmetic for the project network pool (PROJECT_NETWORK_POOL cut into
 * PROJECT_NETWORK_PREFIX subnets). Addresses are unsigned 32-bit numbers; subnets are
 * aligned blocks, so "the n-th subnet of the pool" is one multiplication and two blocks
 * overlap exactly when one contains the other's first address.
 */
export interface Ipv4Block {
  /** First address (network address), as an unsigned 32-bit number. */
  start: number;
  prefix: number;
}

const ADDRESS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const size = (prefix: number): number => 2 ** (32 - prefix);

const parseAddress = (text: string): number | null => {
  const m = ADDRESS.exec(text);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((n, o) => n * 256 + o, 0);
};

export const formatAddress = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** `10.73.0.0/16` → its block; null when it is not an IPv4 CIDR whose address is the block's first. */
export function parseBlock(cidr: string): Ipv4Block | null {
  const [address = '', prefixText, ...rest] = cidr.trim().split('/');
  if (rest.length || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) return null;
  const start = parseAddress(address);
  const prefix = Number(prefixText);
  if (start === null || prefix > 32 || start % size(prefix) !== 0) return null;
  return { start, prefix };
}

/** The aligned block holding a CIDR as an engine reports it (host bits, if any, cleared); null when not IPv4. */
export function blockOf(cidr: string): Ipv4Block | null {
  const [address = '', prefixText = ''] = cidr.trim().split('/');
  const start = parseAddress(address);
  const prefix = Number(prefixText);
  if (start === null || !/^\d{1,2}$/.test(prefixText) || prefix > 32) return null;
  return { start: start - (start % size(prefix)), prefix };
}

export const formatBlock = (b: Ipv4Block): string => `${formatAddress(b.start)}/${b.prefix}`;

export const overlaps = (a: Ipv4Block, b: Ipv4Block): boolean => a.start < b.start + size(b.prefix) && b.start < a.start + size(a.prefix);

/** How many `prefix` subnets the pool holds (0 when the subnets are larger than the pool). */
export const subnetCount = (pool: Ipv4Block, prefix: number): number => (prefix < pool.prefix ? 0 : 2 ** (prefix - pool.prefix));

/** The `index`-th `prefix` subnet of the pool, in address order. */
export const nthSubnet = (pool: Ipv4Block, prefix: number, index: number): Ipv4Block => ({
  start: pool.start + index * size(prefix),
  prefix,
});

/** The bridge's own address on a subnet: the first host address, as Docker picks by default. */
export const gatewayOf = (subnet: Ipv4Block): string => formatAddress(subnet.start + 1);

/**
 * Addresses left for containers on one subnet: all but the network address, the broadcast
 * address and the bridge's gateway (a /26: 61; a /30: 1).
 */
export const containerAddresses = (prefix: number): number => Math.max(0, size(prefix) - 3);

/**
 * The first subnet of the pool that overlaps none of `taken` (this database's allocations and
 * every subnet the engine already uses), or null when the pool is full. Linear in the pool's
 * size times the overlapping blocks, which are few: taken blocks are sorted once and skipped
 * past, so a /16 of /26 subnets (1,024) with all of them taken is 1,024 steps.
 */
export function firstFreeSubnet(pool: Ipv4Block, prefix: number, taken: readonly Ipv4Block[]): Ipv4Block | null {
  const end = pool.start + size(pool.prefix);
  const blocks = taken.filter((t) => overlaps(t, pool)).sort((a, b) => a.start - b.start);
  let candidate = pool.start;
  let i = 0;
  while (candidate + size(prefix) <= end) {
    const subnet = { start: candidate, prefix };
    while (i < blocks.length && blocks[i]!.start + size(blocks[i]!.prefix) <= candidate) i++;
    const clash = blocks.slice(i).find((b) => b.start < candidate + size(prefix) && overlaps(b, subnet));
    if (!clash) return subnet;
    // Jump past the clashing block, to the next subnet boundary.
    const after = clash.start + size(clash.prefix);
    candidate = Math.ceil(after / size(prefix)) * size(prefix);
  }
  return null;
}
