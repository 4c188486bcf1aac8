/** @module The articles module's SQL: articles, their slugs, authors, terms and credits. */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../storage/schema.ts'
import type { ArticlesTable } from '../storage/schema.ts'
import type { Insertable, Selectable } from 'kysely'

type Q = Kysely<Database> | Transaction<Database>
/** An article as pages and services read it: without its Markdown source, which only editors need. */
export type ArticleRow = Omit<Selectable<ArticlesTable>, 'body_markdown'>

const readColumns = [
  'articles.id', 'articles.slug', 'articles.title', 'articles.standfirst', 'articles.body_html', 'articles.status',
  'articles.published_at', 'articles.updated_at', 'articles.created_at', 'articles.canonical_url', 'articles.comments_open', 'articles.revision', 'articles.image_id',
  'articles.kind', 'articles.sticky',
] as const
export type Taxonomy = 'category' | 'tag'

export interface TermRow {
  id: number
  taxonomy: Taxonomy
  slug: string
  name: string
  parent_id: number | null
}

/** Statuses readers may see once their date has come; drafts, pending and private articles never show. */
export const READER_STATUSES = ['published', 'scheduled'] as const

/** What readers see: published, or scheduled and due (so it is live on time, before any timer turns it published). */
export const visible = (now: string) => (eb: any) =>
  eb.and([eb('articles.status', 'in', READER_STATUSES), eb('articles.published_at', '<=', now)])

export function findArticleBySlug(q: Q, slug: string): Promise<ArticleRow | undefined> {
  return q.selectFrom('articles').select(readColumns).where('slug', '=', slug).executeTakeFirst()
}

export async function anyArticleId(q: Q): Promise<number | undefined> {
  return (await q.selectFrom('articles').select('id').limit(1).executeTakeFirst())?.id
}

export function findArticleById(q: Q, id: number): Promise<ArticleRow | undefined> {
  return q.selectFrom('articles').select(readColumns).where('id', '=', id).executeTakeFirst()
}

/** What a comment post needs to know of its article: no body, no relations. */
export function findCommentStateById(q: Q, id: number): Promise<Pick<ArticleRow, 'id' | 'title' | 'status' | 'published_at' | 'comments_open'> | undefined> {
  return q.selectFrom('articles').select(['id', 'title', 'status', 'published_at', 'comments_open']).where('id', '=', id).executeTakeFirst()
}

/** The article that once had this slug, if any. */
export async function findArticleIdByFormerSlug(q: Q, slug: string): Promise<number | undefined> {
  const row = await q.selectFrom('article_slugs').select('article_id').where('slug', '=', slug).executeTakeFirst()
  return row?.article_id
}

export async function insertArticle(q: Q, row: Insertable<ArticlesTable>): Promise<number> {
  const { id } = await q.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

/** The Markdown an editor works on (pages never need it). */
export async function findBodyMarkdown(q: Q, id: number): Promise<string | undefined> {
  return (await q.selectFrom('articles').select('body_markdown').where('id', '=', id).executeTakeFirst())?.body_markdown
}

/**
 * Takes the next revision number, but only while the article is still at `expected` (when given):
 * one UPDATE, so of two editors saving from the same revision exactly one gets it.
 */
export async function claimNextRevision(q: Q, id: number, expected: number | undefined): Promise<number | undefined> {
  let query = q.updateTable('articles').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', id)
  if (expected !== undefined) query = query.where('revision', '=', expected)
  return (await query.returning('revision').executeTakeFirst())?.revision
}

/** What the newsroom's list of articles narrows to: a state, a byline. */
export interface DeskFilter {
  readonly status?: ArticlesTable['status']
  readonly authorId?: number
}

function onDesk(q: Q, filter: DeskFilter) {
  let query = q.selectFrom('articles')
  if (filter.status) query = query.where('articles.status', '=', filter.status)
  const authorId = filter.authorId
  if (authorId !== undefined) query = query.where('articles.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('user_id', '=', authorId))
  return query
}

/** Articles in any state, most recently changed first (the newsroom's list). */
export function listOnDesk(q: Q, filter: DeskFilter, limit: number, offset: number): Promise<ArticleRow[]> {
  return onDesk(q, filter).select(readColumns).orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc').limit(limit).offset(offset).execute()
}

export async function countOnDesk(q: Q, filter: DeskFilter): Promise<number> {
  return Number((await onDesk(q, filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
}

/**
 * Turns every scheduled article whose time has come into a published one, in one UPDATE: run by
 * every process at once, each article is claimed (and returned) by exactly one of them.
 */
/** When the next scheduled article after `now` is due, if one is. */
export async function nextScheduledAfter(q: Q, now: string): Promise<string | undefined> {
  const row = await q.selectFrom('articles').select('published_at').where('status', '=', 'scheduled').where('published_at', '>', now).orderBy('published_at').limit(1).executeTakeFirst()
  return row?.published_at ?? undefined
}

export async function claimDueScheduled(q: Q, now: string): Promise<{ id: number }[]> {
  return q
    .updateTable('articles')
    .set((eb) => ({ status: 'published', updated_at: eb.fn.coalesce('published_at', eb.val(now)) }))
    .where('status', '=', 'scheduled')
    .where('published_at', '<=', now)
    .returning('id')
    .execute()
}

export async function deleteArticle(q: Q, id: number): Promise<boolean> {
  const result = await q.deleteFrom('articles').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export async function updateArticle(q: Q, id: number, row: Partial<Insertable<ArticlesTable>>): Promise<void> {
  await q.updateTable('articles').set(row).where('id', '=', id).execute()
}

export async function rememberSlug(q: Q, articleId: number, slug: string): Promise<void> {
  await q
    .insertInto('article_slugs')
    .values({ slug, article_id: articleId })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ article_id: articleId }))
    .execute()
}

export async function replaceAuthors(q: Q, articleId: number, userIds: readonly number[]): Promise<void> {
  await q.deleteFrom('article_authors').where('article_id', '=', articleId).execute()
  await addAuthors(q, articleId, userIds)
}

/** Bylines of an article that has none yet. */
export async function addAuthors(q: Q, articleId: number, userIds: readonly number[]): Promise<void> {
  if (userIds.length === 0) return
  await q
    .insertInto('article_authors')
    .values([...new Set(userIds)].map((user_id, position) => ({ article_id: articleId, user_id, position })))
    .execute()
}

export async function replaceTerms(q: Q, articleId: number, termIds: readonly number[]): Promise<void> {
  await q.deleteFrom('article_terms').where('article_id', '=', articleId).execute()
  await addTerms(q, articleId, termIds)
}

/** Terms of an article that has none yet. */
export async function addTerms(q: Q, articleId: number, termIds: readonly number[]): Promise<void> {
  if (termIds.length === 0) return
  await q
    .insertInto('article_terms')
    .values([...new Set(termIds)].map((term_id, position) => ({ article_id: articleId, term_id, position })))
    .execute()
}

export async function replaceCredits(
  q: Q,
  articleId: number,
  credits: readonly { name: string; url?: string | undefined; role: string }[],
): Promise<void> {
  await q.deleteFrom('credits').where('article_id', '=', articleId).execute()
  if (credits.length === 0) return
  await q
    .insertInto('credits')
    .values(credits.map((c, position) => ({ article_id: articleId, position, name: c.name, url: c.url ?? null, role: c.role })))
    .execute()
}

export async function findOrCreateTerm(q: Q, taxonomy: Taxonomy, slug: string, name: string): Promise<number> {
  const existing = await q.selectFrom('terms').select('id').where('taxonomy', '=', taxonomy).where('slug', '=', slug).executeTakeFirst()
  if (existing) return existing.id
  const { id } = await q
    .insertInto('terms')
    .values({ taxonomy, slug, name, parent_id: null, description: '' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export function findTerm(q: Q, taxonomy: Taxonomy, slug: string): Promise<TermRow | undefined> {
  return q
    .selectFrom('terms')
    .select(['id', 'taxonomy', 'slug', 'name', 'parent_id'])
    .where('taxonomy', '=', taxonomy)
    .where('slug', '=', slug)
    .executeTakeFirst()
}

/** A category and every category below it, for archives that include sub-categories. */
export async function termWithDescendants(q: Q, root: TermRow): Promise<number[]> {
  const all = await q.selectFrom('terms').select(['id', 'parent_id']).where('taxonomy', '=', root.taxonomy).execute()
  const ids = [root.id]
  for (let i = 0; i < ids.length; i++) for (const t of all) if (t.parent_id === ids[i] && !ids.includes(t.id)) ids.push(t.id)
  return ids
}

/** Visible articles whose ids lie in [fromId, toId], by id. */
/** What a sitemap needs of an article row: no body (a sitemap of 10,000 stories would read them all). */
const linkColumns = ['articles.id', 'articles.slug', 'articles.title', 'articles.kind', 'articles.published_at', 'articles.updated_at'] as const
export type ArticleLinkRow = Pick<ArticleRow, 'id' | 'slug' | 'title' | 'kind' | 'published_at' | 'updated_at'>

export function listVisibleInIdRange(q: Q, now: string, fromId: number, toId: number): Promise<ArticleLinkRow[]> {
  return q.selectFrom('articles').select(linkColumns).where(visible(now)).where('id', '>=', fromId).where('id', '<=', toId).orderBy('id').execute()
}

/** For each block of `size` ids holding a visible article: its number (from 0) and its newest change. */
export async function visibleIdBlocks(q: Q, now: string, size: number): Promise<{ block: number; lastModified: string }[]> {
  const rows = await q
    .selectFrom('articles')
    .select((eb) => [sql<number>`cast((${sql.ref('articles.id')} - 1) / ${size} as integer)`.as('block'), eb.fn.max('articles.updated_at').as('last_modified')])
    .where(visible(now))
    .groupBy('block')
    .orderBy('block')
    .execute()
  return rows.map((r) => ({ block: Number(r.block), lastModified: String(r.last_modified) }))
}

/** Visible articles published at or after `since`, newest first. */
export function listVisibleSince(q: Q, now: string, since: string, limit: number): Promise<ArticleLinkRow[]> {
  return q
    .selectFrom('articles')
    .select(linkColumns)
    .where(visible(now))
    .where('articles.published_at', '>=', since)
    .orderBy('articles.published_at', 'desc')
    .limit(limit)
    .execute()
}

/** Columns a listing shows (cards, feeds without their text): all the reader's columns but the body. */
const listingColumns = readColumns.filter((c) => c !== 'articles.body_html')

/** Articles by id for a listing, without their bodies unless `withBody` (an empty `body_html` then). */
export async function findListedByIds(q: Q, ids: readonly number[], withBody: boolean): Promise<ArticleRow[]> {
  if (ids.length === 0) return []
  if (withBody) return q.selectFrom('articles').select(readColumns).where('id', 'in', ids).execute()
  const rows = await q.selectFrom('articles').select(listingColumns).where('id', 'in', ids).execute()
  return rows.map((r) => ({ ...r, body_html: '' }))
}

/** Articles in any state, by id (the newsroom's lists). */
export function findArticlesByIds(q: Q, ids: readonly number[]): Promise<ArticleRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return q.selectFrom('articles').select(readColumns).where('id', 'in', ids).execute()
}

export function listVisibleByIds(q: Q, now: string, ids: readonly number[]): Promise<ArticleRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return q.selectFrom('articles').select(readColumns).where(visible(now)).where('id', 'in', ids).execute()
}

/** Terms of a taxonomy that have a visible article, with the newest change among their articles. */
export async function termsInUse(q: Q, now: string, taxonomy: Taxonomy): Promise<{ slug: string; lastModified: string }[]> {
  const rows = await q
    .selectFrom('terms')
    .innerJoin('article_terms', 'article_terms.term_id', 'terms.id')
    .innerJoin('articles', 'articles.id', 'article_terms.article_id')
    .select((eb) => ['terms.slug', eb.fn.max('articles.updated_at').as('last_modified')])
    .where('terms.taxonomy', '=', taxonomy)
    .where(visible(now))
    .groupBy('terms.slug')
    .orderBy('terms.slug')
    .execute()
  return rows.map((r) => ({ slug: r.slug, lastModified: String(r.last_modified) }))
}

/** Authors with a visible article, with the newest change among their articles. */
export async function authorsInUse(q: Q, now: string): Promise<{ slug: string; lastModified: string }[]> {
  const rows = await q
    .selectFrom('users')
    .innerJoin('article_authors', 'article_authors.user_id', 'users.id')
    .innerJoin('articles', 'articles.id', 'article_authors.article_id')
    .select((eb) => ['users.slug', eb.fn.max('articles.updated_at').as('last_modified')])
    .where(visible(now))
    .groupBy('users.slug')
    .orderBy('users.slug')
    .execute()
  return rows.map((r) => ({ slug: r.slug, lastModified: String(r.last_modified) }))
}

export function authorsOf(q: Q, articleIds: readonly number[]) {
  return q
    .selectFrom('article_authors')
    .innerJoin('users', 'users.id', 'article_authors.user_id')
    .select(['article_authors.article_id', 'users.id', 'users.display_name', 'users.slug', 'users.bio'])
    .where('article_authors.article_id', 'in', articleIds)
    .orderBy('article_authors.article_id')
    .orderBy('article_authors.position')
    .execute()
}

export function termsOf(q: Q, articleIds: readonly number[]) {
  return q
    .selectFrom('article_terms')
    .innerJoin('terms', 'terms.id', 'article_terms.term_id')
    .select(['article_terms.article_id', 'terms.id', 'terms.taxonomy', 'terms.slug', 'terms.name', 'terms.parent_id'])
    .where('article_terms.article_id', 'in', articleIds)
    .orderBy('article_terms.position')
    .orderBy('terms.name')
    .execute()
}

export function creditsOf(q: Q, articleIds: readonly number[]) {
  return q
    .selectFrom('credits')
    .select(['article_id', 'name', 'url', 'role'])
    .where('article_id', 'in', articleIds)
    .orderBy('article_id')
    .orderBy('position')
    .execute()
}

// ---- the newsroom's view: every state, with filters ----

export interface DeskFilter {
  readonly status?: ArticlesTable['status']
  readonly authorId?: number
  readonly categoryId?: number
  /** Words in the headline. */
  readonly query?: string
}

function deskQuery(q: Q, f: DeskFilter) {
  let query = q.selectFrom('articles')
  if (f.status) query = query.where('articles.status', '=', f.status)
  if (f.authorId !== undefined) {
    const authorId = f.authorId
    query = query.where((eb) => eb.exists(eb.selectFrom('article_authors').select('article_id').whereRef('article_authors.article_id', '=', 'articles.id').where('article_authors.user_id', '=', authorId)))
  }
  if (f.categoryId !== undefined) {
    const categoryId = f.categoryId
    query = query.where((eb) => eb.exists(eb.selectFrom('article_terms').select('article_id').whereRef('article_terms.article_id', '=', 'articles.id').where('article_terms.term_id', '=', categoryId)))
  }
  if (f.query) {
    const pattern = `%${f.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where(sql<boolean>`lower(articles.title) like ${pattern} escape '\\'`)
  }
  return query
}

/** Newest change first. */
export function deskArticles(q: Q, f: DeskFilter, limit: number, offset: number): Promise<ArticleRow[]> {
  return deskQuery(q, f).select(readColumns).orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc').limit(limit).offset(offset).execute()
}

export async function countDeskArticles(q: Q, f: DeskFilter): Promise<number> {
  return Number((await deskQuery(q, f).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n)
}

export function allTerms(q: Q, taxonomy: Taxonomy) {
  return q.selectFrom('terms').select(['id', 'slug', 'name']).where('taxonomy', '=', taxonomy).orderBy('name').execute()
}

/** Categories by slug, in no particular order (the caller orders them). */
export function categoriesBySlug(q: Q, slugs: readonly string[]): Promise<TermRow[]> {
  if (slugs.length === 0) return Promise.resolve([])
  return q.selectFrom('terms').select(['id', 'taxonomy', 'slug', 'name', 'parent_id']).where('taxonomy', '=', 'category').where('slug', 'in', slugs).execute()
}

/** Top-level categories that hold at least one article, by name. */
export function topCategoriesInUse(q: Q, limit: number): Promise<TermRow[]> {
  return q
    .selectFrom('terms')
    .select(['id', 'taxonomy', 'slug', 'name', 'parent_id'])
    .where('taxonomy', '=', 'category')
    .where('parent_id', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('article_terms').select('article_terms.term_id').whereRef('article_terms.term_id', '=', 'terms.id')))
    .orderBy('name')
    .limit(limit)
    .execute()
}

/** Ids of visible articles sharing the most of these terms with an article (not itself), newest first among equals. */
export async function listRelatedIds(q: Q, now: string, articleId: number, termIds: readonly number[], limit: number): Promise<number[]> {
  if (termIds.length === 0) return []
  const rows = await q
    .selectFrom('article_terms')
    .innerJoin('articles', 'articles.id', 'article_terms.article_id')
    .select((eb) => ['articles.id', eb.fn.countAll<number>().as('shared')])
    .where(visible(now))
    .where('article_terms.term_id', 'in', termIds)
    .where('articles.id', '!=', articleId)
    .groupBy(['articles.id', 'articles.published_at'])
    .orderBy('shared', 'desc')
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}
