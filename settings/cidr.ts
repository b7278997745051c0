// IPv4 CIDR arithmetic the settings validation needs: parse, containment, overlap. A CIDR whose address is not the
// first of its range ("10.0.0.1/16") is rejected: it usually means a typo, and AWS would silently widen it.

export interface CidrRange {
  /** The first address, as an unsigned 32-bit number. */
  readonly start: number;
  /** Number of addresses. */
  readonly size: number;
}

export function parseCidr(cidr: string): CidrRange {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix > 32) throw new Error(`'${cidr}' is not an IPv4 CIDR`);
  const start = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (start % size !== 0) throw new Error(`'${cidr}' does not start its range`);
  return { start, size };
}

export function isCidr(value: string): boolean {
  try {
    parseCidr(value);
    return true;
  } catch {
    return false;
  }
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return i.start >= o.start && i.start + i.size <= o.start + o.size;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.start < y.start + y.size && y.start < x.start + x.size;
}
