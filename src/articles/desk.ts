/**
 * @module The newsroom's side of the articles module: every article in every state, with filters,
 * what the editor loads, and saving by someone whose role decides what they may do.
 */
import { canPublishArticle, canSetBylines } from '../accounts/policies.ts'
import { Forbidden, Invalid } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import * as store from './article-store.ts'
import type { DeskFilter } from './article-store.ts'
import type { Article, ArticlesService } from './articles.ts'
import type { EditorialService, Newsroomer } from './editorial.ts'
import { renderArticleBody } from './markdown.ts'
import type { Credit } from './schema.ts'

export type { DeskFilter } from './article-store.ts'

/** What the editor's buttons ask for. */
export type EditorAction = 'draft' | 'pending' | 'publish' | 'schedule' | 'unpublish'


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
  /** The revision the editor was opened with: a newer one stored means someone else saved since. */
  readonly basedOn?: string
}

export interface ArticleDesk {
  list(filter: DeskFilter, page: number, perPage: number): Promise<DeskPage>
  terms(taxonomy: 'category' | 'tag'): Promise<{ id: number; slug: string; name: string }[]>
  /** Saves from the editor with the user's rights checked; see `saveFromEditor`. */
  save(user: Newsroomer, input: EditorInput, action: EditorAction): Promise<Article>
  /** The body as readers would see it (Markdown rendered and sanitized), for the live preview. */
  preview(markdown: string): string
}

export function articleDesk(db: DB, articles: ArticlesService, editorial: EditorialService, now: () => Date): ArticleDesk {
  return {
    async list(filter, page, perPage) {
      const total = await store.countDeskArticles(db, filter)
      const pages = Math.max(1, Math.ceil(total / perPage))
      const rows = await store.deskArticles(db, filter, perPage, (Math.min(page, pages) - 1) * perPage)
      const list = await articles.byIds(rows.map((r) => r.id))
      return { articles: list, page: Math.min(page, pages), pages, total }
    },
    terms: (taxonomy) => store.allTerms(db, taxonomy),
    save: (user, input, action) => saveFromEditor(editorial, now(), user, input, action),
    preview: (markdown) => renderArticleBody(markdown),
  }
}

/**
 * Saves what the editor's form holds, then does what its button asks, through the editorial
 * service (which checks the user's role for each step and refuses a save based on an older
 * revision than the stored one). Permission for the button is checked before anything is saved,
 * so a refused Publish leaves the article as it was.
 */
export async function saveFromEditor(editorial: EditorialService, now: Date, user: Newsroomer, input: EditorInput, action: EditorAction): Promise<Article> {
  const fields = {
    title: input.title,
    ...(input.slug?.trim() && { slug: input.slug.trim() }),
    standfirst: input.standfirst,
    body: input.body,
    categories: [...input.categories],
    tags: [...input.tags],
    ...(input.authors?.length && { authors: [...input.authors] }),
    credits: [...input.credits],
    ...(input.canonicalUrl ? { canonicalUrl: input.canonicalUrl } : {}),
    commentsOpen: input.commentsOpen,
  }
  if (action === 'schedule') scheduleDate(input.publishAt, now)
  if (input.id === undefined) {
    const status = ({ draft: 'draft', pending: 'pending', publish: 'published', schedule: 'scheduled', unpublish: 'draft' } as const)[action]
    return editorial.create(user, { ...fields, status, ...(action === 'schedule' && { publishedAt: input.publishAt! }) })
  }
  const current = await editorial.open(user, input.id)
  const publishing = action === 'publish' || action === 'schedule' || action === 'unpublish'
  if (publishing && !canPublishArticle(user, current)) {
    throw new Forbidden(user.role === 'contributor' ? 'Contributors cannot publish: submit the article for review, and an editor will publish it.' : `Your role (${user.role}) may not publish this article.`)
  }
  const base = input.basedOn !== undefined && /^\d+$/.test(input.basedOn) ? Number(input.basedOn) : undefined
  const saved = await editorial.update(user, input.id, canSetBylines(user) ? fields : { ...fields, authors: undefined }, base ?? current.revision)
  switch (action) {
    case 'draft':
      return saved
    case 'pending':
      return saved.status === 'draft' ? editorial.submitForReview(user, saved.id, saved.revision) : saved
    case 'publish':
      return editorial.publish(user, saved.id, saved.revision)
    case 'schedule':
      return editorial.schedule(user, saved.id, input.publishAt!, saved.revision)
    case 'unpublish':
      return editorial.unpublish(user, saved.id, saved.revision)
  }
}

function scheduleDate(at: Date | undefined, now: Date): Date {
  if (!at || Number.isNaN(at.getTime())) throw new Invalid('Publish at: give the date and time it should go live.')
  if (at <= now) throw new Invalid(`Publish at: ${at.toISOString().replace('T', ' ').slice(0, 16)} UTC has passed; choose a time in the future, or publish now.`)
  return at
}
