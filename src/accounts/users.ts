/** @module Users who sign in or call the admin API: creation, password hashing, API tokens. */
import { parseOrThrow } from '../validation.ts'
import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { Conflict, Invalid, NotFound } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import { emailAddressSchema } from '../text/email-address.ts'
import { slugify } from '../text/slug.ts'
import * as store from './account-store.ts'
import { freeUserSlug, type Role } from './authors.ts'
import { hashPassword } from './passwords.ts'

export interface User {
  readonly id: number
  readonly email: string
  readonly displayName: string
  readonly role: Role
}

export const NewUserSchema = z.object({
  email: emailAddressSchema(),
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

/** How long a new API token opens the admin API unless its maker says otherwise. */
export const DEFAULT_TOKEN_DAYS = 90
/** The longest lifetime a token may be given: ten years is "never" in practice, but still ends. */
export const MAX_TOKEN_DAYS = 3650
const DAY = 86_400_000

/**
 * A new API token for the user with this e-mail, valid for `expiresInDays` (whole days, 1 to
 * 3650; 90 by default); only its hash is stored.
 * @example const { token } = await createApiToken(db, 'ada@news.test', new Date(), 'import script', 30)
 */
export async function createApiToken(db: DB, email: string, now = new Date(), label = '', expiresInDays = DEFAULT_TOKEN_DAYS): Promise<{ id: number; token: string; expiresAt: string }> {
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > MAX_TOKEN_DAYS) throw new Invalid(`expires-in: must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}`)
  const user = await store.userByEmail(db, email.trim().toLowerCase())
  if (!user) throw new NotFound(`email: no user has the address ${email} (add one with: broadsheet user add)`)
  if (user.disabled_at) throw new Conflict(`email: the account of ${email} is disabled`)
  const token = `bs_${randomBytes(24).toString('base64url')}`
  const expiresAt = new Date(now.getTime() + expiresInDays * DAY).toISOString()
  const id = await store.insertLabelledToken(db, sha256(token), user.id, label.trim().slice(0, 100), now.toISOString(), expiresAt)
  return { id, token, expiresAt }
}

const apiTokenRe = /^bs_[A-Za-z0-9_-]{32}$/
/** A token's last use is written at most this often (ms), not on every request. */
const TOKEN_TOUCH_EVERY = 3_600_000

/** The user a live bearer token belongs to (looked up by hash: no timing to learn from); revoked and expired tokens and disabled accounts have none. */
export async function userForToken(db: DB, token: string, now = new Date()): Promise<User | undefined> {
  if (!apiTokenRe.test(token)) return undefined
  const row = await store.activeUserByTokenHash(db, sha256(token), now.toISOString())
  if (!row) return undefined
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOKEN_TOUCH_EVERY) await store.touchToken(db, row.token_id, now.toISOString())
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role }
}

export interface ApiTokenInfo {
  readonly id: number
  readonly label: string
  readonly userId: number
  readonly email: string
  readonly displayName: string
  readonly createdAt: string
  readonly lastUsedAt: string | null
  readonly revokedAt: string | null
  /** When it stops opening anything. */
  readonly expiresAt: string | null
}

export async function listTokens(db: DB, userId?: number): Promise<ApiTokenInfo[]> {
  const rows = await store.tokens(db, userId)
  return rows.map((r) => ({ id: r.id, label: r.label, userId: r.user_id, email: r.email, displayName: r.display_name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at, expiresAt: r.expires_at }))
}

/** Revokes a token; `onlyOf` limits it to one user's own tokens (for staff who are not administrators). */
export async function revokeToken(db: DB, id: number, now = new Date(), onlyOf?: number): Promise<void> {
  const owner = await store.tokenOwner(db, id)
  if (!owner || (onlyOf !== undefined && owner.user_id !== onlyOf)) throw new NotFound(`There is no API token ${id}.`)
  await store.revokeToken(db, id, now.toISOString())
}

export interface StaffUser extends User {
  readonly slug: string
  readonly createdAt: string
  readonly disabled: boolean
}

export async function listStaff(db: DB): Promise<StaffUser[]> {
  const rows = await store.staffUsers(db)
  return rows.map((r) => ({ id: r.id, email: r.email, displayName: r.display_name, role: r.role, slug: r.slug, createdAt: r.created_at, disabled: r.disabled_at !== null }))
}

export async function userById(db: DB, id: number): Promise<StaffUser | undefined> {
  const r = await store.userById(db, id)
  return r && { id: r.id, email: r.email, displayName: r.display_name, role: r.role, slug: r.slug, createdAt: r.created_at, disabled: r.disabled_at !== null }
}

const RoleSchema = NewUserSchema.shape.role

/**
 * Changes a user's role or turns the account off or on. The last administrator who can sign in
 * cannot be demoted or disabled: the site would have no one left to manage it.
 */
export async function updateUser(db: DB, id: number, change: { role?: Role; disabled?: boolean }, now = new Date()): Promise<StaffUser> {
  if (change.role !== undefined) parseOrThrow(RoleSchema, change.role, 'role', (p) => new Invalid(`role: ${p.message}`))
  return db.transaction().execute(async (tx) => {
    const user = await store.userById(tx, id)
    if (!user || user.email.endsWith(store.BYLINE_ONLY_DOMAIN)) throw new NotFound(`There is no user ${id}.`)
    const losesAdmin = user.role === 'administrator' && !user.disabled_at && ((change.role && change.role !== 'administrator') || change.disabled === true)
    if (losesAdmin && (await store.countActiveAdministrators(tx)) <= 1) throw new Conflict('This is the last administrator: make someone else an administrator first.')
    if (change.role) await store.setRole(tx, id, change.role)
    if (change.disabled !== undefined) {
      await store.setDisabled(tx, id, change.disabled ? now.toISOString() : null)
      if (change.disabled) {
        await store.deleteSessionsOf(tx, id)
        await store.revokeTokensOf(tx, id, now.toISOString())
      }
    }
    return (await userById(tx, id))!
  })
}

/** How tokens and link secrets are stored: their SHA-256, never themselves. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
