/**
 * @module The page cache's HTTP side: reader pages and feeds that a route marks with
 * `reply.cacheAs(tags)` are kept (see page-cache/cached-pages.ts) and answered from memory to
 * anonymous readers, with ETag, Last-Modified and 304, gzip or brotli made once, `Surrogate-Key`
 * and `Cache-Tag` naming the page's tags for a CDN, and `x-cache: hit|miss`.
 *
 * Who is never answered from it: requests with a query string (`?replytocom=`, the held-comment
 * notice and its token, searches), with an `Authorization` header, or with any of the site's
 * cookies (staff sessions, the commenter's remembered details and trust proof), so a reader whose
 * page shows their own held comment or details always gets a page made for them.
 *
 * Pages leave when what they show changes, in whatever process or host changed it: the
 * invalidations the database records in the change's transaction are followed (page-cache/
 * invalidations.ts); after this process's own writes they are read before the answer leaves,
 * and on SQLite before each lookup when the database has newer ones.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { cachedPages, makeCachedPage, type CachedPage } from '../page-cache/cached-pages.ts'
import { followInvalidations, type InvalidationFollower } from '../page-cache/invalidations.ts'
import type { Site } from '../site.ts'
import type { App } from './server.ts'

/** The longest a page is kept: today's date on the front page and the comment form's token age with the clock. */
const PAGE_TTL_MS = 60_000
/** Any cookie of the site's own (session, commenter, trust, CSRF) makes a page the reader's own. */
const siteCookieRe = /(?:^|;)\s*broadsheet_/
/** Response headers a kept page is answered with again. */
const KEPT_HEADERS = ['content-type', 'cache-control', 'vary', 'link', 'surrogate-key', 'cache-tag'] as const

declare module 'fastify' {
  interface FastifyReply {
    /** Marks this answer as a page others may be given from the cache, under the tags of what it shows. */
    cacheAs(tags: readonly string[]): FastifyReply
    pageTags: readonly string[] | null
  }
  interface FastifyRequest {
    /** Set when the cache was asked and had nothing: where to keep the page, and since when. */
    pageCacheSlot: { key: string; stamp: number } | null
  }
  interface FastifyInstance {
    readonly pageCache: {
      /** Called with the tags of each batch of changes heard (to drop other per-process copies: settings, page parts). */
      onInvalidate(listener: (tags: ReadonlySet<string>) => void): void
      /** Pages and bytes kept now (nothing when the cache is off). */
      size(): { pages: number; bytes: number }
    }
  }
}

/**
 * Registers the hooks; call before @fastify/etag and @fastify/compress so that this sees pages
 * before they are encoded (and they leave alone what this has encoded).
 */
export async function registerPageCache(app: App, site: Site): Promise<void> {
  const listeners: ((tags: ReadonlySet<string>) => void)[] = []
  const maxBytes = site.config.pageCacheMegabytes * 2 ** 20
  const pages = maxBytes > 0 ? cachedPages({ maxBytes, ttlMs: PAGE_TTL_MS }) : undefined
  const answered = new WeakMap<CachedPage, HitHeaders>()
  app.decorate('pageCache', {
    onInvalidate: (listener: (tags: ReadonlySet<string>) => void) => void listeners.push(listener),
    size: () => pages?.size() ?? { pages: 0, bytes: 0 },
  })
  app.decorateReply('pageTags', null)
  app.decorateReply('cacheAs', function (this: FastifyReply, tags: readonly string[]) {
    this.pageTags = tags
    return this
  })
  app.decorateRequest('pageCacheSlot', null)
  const applyInvalidation = (tags: ReadonlySet<string>) => {
    pages?.invalidate(tags)
    if (tags.has('all')) app.services.settings.forgetCached()
    for (const listener of listeners) listener(tags)
  }
  const follower = pages && (await followInvalidations(site.storage, applyInvalidation, (error) => app.log.error({ err: error }, 'reading invalidations failed')))
  const schedule = follower && watchSchedule(app, () => applyInvalidation(new Set(['all'])))
  if (follower && schedule) {
    listeners.push((tags) => {
      if (tags.has('front') || tags.has('all')) schedule.plan()
    })
    schedule.plan()
    app.addHook('onClose', () => follower.stop())
  }

  app.addHook('onRequest', async (req, reply) => {
    if (!pages || !follower || !mayShare(req)) return
    schedule?.check()
    if (follower.behind()) {
      try {
        await follower.catchUp()
      } catch (error) {
        // Unsure what changed: this answer is made afresh and not kept (the next lookup tries again).
        app.log.error({ err: error }, 'reading invalidations failed')
        return
      }
    }
    const key = req.url
    const page = pages.get(key)
    if (!page) {
      req.pageCacheSlot = { key, stamp: pages.stamp() }
      return
    }
    const answers = answered.get(page)
    if (answers) return sendRaw(req, reply, page, answers)
    reply.headers(page.headers).header('etag', page.etag).header('last-modified', page.lastModified).header('x-cache', 'hit')
    return sendPage(req, reply, page)
  })

  // Once a kept page has gone out the first time, its every header (the security headers the
  // server adds last included) is known: hits are then written straight to the socket.
  app.addHook('onResponse', async (req, reply) => {
    const slot = req.pageCacheSlot
    if (!pages || !slot || reply.statusCode !== 200) return
    const page = pages.get(slot.key)
    if (page && !answered.has(page)) answered.set(page, headersOfHits(reply, page))
  })

  app.addHook('onSend', async (req, reply, payload) => {
    if (follower && req.method !== 'GET' && req.method !== 'HEAD') await readOwnWrites(app, follower, site.storage.newestInvalidation !== undefined)
    const tags = reply.pageTags
    if (!tags) return payload
    reply.header('surrogate-key', tags.join(' ')).header('cache-tag', tags.join(','))
    reply.header('x-cache', 'miss')
    const slot = req.pageCacheSlot
    if (!pages || !slot || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload
    if (!/\bpublic\b/.test(String(reply.getHeader('cache-control') ?? ''))) return payload
    reply.header('vary', withAcceptEncoding(reply.getHeader('vary')))
    const routeLastModified = reply.getHeader('last-modified')
    const page = await makeCachedPage(payload, {
      tags,
      headers: keptHeaders(reply),
      lastModified: routeLastModified ? new Date(String(routeLastModified)) : app.now(),
    })
    pages.put(slot.key, slot.stamp, page)
    reply.header('etag', page.etag).header('last-modified', page.lastModified)
    const encoding = preferredEncoding(req.headers['accept-encoding'])
    if (!encoding) return page.identity
    reply.header('content-encoding', encoding)
    return page[encoding]
  })
}

/**
 * A scheduled story is live from its date, before any process claims it as published (within
 * 15 s, which records its invalidation): every page is dropped at that moment, in each process.
 * Looked at before each lookup on the site's clock (a comparison), so no timer can be late.
 */
function watchSchedule(app: App, due: () => void): { plan(): void; check(): void } {
  let dueAt: number | undefined
  let planned = 0
  const plan = () => {
    const asked = ++planned
    app.services.articles
      .nextScheduledAt()
      .then((next) => {
        if (asked === planned) dueAt = next?.getTime()
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'reading the next scheduled story failed'))
  }
  return {
    plan,
    check() {
      if (dueAt === undefined || app.now().getTime() < dueAt) return
      dueAt = undefined
      due()
      plan()
    },
  }
}

/** Whether this request may be given a page made for anyone. */
function mayShare(req: FastifyRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !req.url.includes('?') && !req.headers.authorization && !siteCookieRe.test(req.headers.cookie ?? '')
}

/** A change this process just made is in its own cache before the answer reaches the client (its next request may be a read). */
async function readOwnWrites(app: App, follower: InvalidationFollower, engineTells: boolean): Promise<void> {
  // Where the engine says at once whether anything is newer (SQLite), a write that changed no page costs no read.
  if (engineTells && !follower.behind()) return
  try {
    await follower.catchUp()
  } catch (error) {
    app.log.error({ err: error }, 'reading invalidations failed')
  }
}

/** A hit's status line and headers, made once a page: flat [name, value, …] lists as `writeHead` takes them. */
interface HitHeaders {
  readonly identity: string[]
  readonly gzip: string[]
  readonly br: string[]
  readonly notModified: string[]
}

/** Headers that belong to one answer, not to the page. */
const PER_ANSWER_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'x-cache', 'set-cookie'])

function headersOfHits(reply: FastifyReply, page: CachedPage): HitHeaders {
  const common: string[] = []
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined || PER_ANSWER_HEADERS.has(name)) continue
    for (const v of Array.isArray(value) ? value : [value]) common.push(name, String(v))
  }
  common.push('x-cache', 'hit')
  const withBody = (body: Buffer, encoding?: string) => [...common, 'content-length', String(body.length), ...(encoding ? ['content-encoding', encoding] : [])]
  return { identity: withBody(page.identity), gzip: withBody(page.gzip, 'gzip'), br: withBody(page.br, 'br'), notModified: common }
}

/** A hit written to the socket as it is: no hook has anything to add to a page whose headers are all known. */
function sendRaw(req: FastifyRequest, reply: FastifyReply, page: CachedPage, headers: HitHeaders): void {
  reply.hijack()
  const res = reply.raw
  if (notModified(req, page)) {
    res.writeHead(304, headers.notModified)
    res.end()
    return
  }
  const encoding = preferredEncoding(req.headers['accept-encoding']) ?? 'identity'
  res.writeHead(200, headers[encoding])
  res.end(req.method === 'HEAD' ? undefined : page[encoding])
}

function sendPage(req: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
  if (notModified(req, page)) return reply.code(304).send()
  const encoding = preferredEncoding(req.headers['accept-encoding'])
  if (encoding) reply.header('content-encoding', encoding)
  return reply.send(encoding ? page[encoding] : page.identity)
}

/** If-None-Match (weak comparison, RFC 9110 §13.1.2) or, without it, If-Modified-Since. */
function notModified(req: FastifyRequest, page: CachedPage): boolean {
  const inm = req.headers['if-none-match']
  if (inm !== undefined) {
    const wanted = page.etag.slice(2)
    return inm.split(',').some((tag) => {
      const t = tag.trim()
      return t === '*' || t.replace(/^W\//, '') === wanted
    })
  }
  const since = Date.parse(String(req.headers['if-modified-since'] ?? ''))
  return Number.isFinite(since) && Date.parse(page.lastModified) <= since
}

/** Brotli when the client takes it, else gzip, else none (a `q=0` refuses). */
export function preferredEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined
  let br = false
  let gzip = false
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim())
    const q = params.find((p) => p.startsWith('q='))
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue
    if (name === 'br' || name === '*') br = true
    if (name === 'gzip' || name === 'x-gzip' || name === '*') gzip = true
  }
  return br ? 'br' : gzip ? 'gzip' : undefined
}

function withAcceptEncoding(vary: unknown): string {
  const names = String(vary ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  if (!names.some((n) => n.toLowerCase() === 'accept-encoding')) names.push('Accept-Encoding')
  return names.join(', ')
}

function keptHeaders(reply: FastifyReply): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name)
    if (value !== undefined) kept[name] = String(value)
  }
  return kept
}
