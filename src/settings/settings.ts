/** @module Reads and changes the site's settings, stored one JSON value a key. */
import { parseOrThrow } from '../validation.ts'
import { Invalid } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import { SettingsSchema, type SiteSettings } from './schema.ts'
import * as store from './settings-store.ts'
import { siteSecret } from './secrets.ts'

export type { SiteSettings } from './schema.ts'

/** The settings module as the rest of the site sees it. */
export interface SettingsService {
  read(): Promise<SiteSettings>
  update(changes: Partial<SiteSettings>): Promise<SiteSettings>
  /** A per-site signing secret, made on first use (see secrets.ts). */
  secret(name: string): Promise<Buffer>
}

export function settingsService(db: DB): SettingsService {
  return { read: () => readSettings(db), update: (changes) => updateSettings(db, changes), secret: (name) => siteSecret(db, name) }
}

/** A setting was given a value it cannot take. */
export class InvalidSetting extends Invalid {
  override readonly name = 'InvalidSetting'
  constructor(message: string) {
    super(message, 'invalid_setting')
  }
}

/**
 * The site's settings: stored values over defaults. A stored value that no longer validates
 * (say, after a downgrade) falls back to its default instead of taking the site down.
 */
export async function readSettings(db: DB): Promise<SiteSettings> {
  const cached = cache.get(db)
  if (cached && cached.until > Date.now()) return cached.settings
  const settings = await readStoredSettings(db)
  cache.set(db, { settings, until: Date.now() + CACHE_MS })
  return settings
}

/**
 * Every page needs the settings; they change rarely. Another process's change shows within
 * this time, this process's own at once.
 */
const CACHE_MS = 1000
const cache = new WeakMap<DB, { settings: SiteSettings; until: number }>()

async function readStoredSettings(db: DB): Promise<SiteSettings> {
  const rows = await store.allValues(db)
  const stored: Record<string, unknown> = {}
  for (const row of rows) {
    try {
      stored[row.key] = JSON.parse(row.value)
    } catch {
      // an unreadable value is treated as unset
    }
  }
  const parsed = SettingsSchema.safeParse(stored)
  if (parsed.success) return parsed.data
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])))
  for (const key of bad) delete stored[key]
  return SettingsSchema.parse(stored)
}

/**
 * Changes some settings after validating them all together.
 * @example await updateSettings(db, { title: 'The Riverside Gazette', postsPerPage: 12 })
 */
export async function updateSettings(db: DB, changes: Partial<SiteSettings>): Promise<SiteSettings> {
  const current = await readSettings(db)
  const next = parseOrThrow(SettingsSchema, { ...current, ...changes }, 'settings', (p) => new InvalidSetting(`${p.field}: ${p.message}`))
  const values: Record<string, string> = {}
  for (const key of Object.keys(changes) as (keyof SiteSettings)[]) values[key] = JSON.stringify(next[key])
  await store.writeValues(db, values)
  cache.delete(db)
  return next
}
