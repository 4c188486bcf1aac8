/** @module `broadsheet migrate`: bring the database's schema up to date and exit. */
import type { Config } from '../config/config.ts'
import { openSite } from '../site.ts'

export async function migrateCommand(config: Config): Promise<void> {
  const site = await openSite(config, { seed: false })
  await site.close()
  process.stdout.write(`migrations applied: ${site.storage.describe}\n`)
}
