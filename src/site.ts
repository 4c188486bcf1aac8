/**
 * @module The composition root: opens storage, brings the schema up to date, seeds the demo on a
 * new database, and hands the pieces to the web server and the CLI.
 */
import type { Config } from './config/config.ts'
import { migrateToLatest, openStorage, type DB, type Storage } from './storage/database.ts'
import { seedDemo } from './demo/demo.ts'
import { defaultModel } from './spam-filter/default-model.ts'
import { SpamFilter } from './spam-filter/spam-filter.ts'

export interface Site {
  readonly config: Config
  readonly storage: Storage
  readonly db: DB
  readonly spamFilter: SpamFilter
  close(): Promise<void>
}

export interface OpenOptions {
  /** Apply migrations (the CLI's read-only commands may skip it). Default true. */
  readonly migrate?: boolean
  /** Seed the demo on an empty database when the config asks for it. Default true. */
  readonly seed?: boolean
  readonly log?: (line: string) => void
}

/**
 * @example
 * const site = await openSite(loadConfig(process.env))
 * const app = await buildServer(site)
 */
export async function openSite(config: Config, options: OpenOptions = {}): Promise<Site> {
  const storage = await openStorage(config.database)
  try {
    if (options.migrate !== false) await migrateToLatest(storage.db)
    if (options.seed !== false && config.demo) await seedDemo(storage.db, options.log ?? (() => {}))
  } catch (error) {
    await storage.close()
    throw error
  }
  return { config, storage, db: storage.db, spamFilter: new SpamFilter(storage.db, defaultModel), close: () => storage.close() }
}
