/** @module Users who sign in or call the admin API: creation, password hashing, API tokens. */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { z } from 'zod'
import type { DB } from '../storage/database.ts'
import { slugify } from '../text/slug.ts'
import type { Role } from './authors.ts'

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>

export interface User {
  readonly id: number
  readonly email: string
  readonly displayName: string
  readonly role: Role
}

export class AccountError extends Error {
  override readonly name = 'AccountError'
  constructor(readonly code: 'invalid_input' | 'not_found' | 'conflict', message: string) {
    super(message)
  }
}

const NewUserSchema = z.object({
  email: z.email('is not a valid e-mail address'),
  name: z.string().trim().min(1, 'is required').max(100),
  role: z.enum(['administrator', 'editor', 'author', 'contributor'], { error: 'must be administrator, editor, author or contributor' }),
  password: z.string().min(12, 'must be at least 12 characters').max(1000).optional(),
})

/** Adds a user; an author known only from bylines with this name gets the e-mail and role instead. */
export async function addUser(db: DB, input: z.input<typeof NewUserSchema>, now = new Date()): Promise<User> {
  const parsed = NewUserSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new AccountError('invalid_input', `${String(issue.path[0])}: ${issue.message}`)
  }
  const u = parsed.data
  const email = u.email.toLowerCase()
  if (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) {
    throw new AccountError('conflict', `email: ${email} already has an account`)
  }
  const passwordHash = u.password ? await hashPassword(u.password) : null
  const bylineOnly = await db
    .selectFrom('users')
    .select('id')
    .where('display_name', '=', u.name)
    .where('email', 'like', '%@authors.broadsheet.invalid')
    .executeTakeFirst()
  if (bylineOnly) {
    await db.updateTable('users').set({ email, role: u.role, password_hash: passwordHash }).where('id', '=', bylineOnly.id).execute()
    return { id: bylineOnly.id, email, displayName: u.name, role: u.role }
  }
  let slug = slugify(u.name) || 'user'
  for (let n = 2; await db.selectFrom('users').select('id').where('slug', '=', slug).executeTakeFirst(); n++) slug = `${slugify(u.name) || 'user'}-${n}`
  const { id } = await db
    .insertInto('users')
    .values({ email, display_name: u.name, slug, role: u.role, bio: '', password_hash: passwordHash, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id, email, displayName: u.name, role: u.role }
}

/** Addresses of the people who moderate comments (administrators and editors with a real address). */
export async function moderatorEmails(db: DB): Promise<string[]> {
  const rows = await db.selectFrom('users').select('email').where('role', 'in', ['administrator', 'editor']).where('email', 'not like', '%.invalid').execute()
  return rows.map((r) => r.email)
}

/** Whether anyone has an account or a byline yet (a new site has neither). */
export async function hasAnyUser(db: DB): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined
}

/** A new API token for the user with this e-mail; only its hash is stored. */
export async function createApiToken(db: DB, email: string, now = new Date()): Promise<string> {
  const user = await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst()
  if (!user) throw new AccountError('not_found', `email: no user has the address ${email} (add one with: broadsheet user add)`)
  const token = `bs_${randomBytes(24).toString('base64url')}`
  await db.insertInto('api_tokens').values({ token_hash: sha256(token), user_id: user.id, created_at: now.toISOString() }).execute()
  return token
}

/** The user a bearer token belongs to, if it is one of ours. */
export async function userForToken(db: DB, token: string): Promise<User | undefined> {
  if (!/^bs_[A-Za-z0-9_-]{32}$/.test(token)) return undefined
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.role'])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst()
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
