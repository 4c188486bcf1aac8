/** @module The comments module's SQL. */
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Insertable } from 'kysely'
import type { CommentsTable, Database } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>

export async function approvedCounts(q: Q, articleIds: readonly number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>()
  if (articleIds.length === 0) return counts
  const rows = await q
    .selectFrom('comments')
    .select(['article_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('article_id', 'in', articleIds)
    .where('status', '=', 'approved')
    .groupBy('article_id')
    .execute()
  for (const r of rows) counts.set(r.article_id, Number(r.n))
  return counts
}

export function approvedForArticle(q: Q, articleId: number) {
  return q
    .selectFrom('comments')
    .select(['id', 'parent_id', 'author_name', 'author_url', 'content_html', 'created_at'])
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .orderBy('id')
    .execute()
}

/** The newest approved comments, of one article or of the whole site. */
export function latestApproved(q: Q, limit: number, articleId?: number) {
  let query = q
    .selectFrom('comments')
    .select(['id', 'article_id', 'parent_id', 'author_name', 'author_url', 'content_html', 'created_at'])
    .where('status', '=', 'approved')
  if (articleId !== undefined) query = query.where('article_id', '=', articleId)
  return query.orderBy('id', 'desc').limit(limit).execute()
}

export type NewCommentRow = Insertable<CommentsTable>

export async function insertComment(q: Q, row: NewCommentRow): Promise<number> {
  const { id } = await insertCommentQuery(q, row).executeTakeFirstOrThrow()
  return id
}

/** The insert of one comment, answering its id (run by `insertComment`, or compiled for a batch). */
export function insertCommentQuery(q: Q, row: NewCommentRow) {
  return q.insertInto('comments').values({ ...row, content_hash: row.content_hash ?? textHash(row.content_markdown) }).returning('id')
}

/** The hash the duplicate check looks a comment's text up by (SHA-256, base64url). */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url')
}

/** The row with its text's hash: every comment written carries one. */
export function withTextHash<R extends { content_markdown: string }>(row: R): R & { content_hash: string } {
  return { ...row, content_hash: textHash(row.content_markdown) }
}

export function findComment(q: Q, id: number) {
  return q.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findComments(q: Q, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return q.selectFrom('comments').selectAll().where('id', 'in', ids).orderBy('id').execute()
}

export async function approvedCountByEmail(q: Q, email: string): Promise<number> {
  const row = await q
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('author_email', '=', email)
    .where('status', '=', 'approved')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Whether this person (same address or same name) already has this text on the article, not in
 * the bin: one seek along (article, text hash). While comments made before the hashes existed
 * are still without one (`legacy`), those are asked the old way too.
 */
export async function isDuplicate(q: Q, articleId: number, email: string, author: string, content: string, legacy: boolean): Promise<boolean> {
  const same = await q
    .selectFrom('comments')
    .select(['author_email', 'author_name', 'content_markdown'])
    .where('article_id', '=', articleId)
    .where('content_hash', '=', textHash(content))
    .where('status', '!=', 'trash')
    .execute()
  if (same.some((r) => r.content_markdown === content && (r.author_email === email || r.author_name === author))) return true
  if (!legacy) return false
  // Two lookups, each along an index, rather than one OR that would scan the article's comments.
  for (const [column, value] of [['author_email', email], ['author_name', author]] as const) {
    const row = await q
      .selectFrom('comments')
      .select('id')
      .where('article_id', '=', articleId)
      .where(column, '=', value)
      .where('content_markdown', '=', content)
      .where('content_hash', 'is', null)
      .where('status', '!=', 'trash')
      .executeTakeFirst()
    if (row) return true
  }
  return false
}

/** Whether any comment still lacks its text hash (one look along the partial index of those). */
export async function anyWithoutTextHash(q: Q): Promise<boolean> {
  return (await q.selectFrom('comments').select('id').where('content_hash', 'is', null).limit(1).executeTakeFirst()) !== undefined
}

/** Fills in the text hash of up to `limit` comments that have none (oldest first); answers how many. */
export async function hashTextsBatch(q: Kysely<Database>, limit: number): Promise<number> {
  return q.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('comments').select(['id', 'content_markdown']).where('content_hash', 'is', null).orderBy('id').limit(limit).execute()
    for (const r of rows) await trx.updateTable('comments').set({ content_hash: textHash(r.content_markdown) }).where('id', '=', r.id).execute()
    return rows.length
  })
}

export async function setStatus(q: Q, id: number, status: CommentsTable['status']): Promise<void> {
  await q.updateTable('comments').set({ status }).where('id', '=', id).execute()
}

/** Approves the comment if it is still held; says whether this call did (of two at once, one does). */
export async function approveIfHeld(q: Q, id: number): Promise<boolean> {
  const result = await q.updateTable('comments').set({ status: 'approved' }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function logModeration(q: Q, commentId: number, actor: string, from: string, to: string, at: string): Promise<void> {
  await q.insertInto('comment_moderation_log').values({ comment_id: commentId, actor, from_status: from, to_status: to, at }).execute()
}

export function moderationHistory(q: Q, commentId: number) {
  return q.selectFrom('comment_moderation_log').select(['actor', 'from_status', 'to_status', 'at']).where('comment_id', '=', commentId).orderBy('id').execute()
}

export interface ModerationFilter {
  readonly status?: CommentsTable['status']
  readonly articleId?: number
}

export function listComments(q: Q, filter: ModerationFilter, limit: number, offset: number) {
  let query = q.selectFrom('comments').selectAll()
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.articleId !== undefined) query = query.where('article_id', '=', filter.articleId)
  return query.orderBy('id', 'desc').limit(limit).offset(offset).execute()
}

export async function countComments(q: Q, filter: ModerationFilter): Promise<number> {
  let query = q.selectFrom('comments').select((eb) => eb.fn.countAll<number | string>().as('n'))
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.articleId !== undefined) query = query.where('article_id', '=', filter.articleId)
  return Number((await query.executeTakeFirstOrThrow()).n)
}

/** How deep a comment sits in its thread (1 for a top-level comment). */
export async function depthOf(q: Q, id: number, limit: number): Promise<number> {
  let depth = 1
  let current = await q.selectFrom('comments').select('parent_id').where('id', '=', id).executeTakeFirst()
  while (current?.parent_id && depth <= limit) {
    depth++
    current = await q.selectFrom('comments').select('parent_id').where('id', '=', current.parent_id).executeTakeFirst()
  }
  return depth
}

/** Everything stored with each comment from this e-mail address, with its article's title. */
export function commentsByEmail(q: Q, email: string) {
  return q
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select([
      'comments.id', 'comments.article_id', 'articles.title', 'comments.author_name', 'comments.author_email', 'comments.author_url',
      'comments.author_ip', 'comments.user_agent', 'comments.content_markdown', 'comments.status', 'comments.reasons',
      'comments.notify_replies', 'comments.created_at',
    ])
    .where('comments.author_email', '=', email)
    .orderBy('comments.id')
    .execute()
}

/** Removes who wrote these comments; the text stays, attributed to "Anonymous". */
export async function anonymiseComments(q: Q, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await q
    .updateTable('comments')
    .set({ author_name: 'Anonymous', author_email: '', author_url: '', author_ip: null, user_agent: null, notify_replies: 0 })
    .where('id', 'in', ids)
    .execute()
}

/** Deletes these comments; their replies stay, as top-level comments. */
export async function deleteComments(q: Q, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await q.updateTable('comments').set({ parent_id: null }).where('parent_id', 'in', ids).execute()
  await q.deleteFrom('comments').where('id', 'in', ids).execute()
}

/**
 * Anonymises the IP addresses of up to `limit` comments made before `before` that still carry
 * their full address; answers how many it did. Reads along the partial index
 * of comments still to anonymise, so its cost does not grow with the comments already done.
 */
export async function anonymiseIpsBatch(q: Q, before: string, limit: number, anonymise: (ip: string) => string): Promise<number> {
  const rows = await q
    .selectFrom('comments')
    .select(['id', 'author_ip'])
    // Literal 0 (not a parameter): SQLite uses a partial index only when it can see the query implies it.
    .where('author_ip', 'is not', null)
    .where('ip_anonymised', '=', (eb) => eb.lit(0))
    .where('created_at', '<', before)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute()
  if (rows.length === 0) return 0
  // One UPDATE for the batch (one statement: its own transaction, one round trip on PostgreSQL),
  // each row to its own anonymised address, unless its address changed since it was read (an
  // erasure), which is then left as it is now.
  await q
    .updateTable('comments')
    .set((eb) => {
      const [first, ...rest] = rows
      const sameIp = (r: { id: number; author_ip: string | null }) => eb.and([eb('id', '=', r.id), eb('author_ip', '=', r.author_ip)])
      let chain = eb.case().when(sameIp(first!)).then(anonymise(first!.author_ip!))
      for (const r of rest) chain = chain.when(sameIp(r)).then(anonymise(r.author_ip!))
      return { author_ip: chain.else(eb.ref('author_ip')).end(), ip_anonymised: 1 }
    })
    .where('id', 'in', rows.map((r) => r.id))
    .execute()
  return rows.length
}

/** Drops the user agents of up to `limit` comments (along the partial index of those that keep one); answers how many. */
export async function dropUserAgentsBatch(q: Q, limit: number): Promise<number> {
  const result = await q
    .updateTable('comments')
    .set({ user_agent: null })
    .where('id', 'in', (eb) => eb.selectFrom('comments').select('id').where('user_agent', 'is not', null).orderBy('id').limit(limit))
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

// ---- the moderation desk: counts, a commenter's record, comments per day, edits ----

export async function countsByStatus(q: Q): Promise<Record<CommentsTable['status'], number>> {
  const rows = await q.selectFrom('comments').select(['status', (eb) => eb.fn.countAll<number | string>().as('n')]).groupBy('status').execute()
  const counts = { pending: 0, approved: 0, spam: 0, trash: 0 }
  for (const r of rows) counts[r.status] = Number(r.n)
  return counts
}

/** How many comments each of these addresses has in each state. */
export async function countsByEmail(q: Q, emails: readonly string[]) {
  if (emails.length === 0) return []
  return q
    .selectFrom('comments')
    .select(['author_email', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('author_email', 'in', emails)
    .groupBy(['author_email', 'status'])
    .execute()
}

/** Comments made since `since` (an ISO time), by day (UTC, `YYYY-MM-DD`) and state. */
export async function countsByDay(q: Q, since: string) {
  const rows = await q
    .selectFrom('comments')
    .select((eb) => [eb.fn<string>('substr', ['created_at', eb.val(1), eb.val(10)]).as('day'), 'status', eb.fn.countAll<number | string>().as('n')])
    .where('created_at', '>=', since)
    .groupBy(['day', 'status'])
    .execute()
  return rows.map((r) => ({ day: r.day, status: r.status, n: Number(r.n) }))
}

export async function updateContent(q: Q, id: number, markdown: string, html: string): Promise<boolean> {
  const result = await q.updateTable('comments').set({ content_markdown: markdown, content_html: html, content_hash: textHash(markdown) }).where('id', '=', id).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function contentMarkdownOf(q: Q, id: number): Promise<string | undefined> {
  return (await q.selectFrom('comments').select('content_markdown').where('id', '=', id).executeTakeFirst())?.content_markdown
}

// ---- comment pages: top-level threads in order, each with all its replies ----

/** An article's approved top-level comments: along the partial index `comments_threads` (parent_id is null). */
function approvedThreads(q: Q, articleId: number) {
  return q.selectFrom('comments').where('article_id', '=', articleId).where('status', '=', 'approved').where('parent_id', 'is', null)
}

/** How many approved top-level comments (threads) an article has. */
export async function countThreads(q: Q, articleId: number): Promise<number> {
  const row = await approvedThreads(q, articleId).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** How many of an article's approved threads start at or before this top-level comment (its place, from 1). */
export async function threadPlace(q: Q, articleId: number, rootId: number): Promise<number> {
  const row = await approvedThreads(q, articleId).select((eb) => eb.fn.countAll<number | string>().as('n')).where('id', '<=', rootId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The ids of `limit` approved threads from place `offset` on, oldest first (a walk along the thread index). */
export async function threadIds(q: Q, articleId: number, limit: number, offset: number): Promise<number[]> {
  const rows = await approvedThreads(q, articleId).select('id').orderBy('id').limit(limit).offset(offset).execute()
  return rows.map((r) => r.id)
}

const threadColumns = ['id', 'parent_id', 'author_name', 'author_url', 'content_html', 'created_at'] as const

/**
 * These top-level comments and every approved reply under them (through approved parents), oldest
 * first. Each step walks from the replies found so far to theirs along `comments_by_parent`: the
 * CROSS JOIN keeps SQLite from starting at the comments instead (it would read every approved
 * comment of the site), and the columns travel in the walk, so no join back to the table follows.
 */
export function threadsOf(q: Q, rootIds: readonly number[]) {
  if (rootIds.length === 0) return Promise.resolve([])
  return threadsQuery(q, rootIds).execute()
}

/** `threadsOf`'s query, unrun (a benchmark prints its plan). */
export function threadsQuery(q: Q, rootIds: readonly number[]) {
  return q
    .withRecursive('thread(id, parent_id, author_name, author_url, content_html, created_at)', (qb) =>
      qb
        .selectFrom('comments')
        .select(threadColumns)
        .where('id', 'in', rootIds)
        .unionAll((u) =>
          u
            .selectFrom('thread')
            .crossJoin('comments')
            .select(threadColumns.map((c) => `comments.${c}` as const))
            .whereRef('comments.parent_id', '=', 'thread.id')
            .where('comments.status', '=', 'approved'),
        ),
    )
    .selectFrom('thread')
    .select(threadColumns)
    .orderBy('id')
}

/** The top-level comment whose thread holds this one (itself, if it is top-level). */
export async function threadRootOf(q: Q, id: number): Promise<{ id: number; articleId: number } | undefined> {
  let row = await q.selectFrom('comments').select(['id', 'parent_id', 'article_id']).where('id', '=', id).executeTakeFirst()
  // A thread is at most as deep as its replies; the bound only guards against a loop in bad data.
  for (let hops = 0; row?.parent_id && hops < 1000; hops++) {
    row = await q.selectFrom('comments').select(['id', 'parent_id', 'article_id']).where('id', '=', row.parent_id).executeTakeFirst()
  }
  return row && { id: row.id, articleId: row.article_id }
}
