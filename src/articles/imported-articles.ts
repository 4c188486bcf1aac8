/**
 * @module Articles arriving whole from another system (a WordPress import): written as they come,
 * with their own status, kind, dates, bylines and terms, inside the importer's transaction, so
 * the import stands or falls as one. The HTML is already converted and sanitized by the caller.
 */
import type { Transaction } from 'kysely'
import type { Indexer } from '../search/search.ts'
import type { Database } from '../storage/schema.ts'
import * as store from './article-store.ts'
import { relist } from './listing-store.ts'
import * as redirects from './redirect-store.ts'
import type { ArticleKind, ArticleStatus } from './schema.ts'

type Trx = Transaction<Database>

export interface ImportedArticle {
  readonly slug: string
  readonly title: string
  readonly standfirst: string
  readonly bodyHtml: string
  readonly status: ArticleStatus
  readonly kind: ArticleKind
  readonly sticky: boolean
  readonly publishedAt: Date | null
  readonly updatedAt: Date
  readonly commentsOpen: boolean
  readonly authorIds: readonly number[]
  readonly termIds: readonly number[]
  /** Slugs the article had before (WordPress's `_wp_old_slug`): they redirect. */
  readonly formerSlugs: readonly string[]
  readonly credits?: readonly { name: string; url?: string | undefined; role: string }[]
  readonly canonicalUrl?: string | null
}

/**
 * Creates the article (no `id`) or overwrites the one with that id; returns its id.
 * The slug must be free (see `freeArticleSlug`).
 */
export async function writeImportedArticle(q: Trx, index: Indexer, a: ImportedArticle, id?: number): Promise<number> {
  const row = {
    slug: a.slug,
    title: a.title,
    standfirst: a.standfirst,
    // The body stays HTML: Markdown passes HTML through, so an editor may go on from here.
    body_markdown: a.bodyHtml,
    body_html: a.bodyHtml,
    status: a.status,
    kind: a.kind,
    sticky: a.sticky ? 1 : 0,
    published_at: a.publishedAt?.toISOString() ?? null,
    updated_at: a.updatedAt.toISOString(),
    canonical_url: a.canonicalUrl ?? null,
    comments_open: a.commentsOpen ? 1 : 0,
  }
  const articleId = id ?? (await store.insertArticle(q, { ...row, created_at: (a.publishedAt ?? a.updatedAt).toISOString() }))
  if (id !== undefined) await store.updateArticle(q, id, row)
  for (const slug of [...a.formerSlugs, a.slug]) {
    if (slug === a.slug || !(await store.findArticleBySlug(q, slug))) await store.rememberSlug(q, articleId, slug)
  }
  // A new article has nothing to replace: only what it has is written (an import writes thousands).
  if (id === undefined) {
    await store.addAuthors(q, articleId, a.authorIds)
    await store.addTerms(q, articleId, a.termIds)
    if (a.credits?.length) await store.replaceCredits(q, articleId, a.credits)
  } else {
    await store.replaceAuthors(q, articleId, a.authorIds)
    await store.replaceTerms(q, articleId, a.termIds)
    await store.replaceCredits(q, articleId, a.credits ?? [])
  }
  await relist(q, articleId)
  await index(q, { id: articleId, title: a.title, standfirst: a.standfirst, bodyHtml: a.bodyHtml })
  return articleId
}

/** `slug`, or the first of `slug-2`, `slug-3` … that no other article has (nor had). */
export async function freeArticleSlug(q: Trx, slug: string, ownId?: number): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? slug : `${slug}-${n}`
    const holder = (await store.findArticleBySlug(q, candidate))?.id ?? (await store.findArticleIdByFormerSlug(q, candidate))
    if (holder === undefined || holder === ownId) return candidate
  }
}

/** A category or tag by slug, created or brought up to date; returns its id. */
export async function upsertImportedTerm(q: Trx, t: { taxonomy: store.Taxonomy; slug: string; name: string; description: string }): Promise<number> {
  const existing = await store.findTerm(q, t.taxonomy, t.slug)
  if (existing) {
    await q.updateTable('terms').set({ name: t.name, description: t.description }).where('id', '=', existing.id).execute()
    return existing.id
  }
  const { id } = await q
    .insertInto('terms')
    .values({ taxonomy: t.taxonomy, slug: t.slug, name: t.name, parent_id: null, description: t.description })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** An imported article's featured image (a media record). */
export async function setFeaturedImage(q: Trx, articleId: number, mediaId: number): Promise<void> {
  await q.updateTable('articles').set({ image_id: mediaId }).where('id', '=', articleId).execute()
}

export async function setTermParent(q: Trx, termId: number, parentId: number | null): Promise<void> {
  if (parentId === termId) return
  await q.updateTable('terms').set({ parent_id: parentId }).where('id', '=', termId).execute()
}

/** The id of a term, if it exists. */
export async function termId(q: Trx, taxonomy: store.Taxonomy, slug: string): Promise<number | undefined> {
  return (await store.findTerm(q, taxonomy, slug))?.id
}

/** Points an old address at an article, or at another path. */
export function saveImportedRedirect(q: Trx, path: string, to: { articleId: number } | { path: string }): Promise<void> {
  return redirects.saveRedirect(q, 'articleId' in to ? { path, article_id: to.articleId, target_path: null } : { path, article_id: null, target_path: to.path })
}

/** Every old address and where it leads now. */
export async function redirectTargets(q: Trx): Promise<Map<string, { articleId: number } | { path: string }>> {
  const rows = await redirects.allRedirects(q)
  return new Map(rows.map((r) => [r.path, r.target_path !== null ? { path: r.target_path } : { articleId: r.article_id! }]))
}
