/**
 * @module The process environment turned into one typed, validated, frozen configuration.
 * Anything wrong stops the process at start with one line that names the variable.
 */
import { parseOrThrow } from '../validation.ts'
import { isIP } from 'node:net'
import path from 'node:path'
import { z } from 'zod'
import { Invalid } from '../errors.ts'

/** Where the database lives: an SQLite file (the default) or a PostgreSQL server. */
export type DatabaseLocation =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string }

export interface Config {
  readonly port: number
  readonly host: string
  readonly database: DatabaseLocation
  /** Folder for uploads, the SQLite database and the site's spam model. */
  readonly dataDir: string
  /** Seed a new, empty database with the demo articles. */
  readonly demo: boolean
  /** Public base URL without a trailing slash, e.g. `https://news.example.org`. */
  readonly baseUrl: string
  readonly webConcurrency: number
  readonly smtpUrl: string | undefined
  readonly logLevel: string
  /** Which proxies' forwarded client addresses to believe (TRUST_PROXY). */
  readonly trustProxy: TrustProxy
  /** The header those proxies set (TRUST_PROXY_HEADER); the other one is ignored. */
  readonly trustProxyHeader: 'x-forwarded-for' | 'forwarded'
  /** BROADSHEET_SECRET_KEY: 32 bytes that seal private source notes; absent, that feature is off. */
  readonly secretKey: Uint8Array | undefined
  /** WEBSUB_HUB: the WebSub hub that feeds name and that publishing pings; absent, no pings. */
  readonly websubHub: string | undefined
  /** BROADSHEET_SHUTDOWN_GRACE: seconds between SIGTERM (when /readyz turns 503) and closing the listener. */
  readonly shutdownGraceSeconds: number
  /** BROADSHEET_PAGE_CACHE_MB: megabytes of rendered pages each process keeps in memory; 0 turns the page cache off. */
  readonly pageCacheMegabytes: number
}

/** No proxy (the default: forwarded headers are ignored), the nearest N hops, or these addresses. */
export type TrustProxy =
  | { readonly kind: 'none' }
  | { readonly kind: 'hops'; readonly hops: number }
  | { readonly kind: 'addresses'; readonly addresses: readonly string[] }

/** A configuration problem, phrased for the person starting the server. */
export class ConfigError extends Invalid {
  override readonly name = 'ConfigError'
  constructor(message: string) {
    super(message, 'invalid_config')
  }
}

const EnvSchema = z.object({
  /** TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; 127.0.0.1 keeps the site private until a proxy is put in front. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** `sqlite:PATH` (relative to the working folder) or `postgres://…`. */
  DATABASE_URL: z.string().optional(),
  /** Data folder: SQLite database, uploads, the site's spam model. */
  BROADSHEET_DATA: z.string().min(1).default('./data'),
  /** `1` seeds a new database with demo content; `0` starts empty. */
  BROADSHEET_DEMO: z.enum(['0', '1', 'true', 'false']).default('1'),
  /** Public base URL used in links, feeds and canonical tags. */
  BROADSHEET_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Number of app processes to run. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** SMTP server for notifications, e.g. `smtp://user:pass@mail.example.org:587`. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Proxies whose X-Forwarded-For / Forwarded headers are believed: a hop count, or addresses and CIDR ranges. */
  TRUST_PROXY: z.string().optional(),
  /** The header the trusted proxies set: `x-forwarded-for` (with X-Forwarded-Proto) or RFC 7239 `forwarded`. */
  TRUST_PROXY_HEADER: z.enum(['x-forwarded-for', 'forwarded']).default('x-forwarded-for'),
  /** 32 random bytes as 64 hex digits or base64 (`openssl rand -base64 32`): seals private source notes. */
  BROADSHEET_SECRET_KEY: z.string().optional(),
  /** A WebSub hub (https://www.w3.org/TR/websub/), e.g. `https://pubsubhubbub.appspot.com/`: feeds name it, publishing pings it. */
  WEBSUB_HUB: z.url({ protocol: /^https?$/ }).optional(),
  /** Seconds to keep serving after SIGTERM while /readyz says 503, so that load balancers stop sending first. */
  BROADSHEET_SHUTDOWN_GRACE: z.coerce.number().int().min(0).max(600).default(0),
  /** Megabytes of rendered reader pages and feeds kept in each process (0: none). */
  BROADSHEET_PAGE_CACHE_MB: z.coerce.number().int().min(0).max(16_384).default(64),
})

/**
 * Reads the configuration from an environment.
 * @example
 * const config = loadConfig(process.env) // throws ConfigError('DATABASE_URL: …') when malformed
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const e = parseOrThrow(EnvSchema, withoutEmptyValues(env), 'environment', ({ field, issue }) =>
    new ConfigError(`${field}: ${describeIssue(issue)} (got ${JSON.stringify(env[field] ?? '')})`),
  )
  const dataDir = path.resolve(e.BROADSHEET_DATA)
  const port = e.PORT
  const host = e.HOST
  const baseUrl = (e.BROADSHEET_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '')
  return Object.freeze({
    port,
    host,
    database: parseDatabaseUrl(e.DATABASE_URL, dataDir),
    dataDir,
    demo: e.BROADSHEET_DEMO === '1' || e.BROADSHEET_DEMO === 'true',
    baseUrl,
    webConcurrency: e.WEB_CONCURRENCY,
    smtpUrl: e.SMTP_URL,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    trustProxyHeader: e.TRUST_PROXY_HEADER,
    secretKey: parseSecretKey(e.BROADSHEET_SECRET_KEY),
    websubHub: e.WEBSUB_HUB,
    shutdownGraceSeconds: e.BROADSHEET_SHUTDOWN_GRACE,
    pageCacheMegabytes: e.BROADSHEET_PAGE_CACHE_MB,
  })
}

const hexKeyRe = /^[0-9a-fA-F]{64}$/
const base64KeyRe = /^[A-Za-z0-9+/_-]{43}=?$/

/**
 * 64 hex digits, or base64 / base64url of 32 bytes. The value itself never appears in the error:
 * it is a secret.
 */
export function parseSecretKey(value: string | undefined): Uint8Array | undefined {
  if (value === undefined) return undefined
  const key = value.trim()
  const bytes = hexKeyRe.test(key) ? Buffer.from(key, 'hex') : base64KeyRe.test(key) ? Buffer.from(key, key.includes('-') || key.includes('_') ? 'base64url' : 'base64') : undefined
  if (!bytes || bytes.length !== 32) {
    throw new ConfigError(`BROADSHEET_SECRET_KEY: must be 32 bytes written as 64 hex digits or in base64 (make one with: openssl rand -base64 32); got ${key.length} characters`)
  }
  return new Uint8Array(bytes)
}

/**
 * Understands `sqlite:relative/or/absolute.db`, `sqlite:///abs.db`, `postgres://…` and `postgresql://…`.
 * Without a URL the database is `broadsheet.db` in the data folder.
 */
export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseLocation {
  if (url === undefined) return Object.freeze({ kind: 'sqlite', file: path.join(dataDir, 'broadsheet.db') })
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new ConfigError(`DATABASE_URL: not a valid PostgreSQL URL (expected postgres://user@host:5432/name)`)
    }
    if (!parsed.hostname && !parsed.searchParams.get('host')) {
      throw new ConfigError(`DATABASE_URL: the PostgreSQL URL names no host (expected postgres://user@host:5432/name)`)
    }
    return Object.freeze({ kind: 'postgres', url })
  }
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/.exec(url)
  if (sqlite) return Object.freeze({ kind: 'sqlite', file: path.resolve(sqlite[1]!) })
  throw new ConfigError(
    `DATABASE_URL: expected sqlite:PATH or postgres://user@host/name (got ${JSON.stringify(redactPassword(url))})`,
  )
}

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * `1` (the nearest proxy), `2` …, or a comma-separated list of addresses, CIDR ranges and the
 * names loopback, linklocal, uniquelocal. Trusting every sender is not offered: it would let any
 * client choose the address it is rate-limited under.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value.trim() === '') return Object.freeze({ kind: 'none' })
  if (/^\d+$/.test(value.trim())) {
    const hops = Number(value)
    if (hops < 1 || hops > 10) throw new ConfigError(`TRUST_PROXY: a hop count must be from 1 to 10 (got ${JSON.stringify(value)})`)
    return Object.freeze({ kind: 'hops', hops })
  }
  const addresses = value.split(',').map((a) => a.trim()).filter(Boolean)
  const bad = addresses.find((a) => !proxyNames.has(a) && !isAddressOrRange(a))
  if (bad !== undefined) {
    throw new ConfigError(`TRUST_PROXY: "${bad}" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal (got ${JSON.stringify(value)})`)
  }
  return Object.freeze({ kind: 'addresses', addresses: Object.freeze(addresses) })
}

function isAddressOrRange(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/')
  const version = isIP(address ?? '')
  if (!version || rest.length) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128)
}

/** Hides a password in a connection string so that it can be shown in an error or a log. */
export function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')
}

function withoutEmptyValues(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v
  return out
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_format' && issue.format === 'url') return 'must be an http(s) URL'
  return issue.message.toLowerCase()
}
