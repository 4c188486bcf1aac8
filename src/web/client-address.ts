/**
 * @module The client's address as the site may believe it: forwarded headers count only when
 * they come through a proxy the site was told to trust (TRUST_PROXY); from anyone else they are
 * ignored, so nobody can pick the address their comments and rate limits are counted under.
 */
import type { FastifyRequest } from 'fastify'
import parseForwarded from 'forwarded-parse'
import type { TrustProxy } from '../config/config.ts'
import { anonymiseIp } from '../privacy/retention.ts'

/** Fastify's `trustProxy` for the configured proxies: false, a hop count, or addresses. */
export function trustedProxies(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust.kind === 'none') return false
  // Fastify refuses a bare hop count (it cannot check the first peer); trusting the nearest N hops is what was asked.
  if (trust.kind === 'hops') return (_address, hop) => hop < trust.hops
  return [...trust.addresses]
}

/**
 * Standard `Forwarded` headers (RFC 7239) are read as the `X-Forwarded-For` / `-Proto` they
 * stand for, so that one trust rule judges both. Only the missing ones are filled in.
 */
export function forwardedAsXForwarded(req: FastifyRequest): void {
  const header = req.headers.forwarded
  if (typeof header !== 'string' || req.headers['x-forwarded-for'] !== undefined) return
  let entries: Record<string, string>[]
  try {
    entries = parseForwarded(header)
  } catch {
    return // a malformed header says nothing we could trust
  }
  const addresses = entries.map((e) => e.for).filter((f): f is string => Boolean(f)).map(hostOnly)
  if (addresses.length) req.raw.headers['x-forwarded-for'] = addresses.join(', ')
  const proto = entries.at(-1)?.proto
  if (proto && req.headers['x-forwarded-proto'] === undefined) req.raw.headers['x-forwarded-proto'] = proto
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
