/** @module The comments service: what readers see under a story. */
import type { DB } from '../storage/database.ts'
import * as store from './comment-store.ts'

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

/** Approved comments a story has, by article id. */
export function approvedCommentCounts(db: DB, articleIds: readonly number[]): Promise<Map<number, number>> {
  return store.approvedCounts(db, articleIds)
}

/**
 * The story's approved comments as a thread, oldest first. A reply whose parent is not shown
 * (held, spam, deeper than allowed) is shown at the deepest level it may take.
 */
export async function approvedThread(db: DB, articleId: number, maxDepth: number): Promise<{ thread: PublicComment[]; count: number }> {
  const rows = await store.approvedForArticle(db, articleId)
  const byId = new Map<number, PublicComment & { depth: number }>()
  const thread: PublicComment[] = []
  for (const r of rows) {
    const parent = r.parent_id === null ? undefined : byId.get(r.parent_id)
    const depth = parent ? Math.min(parent.depth + 1, maxDepth) : 1
    const node = {
      id: r.id,
      parentId: r.parent_id,
      authorName: r.author_name,
      authorUrl: r.author_url,
      contentHtml: r.content_html,
      createdAt: new Date(r.created_at),
      replies: [],
      depth,
    }
    byId.set(r.id, node)
    if (!parent) thread.push(node)
    else if (parent.depth < maxDepth) parent.replies.push(node)
    else findSiblingList(byId, parent, thread).push(node)
  }
  return { thread, count: rows.length }
}

function findSiblingList(
  byId: Map<number, PublicComment & { depth: number }>,
  node: PublicComment,
  thread: PublicComment[],
): PublicComment[] {
  const parent = node.parentId === null ? undefined : byId.get(node.parentId)
  return parent ? parent.replies : thread
}
