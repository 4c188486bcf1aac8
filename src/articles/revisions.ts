/**
 * @module An article's history: the revision every save keeps, a diff between any two (as hunks
 * the admin UI renders without knowing any diff algorithm), and restoring one — which is itself
 * a save, so it makes a new revision and can be undone the same way.
 */
import { diffLines, diffWords } from 'diff'
import { NotFound } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import type { Article, Editor, SavedArticle, SaveInput } from './articles.ts'
import * as store from './revision-store.ts'
import type { ArticleStatus, Credit } from './schema.ts'

/** One save of an article, as it was then. */
export interface Revision {
  readonly articleId: number
  /** 1 for the first save; the article's `revision` after this save. */
  readonly number: number
  readonly title: string
  readonly standfirst: string
  /** The Markdown source. */
  readonly body: string
  readonly slug: string
  readonly status: ArticleStatus
  readonly publishedAt: Date | null
  readonly canonicalUrl: string | null
  readonly authors: readonly { readonly id: number; readonly name: string }[]
  readonly categories: readonly string[]
  readonly tags: readonly string[]
  readonly credits: readonly Credit[]
  readonly savedBy: { readonly id: number | null; readonly name: string }
  readonly savedAt: Date
}

/** The fields a diff compares, in the order an editor reads them. */
export const DIFFED_FIELDS = ['title', 'standfirst', 'body', 'slug', 'status', 'publishedAt', 'canonicalUrl', 'authors', 'categories', 'tags', 'credits'] as const
export type DiffedField = (typeof DIFFED_FIELDS)[number]

/** A run of text that is in both revisions, only in the newer (`added`) or only in the older (`removed`). */
export interface DiffPart {
  readonly kind: 'same' | 'added' | 'removed'
  readonly text: string
}

/** How one field changed; text fields word by word, lists item by item (one a line). */
export interface FieldDiff {
  readonly field: DiffedField
  readonly parts: readonly DiffPart[]
}

export interface RevisionDiff {
  readonly articleId: number
  readonly from: Revision
  readonly to: Revision
  /** Only the fields that differ; empty when the two revisions say the same. */
  readonly changes: readonly FieldDiff[]
}

export async function listRevisions(db: DB, articleId: number): Promise<Revision[]> {
  return (await store.listRevisions(db, articleId)).map(presentRevision)
}

export async function getRevision(db: DB, articleId: number, number: number): Promise<Revision> {
  const row = await store.findRevision(db, articleId, number)
  if (!row) throw new NotFound(`Article ${articleId} has no revision ${number}.`, 'no_such_revision')
  return presentRevision(row)
}

/**
 * @example
 * const { changes } = await diffRevisions(db, 7, 1, 3)
 * // [{ field: 'title', parts: [{ kind: 'same', text: 'Flood ' }, { kind: 'removed', text: 'wall' }, { kind: 'added', text: 'barrier' }, …] }]
 */
export async function diffRevisions(db: DB, articleId: number, from: number, to: number): Promise<RevisionDiff> {
  const [older, newer] = await Promise.all([getRevision(db, articleId, from), getRevision(db, articleId, to)])
  const changes: FieldDiff[] = []
  for (const field of DIFFED_FIELDS) {
    const [a, b] = [textOf(older, field), textOf(newer, field)]
    if (a === b) continue
    const parts = isProse(field) ? diffWords(a, b) : diffLines(a, b)
    changes.push({ field, parts: parts.map((p) => ({ kind: p.added ? 'added' : p.removed ? 'removed' : 'same', text: p.value })) })
  }
  return { articleId, from: older, to: newer, changes }
}

/**
 * Saves the article again with a revision's words, headline, slug, bylines, terms and credits.
 * Its state (draft, published …), date and comment setting stay as they are now: restoring old
 * words never publishes or unpublishes anything.
 */
export async function restoreRevision(
  db: DB,
  save: (input: SaveInput, by: Editor) => Promise<SavedArticle>,
  current: Article,
  number: number,
  by: Editor,
  baseRevision?: number,
): Promise<SavedArticle> {
  const r = await getRevision(db, current.id, number)
  return save(
    {
      id: current.id,
      ...(baseRevision !== undefined && { baseRevision }),
      title: r.title,
      standfirst: r.standfirst,
      body: r.body,
      slug: r.slug,
      authors: r.authors.map((a) => a.name),
      categories: [...r.categories],
      tags: [...r.tags],
      credits: r.credits.map((c) => ({ ...c })),
      ...(r.canonicalUrl && { canonicalUrl: r.canonicalUrl }),
      status: current.status,
      ...(current.publishedAt && { publishedAt: current.publishedAt }),
      commentsOpen: current.commentsOpen,
    },
    by,
  )
}

const isProse = (field: DiffedField) => field === 'title' || field === 'standfirst' || field === 'body'

function textOf(r: Revision, field: DiffedField): string {
  switch (field) {
    case 'publishedAt':
      return r.publishedAt?.toISOString() ?? ''
    case 'canonicalUrl':
      return r.canonicalUrl ?? ''
    case 'authors':
      return lines(r.authors.map((a) => a.name))
    case 'categories':
    case 'tags':
      return lines(r[field])
    case 'credits':
      return lines(r.credits.map((c) => `${c.role}: ${c.name}${c.url ? ` <${c.url}>` : ''}`))
    default:
      return r[field]
  }
}

const lines = (items: readonly string[]) => items.map((item) => `${item}\n`).join('')

function presentRevision(row: store.RevisionRow): Revision {
  return {
    articleId: row.article_id,
    number: row.number,
    title: row.title,
    standfirst: row.standfirst,
    body: row.body_markdown,
    slug: row.slug,
    status: row.status as ArticleStatus,
    publishedAt: row.published_at ? new Date(row.published_at) : null,
    canonicalUrl: row.canonical_url,
    authors: JSON.parse(row.authors),
    categories: JSON.parse(row.categories),
    tags: JSON.parse(row.tags),
    credits: JSON.parse(row.credits),
    savedBy: { id: row.saved_by_id, name: row.saved_by_name },
    savedAt: new Date(row.saved_at),
  }
}
