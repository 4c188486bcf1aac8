/** @module Users who sign in or call the admin API: creation, password hashing, API tokens. */
import { parseOrThrow } from '../validation.ts'
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { z } from 'zod'
import { Conflict, Invalid, NotFound } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import { slugify } from '../text/slug.ts'
import * as store from './account-store.ts'
import { freeUserSlug, type Role } from './authors.ts'

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>

export interface User {
  readonly id: number
  readonly email: string
  readonly displayName: string
  readonly role: Role
}

export const NewUserSchema = z.object({
  email: z.email('is not a valid e-mail address'),
  name: z.string().trim().min(1, 'is required').max(100),
  role: z.enum(['administrator', 'editor', 'author', 'contributor'], { error: 'must be administrator, editor, author or contributor' }),
  password: z.string().min(12, 'must be at least 12 characters').max(1000).optional(),
})

export type NewUser = z.input<typeof NewUserSchema>

/** Adds a user; an author known only from bylines with this name gets the e-mail and role instead. */
export async function addUser(db: DB, input: NewUser, now = new Date()): Promise<User> {
  const u = parseOrThrow(NewUserSchema, input, 'user', (p) => new Invalid(`${p.field}: ${p.message}`))
  const email = u.email.toLowerCase()
  if (await store.emailTaken(db, email)) throw new Conflict(`email: ${email} already has an account`)
  const passwordHash = u.password ? await hashPassword(u.password) : null
  const bylineOnly = await store.bylineOnlyAuthorNamed(db, u.name)
  if (bylineOnly !== undefined) {
    await store.giveAccount(db, bylineOnly, { email, role: u.role, password_hash: passwordHash })
    return { id: bylineOnly, email, displayName: u.name, role: u.role }
  }
  const slug = await freeUserSlug(db, slugify(u.name) || 'user')
  const { id } = await store.insertUser(db, { email, display_name: u.name, slug, role: u.role, bio: '', password_hash: passwordHash, created_at: now.toISOString() })
  return { id, email, displayName: u.name, role: u.role }
}

/** Addresses of the people who moderate comments (administrators and editors with a real address). */
export function moderatorEmails(db: DB): Promise<string[]> {
  return store.emailsOfRoles(db, ['administrator', 'editor'])
}

/** Whether anyone has an account or a byline yet (a new site has neither). */
export async function hasAnyUser(db: DB): Promise<boolean> {
  return (await store.anyUserId(db)) !== undefined
}

/** A new API token for the user with this e-mail; only its hash is stored. */
export async function createApiToken(db: DB, email: string, now = new Date()): Promise<string> {
  const userId = await store.userIdByEmail(db, email.trim().toLowerCase())
  if (userId === undefined) throw new NotFound(`email: no user has the address ${email} (add one with: broadsheet user add)`)
  const token = `bs_${randomBytes(24).toString('base64url')}`
  await store.insertToken(db, sha256(token), userId, now.toISOString())
  return token
}

const apiTokenRe = /^bs_[A-Za-z0-9_-]{32}$/

/** The user a bearer token belongs to, if it is one of ours (looked up by hash: no timing to learn from). */
export async function userForToken(db: DB, token: string): Promise<User | undefined> {
  if (!apiTokenRe.test(token)) return undefined
  const row = await store.userByTokenHash(db, sha256(token))
  return row && { id: row.id, email: row.email, displayName: row.display_name, role: row.role }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password.normalize('NFKC'), salt, 64)
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length)
  return timingSafeEqual(actual, expected)
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
