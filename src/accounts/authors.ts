/** @module People who sign articles: found by e-mail, name or slug, created on first use. */
import type { DB } from '../storage/database.ts'
import type { UsersTable } from '../storage/schema.ts'
import { emailRe } from '../text/identifiers.ts'
import { slugify } from '../text/slug.ts'
import * as store from './account-store.ts'

export interface Author {
  readonly id: number
  readonly displayName: string
  readonly slug: string
  readonly bio: string
}

export type Role = UsersTable['role']

/**
 * The user a byline names — an e-mail address or a display name — created as an author if new.
 * Bylines-only authors get an address under the reserved `.invalid` domain, so they cannot log in.
 * `q` may be the transaction that saves the article.
 */
export async function findOrCreateAuthor(q: DB, byline: string, now: Date): Promise<Author> {
  const name = byline.trim()
  const byEmail = emailRe.test(name)
  const existing = byEmail ? await store.authorByEmail(q, name.toLowerCase()) : await store.authorByNameOrSlug(q, name)
  if (existing) return presentAuthor(existing)
  const displayName = byEmail ? name.split('@')[0]! : name
  const slug = await freeUserSlug(q, slugify(displayName) || 'author')
  return createAuthor(q, { email: byEmail ? name.toLowerCase() : undefined, displayName, slug }, now)
}

/** A new author without a password; without an e-mail address, one under the reserved `.invalid` domain. */
async function createAuthor(q: DB, a: { email: string | undefined; displayName: string; slug: string }, now: Date): Promise<Author> {
  const created = await store.insertUser(q, {
    email: a.email ?? `${a.slug}${store.BYLINE_ONLY_DOMAIN}`,
    display_name: a.displayName,
    slug: a.slug,
    role: 'author',
    bio: '',
    password_hash: null,
    created_at: now.toISOString(),
  })
  return presentAuthor(created)
}

export async function findAuthorBySlug(db: DB, slug: string): Promise<Author | undefined> {
  const row = await store.authorBySlug(db, slug)
  return row && presentAuthor(row)
}

/** The slug itself, or the first of `slug-2`, `slug-3` … that no user has. */
export async function freeUserSlug(q: DB, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    if (!(await store.slugTaken(q, candidate))) return candidate
  }
}

function presentAuthor(row: { id: number; display_name: string; slug: string; bio: string }): Author {
  return { id: row.id, displayName: row.display_name, slug: row.slug, bio: row.bio }
}

/**
 * The user for an imported author (a WordPress login): the one with that e-mail address, else a
 * new author without a password (they cannot sign in until an administrator gives them access).
 */
export async function findOrCreateImportedAuthor(q: DB, a: { email: string; displayName: string; login: string }, now: Date): Promise<Author> {
  const email = a.email.trim().toLowerCase()
  const existing = (emailRe.test(email) && (await store.authorByEmail(q, email))) || (await store.authorBySlug(q, slugify(a.login)))
  if (existing) return presentAuthor(existing)
  const slug = await freeUserSlug(q, slugify(a.login) || slugify(a.displayName) || 'author')
  const usable = emailRe.test(email) && !(await store.emailTaken(q, email))
  return createAuthor(q, { email: usable ? email : undefined, displayName: a.displayName || a.login, slug }, now)
}
