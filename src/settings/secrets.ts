/** @module Per-site secrets (signing keys), made on first use and shared by every app process. */
import { randomBytes } from 'node:crypto'
import type { DB } from '../storage/database.ts'
import { valueOrInsert } from './settings-store.ts'

const cache = new WeakMap<DB, Map<string, Buffer>>()

/**
 * A 32-byte secret, created once per site and name. Stored in the settings table under a key no
 * settings form shows; concurrent first uses agree because the first insert wins.
 */
export async function siteSecret(db: DB, name: string): Promise<Buffer> {
  let secrets = cache.get(db)
  if (!secrets) cache.set(db, (secrets = new Map()))
  const cached = secrets.get(name)
  if (cached) return cached
  const stored = await valueOrInsert(db, `secret:${name}`, JSON.stringify(randomBytes(32).toString('base64')))
  const secret = Buffer.from(JSON.parse(stored) as string, 'base64')
  secrets.set(name, secret)
  return secret
}
