/** @module The articles service: saving stories and reading what readers may see. */
import { parseOrThrow } from '../validation.ts'
import { findOrCreateAuthor, findAuthorBySlug, type Author } from '../accounts/authors.ts'
import { Invalid } from '../errors.ts'
import type { Indexer, SearchIndex } from '../search/search.ts'
import type { DB } from '../storage/database.ts'
import { slugify } from '../text/slug.ts'
import * as store from './article-store.ts'
import * as redirects from './redirect-store.ts'
import type { ArticleRow, Taxonomy } from './article-store.ts'
import { renderArticleBody } from './markdown.ts'
import { ArticleInputSchema, type ArticleInput, type ArticleKind, type ArticleStatus, type Credit } from './schema.ts'

export type { Taxonomy } from './article-store.ts'

export interface Term {
  readonly id: number
  readonly taxonomy: Taxonomy
  readonly slug: string
  readonly name: string
}

export interface Article {
  readonly id: number
  readonly slug: string
  readonly title: string
  readonly standfirst: string
  readonly bodyHtml: string
  readonly status: ArticleStatus
  readonly publishedAt: Date | null
  readonly updatedAt: Date
  readonly canonicalUrl: string | null
  readonly commentsOpen: boolean
  /** `post`, or `page` (at `/SLUG/`, in no listing). */
  readonly kind: ArticleKind
  /** Shown first on the front page (WordPress's sticky posts). */
  readonly sticky: boolean
  readonly authors: readonly Author[]
  readonly categories: readonly Term[]
  readonly tags: readonly Term[]
  readonly credits: readonly Credit[]
}

/** An article readers can see: it always has a publication date. */
export type PublishedArticle = Article & { readonly publishedAt: Date }

export interface ArticlePage {
  readonly articles: readonly PublishedArticle[]
  readonly page: number
  readonly pages: number
  readonly total: number
}

/** Input that failed validation; `field` names the offending field for the person who wrote it. */
export class InvalidArticle extends Invalid {
  override readonly name = 'InvalidArticle'
  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`, 'invalid_article')
  }
}

/** The articles module as routes, the CLI and other modules see it. */
export interface ArticlesService {
  /** Creates or updates (same slug, or `id`) an article, and its search entry; see `saveArticle`. `at`: when (default now). */
  save(input: ArticleInput & { id?: number }, at?: Date): Promise<SavedArticle>
  /** Any article by id, whatever its status. */
  byId(id: number): Promise<Article | undefined>
  commentable(id: number): Promise<CommentableArticle | undefined>
  /** What readers reach at a slug: the article, or the one that used to have the slug. */
  publishedBySlug(slug: string): ReturnType<typeof findPublishedArticle>
  publishedById(id: number): Promise<PublishedArticle | undefined>
  /** `stickyFirst`: the front page's order, sticky stories (WordPress's sticky posts) first. */
  listPublished(page: number, perPage: number, options?: { stickyFirst?: boolean }): Promise<ArticlePage>
  listByTerm(taxonomy: Taxonomy, slug: string, page: number, perPage: number): ReturnType<typeof listByTerm>
  listByAuthor(authorSlug: string, page: number, perPage: number): ReturnType<typeof listByAuthor>
  hasAny(): Promise<boolean>
  /** A published page (kind `page`) by its slug, as `/SLUG/` reaches it. */
  publishedPage(slug: string): Promise<PublishedArticle | undefined>
  /** Where an old address leads: a published article, or another path; undefined when nowhere. */
  redirectFor(path: string): Promise<{ article: PublishedArticle } | { path: string } | undefined>
  /** Published articles among these ids (for feeds of comments). */
  publishedByIds(ids: readonly number[]): Promise<PublishedArticle[]>
  /** Published articles with ids from `fromId` to `toId` (sitemaps: one block of ids a file). */
  publishedInIdRange(fromId: number, toId: number): Promise<PublishedArticle[]>
  /** The blocks of `size` ids that hold a published article, with the newest change in each. */
  publishedIdBlocks(size: number): Promise<{ block: number; lastModified: Date }[]>
  /** Published since `since`, newest first (the news sitemap). */
  publishedSince(since: Date, limit: number): Promise<PublishedArticle[]>
  /** Categories, tags or authors with a published article, and when their newest one changed. */
  archivesInUse(kind: Taxonomy | 'author'): Promise<{ slug: string; lastModified: Date }[]>
}

/** @example const articles = articlesService(db, () => new Date()); await articles.listPublished(1, 10) */
export function articlesService(db: DB, now: () => Date, search?: SearchIndex): ArticlesService {
  return {
    save: async (input, at) => saveArticle(db, input, at ?? now(), await search?.indexer()),
    byId: (id) => getArticleById(db, id),
    commentable: (id) => findCommentableArticle(db, id),
    publishedBySlug: (slug) => findPublishedArticle(db, slug, now()),
    publishedById: (id) => findPublishedArticleById(db, id, now()),
    publishedPage: async (slug) => {
      // PostgreSQL text cannot hold NUL: no page has it in its slug.
      if (slug.includes('\u0000')) return undefined
      const row = await store.findArticleBySlug(db, slug)
      if (!row || row.kind !== 'page' || !isVisible(row, now())) return undefined
      return (await withRelations(db, [row]))[0] as PublishedArticle
    },
    redirectFor: async (path) => {
      if (path.includes('\u0000')) return undefined
      const redirect = await redirects.findRedirect(db, path)
      if (!redirect) return undefined
      if (redirect.target_path !== null) return { path: redirect.target_path }
      const article = redirect.article_id === null ? undefined : await findPublishedArticleById(db, redirect.article_id, now())
      return article && { article }
    },
    listPublished: (page, perPage, options) => listPublished(db, page, perPage, now(), options),
    listByTerm: (taxonomy, slug, page, perPage) => listByTerm(db, taxonomy, slug, page, perPage, now()),
    listByAuthor: (slug, page, perPage) => listByAuthor(db, slug, page, perPage, now()),
    hasAny: () => hasAnyArticle(db),
    publishedByIds: async (ids) => (await withRelations(db, await store.listVisibleByIds(db, now().toISOString(), ids))) as PublishedArticle[],
    publishedInIdRange: async (fromId, toId) => (await withRelations(db, await store.listVisibleInIdRange(db, now().toISOString(), fromId, toId))) as PublishedArticle[],
    publishedIdBlocks: async (size) => (await store.visibleIdBlocks(db, now().toISOString(), size)).map((b) => ({ block: b.block, lastModified: new Date(b.lastModified) })),
    archivesInUse: async (kind) =>
      (kind === 'author' ? await store.authorsInUse(db, now().toISOString()) : await store.termsInUse(db, now().toISOString(), kind)).map((r) => ({
        slug: r.slug,
        lastModified: new Date(r.lastModified),
      })),
    publishedSince: async (since, limit) => (await withRelations(db, await store.listVisibleSince(db, now().toISOString(), since.toISOString(), limit))) as PublishedArticle[],
  }
}

export interface SavedArticle {
  readonly article: Article
  readonly created: boolean
}

/**
 * Creates an article, or updates the one with the same slug (or `id`), in one transaction.
 * A published article dated in the future is stored as scheduled.
 * @example
 * const { article } = await saveArticle(db, { title: 'Inmates sent to the front', body: '…', credits: [{ name: 'CNN', role: 'Original reporting' }] })
 */
export async function saveArticle(db: DB, input: ArticleInput & { id?: number }, now = new Date(), index?: Indexer): Promise<SavedArticle> {
  const a = parseOrThrow(ArticleInputSchema, input, 'article', (p) => new InvalidArticle(p.field, p.message))
  if (a.status === 'scheduled' && !a.publishedAt) throw new InvalidArticle('date', 'a scheduled article needs a date')
  const slug = a.slug ?? slugify(a.title)
  if (!slug) throw new InvalidArticle('slug', 'cannot be made from this title; give one')
  const publishedAt = a.status === 'draft' ? (a.publishedAt ?? null) : (a.publishedAt ?? now)
  const status: ArticleStatus = a.status === 'published' && publishedAt && publishedAt > now ? 'scheduled' : a.status
  const bodyHtml = renderArticleBody(a.body)

  const id = await db.transaction().execute(async (trx) => {
    const existing = input.id !== undefined ? await store.findArticleById(trx, input.id) : await store.findArticleBySlug(trx, slug)
    if (input.id !== undefined && !existing) throw new InvalidArticle('id', `no article ${input.id}`)
    if (existing && existing.slug !== slug) {
      const clash = await store.findArticleBySlug(trx, slug)
      if (clash) throw new InvalidArticle('slug', `"${slug}" is already used by another article`)
    }
    const row = {
      slug,
      title: a.title,
      standfirst: a.standfirst,
      body_markdown: a.body,
      body_html: bodyHtml,
      status,
      published_at: publishedAt?.toISOString() ?? null,
      updated_at: now.toISOString(),
      canonical_url: a.canonicalUrl ?? null,
      comments_open: a.commentsOpen ? 1 : 0,
    }
    // A new story was last changed when it was published (a backdated import was not "updated" today).
    const firstVersion = { ...row, updated_at: publishedAt && publishedAt < now ? publishedAt.toISOString() : now.toISOString(), created_at: now.toISOString() }
    const articleId = existing ? existing.id : await store.insertArticle(trx, firstVersion)
    if (existing) await store.updateArticle(trx, articleId, row)
    await store.rememberSlug(trx, articleId, slug)

    const authors = []
    for (const byline of a.authors) authors.push(await findOrCreateAuthor(trx, byline, now))
    await store.replaceAuthors(trx, articleId, authors.map((au) => au.id))

    const termIds = []
    for (const [taxonomy, names] of [['category', a.categories], ['tag', a.tags]] as const) {
      for (const name of names) {
        const termSlug = slugify(name)
        if (termSlug) termIds.push(await store.findOrCreateTerm(trx, taxonomy, termSlug, name))
      }
    }
    await store.replaceTerms(trx, articleId, termIds)
    await store.replaceCredits(trx, articleId, a.credits)
    // The search index changes with the article, in the same transaction.
    if (index) await index(trx, { id: articleId, title: a.title, standfirst: a.standfirst, bodyHtml })
    return { articleId, created: !existing }
  })
  const article = await getArticleById(db, id.articleId)
  return { article: article!, created: id.created }
}

/** Whether the site has any article at all, in any state. */
export async function hasAnyArticle(db: DB): Promise<boolean> {
  return (await store.anyArticleId(db)) !== undefined
}

/** What the comment form needs to know of an article: one query, no relations. */
export interface CommentableArticle {
  readonly id: number
  readonly title: string
  readonly status: ArticleStatus
  readonly publishedAt: Date | null
  readonly commentsOpen: boolean
}

export async function findCommentableArticle(db: DB, id: number): Promise<CommentableArticle | undefined> {
  const row = await store.findArticleById(db, id)
  return row && { id: row.id, title: row.title, status: row.status, publishedAt: row.published_at ? new Date(row.published_at) : null, commentsOpen: row.comments_open === 1 }
}

/** Any article by id, whatever its status (for editors and the API's writers). */
export async function getArticleById(db: DB, id: number): Promise<Article | undefined> {
  const row = await store.findArticleById(db, id)
  return row && (await withRelations(db, [row]))[0]
}

/**
 * The article readers reach at this slug: the current one, or the one that used to have it
 * (`movedTo`, so the caller can redirect with 301).
 */
export async function findPublishedArticle(
  db: DB,
  slug: string,
  now = new Date(),
): Promise<{ article: PublishedArticle } | { movedTo: PublishedArticle } | undefined> {
  const row = await store.findArticleBySlug(db, slug)
  if (row) {
    if (!isVisible(row, now)) return undefined
    return { article: (await withRelations(db, [row]))[0] as PublishedArticle }
  }
  const formerId = await store.findArticleIdByFormerSlug(db, slug)
  if (formerId === undefined) return undefined
  const moved = await store.findArticleById(db, formerId)
  if (!moved || !isVisible(moved, now)) return undefined
  return { movedTo: (await withRelations(db, [moved]))[0] as PublishedArticle }
}

/** A published article by id, for permalinks built on %post_id%. */
export async function findPublishedArticleById(db: DB, id: number, now = new Date()): Promise<PublishedArticle | undefined> {
  const row = await store.findArticleById(db, id)
  if (!row || !isVisible(row, now)) return undefined
  return (await withRelations(db, [row]))[0] as PublishedArticle
}

/** One page of the newest published stories; `page` counts from 1. */
export function listPublished(db: DB, page: number, perPage: number, now = new Date(), options: { stickyFirst?: boolean } = {}): Promise<ArticlePage> {
  return pageOf(db, { now: now.toISOString(), ...(options.stickyFirst && { stickyFirst: true }) }, page, perPage)
}

/** One page of a category's (with its sub-categories') or a tag's stories. */
export async function listByTerm(
  db: DB,
  taxonomy: Taxonomy,
  slug: string,
  page: number,
  perPage: number,
  now = new Date(),
): Promise<(ArticlePage & { term: Term }) | undefined> {
  const term = await store.findTerm(db, taxonomy, slug)
  if (!term) return undefined
  const termIds = taxonomy === 'category' ? await store.termWithDescendants(db, term) : [term.id]
  const result = await pageOf(db, { now: now.toISOString(), termIds }, page, perPage)
  return { ...result, term: presentTerm(term) }
}

/** One page of an author's stories. */
export async function listByAuthor(
  db: DB,
  authorSlug: string,
  page: number,
  perPage: number,
  now = new Date(),
): Promise<(ArticlePage & { author: Author }) | undefined> {
  const author = await findAuthorBySlug(db, authorSlug)
  if (!author) return undefined
  const result = await pageOf(db, { now: now.toISOString(), authorId: author.id }, page, perPage)
  return { ...result, author }
}

async function pageOf(db: DB, listing: Omit<store.Listing, 'limit' | 'offset'>, page: number, perPage: number): Promise<ArticlePage> {
  const total = await store.countVisibleArticles(db, listing)
  const pages = Math.max(1, Math.ceil(total / perPage))
  const rows = page > pages ? [] : await store.listVisibleArticles(db, { ...listing, limit: perPage, offset: (page - 1) * perPage })
  return { articles: (await withRelations(db, rows)) as PublishedArticle[], page, pages, total }
}

function isVisible(row: ArticleRow, now: Date): boolean {
  return (store.READER_STATUSES as readonly string[]).includes(row.status) && row.published_at !== null && row.published_at <= now.toISOString()
}

async function withRelations(db: DB, rows: readonly ArticleRow[]): Promise<Article[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [authors, terms, credits] = await Promise.all([store.authorsOf(db, ids), store.termsOf(db, ids), store.creditsOf(db, ids)])
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    standfirst: r.standfirst,
    bodyHtml: r.body_html,
    status: r.status,
    publishedAt: r.published_at ? new Date(r.published_at) : null,
    updatedAt: new Date(r.updated_at),
    canonicalUrl: r.canonical_url,
    commentsOpen: r.comments_open === 1,
    kind: r.kind,
    sticky: r.sticky === 1,
    authors: authors
      .filter((au) => au.article_id === r.id)
      .map((au) => ({ id: au.id, displayName: au.display_name, slug: au.slug, bio: au.bio })),
    categories: terms.filter((t) => t.article_id === r.id && t.taxonomy === 'category').map(presentTerm),
    tags: terms.filter((t) => t.article_id === r.id && t.taxonomy === 'tag').map(presentTerm),
    credits: credits
      .filter((c) => c.article_id === r.id)
      .map((c) => ({ name: c.name, role: c.role, ...(c.url ? { url: c.url } : {}) })),
  }))
}

function presentTerm(t: { id: number; taxonomy: Taxonomy; slug: string; name: string }): Term {
  return { id: t.id, taxonomy: t.taxonomy, slug: t.slug, name: t.name }
}
