/**
 * @module The newsroom's side of the articles module: every article in every state, with filters,
 * what the editor loads, and saving by someone whose role decides what they may do.
 */
import { canEditArticle, canPublishArticle, canSetBylines } from '../accounts/policies.ts'
import type { User } from '../accounts/users.ts'
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import type { ArticlesTable } from '../storage/schema.ts'
import { slugify } from '../text/slug.ts'
import * as store from './article-store.ts'
import type { DeskFilter } from './article-store.ts'
import type { Article, ArticlesService } from './articles.ts'
import { renderArticleBody } from './markdown.ts'
import type { ArticleInput, Credit } from './schema.ts'

export type { DeskFilter } from './article-store.ts'

/** What the editor's buttons ask for. */
export type EditorAction = 'draft' | 'pending' | 'publish' | 'schedule' | 'unpublish'

export interface EditableArticle extends Article {
  readonly bodyMarkdown: string
  readonly authorIds: readonly number[]
}

export interface DeskPage {
  readonly articles: readonly Article[]
  readonly page: number
  readonly pages: number
  readonly total: number
}

export interface EditorInput {
  readonly id?: number
  readonly title: string
  readonly standfirst: string
  readonly body: string
  readonly slug?: string
  readonly categories: readonly string[]
  readonly tags: readonly string[]
  readonly authors?: readonly string[]
  readonly credits: readonly Credit[]
  readonly canonicalUrl?: string
  readonly commentsOpen: boolean
  /** For `schedule`: when it goes live. */
  readonly publishAt?: Date
  /** The `updatedAt` the editor was opened with: a newer one means someone else saved since. */
  readonly basedOn?: string
}

export interface ArticleDesk {
  list(filter: DeskFilter, page: number, perPage: number): Promise<DeskPage>
  statusCounts(): Promise<Record<ArticlesTable['status'], number>>
  editable(id: number): Promise<EditableArticle | undefined>
  terms(taxonomy: 'category' | 'tag'): Promise<{ id: number; slug: string; name: string }[]>
  /** Saves from the editor with the user's rights checked; see `saveFromEditor`. */
  save(user: User, input: EditorInput, action: EditorAction): Promise<Article>
  /** The body as readers would see it (Markdown rendered and sanitized), for the live preview. */
  preview(markdown: string): string
}

export function articleDesk(db: DB, articles: ArticlesService, now: () => Date): ArticleDesk {
  return {
    async list(filter, page, perPage) {
      const total = await store.countDeskArticles(db, filter)
      const pages = Math.max(1, Math.ceil(total / perPage))
      const rows = await store.deskArticles(db, filter, perPage, (Math.min(page, pages) - 1) * perPage)
      const list = (await Promise.all(rows.map((r) => articles.byId(r.id)))).filter((a): a is Article => a !== undefined)
      return { articles: list, page: Math.min(page, pages), pages, total }
    },
    statusCounts: () => store.countsByArticleStatus(db),
    editable: (id) => editable(db, articles, id),
    terms: (taxonomy) => store.allTerms(db, taxonomy),
    save: (user, input, action) => saveFromEditor(db, articles, now(), user, input, action),
    preview: (markdown) => renderArticleBody(markdown),
  }
}

async function editable(db: DB, articles: ArticlesService, id: number): Promise<EditableArticle | undefined> {
  const article = await articles.byId(id)
  if (!article) return undefined
  const [bodyMarkdown, authorIds] = await Promise.all([store.markdownOf(db, id), store.authorIdsOf(db, id)])
  return { ...article, bodyMarkdown: bodyMarkdown ?? '', authorIds }
}

const timeOf = (d: Date) => d.toISOString().slice(11, 16)

/**
 * Saves an article as the editor's button asks, if the user's role allows it:
 * - contributors save drafts and submit them for review (`pending`), of their own articles only;
 * - authors also publish, schedule and unpublish their own;
 * - editors and administrators do all of it on anyone's, and set the bylines.
 * A save based on an older version than the stored one is refused (someone else saved since),
 * and a new article whose slug is taken is refused rather than overwriting the other one.
 */
export async function saveFromEditor(db: DB, articles: ArticlesService, now: Date, user: User, input: EditorInput, action: EditorAction): Promise<Article> {
  const existing = input.id !== undefined ? await editable(db, articles, input.id) : undefined
  if (input.id !== undefined && !existing) throw new NotFound(`There is no article ${input.id}.`)
  const authorIds = existing ? existing.authorIds : [user.id]
  if (existing && !canEditArticle(user, authorIds)) throw new Forbidden(`Your role (${user.role}) may edit only your own articles.`)
  const publishing = action === 'publish' || action === 'schedule' || action === 'unpublish'
  if (publishing && !canPublishArticle(user, authorIds)) {
    throw new Forbidden(user.role === 'contributor' ? 'Contributors cannot publish: submit the article for review, and an editor will publish it.' : `Your role (${user.role}) may not publish this article.`)
  }
  // A contributor's save of a piece already live would change what readers see: only publishers may.
  if (existing && (existing.status === 'published' || existing.status === 'scheduled') && !canPublishArticle(user, authorIds)) {
    throw new Forbidden('This article is published: only an editor (or its author) may change it now.')
  }
  if (existing && input.basedOn && existing.updatedAt.toISOString() !== input.basedOn) {
    throw new Conflict(`Someone else saved this article at ${timeOf(existing.updatedAt)} UTC, after you opened it. Your text is still in the form: copy what you need, reload the article, and apply your changes again.`, 'edit_conflict')
  }
  const slug = input.slug?.trim() || slugify(input.title)
  if (!existing && slug) {
    const clash = await articles.byId((await store.findArticleBySlug(db, slug))?.id ?? -1)
    if (clash) throw new Conflict(`slug: "${slug}" is already used by "${clash.title}"; choose another.`, 'slug_taken')
  }

  let status: ArticleInput['status']
  let publishedAt: Date | undefined
  switch (action) {
    case 'draft':
      status = existing && (existing.status === 'published' || existing.status === 'scheduled') ? existing.status : 'draft'
      publishedAt = existing?.publishedAt ?? undefined
      break
    case 'pending':
      status = existing && (existing.status === 'published' || existing.status === 'scheduled') ? existing.status : 'pending'
      publishedAt = existing?.publishedAt ?? undefined
      break
    case 'publish':
      status = 'published'
      publishedAt = existing?.status === 'published' && existing.publishedAt ? existing.publishedAt : now
      break
    case 'schedule':
      if (!input.publishAt || Number.isNaN(input.publishAt.getTime())) throw new Invalid('Publish at: give the date and time it should go live.')
      if (input.publishAt <= now) throw new Invalid(`Publish at: ${input.publishAt.toISOString().replace('T', ' ').slice(0, 16)} UTC has passed; choose a time in the future, or publish now.`)
      status = 'scheduled'
      publishedAt = input.publishAt
      break
    case 'unpublish':
      status = 'draft'
      publishedAt = undefined
      break
  }
  const bylines = canSetBylines(user) && input.authors?.length ? [...input.authors] : existing ? existing.authors.map((a) => a.displayName) : [user.email]
  const saved = await articles.save(
    {
      ...(existing && { id: existing.id }),
      title: input.title,
      ...(slug && { slug }),
      standfirst: input.standfirst,
      body: input.body,
      authors: bylines,
      status,
      ...(publishedAt && { publishedAt }),
      categories: [...input.categories],
      tags: [...input.tags],
      credits: [...input.credits],
      ...(input.canonicalUrl && { canonicalUrl: input.canonicalUrl }),
      commentsOpen: input.commentsOpen,
    },
    now,
  )
  return saved.article
}
