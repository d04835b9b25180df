import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import ipaddr from 'ipaddr.js'
import { msg, type Message } from '../../messages.ts'

/**
 * Webhook targets are untrusted (DESIGN.md guarantee 8): without WEBHOOK_ALLOW_PRIVATE a delivery
 * may only connect to a public unicast address. The check is an allow-list, not a deny-list: an
 * address passes only when ipaddr.js calls it plain `unicast` and, for IPv6, it also lies in the
 * IANA global unicast block 2000::/3. Everything else — loopback, RFC 1918, link-local
 * (169.254.0.0/16 with the cloud metadata address, fe80::/10), CGNAT 100.64.0.0/10, unique-local
 * fc00::/7, unspecified, multicast, broadcast, reserved, documentation, benchmarking, and IPv6
 * forms that embed an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64
 * 64:ff9b::/96 and 64:ff9b:1::/48, 6to4, Teredo) — is refused. IPv4-mapped addresses are refused
 * whatever IPv4 address they carry: a real webhook target never needs that spelling.
 */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3')

/**
 * ipaddr.js's range name for an address, with two additions for IPv6 it calls `unicast`:
 * `ipv4Compatible` for the deprecated ::/96 (e.g. `::127.0.0.1`, which URL parsing turns into
 * `::7f00:1`), and `reserved` for anything outside 2000::/3.
 */
export function addressRange (address: string): string {
  const parsed = ipaddr.parse(address)
  const range = parsed.range()
  if (range !== 'unicast' || parsed.kind() !== 'ipv6') return range
  const v6 = parsed as ipaddr.IPv6
  if (v6.parts.slice(0, 6).every((part) => part === 0)) return 'ipv4Compatible'
  if (!v6.match(GLOBAL_UNICAST_V6)) return 'reserved'
  return range
}

export function isPublicAddress (address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  return addressRange(address) === 'unicast'
}

/**
 * A host name as the guard compares it: lower-case, without IPv6 brackets and without ONE
 * trailing dot (`localhost.` is the fully-qualified spelling of `localhost`).
 */
export function normaliseHost (host: string): string {
  let h = host.toLowerCase()
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1)
  if (h.endsWith('.')) h = h.slice(0, -1)
  return h
}

/** `localhost` and `*.localhost` (RFC 6761), however spelt. */
export function isLocalhostName (host: string): boolean {
  const h = normaliseHost(host)
  return h === 'localhost' || h.endsWith('.localhost')
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError'
  readonly code = 'ERR_WEBHOOK_ADDRESS_BLOCKED'
  /** Without an address, the host itself is a localhost name. */
  constructor (host: string, address?: string) {
    super(address === undefined
      ? `${host} is a localhost name, which is not public; refused without WEBHOOK_ALLOW_PRIVATE`
      : host === address
        ? `address ${address} is not public (${addressRange(address)}); refused without WEBHOOK_ALLOW_PRIVATE`
        : `${host} resolves to ${address}, which is not public (${addressRange(address)}); refused without WEBHOOK_ALLOW_PRIVATE`)
  }
}

/** The shape of `dns.lookup` with `all: true`, so tests can inject a resolver. */
export type Resolver = (hostname: string, options: LookupOptions & { all: true }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

const defaultResolver: Resolver = (hostname, options, callback) => { dnsLookup(hostname, options, callback) }

/**
 * A `lookup` for `net.connect` (via undici's `connect` options) that refuses non-public
 * addresses. The check runs on the very addresses the socket then connects to, so DNS
 * rebinding between a check and the connect is impossible. Any non-public answer refuses the
 * whole name rather than picking a public one from a mixed answer. A localhost name
 * (`localhost`, `localhost.`, `*.localhost`) is refused whatever it resolves to, and even when it
 * does not resolve; the address check comes first so that the refusal names the address when
 * there is one.
 */
export function createGuardedLookup (resolver: Resolver = defaultResolver) {
  return function guardedLookup (hostname: string, options: LookupOptions, callback: LookupCallback): void {
    resolver(hostname, { ...options, all: true }, (error, addresses) => {
      const blocked = error ? undefined : addresses.find((a) => !isPublicAddress(a.address))
      if (blocked) {
        callback(new BlockedAddressError(hostname, blocked.address) as NodeJS.ErrnoException, [])
        return
      }
      if (isLocalhostName(hostname)) {
        callback(new BlockedAddressError(hostname) as NodeJS.ErrnoException, [])
        return
      }
      if (error) {
        callback(error, [])
        return
      }
      if (addresses.length === 0) {
        const notFound = Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' })
        callback(notFound, [])
        return
      }
      if (options.all) callback(null, addresses)
      else callback(null, addresses[0]!.address, addresses[0]!.family)
    })
  }
}

/** A URL host without IPv6 brackets, normalised as by `normaliseHost`. */
export function bareHost (url: URL): string {
  return normaliseHost(url.hostname)
}

/**
 * What registration can tell without DNS: scheme, credentials, and a literal address or
 * localhost name that is not public. Returns the problem, or null for an acceptable URL.
 */
export function checkWebhookUrl (raw: string, allowPrivate: boolean): Message | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return msg('urlNotAbsolute')
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    return allowPrivate ? msg('urlNotHttp') : msg('urlNotHttps')
  }
  if (url.username !== '' || url.password !== '') return msg('urlCredentials')
  if (url.hash !== '') return msg('urlFragment')
  if (allowPrivate) return null
  const host = bareHost(url)
  if (ipaddr.isValid(host)) {
    return isPublicAddress(host) ? null : msg('urlNonPublic', { range: addressRange(host) })
  }
  if (isLocalhostName(host)) return msg('urlLocalhost')
  return null
}
