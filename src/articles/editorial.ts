/**
 * @module The newsroom's operations on articles, each checked against the policies in
 * accounts/policies.ts for the user asking: create, update (from the revision the editor
 * opened), submit for review, publish, schedule, unpublish, delete; revisions, diffs and
 * restores; corrections; private source notes. The admin API calls this, and so does the UI.
 */
import {
  canCorrectArticle,
  canDeleteArticle,
  canEditArticle,
  canEditOthers,
  canPublish,
  canPublishArticle,
  canUseSourceNotes,
  isAuthorOf,
  type Actor,
} from '../accounts/policies.ts'
import { Forbidden, Invalid, NotFound } from '../errors.ts'
import type { Article, ArticlesService, Correction, EditableArticle, Editor, Revision, RevisionDiff, SaveInput } from './articles.ts'
import type { ArticleInput, ArticleStatus } from './schema.ts'
import type { SourceNote, SourceNotes } from './source-notes.ts'

/** Whoever asks, as the policies and the revision history need them. */
export interface Newsroomer extends Actor {
  readonly email: string
  readonly displayName: string
}

/** What an editor may change with `update`: the article's content (its state changes have their own operations). */
export type ArticleChanges = Partial<Omit<ArticleInput, 'status' | 'publishedAt'>>

/** What `create` takes: an article's fields and the state to start in (default draft). */
export type NewArticle = ArticleInput

export interface EditorialService {
  /**
   * The articles this user works on, most recently changed first: everyone's for editors and
   * administrators, their own for authors and contributors. `authorId` narrows to one byline.
   */
  list(user: Newsroomer, filter: { status?: ArticleStatus; authorId?: number }, page: number, perPage: number): Promise<{ articles: Article[]; page: number; pages: number; total: number }>
  /** The article with its Markdown, for its authors and for editors. */
  open(user: Newsroomer, id: number): Promise<EditableArticle>
  /** A new article; contributors may only make drafts or submit them (`pending`); a schedule needs a future date. */
  create(user: Newsroomer, input: NewArticle): Promise<EditableArticle>
  /** Changes the content, if no one has saved since `baseRevision` (else `StaleEdit`, a Conflict). */
  update(user: Newsroomer, id: number, changes: ArticleChanges, baseRevision: number): Promise<EditableArticle>
  /** Marks a draft as ready for an editor (status `pending`). */
  submitForReview(user: Newsroomer, id: number, baseRevision?: number): Promise<EditableArticle>
  /** Publishes now (a republished article keeps its first date). */
  publish(user: Newsroomer, id: number, baseRevision?: number): Promise<EditableArticle>
  /** Publishes at `at`, which must be in the future. */
  schedule(user: Newsroomer, id: number, at: Date, baseRevision?: number): Promise<EditableArticle>
  /** Takes it off the site: back to draft. */
  unpublish(user: Newsroomer, id: number, baseRevision?: number): Promise<EditableArticle>
  remove(user: Newsroomer, id: number): Promise<void>
  revisions(user: Newsroomer, id: number): Promise<Revision[]>
  diff(user: Newsroomer, id: number, from: number, to: number): Promise<RevisionDiff>
  restore(user: Newsroomer, id: number, number: number, baseRevision?: number): Promise<EditableArticle>
  correct(user: Newsroomer, id: number, input: { text: string }): Promise<Correction>
  notes(user: Newsroomer, id: number): Promise<SourceNote[]>
  addNote(user: Newsroomer, id: number, input: { text: string }): Promise<SourceNote>
  /** Whether source notes can be kept (BROADSHEET_SECRET_KEY is set). */
  readonly notesEnabled: boolean
}

export interface EditorialDeps {
  readonly articles: ArticlesService
  readonly notes: SourceNotes
  readonly now: () => Date
}

/**
 * @example
 * const editorial = editorialService({ articles, notes, now })
 * const draft = await editorial.create(contributor, { title: 'Ferry strike ends', status: 'pending' })
 * await editorial.publish(editor, draft.id) // an editor publishes it
 */
export function editorialService({ articles, notes, now }: EditorialDeps): EditorialService {
  const load = async (id: number) => {
    const article = await articles.forEditing(id)
    if (!article) throw new NotFound(`There is no article ${id}.`, 'no_such_article')
    return article
  }
  const allowed = async (user: Newsroomer, id: number, rule: (u: Actor, a: EditableArticle) => boolean, refusal: (u: Actor, a: EditableArticle) => string) => {
    const article = await load(id)
    if (!rule(user, article)) throw new Forbidden(refusal(user, article))
    return article
  }
  const save = async (input: SaveInput, user: Newsroomer) => {
    const { article } = await articles.save(input, now(), editorOf(user))
    return load(article.id)
  }
  const change = async (user: Newsroomer, current: EditableArticle, fields: Partial<SaveInput>, baseRevision: number | undefined) =>
    save({ ...inputOf(current), ...fields, id: current.id, ...(baseRevision !== undefined && { baseRevision }) }, user)

  return {
    notesEnabled: notes.enabled,
    async list(user, filter, page, perPage) {
      if (!canEditOthers(user) && filter.authorId !== undefined && filter.authorId !== user.id) {
        throw new Forbidden(`Your role (${user.role}) lists only your own articles.`)
      }
      return articles.listOnDesk({ ...filter, ...(!canEditOthers(user) && { authorId: user.id }) }, page, perPage)
    },

    open: (user, id) => allowed(user, id, (u, a) => canEditOthers(u) || isAuthorOf(u, a), editRefusal),

    async create(user, input) {
      const status = input.status ?? 'draft'
      if ((status === 'published' || status === 'scheduled') && !canPublish(user)) throw new Forbidden(PUBLISH_REFUSAL)
      if (status === 'scheduled') futureDate(input.publishedAt, now())
      return save({ ...input, status, authors: bylinesFor(user, input.authors), baseRevision: 0 }, user)
    },

    async update(user, id, changes, baseRevision) {
      const current = await allowed(user, id, canEditArticle, editRefusal)
      const authors = changes.authors === undefined ? undefined : bylinesFor(user, changes.authors)
      return change(user, current, { ...changes, ...(authors && { authors }) }, baseRevision)
    },

    async submitForReview(user, id, baseRevision) {
      const current = await allowed(user, id, canEditArticle, editRefusal)
      if (current.status !== 'draft' && current.status !== 'pending') throw new Invalid(`This article is ${current.status}; only a draft can be submitted for review.`, 'not_a_draft')
      return change(user, current, { status: 'pending' }, baseRevision)
    },

    async publish(user, id, baseRevision) {
      const current = await allowed(user, id, canPublishArticle, publishRefusal)
      const at = now()
      const publishedAt = current.publishedAt && current.publishedAt <= at ? current.publishedAt : at
      return change(user, current, { status: 'published', publishedAt }, baseRevision)
    },

    async schedule(user, id, at, baseRevision) {
      const current = await allowed(user, id, canPublishArticle, publishRefusal)
      return change(user, current, { status: 'scheduled', publishedAt: futureDate(at, now()) }, baseRevision)
    },

    async unpublish(user, id, baseRevision) {
      const current = await allowed(user, id, canPublishArticle, publishRefusal)
      return change(user, current, { status: 'draft' }, baseRevision)
    },

    async remove(user, id) {
      await allowed(user, id, canDeleteArticle, editRefusal)
      await articles.remove(id)
    },

    async revisions(user, id) {
      await allowed(user, id, canEditArticle, editRefusal)
      return articles.revisions(id)
    },

    async diff(user, id, from, to) {
      await allowed(user, id, canEditArticle, editRefusal)
      return articles.diff(id, from, to)
    },

    async restore(user, id, number, baseRevision) {
      const current = await allowed(user, id, canEditArticle, editRefusal)
      await articles.restore(current, number, editorOf(user), baseRevision)
      return load(id)
    },

    async correct(user, id, input) {
      await allowed(user, id, canCorrectArticle, () => 'Only those who may publish this article (its authors, editors and administrators) can correct it.')
      return articles.correct(id, input, user.id)
    },

    async notes(user, id) {
      await allowed(user, id, canUseSourceNotes, notesRefusal)
      return notes.list(id)
    },

    async addNote(user, id, input) {
      await allowed(user, id, canUseSourceNotes, notesRefusal)
      return notes.add(id, input, user, now())
    },
  }
}

const PUBLISH_REFUSAL = 'Contributors cannot publish or schedule; submit the article for review (status pending) and an editor will publish it.'

function publishRefusal(user: Actor, article: EditableArticle): string {
  if (!canPublish(user)) return PUBLISH_REFUSAL
  return editRefusal(user, article)
}

function editRefusal(user: Actor, article: EditableArticle): string {
  if (!isAuthorOf(user, article)) return `Your role (${user.role}) may change only your own articles; this one is by ${bylineOf(article)}.`
  return 'Contributors cannot change an article once it is published; ask an editor.'
}

function notesRefusal(_user: Actor, article: EditableArticle): string {
  return `Only this article's authors (${bylineOf(article)}), editors and administrators may read or add its source notes.`
}

const bylineOf = (article: EditableArticle) => article.authors.map((a) => a.displayName).join(', ') || 'no one'

/** Editors may sign an article with anyone's name; others always sign their own (else they could not edit it again). */
function bylinesFor(user: Newsroomer, bylines: ArticleInput['authors']): string[] {
  const list = bylines === undefined ? [] : Array.isArray(bylines) ? bylines : bylines.split(',')
  const named = list.map((b) => b.trim()).filter(Boolean)
  if (canEditOthers(user)) return named.length ? named : [user.email]
  return [user.email, ...named.filter((b) => b.toLowerCase() !== user.email)]
}

function futureDate(at: Date | undefined, now: Date): Date {
  if (!at) throw new Invalid('published_at: a scheduled article needs a date', 'invalid_article')
  if (at <= now) throw new Invalid(`published_at: ${at.toISOString()} is in the past; schedule for a later time, or publish now`, 'date_in_past')
  return at
}

const editorOf = (user: Newsroomer): Editor => ({ id: user.id, displayName: user.displayName })

/** The article's current fields as a save takes them (bylines by slug, which name exactly one user). */
function inputOf(a: EditableArticle): SaveInput {
  return {
    title: a.title,
    slug: a.slug,
    standfirst: a.standfirst,
    body: a.body,
    authors: a.authors.map((au) => au.slug),
    categories: a.categories.map((t) => t.name),
    tags: a.tags.map((t) => t.name),
    credits: a.credits.map((c) => ({ ...c })),
    ...(a.canonicalUrl && { canonicalUrl: a.canonicalUrl }),
    commentsOpen: a.commentsOpen,
    status: a.status,
    ...(a.publishedAt && { publishedAt: a.publishedAt }),
  }
}
