/**
 * @module `broadsheet import disqus`: comments from a Disqus export, matched to articles by their
 * thread's URL, threaded, and put in the moderation queue with the spam filter's reasons.
 * Two passes over the stream: the first checks the file and asks the spam filter about each
 * comment (the filter reads the database, so it cannot run inside the write); the second writes
 * everything in one transaction. A malformed file changes nothing; a re-run adds nothing.
 */
import { createHash } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { ArticlesService } from '../articles/articles.ts'
import { datePartsAgree, permalinkMatcher } from '../articles/permalinks.ts'
import { setImportedParent, writeImportedComment } from '../comments/imported-comments.ts'
import { Invalid } from '../errors.ts'
import { thresholdsOf } from '../settings/spam-thresholds.ts'
import { SITE_SCOPE } from '../spam-filter/spam-filter.ts'
import type { CommentsTable, Database } from '../storage/schema.ts'
import { htmlToText } from '../text/plain-text.ts'
import * as map from './import-map-store.ts'
import type { WordpressDeps } from './wordpress.ts'
import { childRaw, childText, readXmlRecords, type XmlNode } from './xml-stream.ts'

type Trx = Transaction<Database>

const DISQUS_NAMESPACES: Record<string, string> = { 'http://disqus.com': '', 'http://disqus.com/disqus-internals': 'dsq' }

export interface DisqusSummary {
  readonly dryRun: boolean
  readonly threads: number
  /** Threads whose URL leads to no article here. */
  readonly unmatchedThreads: number
  readonly comments: { created: number; updated: number; unchanged: number }
  readonly byStatus: Readonly<Record<CommentsTable['status'], number>>
  readonly skipped: ReadonlyMap<string, number>
}

interface DisqusPost {
  readonly id: string
  readonly threadId: string
  readonly parentId: string
  readonly message: string
  readonly createdAt: Date | undefined
  readonly deleted: boolean
  readonly spam: boolean
  readonly name: string
  readonly email: string
  readonly ip: string
}

class DryRunRollback extends Error {}

/**
 * @example const summary = await importDisqus(deps, articles, 'disqus.xml')
 */
export async function importDisqus(deps: WordpressDeps, articles: Pick<ArticlesService, 'publishedBySlug' | 'publishedPage' | 'redirectFor'>, file: string, options: { dryRun?: boolean } = {}): Promise<DisqusSummary> {
  const settings = await deps.settings.read()
  const thresholds = thresholdsOf(settings)
  const matcher = permalinkMatcher(settings.permalinkStructure)
  const skipped = new Map<string, number>()
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1)

  // Pass 1: threads → articles, and the filter's verdict on each comment (kept small: status and reasons).
  const threadArticle = new Map<string, number | null>()
  const verdicts = new Map<string, { status: CommentsTable['status']; reasons: string[]; score: number }>()
  let sawDisqus = false
  for await (const { node, path } of records(file)) {
    sawDisqus ||= path[0] === 'disqus'
    if (node.name === 'thread') {
      const id = node.attrs['dsq:id'] ?? ''
      threadArticle.set(id, await articleAt(childText(node, 'link')))
    } else if (node.name === 'post') {
      const post = postOf(node)
      if (post.deleted) verdicts.set(post.id, { status: 'trash', reasons: ['deleted on Disqus'], score: 0 })
      else if (post.spam) verdicts.set(post.id, { status: 'spam', reasons: ['marked as spam on Disqus'], score: 1 })
      else {
        const verdict = await deps.filter.check(SITE_SCOPE, { comment_content: htmlToText(post.message), comment_author: post.name, comment_author_email: post.email, user_ip: post.ip }, {}, thresholds)
        const status = verdict.verdict === 'spam' || verdict.verdict === 'discard' ? 'spam' : 'pending'
        verdicts.set(post.id, { status, reasons: ['imported from Disqus', ...verdict.reasons], score: verdict.score })
      }
    }
  }
  if (!sawDisqus) throw new Invalid(`${file}: not a Disqus export (no <disqus> root element)`, 'not_disqus')

  // Pass 2: the writes, in one transaction.
  const counts = { created: 0, updated: 0, unchanged: 0 }
  const byStatus: Record<CommentsTable['status'], number> = { pending: 0, approved: 0, spam: 0, trash: 0 }
  const localIds = new Map<string, number>()
  const orphans: { id: number; parentId: string }[] = []
  try {
    await deps.db.transaction().execute(async (trx) => {
      for await (const { node } of records(file)) {
        if (node.name !== 'post') continue
        const post = postOf(node)
        const articleId = threadArticle.get(post.threadId)
        if (articleId === undefined) {
          skip('comments on threads the file does not describe')
          continue
        }
        if (articleId === null) {
          skip('comments on pages that match no article here (by URL)')
          continue
        }
        const verdict = verdicts.get(post.id)!
        const id = await writePost(trx, post, articleId, verdict, localIds, counts, deps.now())
        byStatus[verdict.status]++
        localIds.set(post.id, id)
        if (post.parentId && !localIds.has(post.parentId)) orphans.push({ id, parentId: post.parentId })
        else if (post.parentId) await setImportedParent(trx, id, localIds.get(post.parentId)!)
      }
      for (const o of orphans) {
        const parent = localIds.get(o.parentId)
        if (parent === undefined) skip('replies to comments not in the file (kept as top-level comments)')
        else await setImportedParent(trx, o.id, parent)
      }
      if (options.dryRun) throw new DryRunRollback()
    })
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error
  }
  return {
    dryRun: options.dryRun ?? false,
    threads: threadArticle.size,
    unmatchedThreads: [...threadArticle.values()].filter((v) => v === null).length,
    comments: counts,
    byStatus,
    skipped,
  }

  async function articleAt(link: string): Promise<number | null> {
    let path: string
    try {
      path = new URL(link).pathname
    } catch {
      return null
    }
    const match = matcher(path)
    if (match?.slug !== undefined) {
      const found = await articles.publishedBySlug(match.slug)
      const article = found && ('article' in found ? found.article : found.movedTo)
      if (article && datePartsAgree(match, article.publishedAt)) return article.id
    }
    const page = /^\/([^/]+)\/?$/.exec(path)
    if (page) {
      const found = await articles.publishedPage(decodeURIComponent(page[1]!))
      if (found) return found.id
    }
    const old = (await articles.redirectFor(path)) ?? (await articles.redirectFor(path.endsWith('/') ? path : `${path}/`))
    return old && 'article' in old ? old.article.id : null
  }
}

async function writePost(
  q: Trx,
  post: DisqusPost,
  articleId: number,
  verdict: { status: CommentsTable['status']; reasons: string[]; score: number },
  localIds: Map<string, number>,
  counts: { created: number; updated: number; unchanged: number },
  now: Date,
): Promise<number> {
  const fingerprint = createHash('sha256').update(JSON.stringify({ post, articleId })).digest('base64url').slice(0, 22)
  const mapped = await map.findMapped(q, 'disqus-comment', post.id)
  if (mapped?.local_id != null && mapped.fingerprint === fingerprint) {
    counts.unchanged++
    return mapped.local_id
  }
  const id = await writeImportedComment(
    q,
    {
      articleId,
      parentId: post.parentId ? (localIds.get(post.parentId) ?? null) : null,
      authorName: post.name,
      authorEmail: post.email,
      authorUrl: '',
      ip: post.ip || null,
      userAgent: null,
      source: post.message,
      html: post.message,
      status: verdict.status,
      reasons: verdict.reasons,
      spamScore: verdict.score,
      createdAt: post.createdAt ?? now,
    },
    mapped?.local_id ?? undefined,
  )
  await map.saveMapped(q, 'disqus-comment', post.id, { local_id: id, fingerprint, data: '{}' })
  if (mapped) counts.updated++
  else counts.created++
  return id
}

function records(file: string) {
  return readXmlRecords(file, {
    prefixFor: (uri) => DISQUS_NAMESPACES[uri],
    isRecord: (path) => path.length === 2 && path[0] === 'disqus' && (path[1] === 'thread' || path[1] === 'post'),
  })
}

function postOf(node: XmlNode): DisqusPost {
  const author = node.children.find((c) => c.name === 'author')
  const created = new Date(childText(node, 'createdAt'))
  return {
    id: node.attrs['dsq:id'] ?? childText(node, 'id'),
    threadId: node.children.find((c) => c.name === 'thread')?.attrs['dsq:id'] ?? '',
    parentId: node.children.find((c) => c.name === 'parent')?.attrs['dsq:id'] ?? '',
    message: childRaw(node, 'message').trim(),
    createdAt: Number.isNaN(created.getTime()) ? undefined : created,
    deleted: childText(node, 'isDeleted') === 'true',
    spam: childText(node, 'isSpam') === 'true',
    name: author ? childText(author, 'name') || childText(author, 'username') : '',
    email: author ? childText(author, 'email') : '',
    ip: childText(node, 'ipAddress'),
  }
}
