/** @module People who sign articles: found by e-mail, name or slug, created on first use. */
import type { DB } from '../storage/database.ts'
import type { UsersTable } from '../storage/schema.ts'
import { slugify } from '../text/slug.ts'

export interface Author {
  readonly id: number
  readonly displayName: string
  readonly slug: string
  readonly bio: string
}

export type Role = UsersTable['role']

const emailRe = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * The user a byline names — an e-mail address or a display name — created as an author if new.
 * Bylines-only authors get an address under the reserved `.invalid` domain, so they cannot log in.
 */
export async function findOrCreateAuthor(db: DB, byline: string, now: Date): Promise<Author> {
  const name = byline.trim()
  const byEmail = emailRe.test(name)
  const existing = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'slug', 'bio'])
    .where((eb) => (byEmail ? eb('email', '=', name.toLowerCase()) : eb.or([eb('display_name', '=', name), eb('slug', '=', name)])))
    .executeTakeFirst()
  if (existing) return presentAuthor(existing)
  const displayName = byEmail ? name.split('@')[0]! : name
  const slug = await freeUserSlug(db, slugify(displayName) || 'author')
  const created = await db
    .insertInto('users')
    .values({
      email: byEmail ? name.toLowerCase() : `${slug}@authors.broadsheet.invalid`,
      display_name: displayName,
      slug,
      role: 'author',
      bio: '',
      password_hash: null,
      created_at: now.toISOString(),
    })
    .returning(['id', 'display_name', 'slug', 'bio'])
    .executeTakeFirstOrThrow()
  return presentAuthor(created)
}

export async function findAuthorBySlug(db: DB, slug: string): Promise<Author | undefined> {
  const row = await db.selectFrom('users').select(['id', 'display_name', 'slug', 'bio']).where('slug', '=', slug).executeTakeFirst()
  return row && presentAuthor(row)
}

async function freeUserSlug(db: DB, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    const taken = await db.selectFrom('users').select('id').where('slug', '=', candidate).executeTakeFirst()
    if (!taken) return candidate
  }
}

function presentAuthor(row: { id: number; display_name: string; slug: string; bio: string }): Author {
  return { id: row.id, displayName: row.display_name, slug: row.slug, bio: row.bio }
}
