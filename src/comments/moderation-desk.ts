/**
 * @module What the moderation queue shows beside each comment and lets a moderator do besides
 * approving: counts per state, each commenter's record, the last 30 days at a glance, editing a
 * comment's text, and replying as a member of staff.
 */
import type { Selectable } from 'kysely'
import { Invalid, NotFound } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import type { CommentsTable } from '../storage/schema.ts'
import { renderCommentText } from './comment-markdown.ts'
import * as store from './comment-store.ts'
import type { CommentStatus } from './moderation-rules.ts'

export type StatusCounts = Record<CommentStatus, number>

/** A commenter's comments by state, keyed by (lower-case) e-mail address. */
export async function commenterRecords(db: DB, emails: readonly string[]): Promise<Map<string, StatusCounts>> {
  const records = new Map<string, StatusCounts>()
  for (const r of await store.countsByEmail(db, [...new Set(emails)])) {
    const counts = records.get(r.author_email) ?? { pending: 0, approved: 0, spam: 0, trash: 0 }
    counts[r.status] = Number(r.n)
    records.set(r.author_email, counts)
  }
  return records
}

export interface DayCounts {
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string
  readonly approved: number
  /** Awaiting moderation. */
  readonly held: number
  readonly spam: number
}

/** Comments per day for the `days` days up to `now` (oldest first), split by what became of them. */
export async function commentsPerDay(db: DB, now: Date, days: number): Promise<DayCounts[]> {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)))
  const byDay = new Map<string, { approved: number; held: number; spam: number }>()
  for (let i = 0; i < days; i++) byDay.set(new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10), { approved: 0, held: 0, spam: 0 })
  for (const r of await store.countsByDay(db, first.toISOString())) {
    const day = byDay.get(r.day)
    if (!day) continue
    if (r.status === 'approved') day.approved += r.n
    else if (r.status === 'pending') day.held += r.n
    else if (r.status === 'spam') day.spam += r.n
  }
  return [...byDay].map(([day, c]) => ({ day, ...c }))
}

/** A moderator's correction of a comment's text (a typo, a phone number taken out). */
export async function editContent(db: DB, id: number, markdown: string): Promise<void> {
  const text = markdown.trim()
  if (!text) throw new Invalid('content: a comment cannot be empty; trash it instead.')
  if (text.length > 20_000) throw new Invalid('content: at most 20,000 characters.')
  if (!(await store.updateContent(db, id, text, renderCommentText(text)))) throw new NotFound(`There is no comment ${id}.`)
}

export interface StaffReply {
  readonly parentId: number
  readonly content: string
  readonly author: { readonly name: string; readonly email: string }
}

/** The row of a reply written by a member of staff: approved at once, no IP, no spam check. */
export async function staffReplyRow(db: DB, reply: StaffReply, now: Date): Promise<Omit<Selectable<CommentsTable>, 'id'>> {
  const text = reply.content.trim()
  if (!text) throw new Invalid('content: write the reply first.')
  if (text.length > 20_000) throw new Invalid('content: at most 20,000 characters.')
  const parent = await store.findComment(db, reply.parentId)
  if (!parent) throw new NotFound(`There is no comment ${reply.parentId}.`)
  if (parent.status !== 'approved') throw new Invalid('Approve the comment before replying to it: a reply to a hidden comment would hang in the air.')
  return {
    article_id: parent.article_id,
    parent_id: parent.id,
    author_name: reply.author.name,
    author_email: reply.author.email,
    author_url: '',
    author_ip: null,
    user_agent: null,
    content_markdown: text,
    content_hash: store.textHash(text),
    content_html: renderCommentText(text),
    status: 'approved',
    reasons: JSON.stringify([`Reply by ${reply.author.name}, a member of staff`]),
    spam_score: null,
    notify_replies: 0,
    created_at: now.toISOString(),
  }
}
