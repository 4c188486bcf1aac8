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
  /** Forgets this process's copy (another process changed them: the page cache heard so). */
  forgetCached(): void
}

/** Told once about each stored value that is not used because it does not validate. */
export type SettingsWarning = (message: string, detail: { setting: string; problem: string }) => void

/**
 * @example const settings = settingsService(db, (message, detail) => log.warn(detail, message))
 */
export function settingsService(db: DB, warn?: SettingsWarning): SettingsService {
  if (warn) warnings.set(db, warn)
  return { read: () => readSettings(db), update: (changes) => updateSettings(db, changes), secret: (name) => siteSecret(db, name), forgetCached: () => cache.delete(db) }
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
const warnings = new WeakMap<DB, SettingsWarning>()
/** The stored values already warned about (key and raw value), so a bad value is logged once, not on every page. */
const warned = new WeakMap<DB, Set<string>>()

const defaultWarning: SettingsWarning = (message) => process.stderr.write(`${message}\n`)

function warnOnce(db: DB, key: string, raw: string, problem: string): void {
  const seen = warned.get(db) ?? new Set<string>()
  warned.set(db, seen)
  if (seen.has(`${key}=${raw}`)) return
  seen.add(`${key}=${raw}`)
  ;(warnings.get(db) ?? defaultWarning)(`setting ${key}: the stored value is not valid (${problem}); its default is used until it is set again`, { setting: key, problem })
}

async function readStoredSettings(db: DB): Promise<SiteSettings> {
  const rows = await store.allValues(db)
  const known = new Set(Object.keys(SettingsSchema.shape))
  const stored: Record<string, unknown> = {}
  const raw = new Map<string, string>()
  for (const row of rows) {
    if (!known.has(row.key)) continue // signing secrets share the table
    raw.set(row.key, row.value)
    try {
      stored[row.key] = JSON.parse(row.value)
    } catch {
      warnOnce(db, row.key, row.value, 'not JSON')
    }
  }
  // Each pass drops the values it finds wrong; checks across settings (the spam thresholds' order)
  // only run once every single value passes, so it may take more than one.
  for (let pass = 0; pass <= known.size; pass++) {
    const parsed = SettingsSchema.safeParse(stored)
    if (parsed.success) return parsed.data
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0])
      if (!(key in stored)) continue
      warnOnce(db, key, raw.get(key) ?? '', issue.message)
      delete stored[key]
    }
  }
  return SettingsSchema.parse({})
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
