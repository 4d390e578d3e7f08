// Where webhooks may go. A webhook URL is a credential (a Slack URL is the key to post) and a
// server-side request: so it is shown only masked, and its host must resolve to public addresses
// only. Loopback, private, link-local, unique-local, metadata and other special addresses are
// refused unless the operator allows them (DROPBOARD_WEBHOOK_ALLOW: hosts, addresses or CIDRs).
// Checked when the URL is set and again, on the addresses actually connected to, at delivery.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

/** Special-purpose ranges, most specific first: the first that holds an address names why it is refused. */
const SPECIAL_RANGES: readonly [kind: string, cidrs: readonly string[]][] = [
  ["metadata", ["169.254.169.254/32", "fd00:ec2::254/128"]],
  ["loopback", ["127.0.0.0/8", "::1/128"]],
  ["link-local", ["169.254.0.0/16", "fe80::/10"]],
  ["private", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fec0::/10"]],
  ["unique-local", ["fc00::/7"]],
  ["multicast", ["224.0.0.0/4", "ff00::/8"]],
  [
    "reserved",
    [
      "0.0.0.0/8", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
      "::/96", "100::/64", "2001::/32", "2001:db8::/32",
    ],
  ],
];

function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", bits] = cidr.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

const SPECIAL = SPECIAL_RANGES.map(([kind, cidrs]) => ({ kind, list: blockListOf(cidrs) }));

/** The IPv4 address an IPv6 one carries (NAT64 64:ff9b::/96, 6to4 2002::/16), or null. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const quad = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return quad(groups[6] ?? 0, groups[7] ?? 0);
  if (groups[0] === 0x2002) return quad(groups[1] ?? 0, groups[2] ?? 0);
  return null;
}

function expandIpv6(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right].map((g) => parseInt(g, 16));
}

/** Why connecting to this IP address is refused ("loopback address", ...), or null for a public one. */
export function addressProblem(address: string): string | null {
  const type = isIP(address) === 6 ? "ipv6" : isIP(address) === 4 ? "ipv4" : null;
  if (!type) return "not an IP address";
  for (const { kind, list } of SPECIAL) if (list.check(address, type)) return `${kind} address`;
  const inner = embeddedIpv4(address);
  return inner ? addressProblem(inner) : null;
}

interface AllowList {
  hosts: Set<string>;
  addresses: BlockList;
}

/** DROPBOARD_WEBHOOK_ALLOW: comma- or space-separated hosts, IP addresses and CIDRs the operator trusts. */
export function webhookAllowList(): AllowList {
  const allow: AllowList = { hosts: new Set(), addresses: new BlockList() };
  for (const entry of (process.env.DROPBOARD_WEBHOOK_ALLOW ?? "").split(/[\s,]+/).filter(Boolean)) {
    const [address = "", bits, extra] = entry.replace(/^\[|\]$/g, "").split("/");
    const family = isIP(address);
    const prefix = bits === undefined ? null : Number(bits);
    if (family !== 0 && extra === undefined && (prefix === null || (Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 6 ? 128 : 32)))) {
      const type = family === 6 ? "ipv6" : "ipv4";
      if (prefix === null) allow.addresses.addAddress(address, type);
      else allow.addresses.addSubnet(address, prefix, type);
    } else if (bits === undefined && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(entry)) {
      allow.hosts.add(entry.toLowerCase());
    } else {
      throw new Error(`DROPBOARD_WEBHOOK_ALLOW: "${entry}" is not a host name, an IP address or a CIDR`);
    }
  }
  return allow;
}

const addressAllowed = (allow: AllowList, address: string) => allow.addresses.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");

/** A URL's host as DNS and the allow-list see it: lower case, no IPv6 brackets, no trailing dot. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
}

/** Why none of these resolved addresses may be used, or null when all are public or allowed. */
function refusal(allow: AllowList, addresses: readonly string[]): string | null {
  for (const address of addresses) {
    const problem = addressProblem(address);
    if (problem && !addressAllowed(allow, address)) return problem;
  }
  return null;
}

export class WebhookTargetRefused extends Error {
  constructor(
    /** What readers may see: "refused: private address". */
    readonly status: string,
    /** What the writer setting the URL is told: the host, what it resolves to, how to allow it. */
    readonly detail: string,
  ) {
    super(status);
  }
}

const lookupAll = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * The addresses a webhook host may be reached at: the literal address or everything it resolves
 * to, each public or allowed. Throws WebhookTargetRefused otherwise (also when it does not resolve).
 */
export async function checkedAddresses(url: URL): Promise<LookupAddress[] | "any"> {
  const allow = webhookAllowList();
  const host = hostOf(url);
  if (allow.hosts.has(host)) return "any";
  const literal = isIP(host);
  let addresses: LookupAddress[];
  if (literal !== 0) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await lookupAll(host);
    } catch {
      throw new WebhookTargetRefused("host not found", `${host} does not resolve`);
    }
  }
  const problem = refusal(allow, addresses.map((a) => a.address));
  if (problem) {
    const shown = literal !== 0 ? host : `${host} resolves to ${addresses.map((a) => a.address).join(", ")}, which includes a`;
    throw new WebhookTargetRefused(
      `refused: ${problem}`,
      `${shown} ${literal !== 0 ? "is a " : ""}${problem}; webhooks go to public addresses only (an operator can allow it with DROPBOARD_WEBHOOK_ALLOW)`,
    );
  }
  return addresses;
}

/** Why this webhook URL may not be set, for the writer (400), or null when it may. */
export async function webhookUrlProblem(text: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  try {
    await checkedAddresses(url);
    return null;
  } catch (error) {
    if (error instanceof WebhookTargetRefused) return error.detail;
    throw error;
  }
}

/**
 * A `lookup` for http(s).request that hands over only these (checked) addresses: the connection
 * goes where the check looked, even if DNS would answer differently a moment later.
 */
export function lookupFrom(addresses: readonly LookupAddress[]) {
  return (_host: string, options: { all?: boolean }, callback: (...args: never[]) => void): void => {
    const done = callback as unknown as (error: Error | null, address?: string | LookupAddress[], family?: number) => void;
    const first = addresses[0];
    if (!first) done(new WebhookTargetRefused("host not found", "no address"));
    else if (options.all) done(null, [...addresses]);
    else done(null, first.address, first.family);
  };
}

/** What reads show of a webhook URL: its scheme and host ("https://hooks.slack.com/…"); never the path or query that hold the key. */
export function maskWebhookUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}/…`;
  } catch {
    return "…";
  }
}

/** True for a masked URL as reads show it: sent back unchanged, it means "keep the stored URL". */
export function isMaskedWebhookUrl(text: string): boolean {
  return text.endsWith("/…") || text === "…";
}
