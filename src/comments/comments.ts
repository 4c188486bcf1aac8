/** @module The comments service: posting, moderating, and what readers see under a story. */
import type { Selectable } from 'kysely'
import type { Article, ArticlesService, CommentableArticle } from '../articles/articles.ts'
import { goesLive } from '../articles/schema.ts'
import { Conflict, Forbidden, Invalid, NotFound, RateLimited } from '../errors.ts'
import type { RateLimiter } from '../rate-limit/rate-limit.ts'
import type { SettingsService, SiteSettings } from '../settings/settings.ts'
import { thresholdsOf } from '../settings/spam-thresholds.ts'
import { CONFIRMATION_SECRET, CONFIRMATIONS_PER_ADDRESS_PER_DAY, confirmationCommentId, confirms, issueConfirmationToken } from './address-confirmation.ts'
import { commentVouchedFor, issueTrustToken, TRUST_SECRET } from './commenter-trust.ts'
import { SITE_SCOPE, type SpamFilter } from '../spam-filter/spam-filter.ts'
import type { CommentSample } from '../spam/index.ts'
import type { DB } from '../storage/database.ts'
import type { CommentsTable } from '../storage/schema.ts'
import { renderCommentText } from './comment-markdown.ts'
import * as store from './comment-store.ts'
import type { CommentWriter } from './comment-writer.ts'
import { decide, FIRST_COMMENT_REASON, type CommentStatus } from './moderation-rules.ts'
import { commenterRecords, commentsPerDay, editContent, staffReplyRow, type DayCounts, type StaffReply, type StatusCounts } from './moderation-desk.ts'
import { checkRenderToken } from './render-token.ts'
import type { NewCommentFields } from './schema.ts'

export type { CommentStatus } from './moderation-rules.ts'
export type { DayCounts, StatusCounts } from './moderation-desk.ts'

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

/** Everything stored with one comment of a person's, for their copy of their data. */
export interface CommenterRecord {
  readonly id: number
  readonly article: { readonly id: number; readonly title: string }
  readonly authorName: string
  readonly authorEmail: string
  readonly authorUrl: string
  readonly authorIp: string | null
  readonly userAgent: string | null
  readonly content: string
  readonly status: CommentStatus
  readonly reasons: string[]
  readonly notifyReplies: boolean
  readonly createdAt: string
}

/** Who is told what: moderators of held comments, commenters of replies they asked to hear of. */
export interface CommentNotifier {
  /** False when the site cannot send e-mail: then nothing is looked up for a message never sent. */
  readonly enabled: boolean
  heldForModeration(comment: ModeratedComment, article: Article): Promise<void>
  replied(to: ModeratedComment, reply: ModeratedComment, article: Article): Promise<void>
  /** E-mails the comment's address a link (with `token`) that proves the commenter owns it. */
  confirmAddress(comment: ModeratedComment, article: Article, token: string): Promise<void>
}

export interface CommentDeps {
  readonly db: DB
  /** Per-IP limits; their counters need not survive a power cut. */
  readonly limiter: RateLimiter
  /** Group-commits new comments. */
  readonly writer: CommentWriter
  readonly filter: SpamFilter
  readonly notifier: CommentNotifier
  readonly settings: SettingsService
  readonly articles: ArticlesService
  readonly now: () => Date
  /** Runs work a response need not wait for (notifications); the site finishes it before closing. */
  readonly background: (task: () => Promise<void>) => void
}

export interface NewComment extends NewCommentFields {
  readonly ip: string | undefined
  readonly userAgent: string | undefined
  /** Whether the hidden field only robots fill was filled in. */
  readonly honeypotFilled: boolean
  /** The commenter's trust cookie, if their browser sent one (see commenter-trust.ts). */
  readonly trustToken?: string | undefined
}

export interface PostedComment {
  readonly id: number
  readonly status: CommentStatus
  readonly reasons: readonly string[]
  readonly articleId: number
  /** Proof that this commenter wrote this comment, for their trust cookie. */
  readonly trustToken: string
}

/** How an article's comments are split into pages (the site's settings). */
export interface CommentPaging {
  /** Top-level comments a page. */
  readonly perPage: number
  /** Top-level comments on a page oldest first, or newest first. */
  readonly order: 'asc' | 'desc'
}

export interface ThreadPage {
  readonly thread: PublicComment[]
  /** Every approved comment of the article, on all pages. */
  readonly count: number
  readonly page: number
  readonly pages: number
}

export interface ModerationQueue {
  readonly comments: ModeratedComment[]
  readonly page: number
  readonly pages: number
  readonly total: number
}

export interface CommentsService {
  post(input: NewComment): Promise<PostedComment>
  /** One moderator's decision on one comment. */
  moderate(actor: string, id: number, status: CommentStatus): Promise<ModeratedComment>
  /** The same decision on many comments: all of them, or (when one is missing) none. */
  moderateMany(actor: string, ids: readonly number[], status: CommentStatus): Promise<ModeratedComment[]>
  queue(filter: store.ModerationFilter, page: number, perPage: number): Promise<ModerationQueue>
  history(id: number): ReturnType<typeof store.moderationHistory>
  approvedThread(articleId: number, maxDepth: number): Promise<{ thread: PublicComment[]; count: number }>
  /**
   * One page of an article's approved threads (top-level comments, each with all its replies),
   * pages counted from the oldest; `'last'` is the newest comments' page. Undefined past the last.
   */
  threadPage(articleId: number, maxDepth: number, page: number | 'last', paging: CommentPaging): Promise<ThreadPage | undefined>
  /** The page (as `threadPage` counts them) holding this comment's thread, and how many pages there are, if it is an approved comment. */
  pageOfComment(commentId: number, perPage: number): Promise<{ page: number; pages: number } | undefined>
  approvedCounts(articleIds: readonly number[]): Promise<Map<number, number>>
  /** A comment on this article that is not (yet) shown to readers, for its own author's eyes (see held-comment-token.ts). */
  heldOnArticle(articleId: number, id: number): Promise<PublicComment | undefined>
  /** The newest approved comments, newest first: the site's, or one article's (comment feeds). */
  latestApproved(limit: number, articleId?: number): Promise<(PublicComment & { articleId: number })[]>
  /** Everything stored about an e-mail address's comments; `q` may be the caller's transaction. */
  personalData(email: string, q?: DB): Promise<CommenterRecord[]>
  /** Removes an address's personal data from its comments (or the comments) through `q`. */
  erasePersonalData(email: string, mode: SiteSettings['erasure'], q?: DB): Promise<{ comments: number; ips: string[] }>
  /**
   * Replaces the IP addresses of up to `limit` comments made before `before` (oldest first, each
   * once) with `anonymise(ip)`, in one transaction; returns how many (fewer than `limit`: done).
   */
  anonymiseIpsBefore(before: Date, anonymise: (ip: string) => string, limit: number): Promise<number>
  /** Drops the user agents of up to `limit` comments; returns how many (fewer than `limit`: done). */
  dropUserAgents(limit: number): Promise<number>
  /** Gives up to `limit` comments from before the text hashes their hash; returns how many (fewer than `limit`: done). */
  hashTexts(limit: number): Promise<number>
  /** How many comments are in each state (the queue's tabs). */
  statusCounts(): Promise<StatusCounts>
  /** Each address's comments by state (the queue shows a commenter's record). */
  commenterRecords(emails: readonly string[]): Promise<Map<string, StatusCounts>>
  /** Comments per day for the last `days` days, split into approved / held / spam (the dashboard). */
  perDay(days: number): Promise<DayCounts[]>
  /** The state a comment is in, if it exists. */
  statusOf(id: number): Promise<CommentStatus | undefined>
  /** A comment's Markdown as its author wrote it (for a moderator's edit). */
  source(id: number): Promise<string | undefined>
  /** A moderator's edit of a comment's text. */
  editContent(id: number, markdown: string): Promise<void>
  /** A reply from a member of staff: shown at once, its parent's author told if they asked. */
  staffReply(reply: StaffReply): Promise<ModeratedComment>
  /**
   * Follows an e-mailed confirmation link (see address-confirmation.ts): approves the comment if
   * it is still held, and gives the trust cookie's token for it once it is approved.
   */
  confirmAddress(token: string): Promise<AddressConfirmed>
}

export interface AddressConfirmed {
  readonly comment: ModeratedComment
  /** For the trust cookie; only when the comment is approved. */
  readonly trustToken?: string
}

/** @example const comments = commentsService(deps); await comments.post({ article_id: 7, author: 'Ann', … }) */
export function commentsService(deps: CommentDeps): CommentsService {
  return {
    post: (input) => postComment(deps, input),
    moderate: async (actor, id, status) => (await moderateComments(deps, actor, [id], status))[0]!,
    moderateMany: (actor, ids, status) => moderateComments(deps, actor, ids, status),
    queue: (filter, page, perPage) => listForModeration(deps.db, filter, page, perPage),
    history: (id) => store.moderationHistory(deps.db, id),
    approvedThread: (articleId, maxDepth) => approvedThread(deps.db, articleId, maxDepth),
    threadPage: (articleId, maxDepth, page, paging) => threadPage(deps.db, articleId, maxDepth, page, paging),
    pageOfComment: async (commentId, perPage) => {
      const row = await store.findComment(deps.db, commentId)
      if (row?.status !== 'approved') return undefined
      const root = await store.threadRootOf(deps.db, commentId)
      if (!root) return undefined
      const [place, threads] = await Promise.all([store.threadPlace(deps.db, root.articleId, root.id), store.countThreads(deps.db, root.articleId)])
      return { page: Math.max(1, Math.ceil(place / perPage)), pages: Math.max(1, Math.ceil(threads / perPage)) }
    },
    approvedCounts: (ids) => store.approvedCounts(deps.db, ids),
    heldOnArticle: async (articleId, id) => {
      const row = await store.findComment(deps.db, id)
      // Approved ones are in the thread already; whatever else it is (held, spam, trash) reads as awaiting moderation.
      return row && row.article_id === articleId && row.status !== 'approved' ? publicComment(row) : undefined
    },
    latestApproved: async (limit, articleId) =>
      (await store.latestApproved(deps.db, limit, articleId)).map((r) => ({ ...publicComment(r), articleId: r.article_id })),
    personalData: (email, q = deps.db) => personalData(q, email),
    erasePersonalData: (email, mode, q = deps.db) => erasePersonalData(q, email, mode),
    anonymiseIpsBefore: (before, anonymise, limit) => store.anonymiseIpsBatch(deps.db, before.toISOString(), limit, anonymise),
    dropUserAgents: (limit) => store.dropUserAgentsBatch(deps.db, limit),
    hashTexts: (limit) => store.hashTextsBatch(deps.db, limit),
    statusCounts: () => store.countsByStatus(deps.db),
    commenterRecords: (emails) => commenterRecords(deps.db, emails),
    perDay: (days) => commentsPerDay(deps.db, deps.now(), days),
    source: (id) => store.contentMarkdownOf(deps.db, id),
    statusOf: async (id) => (await store.findComment(deps.db, id))?.status,
    editContent: (id, markdown) => editContent(deps.db, id, markdown),
    staffReply: async (reply) => {
      const row = await staffReplyRow(deps.db, reply, deps.now())
      const posted = presentRow({ ...row, id: await deps.writer.insert(row) })
      notifyLater(deps, () => notifyParent(deps, posted))
      return posted
    },
    confirmAddress: (token) => confirmAddress(deps, token),
  }
}

/**
 * Posts a reader's comment and decides, by the site's rules, whether it shows at once.
 * @example const posted = await postComment(deps, { article_id: 7, author: 'Ann', email: 'ann@example.org', content: 'Thanks', … })
 */
export async function postComment(deps: CommentDeps, input: NewComment): Promise<PostedComment> {
  const { db } = deps
  const now = deps.now()
  const settings = await deps.settings.read()
  const article = await deps.articles.commentable(input.article_id)
  if (!article || !goesLive(article.status) || !article.publishedAt || article.publishedAt > now) {
    throw new NotFound('There is no article to comment on here.')
  }
  if (!commentsOpenOn(article, settings, now)) throw new Forbidden('Comments on this article are closed.', 'comments_closed')

  if (input.ip) {
    await deps.limiter.take({ bucket: `comment:${input.ip}`, max: settings.commentRateLimitPerMinute, windowSeconds: 60 }, now, (seconds) =>
      `You are commenting too quickly. Please wait ${seconds} seconds and try again.`,
    )
  }

  if (input.parent_id !== undefined) {
    const parent = await store.findComment(db, input.parent_id)
    if (!parent || parent.article_id !== article.id || parent.status !== 'approved') {
      throw new Invalid('parent_id: the comment you replied to is not on this article.')
    }
    if ((await store.depthOf(db, parent.id, settings.commentThreadDepth)) >= settings.commentThreadDepth) {
      throw new Invalid(`parent_id: replies may nest at most ${settings.commentThreadDepth} deep.`)
    }
  }

  let secondsToSubmit: number | undefined
  if (input.render_token) {
    const check = checkRenderToken(await deps.settings.secret('render-token'), input.render_token, article.id, now)
    if (!check.ok) {
      throw new Invalid('This comment form has expired or was not served by this site. Please reload the page and post your comment again.')
    }
    secondsToSubmit = check.secondsToSubmit
  }

  const email = input.email.toLowerCase()
  if (await store.isDuplicate(db, article.id, email, input.author, input.content, await someTextsUnhashed(db))) {
    throw new Conflict('You have already posted this comment on this article.', 'duplicate_comment')
  }

  const trustSecret = await deps.settings.secret(TRUST_SECRET)
  const approvedBefore = await approvedCommentsOfTrusted(db, trustSecret, input.trustToken, email)
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
    content_hash: store.textHash(input.content),
    content_html: renderCommentText(input.content),
    status: decision.status,
    reasons: JSON.stringify(decision.reasons),
    spam_score: verdict.score,
    notify_replies: input.notify_replies ? 1 : 0,
    created_at: now.toISOString(),
  }
  const id = await deps.writer.insert(row)
  const posted = presentRow({ ...row, id })
  if (decision.status === 'pending') notifyLater(deps, async () => deps.notifier.heldForModeration(posted, await fullArticle(deps, article.id)))
  // Held only for want of proof that a regular wrote it: their address is asked to confirm.
  if (decision.status === 'pending' && decision.reasons.length === 1 && decision.reasons[0] === FIRST_COMMENT_REASON) {
    notifyLater(deps, () => offerConfirmation(deps, posted))
  }
  if (decision.status === 'approved' && posted.parentId !== null) notifyLater(deps, () => notifyParent(deps, posted))
  return { id, status: decision.status, reasons: decision.reasons, articleId: article.id, trustToken: issueTrustToken(trustSecret, id, email) }
}

/**
 * How many approved comments this address has, counted only when the commenter proves they
 * wrote one of them (the trust cookie names an approved comment of this address): otherwise 0,
 * and the comment is held like a first one.
 */
async function approvedCommentsOfTrusted(db: DB, secret: Buffer, token: string | undefined, email: string): Promise<number> {
  const vouched = commentVouchedFor(secret, token, email)
  if (vouched === undefined) return 0
  const earlier = await store.findComment(db, vouched)
  if (!earlier || earlier.status !== 'approved' || earlier.author_email !== email) return 0
  return store.approvedCountByEmail(db, email)
}

/**
 * Moderators' decisions, in one transaction: each change of status is recorded with who made it
 * and, for approved and spam, taught to the spam filter; replies that have just become visible
 * are told to their parent's author afterwards. A missing id changes nothing and is named.
 */
async function moderateComments(deps: CommentDeps, actor: string, ids: readonly number[], status: CommentStatus): Promise<ModeratedComment[]> {
  const now = deps.now()
  const wanted = [...new Set(ids)]
  const { changed, after } = await deps.db.transaction().execute(async (trx) => {
    const rows = await store.findComments(trx, wanted)
    const missing = wanted.filter((id) => !rows.some((r) => r.id === id))
    if (missing.length) {
      throw new NotFound(`There is no comment ${missing.join(', ')}${wanted.length > 1 ? '; no comment was changed' : ''}.`)
    }
    const changing = rows.filter((r) => r.status !== status)
    for (const before of changing) {
      await store.setStatus(trx, before.id, status)
      await store.logModeration(trx, before.id, actor, before.status, status, now.toISOString())
      if (status === 'approved' || status === 'spam') await deps.filter.record(trx, SITE_SCOPE, sampleOf(before), status === 'approved' ? 'ham' : 'spam', now)
    }
    // Read back in the same transaction: what is answered is what was committed.
    return { changed: changing, after: (await store.findComments(trx, wanted)).map(presentRow) }
  })
  if (status === 'approved' || status === 'spam') await deps.filter.catchUp(SITE_SCOPE)
  if (status === 'approved') {
    for (const c of after) {
      if (c.parentId === null || !changed.some((r) => r.id === c.id)) continue
      notifyLater(deps, () => notifyParent(deps, c))
    }
  }
  return wanted.map((id) => after.find((c) => c.id === id)!)
}

function sampleOf(row: Selectable<CommentsTable>): CommentSample {
  return {
    comment_content: row.content_markdown,
    comment_author: row.author_name,
    comment_author_email: row.author_email,
    comment_author_url: row.author_url || undefined,
    user_ip: row.author_ip ?? undefined,
  }
}

async function listForModeration(db: DB, filter: store.ModerationFilter, page: number, perPage: number): Promise<ModerationQueue> {
  const total = await store.countComments(db, filter)
  const rows = await store.listComments(db, filter, perPage, (page - 1) * perPage)
  return { comments: rows.map(presentRow), page, pages: Math.max(1, Math.ceil(total / perPage)), total }
}

/** Whether readers may comment now: open, and not past the site's closing age. */
export function commentsOpenOn(article: CommentableArticle, settings: SiteSettings, now: Date): boolean {
  if (!article.commentsOpen || !article.publishedAt) return false
  if (settings.closeCommentsAfterDays === 0) return true
  return now.getTime() - article.publishedAt.getTime() < settings.closeCommentsAfterDays * 86_400_000
}

/**
 * The story's approved comments as a thread, oldest first. A reply whose parent is not shown
 * is shown at the top level; one deeper than allowed joins its parent's level.
 */
async function approvedThread(db: DB, articleId: number, maxDepth: number): Promise<{ thread: PublicComment[]; count: number }> {
  const rows = await store.approvedForArticle(db, articleId)
  return { thread: threadTree(rows, maxDepth), count: rows.length }
}

/**
 * A page of threads: the page's top-level ids by a short walk of the thread index, then those
 * threads' replies, so page 40 reads as many rows as page 1; the count is the article's whole count.
 */
async function threadPage(db: DB, articleId: number, maxDepth: number, page: number | 'last', paging: CommentPaging): Promise<ThreadPage | undefined> {
  const [threads, counts] = await Promise.all([store.countThreads(db, articleId), store.approvedCounts(db, [articleId])])
  const pages = Math.max(1, Math.ceil(threads / paging.perPage))
  const n = page === 'last' ? pages : page
  if (n < 1 || n > pages) return undefined
  const roots = await store.threadIds(db, articleId, paging.perPage, (n - 1) * paging.perPage)
  const thread = threadTree(await store.threadsOf(db, roots), maxDepth)
  return { thread: paging.order === 'desc' ? thread.reverse() : thread, count: counts.get(articleId) ?? 0, page: n, pages }
}

/** Comments (oldest first) as threads: replies under their parents down to `maxDepth`, deeper ones beside their parent. */
function threadTree(rows: readonly Parameters<typeof publicComment>[0][], maxDepth: number): PublicComment[] {
  const byId = new Map<number, PublicComment & { depth: number; siblings: PublicComment[] }>()
  const thread: PublicComment[] = []
  for (const r of rows) {
    const parent = r.parent_id === null ? undefined : byId.get(r.parent_id)
    const nested = parent !== undefined && parent.depth < maxDepth
    const siblings = !parent ? thread : nested ? parent.replies : parent.siblings
    const node = {
      ...publicComment(r),
      depth: !parent ? 1 : nested ? parent.depth + 1 : parent.depth,
      siblings,
    }
    byId.set(r.id, node)
    siblings.push(node)
  }
  return thread.map(stripInternals)
}

/** What readers may see of an approved comment: never its e-mail address, IP or verdict. */
function publicComment(r: { id: number; parent_id: number | null; author_name: string; author_url: string; content_html: string; created_at: string }): PublicComment {
  return { id: r.id, parentId: r.parent_id, authorName: r.author_name, authorUrl: r.author_url, contentHtml: r.content_html, createdAt: new Date(r.created_at), replies: [] }
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

async function personalData(q: DB, email: string): Promise<CommenterRecord[]> {
  const rows = await store.commentsByEmail(q, email)
  return rows.map((r) => ({
    id: r.id,
    article: { id: r.article_id, title: r.title },
    authorName: r.author_name,
    authorEmail: r.author_email,
    authorUrl: r.author_url,
    authorIp: r.author_ip,
    userAgent: r.user_agent,
    content: r.content_markdown,
    status: r.status,
    reasons: JSON.parse(r.reasons) as string[],
    notifyReplies: r.notify_replies === 1,
    createdAt: r.created_at,
  }))
}

async function erasePersonalData(q: DB, email: string, mode: SiteSettings['erasure']): Promise<{ comments: number; ips: string[] }> {
  const rows = await store.commentsByEmail(q, email)
  const ids = rows.map((c) => c.id)
  if (mode === 'delete') await store.deleteComments(q, ids)
  else await store.anonymiseComments(q, ids)
  return { comments: rows.length, ips: rows.map((c) => c.author_ip).filter((ip): ip is string => Boolean(ip)) }
}

/** Databases whose every comment has its text hash (it stays so: every comment written gets one). */
const allTextsHashed = new WeakSet<DB>()

/** Whether comments from before the text hashes still lack one (looked up until the day none does). */
async function someTextsUnhashed(db: DB): Promise<boolean> {
  if (allTextsHashed.has(db)) return false
  if (await store.anyWithoutTextHash(db)) return true
  allTextsHashed.add(db)
  return false
}

/** Runs an e-mail's work after the answer has gone, and only on a site that can send e-mail. */
function notifyLater(deps: CommentDeps, work: () => Promise<void>): void {
  if (deps.notifier.enabled) deps.background(work)
}

async function notifyParent(deps: CommentDeps, reply: ModeratedComment): Promise<void> {
  if (reply.parentId === null) return
  const parent = await store.findComment(deps.db, reply.parentId)
  if (!parent || parent.notify_replies !== 1 || parent.author_email === reply.authorEmail) return
  await deps.notifier.replied(presentRow(parent), reply, await fullArticle(deps, reply.articleId))
}

/**
 * E-mails a held comment's address a confirmation link when that address has comments approved
 * before (a first comment ever is for a moderator to judge), at most a few a day to one address.
 */
async function offerConfirmation(deps: CommentDeps, comment: ModeratedComment): Promise<void> {
  if ((await store.approvedCountByEmail(deps.db, comment.authorEmail)) === 0) return
  const now = deps.now()
  try {
    await deps.limiter.take({ bucket: `confirm-address:${comment.authorEmail}`, max: CONFIRMATIONS_PER_ADDRESS_PER_DAY, windowSeconds: 86_400 }, now, () => '')
  } catch (error) {
    if (error instanceof RateLimited) return
    throw error
  }
  const token = issueConfirmationToken(await deps.settings.secret(CONFIRMATION_SECRET), comment.id, comment.authorEmail, now)
  await deps.notifier.confirmAddress(comment, await fullArticle(deps, comment.articleId), token)
}

const BAD_CONFIRMATION = 'This confirmation link has expired or was not sent by this site. Post your comment again and we will e-mail you a new one.'

async function confirmAddress(deps: CommentDeps, token: string): Promise<AddressConfirmed> {
  const id = confirmationCommentId(token, deps.now())
  const row = id === undefined ? undefined : await store.findComment(deps.db, id)
  if (!row || !confirms(await deps.settings.secret(CONFIRMATION_SECRET), token, row.id, row.author_email)) throw new Invalid(BAD_CONFIRMATION, 'bad_confirmation')
  const approvedNow = await deps.db.transaction().execute(async (trx) => {
    const approved = await store.approveIfHeld(trx, row.id)
    if (approved) await store.logModeration(trx, row.id, 'the commenter, by confirming their e-mail address', row.status, 'approved', deps.now().toISOString())
    return approved
  })
  const after = presentRow((await store.findComment(deps.db, row.id))!)
  if (approvedNow && after.parentId !== null) notifyLater(deps, () => notifyParent(deps, after))
  if (after.status !== 'approved') return { comment: after }
  return { comment: after, trustToken: issueTrustToken(await deps.settings.secret(TRUST_SECRET), row.id, row.author_email) }
}

async function fullArticle(deps: CommentDeps, id: number): Promise<Article> {
  const article = await deps.articles.byId(id)
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
