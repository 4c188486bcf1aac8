/**
 * @module Rendered pages kept in this process's memory, bounded by bytes, each under the cache
 * tags of what it shows (`article:12`, `front`, `term:3`, `feeds` …) so that a change drops
 * exactly the pages that show it. Each page is compressed once, in gzip and brotli, when kept.
 */
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { LRUCache } from 'lru-cache'

/** Drops every page. */
export const ALL = 'all'

/** A page as it is answered: its bytes in each encoding, its validators and its headers. */
export interface CachedPage {
  readonly identity: Buffer
  readonly gzip: Buffer
  readonly br: Buffer
  /** A weak validator (the same page in every encoding): `W/"…"`. */
  readonly etag: string
  /** An HTTP date. */
  readonly lastModified: string
  /** What the page was answered with first (content type, cache control, vary, surrogate keys). */
  readonly headers: Readonly<Record<string, string>>
  readonly tags: readonly string[]
}

const gzip = promisify(zlib.gzip)
const brotli = promisify(zlib.brotliCompress)
/** Brotli's quality 11 costs tens of milliseconds a page; 6 is within a few per cent of its size. */
const BROTLI_OPTIONS = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 6 } }

/** Makes a page to keep (compressing off the event loop, in libuv's pool). */
export async function makeCachedPage(body: string | Buffer, o: { tags: readonly string[]; headers: Record<string, string>; lastModified: Date }): Promise<CachedPage> {
  const identity = Buffer.isBuffer(body) ? body : Buffer.from(body)
  const [gz, br] = await Promise.all([gzip(identity), brotli(identity, BROTLI_OPTIONS)])
  const etag = `W/"${createHash('sha1').update(identity).digest('base64url')}"`
  return { identity, gzip: gz, br, etag, lastModified: o.lastModified.toUTCString(), headers: o.headers, tags: o.tags }
}

export interface PageCacheOptions {
  /** The most bytes kept (all encodings counted). */
  readonly maxBytes: number
  /** The longest a page is kept, whatever happens: what it shows that depends on the time (today's date, the comment form's token). */
  readonly ttlMs: number
}

export interface CachedPages {
  get(key: string): CachedPage | undefined
  /** Taken before a page is rendered and given to `put`: a page whose tags were invalidated meanwhile is not kept. */
  stamp(): number
  /** Keeps the page unless something it shows changed since `stamp`; says whether it was kept. */
  put(key: string, stamp: number, page: CachedPage): boolean
  /** Drops the pages under any of these tags (`all`: every page). */
  invalidate(tags: ReadonlySet<string>): void
  /** Pages and bytes kept now. */
  size(): { pages: number; bytes: number }
}

/** Past this many tags remembered as recently invalidated, they are forgotten at once as if `all` came. */
const STAMPED_TAGS_MAX = 10_000

/**
 * @example
 * const pages = cachedPages({ maxBytes: 64 * 2 ** 20, ttlMs: 60_000 })
 * const stamp = pages.stamp(); const page = await makeCachedPage(html, { … }); pages.put('/', stamp, page)
 */
export function cachedPages(options: PageCacheOptions): CachedPages {
  const byTag = new Map<string, Set<string>>()
  const lru = new LRUCache<string, CachedPage>({
    maxSize: options.maxBytes,
    ttl: options.ttlMs,
    sizeCalculation: (page) => page.identity.length + page.gzip.length + page.br.length + 512,
    dispose: (page, key) => {
      for (const tag of page.tags) {
        const keys = byTag.get(tag)
        keys?.delete(key)
        if (keys?.size === 0) byTag.delete(tag)
      }
    },
  })
  let clock = 0
  let allAt = 0
  const tagAt = new Map<string, number>()
  return {
    get: (key) => lru.get(key),
    stamp: () => clock,
    put(key, stamp, page) {
      if (allAt > stamp || page.tags.some((tag) => (tagAt.get(tag) ?? 0) > stamp)) return false
      if (lru.maxSize < 10 * (page.identity.length + page.gzip.length + page.br.length)) return false
      lru.set(key, page)
      if (!lru.has(key)) return false
      for (const tag of page.tags) {
        let keys = byTag.get(tag)
        if (!keys) byTag.set(tag, (keys = new Set()))
        keys.add(key)
      }
      return true
    },
    invalidate(tags) {
      clock++
      if (tags.has(ALL) || tagAt.size + tags.size > STAMPED_TAGS_MAX) {
        allAt = clock
        tagAt.clear()
        lru.clear()
        return
      }
      for (const tag of tags) {
        tagAt.set(tag, clock)
        for (const key of [...(byTag.get(tag) ?? [])]) lru.delete(key)
      }
    },
    size: () => ({ pages: lru.size, bytes: lru.calculatedSize }),
  }
}
