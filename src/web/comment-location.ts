/** @module Where a comment is read: on its article's page, or, with comments in pages, on the comment page that holds its thread. */
import type { CommentsService } from '../comments/comments.ts'
import type { SiteSettings } from '../settings/settings.ts'
import { commentAnchor, commentPageUrl, defaultCommentPage } from './urls.ts'

/**
 * A comment's permalink (`…#comment-ID`), on the page that shows it.
 * @example await commentLocation(app.services.comments, settings, 'https://news.example.org/2026/11/20/flood/', 812)
 * // 'https://news.example.org/2026/11/20/flood/comment-page-3/#comment-812' (50 threads a page, oldest first)
 */
export async function commentLocation(comments: Pick<CommentsService, 'pageOfComment'>, settings: SiteSettings, articleUrl: string, commentId: number): Promise<string> {
  if (!settings.pageComments) return commentAnchor(articleUrl, commentId)
  const found = await comments.pageOfComment(commentId, settings.commentsPerPage)
  if (!found) return commentAnchor(articleUrl, commentId)
  return commentAnchor(commentPageUrl(articleUrl, found.page, defaultCommentPage(settings, found.pages)), commentId)
}
