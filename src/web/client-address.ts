/**
 * @module The client's address as the site may believe it: forwarded headers count only when
 * they come through a proxy the site was told to trust (TRUST_PROXY), and only the header that
 * proxy sets (TRUST_PROXY_HEADER); from anyone else they are ignored, so nobody can pick the
 * address their comments and rate limits are counted under.
 */
import type { IncomingMessage } from 'node:http'
import parseForwarded from 'forwarded-parse'
import type { Config, TrustProxy } from '../config/config.ts'
import { Invalid } from '../errors.ts'
import { anonymiseIp } from '../privacy/retention.ts'

/**
 * Fastify's `trustProxy` for the configured proxies: false, a hop count, or addresses. A hop
 * count trusts the nearest N peers whoever they are, as hop counts do everywhere; it is only safe
 * when the app's port can be reached through the proxy alone (HOST=127.0.0.1 behind a local one).
 */
export function trustedProxies(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust.kind === 'none') return false
  // Fastify reads a bare number as "trust nobody"; a function says what a hop count means.
  if (trust.kind === 'hops') return (_address, hop) => hop < trust.hops
  return [...trust.addresses]
}

/**
 * Makes the one header the trusted proxies set the one Fastify reads. With `forwarded`, the
 * RFC 7239 header replaces whatever X-Forwarded-* the client sent; with `x-forwarded-for`, a
 * `Forwarded` header is never read. Runs on the raw request, before anything is logged; whether
 * the peer is trusted is still decided by `trustedProxies`.
 */
export function useForwardedHeader(config: Pick<Config, 'trustProxy' | 'trustProxyHeader'>): (raw: IncomingMessage) => void {
  if (config.trustProxy.kind === 'none' || config.trustProxyHeader === 'x-forwarded-for') return () => {}
  return (raw) => {
    // The client's own X-Forwarded-* headers reach us untouched through a proxy that sets Forwarded.
    delete raw.headers['x-forwarded-for']
    delete raw.headers['x-forwarded-proto']
    delete raw.headers['x-forwarded-host']
    const header = raw.headers.forwarded
    if (header === undefined) return
    let entries: Record<string, string>[]
    try {
      entries = parseForwarded(Array.isArray(header) ? header.join(', ') : header)
    } catch {
      unreadable.add(raw)
      return
    }
    const addresses = entries.map((e) => e.for).filter((f): f is string => Boolean(f)).map(hostOnly)
    if (addresses.length) raw.headers['x-forwarded-for'] = addresses.join(', ')
    const proto = entries.at(-1)?.proto
    if (proto) raw.headers['x-forwarded-proto'] = proto
  }
}

const unreadable = new WeakSet<IncomingMessage>()

/** Refuses a request whose Forwarded header could not be read: it would be counted under the proxy's address. */
export function refuseUnreadableForwarded(raw: IncomingMessage): void {
  if (unreadable.has(raw)) throw new Invalid('The Forwarded header of this request cannot be read.')
}

/** `"[2001:db8::1]:4711"` → `2001:db8::1`; `192.0.2.60:8080` → `192.0.2.60`. */
function hostOnly(node: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(node)
  if (bracketed) return bracketed[1]!
  return /^[\d.]+:\d+$/.test(node) ? node.replace(/:\d+$/, '') : node
}

/** The address as logs may show it: its network only, never the full address. */
export function loggableAddress(ip: string | undefined): string | undefined {
  return ip === undefined ? undefined : anonymiseIp(ip)
}
