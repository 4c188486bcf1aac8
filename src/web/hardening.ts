/**
 * @module What keeps the server standing and its pages hard to abuse: timeouts for slow or idle
 * clients, security headers on every answer (a Content-Security-Policy without inline script),
 * the readiness check for load balancers, and warnings about the site's own state in the log.
 */
import type { ServerOptions as HttpServerOptions } from 'node:http'
import type { Site } from '../site.ts'
import type { App } from './server.ts'
import { publicBaseUrl } from './urls.ts'

/** How long a client may take, in milliseconds. */
export interface ServerTimeouts {
  /** From the connection's start to the end of the request's headers (Node's headersTimeout). */
  readonly headers: number
  /** From the connection's start to the end of the request's body (Fastify's requestTimeout). */
  readonly request: number
  /** A socket with a request in flight and nothing sent either way for this long is closed (Fastify's connectionTimeout). */
  readonly idle: number
  /** An idle keep-alive socket between requests is closed after this (Fastify's keepAliveTimeout). */
  readonly keepAlive: number
  /** How often Node looks for requests past their headers or request time (its connectionsCheckingInterval). */
  readonly checkEvery: number
}

/**
 * The defaults, and why:
 * - headers 15 s: a real client sends its headers in one packet; Node's 60 s lets a slowloris keep
 *   a socket for a minute with a header line now and then.
 * - request 120 s: the whole request, body included (Node's 300 s, Fastify's none). The largest
 *   legitimate body is a 50 MB image upload, which needs about 3.5 Mbit/s to make it; a body
 *   trickled a byte at a time is cut off at two minutes whatever it does.
 * - idle 30 s: no byte either way for half a minute while a request is open.
 * - keep-alive 72 s (Fastify's own default): longer than the idle timeout of the usual proxies and
 *   load balancers (60 s), so that the proxy, not the app, closes a reused connection and never
 *   sends a request down a socket the app has just closed (a 502 for the reader).
 * - checked every 1 s (Node's 30 s would let a timed-out request live 30 s past its time).
 */
export const DEFAULT_TIMEOUTS: ServerTimeouts = { headers: 15_000, request: 120_000, idle: 30_000, keepAlive: 72_000, checkEvery: 1_000 }

/** Fastify's factory options that set the timeouts. */
export function timeoutOptions(overrides: Partial<ServerTimeouts> = {}): {
  connectionTimeout: number
  requestTimeout: number
  keepAliveTimeout: number
  http: HttpServerOptions
} {
  const t = { ...DEFAULT_TIMEOUTS, ...overrides }
  return {
    connectionTimeout: t.idle,
    requestTimeout: t.request,
    keepAliveTimeout: t.keepAlive,
    http: { headersTimeout: Math.min(t.headers, t.request), requestTimeout: t.request, connectionsCheckingInterval: t.checkEvery },
  }
}

/**
 * Scripts and styles from the site's own files only, no inline script (JSON-LD blocks are data,
 * not script, and are not affected), images from anywhere on https (article images may be remote)
 * or data: URLs, no plugins, no framing.
 */
const contentSecurityPolicy = (formTargets: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' https:",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${formTargets}`,
    "frame-ancestors 'none'",
  ].join('; ')

const A_YEAR = 31_536_000

/** Every answer's security headers on a site at this public address (HSTS only on https). */
function securityHeaders(base: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(`'self' ${new URL(base).origin}`),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
    ...(base.startsWith('https:') && { 'strict-transport-security': `max-age=${A_YEAR}` }),
  }
}

/** Whether SIGTERM has begun the shutdown: /readyz then answers 503 so that load balancers stop sending. */
const draining = new WeakSet<App>()

/** Called when the process is told to stop; /readyz answers 503 from then on. */
export function beginShutdown(app: App): void {
  draining.add(app)
}

/**
 * Registers the headers hook, /readyz and the settings warnings.
 * @example await registerHardening(app, site)
 */
export function registerHardening(app: App, site: Site): void {
  site.reportWarningsTo((message, detail) => app.log.warn(detail, message))

  // The public address decides HSTS and where forms may send readers; read it as pages do (cached
  // for a second), and from the environment when the database cannot say.
  const baseUrl = async () => {
    try {
      return publicBaseUrl(await app.services.settings.read(), site.config.baseUrl)
    } catch {
      return site.config.baseUrl
    }
  }

  // The headers depend on the public address alone: made once for each address, not per answer.
  let made: { base: string; headers: Record<string, string> } | undefined
  const headersFor = (base: string) => {
    if (made?.base !== base) made = { base, headers: securityHeaders(base) }
    return made.headers
  }
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(headersFor(await baseUrl()))
    return payload
  })

  // Readiness for load balancers: migrations ran before the server was built, so ready means the
  // database answers now and the process is not shutting down. (Liveness with a write probe is /healthz.)
  app.get('/readyz', async (_req, reply) => {
    reply.header('cache-control', 'no-store')
    if (draining.has(app)) return reply.code(503).header('retry-after', '5').send({ status: 'shutting_down' })
    if (!(await app.services.health.answers())) return reply.code(503).header('retry-after', '5').send({ status: 'database_unavailable' })
    return { status: 'ready' }
  })
}
