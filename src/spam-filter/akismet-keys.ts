/** @module Keys for the Akismet-compatible API: shown once when made, stored only as a hash. */
import { createHash, randomBytes } from 'node:crypto'
import type { DB } from '../storage/database.ts'
import * as store from './spam-filter-store.ts'
import type { Scope } from './spam-filter.ts'

export interface AkismetKey {
  readonly id: number
  readonly siteUrl: string
  /** The filter scope of this key's site: its feedback trains only its own model. */
  readonly scope: Scope
}

const keyRe = /^[a-z0-9]{12,64}$/

/** Makes a key like Akismet's (12 hex characters … here 16) for a site. */
export async function createAkismetKey(db: DB, siteUrl: string, now = new Date()): Promise<{ key: string; id: number }> {
  const key = randomBytes(8).toString('hex')
  const id = await store.insertAkismetKey(db, hashOf(key), siteUrl, now.toISOString())
  return { key, id }
}

/** Known keys are remembered briefly: every comment-check names its key. */
const KEY_CACHE_MS = 60_000
const keyCache = new WeakMap<DB, Map<string, { key: AkismetKey; until: number }>>()

export async function findAkismetKey(db: DB, key: string): Promise<AkismetKey | undefined> {
  if (!keyRe.test(key)) return undefined
  const hash = hashOf(key)
  let cache = keyCache.get(db)
  if (!cache) keyCache.set(db, (cache = new Map()))
  const hit = cache.get(hash)
  if (hit && hit.until > Date.now()) return hit.key
  const row = await store.findAkismetKey(db, hash)
  if (!row) return undefined
  const found = { id: row.id, siteUrl: row.site_url, scope: `key:${row.id}` }
  if (cache.size > 1000) cache.clear()
  cache.set(hash, { key: found, until: Date.now() + KEY_CACHE_MS })
  return found
}

function hashOf(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}
