import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import ipaddr from 'ipaddr.js'

/**
 * Webhook targets are untrusted (DESIGN.md guarantee 8): without WEBHOOK_ALLOW_PRIVATE a delivery
 * may only connect to a public unicast address. Everything else — loopback, RFC 1918, link-local
 * (169.254.0.0/16 with the cloud metadata address, fe80::/10), CGNAT 100.64.0.0/10, unique-local
 * fc00::/7, unspecified, multicast, broadcast, reserved, and IPv6 forms that embed an IPv4
 * address (IPv4-mapped ::ffff:0:0/96, NAT64, 6to4, Teredo) — is refused.
 */
export function addressRange (address: string): string {
  return ipaddr.parse(address).range()
}

export function isPublicAddress (address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  return addressRange(address) === 'unicast'
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError'
  readonly code = 'ERR_WEBHOOK_ADDRESS_BLOCKED'
  constructor (host: string, address: string) {
    super(host === address
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
 * whole name rather than picking a public one from a mixed answer.
 */
export function createGuardedLookup (resolver: Resolver = defaultResolver) {
  return function guardedLookup (hostname: string, options: LookupOptions, callback: LookupCallback): void {
    resolver(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, [])
        return
      }
      const blocked = addresses.find((a) => !isPublicAddress(a.address))
      if (blocked) {
        callback(new BlockedAddressError(hostname, blocked.address) as NodeJS.ErrnoException, [])
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

/** A URL host without IPv6 brackets. */
export function bareHost (url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
}

/**
 * What registration can tell without DNS: scheme, credentials, and a literal address or
 * localhost name that is not public. Returns the problem, or null for an acceptable URL.
 */
export function checkWebhookUrl (raw: string, allowPrivate: boolean): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'must be an absolute URL'
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    return allowPrivate ? 'must be an http or https URL' : 'must be an https URL'
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials'
  if (url.hash !== '') return 'must not contain a fragment'
  if (allowPrivate) return null
  const host = bareHost(url)
  if (ipaddr.isValid(host)) {
    return isPublicAddress(host) ? null : `must not target a non-public address (${addressRange(host)})`
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not target localhost'
  return null
}
