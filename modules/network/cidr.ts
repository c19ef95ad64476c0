/** IPv4 CIDR arithmetic, computed at synth so plans and tests show concrete subnet ranges. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  /** Prefix length, 0-32. */
  readonly prefix: number;
}

// Octets and prefix without leading zeros: "010.0.0.0/8" is ambiguous (octal in some tools), so refused.
const OCTET = "(0|[1-9]\\d{0,2})";
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/(0|[1-9]\\d?)$`);

/** Parses "a.b.c.d/n"; returns undefined when malformed, out of range or when host bits are set. */
export function parseCidr(cidr: string): Ipv4Cidr | undefined {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((base & mask) >>> 0 !== base) return undefined;
  return { base, prefix };
}

/** Formats a parsed CIDR back to "a.b.c.d/n". */
export function formatCidr(cidr: Ipv4Cidr): string {
  const b = cidr.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

/** Like Terraform's cidrsubnet(prefix, newbits, netnum). Throws when netnum does not fit. */
export function cidrSubnet(parent: string, newbits: number, netnum: number): string {
  const parsed = parseCidr(parent);
  if (!parsed) throw new Error(`invalid CIDR ${parent}`);
  const prefix = parsed.prefix + newbits;
  if (prefix > 32 || netnum < 0 || netnum >= 2 ** newbits) {
    throw new Error(`cannot take subnet ${netnum} of /${prefix} from ${parent}`);
  }
  const base = (parsed.base + netnum * 2 ** (32 - prefix)) >>> 0;
  return formatCidr({ base, prefix });
}

/** True when the two CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const xEnd = x.base + 2 ** (32 - x.prefix);
  const yEnd = y.base + 2 ** (32 - y.prefix);
  return x.base < yEnd && y.base < xEnd;
}

/** True when `inner` lies entirely within `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || i.prefix < o.prefix) return false;
  return i.base >= o.base && i.base + 2 ** (32 - i.prefix) <= o.base + 2 ** (32 - o.prefix);
}

/** A created VPC is cut into 2^4 = 16 equal blocks (a /16 VPC gets /20 subnets, a /24 VPC /28 ones). */
export const SUBNET_NEWBITS = 4;
/** Public (NAT) subnets start at block 8, leaving blocks 0-7 to private subnets. */
export const PUBLIC_SUBNET_OFFSET = 8;

/**
 * The subnet layout of a created VPC: private subnets take blocks 0..n-1 and public (NAT) subnets take
 * blocks 8..8+n-1, in AZ order, so appending an AZ never renumbers existing subnets.
 */
export function subnetLayout(vpcCidr: string, azCount: number): { private: string[]; public: string[] } {
  if (!Number.isInteger(azCount) || azCount < 1 || azCount > PUBLIC_SUBNET_OFFSET) {
    throw new Error(
      `subnetLayout: azCount must be an integer from 1 to ${PUBLIC_SUBNET_OFFSET}, got ${azCount}`,
    );
  }
  const indexes = Array.from({ length: azCount }, (_, i) => i);
  return {
    private: indexes.map((i) => cidrSubnet(vpcCidr, SUBNET_NEWBITS, i)),
    public: indexes.map((i) => cidrSubnet(vpcCidr, SUBNET_NEWBITS, PUBLIC_SUBNET_OFFSET + i)),
  };
}
