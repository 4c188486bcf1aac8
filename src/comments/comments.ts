/** @module The comments service: posting, moderating, and what readers see under a story. */
import { findCommentableArticle, getArticleById, type Article, type CommentableArticle } from '../articles/articles.ts'
import { readSettings, type SiteSettings } from '../settings/settings.ts'
import { siteSecret } from '../settings/secrets.ts'
import { thresholdsOf } from '../settings/spam-thresholds.ts'
import { SITE_SCOPE, type SpamFilter } from '../spam-filter/spam-filter.ts'
import type { DB } from '../storage/database.ts'
import type { Selectable } from 'kysely'
import type { CommentsTable } from '../storage/schema.ts'
import type { CommentSample } from '../spam/index.ts'
import { renderCommentText } from './comment-markdown.ts'
import * as store from './comment-store.ts'
import { CommentRefused } from './errors.ts'
import { decide, type CommentStatus } from './moderation-rules.ts'
import { hit } from './rate-limit.ts'
import { checkRenderToken } from './render-token.ts'
import type { CommentWriter } from './comment-writer.ts'
import type { NewCommentFields } from './schema.ts'

export { CommentRefused } from './errors.ts'
export type { CommentStatus } from './moderation-rules.ts'

/** An approved comment as shown to readers: never the e-mail address or IP. */
export interface PublicComment {
  readonly id: number
  readonly parentId: number | null
  readonly authorName: string
  readonly authorUrl: string
  readonly contentHtml: string
  readonly createdAt: Date
  readonly replies: PublicComment[]
}

/** A comment as a moderator sees it. */
export interface ModeratedComment {
  readonly id: number
  readonly articleId: number
  readonly parentId: number | null
  readonly authorName: string
  readonly authorEmail: string
  readonly authorUrl: string
  readonly authorIp: string | null
  readonly contentHtml: string
  readonly status: CommentStatus
  readonly reasons: readonly string[]
  readonly spamScore: number | null
  readonly createdAt: Date
}

/** Who is told what: moderators of held comments, commenters of replies they asked to hear of. */
export interface CommentNotifier {
  heldForModeration(comment: ModeratedComment, article: Article): Promise<void>
  replied(to: ModeratedComment, reply: ModeratedComment, article: Article): Promise<void>
}

export interface CommentDeps {
  readonly db: DB
  /** Where rate-limit counters go (they need not survive a power cut). */
  readonly counters: DB
  /** Group-commits new comments. */
  readonly writer: CommentWriter
  readonly filter: SpamFilter
  readonly notifier: CommentNotifier
  readonly now: () => Date
  /** Runs work a response need not wait for (notifications); the site finishes it before closing. */
  readonly background: (task: () => Promise<void>) => void
}

export interface NewComment extends NewCommentFields {
  readonly ip: string | undefined
  readonly userAgent: string | undefined
  /** Whether the hidden field only robots fill was filled in. */
  readonly honeypotFilled: boolean
}

export interface PostedComment {
  readonly id: number
  readonly status: CommentStatus
  readonly reasons: readonly string[]
  readonly articleId: number
}

/**
 * Posts a reader's comment and decides, by the site's rules, whether it shows at once.
 * @example const posted = await postComment(deps, { article_id: 7, author: 'Ann', email: 'ann@example.org', content: 'Thanks', … })
 */
export async function postComment(deps: CommentDeps, input: NewComment): Promise<PostedComment> {
  const { db } = deps
  const now = deps.now()
  const settings = await readSettings(db)
  const article = await findCommentableArticle(db, input.article_id)
  if (!article || article.status === 'draft' || !article.publishedAt || article.publishedAt > now) {
    throw new CommentRefused('not_found', 'There is no article to comment on here.')
  }
  if (!commentsOpenOn(article, settings, now)) throw new CommentRefused('comments_closed', 'Comments on this article are closed.')

  if (input.ip) {
    const limit = await hit(deps.counters, `comment:${input.ip}`, settings.commentRateLimitPerMinute, 60, now)
    if (!limit.allowed) {
      throw new CommentRefused('rate_limited', `You are commenting too quickly. Please wait ${limit.retryAfter} seconds and try again.`, limit.retryAfter)
    }
  }

  if (input.parent_id !== undefined) {
    const parent = await store.findComment(db, input.parent_id)
    if (!parent || parent.article_id !== article.id || parent.status !== 'approved') {
      throw new CommentRefused('invalid_input', 'parent_id: the comment you replied to is not on this article.')
    }
    if ((await store.depthOf(db, parent.id, settings.commentThreadDepth)) >= settings.commentThreadDepth) {
      throw new CommentRefused('invalid_input', `parent_id: replies may nest at most ${settings.commentThreadDepth} deep.`)
    }
  }

  let secondsToSubmit: number | undefined
  if (input.render_token) {
    const check = checkRenderToken(await siteSecret(db, 'render-token'), input.render_token, article.id, now)
    if (!check.ok) {
      throw new CommentRefused('invalid_input', 'This comment form has expired or was not served by this site. Please reload the page and post your comment again.')
    }
    secondsToSubmit = check.secondsToSubmit
  }

  const email = input.email.toLowerCase()
  if (await store.isDuplicate(db, article.id, email, input.author, input.content)) {
    throw new CommentRefused('duplicate_comment', 'You have already posted this comment on this article.')
  }

  const approvedBefore = await store.approvedCountByEmail(db, email)
  const sample: CommentSample = {
    comment_content: input.content,
    comment_author: input.author,
    comment_author_email: email,
    comment_author_url: input.url,
    comment_type: input.parent_id ? 'reply' : 'comment',
    user_ip: input.ip,
    user_agent: input.userAgent,
    blog_lang: settings.language,
  }
  const verdict = await deps.filter.check(
    SITE_SCOPE,
    sample,
    {
      honeypotFilled: input.honeypotFilled,
      ...(secondsToSubmit !== undefined && { secondsToSubmit }),
      renderTokenInvalid: !input.render_token,
      approvedBefore,
      articleAgeDays: (now.getTime() - article.publishedAt.getTime()) / 86_400_000,
    },
    thresholdsOf(settings),
  )
  const decision = decide(
    settings,
    { author: input.author, email, url: input.url ?? '', content: input.content, ip: input.ip, userAgent: input.userAgent, approvedBefore },
    verdict,
  )
  const row: Omit<Selectable<CommentsTable>, 'id'> = {
    article_id: article.id,
    parent_id: input.parent_id ?? null,
    author_name: input.author,
    author_email: email,
    author_url: input.url ?? '',
    author_ip: input.ip ?? null,
    // The user agent serves the spam check, which is done; it is kept only if the site says so.
    user_agent: settings.keepUserAgents ? (input.userAgent?.slice(0, 500) ?? null) : null,
    content_markdown: input.content,
    content_html: renderCommentText(input.content),
    status: decision.status,
    reasons: JSON.stringify(decision.reasons),
    spam_score: verdict.score,
    notify_replies: input.notify_replies ? 1 : 0,
    created_at: now.toISOString(),
  }
  const id = await deps.writer.insert(row)
  const posted = presentRow({ ...row, id })
  if (decision.status === 'pending') deps.background(async () => deps.notifier.heldForModeration(posted, await fullArticle(db, article.id)))
  if (decision.status === 'approved' && posted.parentId !== null) deps.background(async () => notifyParent(deps, posted, await fullArticle(db, article.id)))
  return { id, status: decision.status, reasons: decision.reasons, articleId: article.id }
}

/**
 * A moderator's decision: records who changed what, teaches the spam filter, and tells the
 * parent's author of a reply that has just become visible.
 */
export async function moderateComment(deps: CommentDeps, actor: string, id: number, status: CommentStatus): Promise<ModeratedComment> {
  const { db } = deps
  const now = deps.now()
  const before = await store.findComment(db, id)
  if (!before) throw new CommentRefused('not_found', `There is no comment ${id}.`)
  if (before.status === status) return moderatedComment(db, id)
  await db.transaction().execute(async (trx) => {
    await store.setStatus(trx, id, status)
    await store.logModeration(trx, id, actor, before.status, status, now.toISOString())
  })
  if (status === 'approved' || status === 'spam') {
    await deps.filter.learn(
      SITE_SCOPE,
      {
        comment_content: before.content_markdown,
        comment_author: before.author_name,
        comment_author_email: before.author_email,
        comment_author_url: before.author_url || undefined,
        user_ip: before.author_ip ?? undefined,
      },
      status === 'approved' ? 'ham' : 'spam',
      now,
    )
  }
  const after = await moderatedComment(db, id)
  if (status === 'approved' && before.status !== 'approved') {
    const article = await getArticleById(db, before.article_id)
    if (article) deps.background(() => notifyParent(deps, after, article))
  }
  return after
}

export async function listForModeration(db: DB, filter: store.ModerationFilter, page: number, perPage: number) {
  const total = await store.countComments(db, filter)
  const rows = await store.listComments(db, filter, perPage, (page - 1) * perPage)
  return { comments: rows.map(presentRow), page, pages: Math.max(1, Math.ceil(total / perPage)), total }
}

export async function moderationHistory(db: DB, id: number) {
  return store.moderationHistory(db, id)
}

export async function moderatedComment(db: DB, id: number): Promise<ModeratedComment> {
  const row = await store.findComment(db, id)
  if (!row) throw new CommentRefused('not_found', `There is no comment ${id}.`)
  return presentRow(row)
}

/** Whether readers may comment now: open, and not past the site's closing age. */
export function commentsOpenOn(article: CommentableArticle, settings: SiteSettings, now: Date): boolean {
  if (!article.commentsOpen || !article.publishedAt) return false
  if (settings.closeCommentsAfterDays === 0) return true
  return now.getTime() - article.publishedAt.getTime() < settings.closeCommentsAfterDays * 86_400_000
}

/** Approved comments a story has, by article id. */
export function approvedCommentCounts(db: DB, articleIds: readonly number[]): Promise<Map<number, number>> {
  return store.approvedCounts(db, articleIds)
}

/**
 * The story's approved comments as a thread, oldest first. A reply whose parent is not shown
 * is shown at the top level; one deeper than allowed joins its parent's level.
 */
export async function approvedThread(db: DB, articleId: number, maxDepth: number): Promise<{ thread: PublicComment[]; count: number }> {
  const rows = await store.approvedForArticle(db, articleId)
  const byId = new Map<number, PublicComment & { depth: number; siblings: PublicComment[] }>()
  const thread: PublicComment[] = []
  for (const r of rows) {
    const parent = r.parent_id === null ? undefined : byId.get(r.parent_id)
    const nested = parent !== undefined && parent.depth < maxDepth
    const siblings = !parent ? thread : nested ? parent.replies : parent.siblings
    const node = {
      id: r.id,
      parentId: r.parent_id,
      authorName: r.author_name,
      authorUrl: r.author_url,
      contentHtml: r.content_html,
      createdAt: new Date(r.created_at),
      replies: [],
      depth: !parent ? 1 : nested ? parent.depth + 1 : parent.depth,
      siblings,
    }
    byId.set(r.id, node)
    siblings.push(node)
  }
  return { thread: thread.map(stripInternals), count: rows.length }
}

function stripInternals(c: PublicComment): PublicComment {
  return {
    id: c.id,
    parentId: c.parentId,
    authorName: c.authorName,
    authorUrl: c.authorUrl,
    contentHtml: c.contentHtml,
    createdAt: c.createdAt,
    replies: c.replies.map(stripInternals),
  }
}

async function notifyParent(deps: CommentDeps, reply: ModeratedComment, article: Article): Promise<void> {
  if (reply.parentId === null) return
  const parent = await store.findComment(deps.db, reply.parentId)
  if (!parent || parent.notify_replies !== 1 || parent.author_email === reply.authorEmail) return
  await deps.notifier.replied(presentRow(parent), reply, article)
}

async function fullArticle(db: DB, id: number): Promise<Article> {
  const article = await getArticleById(db, id)
  if (!article) throw new Error(`article ${id} vanished`)
  return article
}


function presentRow(r: Selectable<CommentsTable>): ModeratedComment {
  return {
    id: r.id,
    articleId: r.article_id,
    parentId: r.parent_id,
    authorName: r.author_name,
    authorEmail: r.author_email,
    authorUrl: r.author_url,
    authorIp: r.author_ip,
    contentHtml: r.content_html,
    status: r.status,
    reasons: JSON.parse(r.reasons) as string[],
    spamScore: r.spam_score,
    createdAt: new Date(r.created_at),
  }
}
