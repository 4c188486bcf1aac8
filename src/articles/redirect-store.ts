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

/** Every redirect (an import checks what it would change against them). */
export function allRedirects(q: Q): Promise<RedirectRow[]> {
  return q.selectFrom('redirects').select(['path', 'article_id', 'target_path']).execute()
}

/** The old paths that lead to each of these articles. */
export function redirectsToArticles(q: Q, articleIds: readonly number[]) {
  if (articleIds.length === 0) return Promise.resolve([])
  return q.selectFrom('redirects').select(['path', 'article_id']).where('article_id', 'in', articleIds).orderBy('path').execute()
}

/** Former slugs of these articles (their current ones included: the caller leaves those out). */
export function slugsOfArticles(q: Q, articleIds: readonly number[]) {
  if (articleIds.length === 0) return Promise.resolve([])
  return q.selectFrom('article_slugs').select(['slug', 'article_id']).where('article_id', 'in', articleIds).orderBy('slug').execute()
}

/** Which of these paths are recorded redirects. */
export async function existingRedirectPaths(q: Q, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set()
  const rows = await q.selectFrom('redirects').select('path').where('path', 'in', paths).execute()
  return new Set(rows.map((r) => r.path))
}
