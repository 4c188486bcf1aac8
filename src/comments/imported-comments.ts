/**
 * @module Comments arriving from another system (WordPress, Disqus) with their status, dates and
 * authors' data, written inside the importer's transaction. The HTML is converted by the caller
 * and sanitized here by the comment policy.
 */
import type { Transaction } from 'kysely'
import sanitizeHtml from 'sanitize-html'
import type { CommentsTable, Database } from '../storage/schema.ts'
import * as store from './comment-store.ts'

type Trx = Transaction<Database>

export interface ImportedComment {
  readonly articleId: number
  readonly parentId: number | null
  readonly authorName: string
  readonly authorEmail: string
  readonly authorUrl: string
  readonly ip: string | null
  readonly userAgent: string | null
  /** The text as the other system kept it. */
  readonly source: string
  /** Its HTML before sanitizing. */
  readonly html: string
  readonly status: CommentsTable['status']
  readonly reasons: readonly string[]
  readonly spamScore?: number | null
  readonly createdAt: Date
}

/** What imported comment HTML may keep: what our own comments can show, nothing more. */
const importedCommentPolicy: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'b', 'i', 'a', 'blockquote', 'code', 'pre', 'ul', 'ol', 'li'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener' }) },
}

/** HTML made only of text and bare `<p>`/`<br>` tags (what a plain comment becomes) needs no sanitizer. */
const plainParagraphsRe = /^(?:[^<>&]|<\/?p>|<br>)*$/

function rowOf(c: ImportedComment) {
  return store.withTextHash({
    article_id: c.articleId,
    parent_id: c.parentId,
    author_name: c.authorName || 'Anonymous',
    author_email: c.authorEmail.toLowerCase(),
    author_url: c.authorUrl,
    author_ip: c.ip || null,
    user_agent: c.userAgent || null,
    content_markdown: c.source,
    content_html: plainParagraphsRe.test(c.html) ? c.html : sanitizeHtml(c.html, importedCommentPolicy),
    status: c.status,
    reasons: JSON.stringify(c.reasons),
    spam_score: c.spamScore ?? null,
    created_at: c.createdAt.toISOString(),
  })
}

/** Writes a new comment (no `id`) or overwrites one; returns its id. */
export async function writeImportedComment(q: Trx, c: ImportedComment, id?: number): Promise<number> {
  if (id === undefined) return store.insertComment(q, { ...rowOf(c), notify_replies: 0 })
  await q.updateTable('comments').set(rowOf(c)).where('id', '=', id).execute()
  return id
}

/**
 * Writes new comments in one statement per hundred and returns their ids in the order given.
 * Both engines number the rows of one INSERT in the order of its VALUES, so the ids, sorted,
 * line up with the rows.
 */
export async function insertImportedComments(q: Trx, comments: readonly ImportedComment[]): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < comments.length; i += 100) {
    const rows = comments.slice(i, i + 100).map((c) => ({ ...rowOf(c), notify_replies: 0 }))
    const inserted = await q.insertInto('comments').values(rows).returning('id').execute()
    ids.push(...inserted.map((r) => r.id).sort((a, b) => a - b))
  }
  return ids
}

export async function setImportedParent(q: Trx, id: number, parentId: number): Promise<void> {
  if (id !== parentId) await q.updateTable('comments').set({ parent_id: parentId }).where('id', '=', id).execute()
}
