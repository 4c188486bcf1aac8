/** @module The articles service: saving stories and reading what readers may see. */
import { parseOrThrow } from '../validation.ts'
import { findOrCreateAuthor, findAuthorBySlug, type Author } from '../accounts/authors.ts'
import { Conflict, Invalid, NotFound } from '../errors.ts'
import type { Indexer, SearchIndex } from '../search/search.ts'
import type { DB } from '../storage/database.ts'
import { slugify } from '../text/slug.ts'
import * as store from './article-store.ts'
import * as listings from './listing-store.ts'
import { SITE_LIST, STICKY_LIST, UNSTICKY_LIST, type ListRef } from './listing-store.ts'
import * as revisionStore from './revision-store.ts'
import * as correctionStore from './correction-store.ts'
import { addCorrection, presentCorrection, type Correction } from './corrections.ts'
import { diffRevisions, listRevisions, restoreRevision, type Revision, type RevisionDiff } from './revisions.ts'
import * as redirects from './redirect-store.ts'
import type { ArticleRow, Taxonomy } from './article-store.ts'
import { renderArticleBody } from './markdown.ts'
import { ArticleInputSchema, goesLive, type ArticleInput, type ArticleKind, type ArticleStatus, type Credit } from './schema.ts'

export type { Taxonomy } from './article-store.ts'
export type { Correction } from './corrections.ts'
export type { DiffPart, FieldDiff, Revision, RevisionDiff } from './revisions.ts'

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
  /** The featured image's media record id, if the story has one. */
  readonly imageId: number | null
  /** `post`, or `page` (at `/SLUG/`, in no listing). */
  readonly kind: ArticleKind
  /** Shown first on the front page (WordPress's sticky posts). */
  readonly sticky: boolean
  readonly authors: readonly Author[]
  readonly categories: readonly Term[]
  readonly tags: readonly Term[]
  readonly credits: readonly Credit[]
  /** Its newest revision's number: what an editor's save says it started from. */
  readonly revision: number
  /** Corrections published to it, oldest first. */
  readonly corrections: readonly Correction[]
}

/** An article as its editors open it: with the Markdown they edit. */
export type EditableArticle = Article & { readonly body: string }

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
  /**
   * Creates or updates (same slug, or `id`) an article, its search entry and a new revision; see
   * `saveArticle`. `at`: when (default now); `by`: who (default the system, for the CLI and imports).
   */
  save(input: SaveInput, at?: Date, by?: Editor): Promise<SavedArticle>
  /** Any article by id, whatever its status. */
  byId(id: number): Promise<Article | undefined>
  /** Articles in any state with these ids, in the order asked, with their relations in a few queries (not one set per article). */
  byIds(ids: readonly number[]): Promise<Article[]>
  /** An article with its Markdown source, for its editors. */
  forEditing(id: number): Promise<EditableArticle | undefined>
  /** Articles in any state, most recently changed first, by state and byline (the newsroom's list). */
  listOnDesk(filter: store.DeskFilter, page: number, perPage: number): Promise<{ articles: Article[]; page: number; pages: number; total: number }>
  /** Its revisions, newest first. */
  revisions(id: number): Promise<Revision[]>
  /** What changed from revision `from` to revision `to` (any two, either order). */
  diff(id: number, from: number, to: number): Promise<RevisionDiff>
  /** Saves revision `number`'s content again as a new revision (status and date stay as now). */
  restore(article: Article, number: number, by: Editor, baseRevision?: number): Promise<SavedArticle>
  /** Publishes a correction to a live article (see `addCorrection`); `by`: the user's id. */
  correct(id: number, input: { text: string }, by: number | null): Promise<Correction>
  /** Corrections of live articles, newest first, with their articles (the /corrections/ page). */
  listCorrections(page: number, perPage: number): Promise<CorrectionPage>
  /**
   * Marks scheduled articles whose time has come as published and returns those this call
   * claimed (each is claimed once, whichever process asks). Readers see them on time anyway:
   * a due scheduled article counts as live everywhere; this settles its state for editors.
   */
  publishDue(): Promise<Article[]>
  /** When the next scheduled article goes live (it is live from that moment, before `publishDue` claims it). */
  nextScheduledAt(): Promise<Date | undefined>
  /** Deletes an article with its comments, revisions, corrections and notes; false when there was none. */
  remove(id: number): Promise<boolean>
  commentable(id: number): Promise<CommentableArticle | undefined>
  /** What readers reach at a slug: the article, or the one that used to have the slug. */
  publishedBySlug(slug: string): ReturnType<typeof findPublishedArticle>
  publishedById(id: number): Promise<PublishedArticle | undefined>
  /**
   * `stickyFirst`: the front page's order, sticky stories (WordPress's sticky posts) first.
   * Listings carry no `bodyHtml` (it is empty) unless `withBody` asks for it (feeds).
   */
  listPublished(page: number, perPage: number, options?: { stickyFirst?: boolean } & ListOptions): Promise<ArticlePage>
  listByTerm(taxonomy: Taxonomy, slug: string, page: number, perPage: number, options?: ListOptions): ReturnType<typeof listByTerm>
  listByAuthor(authorSlug: string, page: number, perPage: number, options?: ListOptions): ReturnType<typeof listByAuthor>
  hasAny(): Promise<boolean>
  /** A published page (kind `page`) by its slug, as `/SLUG/` reaches it. */
  publishedPage(slug: string): Promise<PublishedArticle | undefined>
  /** Where an old address leads: a published article, or another path; undefined when nowhere. */
  redirectFor(path: string): Promise<{ article: PublishedArticle } | { path: string } | undefined>
  /** Published articles among these ids (for feeds of comments). */
  publishedByIds(ids: readonly number[]): Promise<PublishedArticle[]>
  /** Links to the published articles with ids from `fromId` to `toId` (sitemaps: one block of ids a file). */
  publishedInIdRange(fromId: number, toId: number): Promise<ArticleLink[]>
  /** The blocks of `size` ids that hold a published article, with the newest change in each. */
  publishedIdBlocks(size: number): Promise<{ block: number; lastModified: Date }[]>
  /** Links to those published since `since`, newest first (the news sitemap). */
  publishedSince(since: Date, limit: number): Promise<ArticleLink[]>
  /** The site's sections: these category slugs in this order (unknown ones skipped), or, given none, the top-level categories in use. */
  sections(slugs: readonly string[]): Promise<Term[]>
  /** Up to `limit` published stories sharing categories or tags with this one, the most shared first. */
  related(article: Article, limit: number): Promise<PublishedArticle[]>
  /** Categories, tags or authors with a published article, and when their newest one changed. */
  archivesInUse(kind: Taxonomy | 'author'): Promise<{ slug: string; lastModified: Date }[]>
}

/** What the articles module asks of the media module: whether an image an article names exists. */
export interface ImageLookup {
  exists(id: number): Promise<boolean>
}

/** @example const articles = articlesService(db, () => new Date()); await articles.listPublished(1, 10) */
export function articlesService(db: DB, now: () => Date, search?: SearchIndex, images?: ImageLookup): ArticlesService {
  return {
    save: async (input, at, by) => {
      if (typeof input.imageId === 'number' && images && !(await images.exists(input.imageId))) throw new InvalidArticle('image', `there is no image media:${input.imageId}`)
      return saveArticle(db, input, at ?? now(), await search?.indexer(), by)
    },
    byId: (id) => getArticleById(db, id),
    byIds: async (ids) => {
      const found = new Map((await withRelations(db, await store.findArticlesByIds(db, [...new Set(ids)]))).map((a) => [a.id, a]))
      return ids.flatMap((id) => found.get(id) ?? [])
    },
    forEditing: async (id) => {
      const article = await getArticleById(db, id)
      const body = article && (await store.findBodyMarkdown(db, id))
      return article && { ...article, body: body ?? '' }
    },
    listOnDesk: async (filter, page, perPage) => {
      const total = await store.countOnDesk(db, filter)
      const pages = Math.max(1, Math.ceil(total / perPage))
      const rows = page > pages ? [] : await store.listOnDesk(db, filter, perPage, (page - 1) * perPage)
      return { articles: await withRelations(db, rows), page, pages, total }
    },
    revisions: (id) => listRevisions(db, id),
    diff: (id, from, to) => diffRevisions(db, id, from, to),
    restore: async (article, number, by, baseRevision) => {
      const index = await search?.indexer()
      return restoreRevision(db, (input, editor) => saveArticle(db, input, now(), index, editor), article, number, by, baseRevision)
    },
    remove: (id) =>
      db.transaction().execute(async (trx) => {
        await search?.remove(trx, id)
        await listings.unlist(trx, id)
        return store.deleteArticle(trx, id)
      }),
    publishDue: async () => {
      const claimed = await store.claimDueScheduled(db, now().toISOString())
      return withRelations(db, await Promise.all(claimed.map(async (c) => (await store.findArticleById(db, c.id))!)))
    },
    nextScheduledAt: async () => {
      const at = await store.nextScheduledAfter(db, now().toISOString())
      return at === undefined ? undefined : new Date(at)
    },
    correct: async (id, input, by) => {
      const article = await getArticleById(db, id)
      if (!article) throw new NotFound(`There is no article ${id}.`)
      return addCorrection(db, { id, isLive: isLive(article, now()) }, input, by, now())
    },
    listCorrections: (page, perPage) => listCorrections(db, page, perPage, now()),
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
    listByTerm: (taxonomy, slug, page, perPage, options) => listByTerm(db, taxonomy, slug, page, perPage, now(), options),
    listByAuthor: (slug, page, perPage, options) => listByAuthor(db, slug, page, perPage, now(), options),
    hasAny: () => hasAnyArticle(db),
    publishedByIds: async (ids) => (await withRelations(db, await store.listVisibleByIds(db, now().toISOString(), ids))) as PublishedArticle[],
    publishedInIdRange: async (fromId, toId) => withLinkRelations(db, await store.listVisibleInIdRange(db, now().toISOString(), fromId, toId)),
    publishedIdBlocks: async (size) => (await store.visibleIdBlocks(db, now().toISOString(), size)).map((b) => ({ block: b.block, lastModified: new Date(b.lastModified) })),
    archivesInUse: async (kind) =>
      (kind === 'author' ? await store.authorsInUse(db, now().toISOString()) : await store.termsInUse(db, now().toISOString(), kind)).map((r) => ({
        slug: r.slug,
        lastModified: new Date(r.lastModified),
      })),
    sections: async (slugs) => {
      if (slugs.length === 0) return (await store.topCategoriesInUse(db, MAX_SECTIONS)).map(presentTerm)
      const found = await store.categoriesBySlug(db, slugs)
      return slugs.flatMap((slug) => found.filter((t) => t.slug === slug)).map(presentTerm)
    },
    related: async (article, limit) => {
      const termIds = [...article.categories, ...article.tags].map((t) => t.id)
      const at = now().toISOString()
      const ids = await store.listRelatedIds(db, at, article.id, termIds, limit)
      const rows = await store.listVisibleByIds(db, at, ids)
      return (await withRelations(db, ids.flatMap((id) => rows.filter((r) => r.id === id)))) as PublishedArticle[]
    },
    publishedSince: async (since, limit) => withLinkRelations(db, await store.listVisibleSince(db, now().toISOString(), since.toISOString(), limit)),
  }
}

/** What a save is given: the article's fields, which one it is (`id`), and the revision the editor started from. */
export type SaveInput = ArticleInput & {
  id?: number
  /**
   * The `revision` the editor opened. When given and someone has saved since, the save is refused
   * with `StaleEdit` and nothing changes; 0 without `id` means "a new article" (an article that
   * already has the slug is a Conflict, never overwritten). Omitted (the CLI, imports): the last
   * save wins, and an article with the same slug is updated.
   */
  baseRevision?: number
}

/** Who saves: a signed-in user, or the site itself (CLI, import, demo). */
export interface Editor {
  readonly id: number | null
  readonly displayName: string
}

/** The author of saves made without a signed-in user. */
export const SYSTEM_EDITOR: Editor = Object.freeze({ id: null, displayName: 'Broadsheet' })

/** Someone saved the article after the editor opened it; their work would be lost. */
export class StaleEdit extends Conflict {
  override readonly name = 'StaleEdit'
  constructor(readonly latest: { number: number; savedByName: string; savedAt: Date } | undefined, baseRevision: number) {
    super(
      latest
        ? `${latest.savedByName} saved this article at ${clockTime(latest.savedAt)} since you opened it (revision ${latest.number}; you started from ${baseRevision}). Reload it to see their changes; yours were not saved.`
        : `This article was saved since you opened it (you started from revision ${baseRevision}). Reload it; your changes were not saved.`,
      'stale_revision',
    )
  }
}

function clockTime(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC on ${at.toISOString().slice(0, 10)}`
}

export interface CorrectionPage {
  readonly corrections: readonly { readonly correction: Correction; readonly article: PublishedArticle }[]
  readonly page: number
  readonly pages: number
  readonly total: number
}

/** One page of all corrections to live articles, newest first; `page` counts from 1. */
export async function listCorrections(db: DB, page: number, perPage: number, now = new Date()): Promise<CorrectionPage> {
  const at = now.toISOString()
  const total = await correctionStore.countCorrections(db, at)
  const pages = Math.max(1, Math.ceil(total / perPage))
  const rows = page > pages ? [] : await correctionStore.listCorrections(db, at, perPage, (page - 1) * perPage)
  const articles = (await withRelations(db, await store.listVisibleByIds(db, at, [...new Set(rows.map((r) => r.article_id))]))) as PublishedArticle[]
  const corrections = rows.flatMap((r) => {
    const article = articles.find((a) => a.id === r.article_id)
    return article ? [{ correction: presentCorrection(r), article }] : []
  })
  return { corrections, page, pages, total }
}

/** Whether readers can see the article now. */
export function isLive(article: { status: ArticleStatus; publishedAt: Date | null }, now: Date): boolean {
  return goesLive(article.status) && article.publishedAt !== null && article.publishedAt <= now
}
/** Sections shown when the site names none: the header menu must fit. */
const MAX_SECTIONS = 8

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
export async function saveArticle(db: DB, input: SaveInput, now = new Date(), index?: Indexer, by: Editor = SYSTEM_EDITOR): Promise<SavedArticle> {
  const a = parseOrThrow(ArticleInputSchema, input, 'article', (p) => new InvalidArticle(p.field, p.message))
  if (a.status === 'scheduled' && !a.publishedAt) throw new InvalidArticle('date', 'a scheduled article needs a date')
  const slug = a.slug ?? slugify(a.title)
  if (!slug) throw new InvalidArticle('slug', 'cannot be made from this title; give one')
  const publishedAt = a.status === 'draft' || a.status === 'pending' ? (a.publishedAt ?? null) : (a.publishedAt ?? now)
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
      ...(a.imageId !== undefined && { image_id: a.imageId }),
    }
    // A new story was last changed when it was published (a backdated import was not "updated" today).
    const firstVersion = { ...row, updated_at: publishedAt && publishedAt < now ? publishedAt.toISOString() : now.toISOString(), created_at: now.toISOString() }
    // Base revision 0: the editor started from nothing, so this must be a new article, not the one with this slug.
    if (existing && input.id === undefined && input.baseRevision === 0) throw new Conflict(`slug: "${slug}" is already used by another article`, 'slug_taken')
    if (existing && input.baseRevision !== undefined && existing.revision !== input.baseRevision) {
      throw new StaleEdit(await revisionStore.latestRevision(trx, existing.id), input.baseRevision)
    }
    const articleId = existing ? existing.id : await store.insertArticle(trx, { ...firstVersion, revision: 0 })
    // The claim is the real guard: of two saves that both read the same revision, one gets 0 rows here.
    const revision = await store.claimNextRevision(trx, articleId, existing ? (input.baseRevision ?? undefined) : 0)
    if (revision === undefined) throw new StaleEdit(await revisionStore.latestRevision(trx, articleId), input.baseRevision!)
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
    await listings.relist(trx, articleId)
    await store.replaceCredits(trx, articleId, a.credits)
    await revisionStore.insertRevision(trx, {
      article_id: articleId,
      number: revision,
      title: a.title,
      standfirst: a.standfirst,
      body_markdown: a.body,
      slug,
      status,
      published_at: row.published_at,
      canonical_url: row.canonical_url,
      authors: JSON.stringify(authors.map((au) => ({ id: au.id, name: au.displayName }))),
      categories: JSON.stringify(a.categories),
      tags: JSON.stringify(a.tags),
      credits: JSON.stringify(a.credits),
      saved_by_id: by.id,
      saved_by_name: by.displayName,
      saved_at: now.toISOString(),
    })
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
  const row = await store.findCommentStateById(db, id)
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

/** What a listing reads: `withBody` for feeds, which carry the stories' text; pages show cards, so by default `bodyHtml` is left empty. */
export interface ListOptions {
  readonly withBody?: boolean
}

/** One page of the newest published stories; `page` counts from 1. */
export function listPublished(db: DB, page: number, perPage: number, now = new Date(), options: { stickyFirst?: boolean } & ListOptions = {}): Promise<ArticlePage> {
  return pageOf(db, { lists: [SITE_LIST], now: now.toISOString(), ...(options.stickyFirst && { stickyFirst: true }) }, page, perPage, options)
}

/** One page of a category's (with its sub-categories') or a tag's stories. */
export async function listByTerm(
  db: DB,
  taxonomy: Taxonomy,
  slug: string,
  page: number,
  perPage: number,
  now = new Date(),
  options: ListOptions = {},
): Promise<(ArticlePage & { term: Term }) | undefined> {
  const term = await store.findTerm(db, taxonomy, slug)
  if (!term) return undefined
  const termIds = taxonomy === 'category' ? await store.termWithDescendants(db, term) : [term.id]
  const result = await pageOf(db, { lists: termIds.map((id) => ({ kind: 'term', id })), now: now.toISOString() }, page, perPage, options)
  return { ...result, term: presentTerm(term) }
}

/** One page of an author's stories. */
export async function listByAuthor(
  db: DB,
  authorSlug: string,
  page: number,
  perPage: number,
  now = new Date(),
  options: ListOptions = {},
): Promise<(ArticlePage & { author: Author }) | undefined> {
  const author = await findAuthorBySlug(db, authorSlug)
  if (!author) return undefined
  const result = await pageOf(db, { lists: [{ kind: 'author', id: author.id }], now: now.toISOString() }, page, perPage, options)
  return { ...result, author }
}

interface Listing {
  readonly lists: readonly ListRef[]
  readonly now: string
  /** Sticky stories first (the front page), then the rest, each newest first. */
  readonly stickyFirst?: boolean
}

/**
 * One page of a listing: its total from the maintained counts, the page's ids from the listing
 * index, then only those articles' listing columns and relations.
 */
async function pageOf(db: DB, listing: Listing, page: number, perPage: number, options: ListOptions): Promise<ArticlePage> {
  const total = await listings.countListed(db, listing.lists, listing.now)
  const pages = Math.max(1, Math.ceil(total / perPage))
  if (page > pages) return { articles: [], page, pages, total }
  const ids = await idsOnPage(db, listing, (page - 1) * perPage, perPage, total)
  const rows = await store.findListedByIds(db, ids, options.withBody === true)
  const byId = new Map(rows.map((r) => [r.id, r]))
  const ordered = ids.flatMap((id) => byId.get(id) ?? [])
  return { articles: (await withRelations(db, ordered)) as PublishedArticle[], page, pages, total }
}

/** The ids at places [offset, offset + limit) of the listing (`total` of them readable); with sticky stories first, those come from their own list and the rest from the list of the others. */
async function idsOnPage(db: DB, listing: Listing, offset: number, limit: number, total: number): Promise<number[]> {
  const { lists, now } = listing
  if (!listing.stickyFirst) return listings.listedIds(db, { lists, now, limit, offset, listed: total })
  const stickies = await listings.countListed(db, [STICKY_LIST], now)
  if (stickies === 0) return listings.listedIds(db, { lists, now, limit, offset, listed: total })
  const sticky = offset < stickies ? await listings.listedIds(db, { lists: [STICKY_LIST], now, limit: Math.min(limit, stickies - offset), offset, listed: stickies }) : []
  const rest = await listings.listedIds(db, { lists: [UNSTICKY_LIST], now, limit: limit - sticky.length, offset: Math.max(0, offset - stickies), listed: total - stickies })
  return [...sticky, ...rest]
}

function isVisible(row: ArticleRow, now: Date): boolean {
  return goesLive(row.status) && row.published_at !== null && row.published_at <= now.toISOString()
}

async function withRelations(db: DB, rows: readonly ArticleRow[]): Promise<Article[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [authors, terms, credits, corrections] = await Promise.all([
    store.authorsOf(db, ids),
    store.termsOf(db, ids),
    store.creditsOf(db, ids),
    correctionStore.correctionsOf(db, ids),
  ])
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
    revision: r.revision,
    corrections: corrections.filter((c) => c.article_id === r.id).map(presentCorrection),
    imageId: r.image_id ?? null,
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

/**
 * A published article as a sitemap lists it: what its permalink is made of (its first category
 * and author, for structures that name them), its headline and dates; no body, credits or corrections.
 */
export interface ArticleLink {
  readonly id: number
  readonly slug: string
  readonly title: string
  readonly kind: 'post' | 'page'
  readonly publishedAt: Date
  readonly updatedAt: Date
  readonly categories: readonly { readonly slug: string }[]
  readonly authors: readonly { readonly slug: string }[]
}

async function withLinkRelations(db: DB, rows: readonly store.ArticleLinkRow[]): Promise<ArticleLink[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [authors, terms] = await Promise.all([store.authorsOf(db, ids), store.termsOf(db, ids)])
  const authorsById = groupBy(authors, (a) => a.article_id)
  const categoriesById = groupBy(terms.filter((t) => t.taxonomy === 'category'), (t) => t.article_id)
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    kind: r.kind,
    publishedAt: new Date(r.published_at!),
    updatedAt: new Date(r.updated_at),
    categories: (categoriesById.get(r.id) ?? []).map((t) => ({ slug: t.slug })),
    authors: (authorsById.get(r.id) ?? []).map((a) => ({ slug: a.slug })),
  }))
}

/** Rows by article in one pass: a sitemap's thousands of articles would make filter-per-article quadratic. */
function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group) group.push(row)
    else groups.set(k, [row])
  }
  return groups
}

function presentTerm(t: { id: number; taxonomy: Taxonomy; slug: string; name: string }): Term {
  return { id: t.id, taxonomy: t.taxonomy, slug: t.slug, name: t.name }
}
