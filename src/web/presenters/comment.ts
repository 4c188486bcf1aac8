/** @module What the public API says about a comment: never the e-mail address, IP or verdict. */
import type { ModeratedComment, PublicComment } from '../../comments/comments.ts'

export interface PublicCommentJson {
  id: number
  parent_id: number | null
  author: string
  author_url: string | null
  content_html: string
  created_at: string
  replies: PublicCommentJson[]
}

export function presentPublicComment(c: PublicComment): PublicCommentJson {
  return {
    id: c.id,
    parent_id: c.parentId,
    author: c.authorName,
    author_url: c.authorUrl || null,
    content_html: c.contentHtml,
    created_at: c.createdAt.toISOString(),
    replies: c.replies.map(presentPublicComment),
  }
}

/** For moderators: everything they need to decide, including why the rules decided as they did. */
export function presentModeratedComment(c: ModeratedComment) {
  return {
    id: c.id,
    article_id: c.articleId,
    parent_id: c.parentId,
    author: c.authorName,
    author_email: c.authorEmail,
    author_url: c.authorUrl || null,
    author_ip: c.authorIp,
    content_html: c.contentHtml,
    status: c.status,
    reasons: c.reasons,
    spam_score: c.spamScore,
    created_at: c.createdAt.toISOString(),
  }
}
