/** @module The moderation API: the queue, one decision, many at once. Bearer tokens only. */
import { z } from 'zod'
import { requireCapability } from '../auth.ts'
import { presentModeratedComment } from '../presenters/comment.ts'
import { idParam, IdParams, PageQuery } from '../schemas.ts'
import type { App } from '../server.ts'

const StatusSchema = z.enum(['pending', 'approved', 'spam', 'trash'], { error: 'must be pending, approved, spam or trash' })
const QueueQuery = PageQuery.extend({
  /** Only comments in this state. */
  status: StatusSchema.optional(),
  /** Only comments on this article. */
  article: idParam('must be an article id').optional(),
})
const CommentParams = IdParams('There is no such comment.')
const ModerateBody = z.object({ status: StatusSchema }, { error: 'Send a JSON object with the new status' })
const BulkBody = z.object(
  {
    /** The comments to change; all of them change, or none. */
    ids: z.array(z.number().int().positive(), { error: 'must be a list of comment ids' }).min(1).max(500),
    status: StatusSchema,
  },
  { error: 'Send a JSON object with ids and status' },
)
const PER_PAGE = 50
const moderators = requireCapability('moderate_comments')

export function registerAdminCommentRoutes(app: App): void {
  app.get('/api/v1/admin/comments', { onRequest: moderators, schema: { querystring: QueueQuery } }, async (req, reply) => {
    const { status, article, page } = req.query
    const queue = await app.services.comments.queue({ ...(status && { status }), ...(article && { articleId: article }) }, page, PER_PAGE)
    reply.header('cache-control', 'no-store')
    return { comments: queue.comments.map(presentModeratedComment), page: queue.page, pages: queue.pages, total: queue.total }
  })

  app.get('/api/v1/admin/comments/:id/history', { onRequest: moderators, schema: { params: CommentParams } }, async (req, reply) => {
    reply.header('cache-control', 'no-store')
    return { history: await app.services.comments.history(req.params.id) }
  })

  app.patch('/api/v1/admin/comments/:id', { onRequest: moderators, schema: { params: CommentParams, body: ModerateBody } }, async (req, reply) => {
    const comment = await app.services.comments.moderate(`user:${req.user!.id}`, req.params.id, req.body.status)
    reply.header('cache-control', 'no-store')
    return presentModeratedComment(comment)
  })

  app.post('/api/v1/admin/comments/bulk', { onRequest: moderators, schema: { body: BulkBody } }, async (req, reply) => {
    const updated = await app.services.comments.moderateMany(`user:${req.user!.id}`, req.body.ids, req.body.status)
    reply.header('cache-control', 'no-store')
    return { updated: updated.map(presentModeratedComment) }
  })
}
