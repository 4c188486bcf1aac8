/** @module The articles module's SQL for old addresses: a path that leads to an article or to another path. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>

export interface RedirectRow {
  path: string
  article_id: number | null
  target_path: string | null
}

export function findRedirect(q: Q, path: string): Promise<RedirectRow | undefined> {
  return q.selectFrom('redirects').select(['path', 'article_id', 'target_path']).where('path', '=', path).executeTakeFirst()
}

/** Points `path` at an article or at another path; a second call for the same path replaces the first. */
export async function saveRedirect(q: Q, row: RedirectRow & { origin?: string }): Promise<void> {
  await q
    .insertInto('redirects')
    .values({ path: row.path, article_id: row.article_id, target_path: row.target_path, origin: row.origin ?? 'import' })
    .onConflict((oc) => oc.column('path').doUpdateSet({ article_id: row.article_id, target_path: row.target_path }))
    .execute()
}

/** The old paths that lead to an article (exports carry them along). */
export async function redirectsToArticle(q: Q, articleId: number): Promise<string[]> {
  const rows = await q.selectFrom('redirects').select('path').where('article_id', '=', articleId).orderBy('path').execute()
  return rows.map((r) => r.path)
}

/** Every redirect to a path rather than an article (old archive addresses). */
export function pathRedirects(q: Q): Promise<RedirectRow[]> {
  return q.selectFrom('redirects').select(['path', 'article_id', 'target_path']).where('target_path', 'is not', null).orderBy('path').execute()
}

/** Former slugs of an article (its current one excluded). */
export async function formerSlugs(q: Q, articleId: number, current: string): Promise<string[]> {
  const rows = await q.selectFrom('article_slugs').select('slug').where('article_id', '=', articleId).where('slug', '!=', current).orderBy('slug').execute()
  return rows.map((r) => r.slug)
}

/** Every redirect (an import checks what it would change against them). */
export function allRedirects(q: Q): Promise<RedirectRow[]> {
  return q.selectFrom('redirects').select(['path', 'article_id', 'target_path']).execute()
}
