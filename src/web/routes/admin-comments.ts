/** @module The moderation API: the queue, one decision, many at once. Bearer tokens only. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { can, type Capability } from '../../accounts/policies.ts'
import { userForToken, type User } from '../../accounts/users.ts'
import { listForModeration, moderateComment, moderationHistory, type CommentDeps } from '../../comments/comments.ts'
import { HttpError } from '../errors.ts'
import { presentModeratedComment } from '../presenters/comment.ts'

const StatusSchema = z.enum(['pending', 'approved', 'spam', 'trash'], { error: 'must be pending, approved, spam or trash' })
const QueueQuery = z.object({
  status: StatusSchema.optional(),
  article: z.string().regex(/^[1-9]\d{0,11}$/, 'must be an article id').transform(Number).optional(),
  page: z.string().regex(/^[1-9]\d{0,6}$/, 'must be a positive whole number').transform(Number).default(1),
})
const PatchBody = z.object({ status: StatusSchema })
const BulkBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(500), status: StatusSchema })
const PER_PAGE = 50

/** The user behind the request's bearer token, who must hold the capability. */
export async function authorise(app: FastifyInstance, req: FastifyRequest, capability: Capability): Promise<User> {
  const header = req.headers.authorization ?? ''
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
  const user = token ? await userForToken(app.site.db, token) : undefined
  if (!user) throw new HttpError(401, 'unauthorized', 'Send a valid API token: Authorization: Bearer <token> (make one with broadsheet token create --email E).')
  if (!can(user.role, capability)) throw new HttpError(403, 'forbidden', `Your role (${user.role}) may not do this.`)
  return user
}

export function registerAdminCommentRoutes(app: FastifyInstance, deps: () => CommentDeps): void {
  app.get('/api/v1/admin/comments', async (req, reply) => {
    await authorise(app, req, 'moderate_comments')
    const q = parse(QueueQuery, req.query)
    const result = await listForModeration(app.site.db, { ...(q.status && { status: q.status }), ...(q.article && { articleId: q.article }) }, q.page, PER_PAGE)
    reply.header('cache-control', 'no-store')
    return { comments: result.comments.map(presentModeratedComment), page: result.page, pages: result.pages, total: result.total }
  })

  app.get<{ Params: { id: string } }>('/api/v1/admin/comments/:id/history', async (req, reply) => {
    await authorise(app, req, 'moderate_comments')
    const id = commentId(req.params.id)
    reply.header('cache-control', 'no-store')
    return { history: await moderationHistory(app.site.db, id) }
  })

  app.patch<{ Params: { id: string } }>('/api/v1/admin/comments/:id', async (req, reply) => {
    const user = await authorise(app, req, 'moderate_comments')
    const { status } = parse(PatchBody, req.body)
    const comment = await moderateComment(deps(), `user:${user.id}`, commentId(req.params.id), status)
    reply.header('cache-control', 'no-store')
    return presentModeratedComment(comment)
  })

  app.post('/api/v1/admin/comments/bulk', async (req, reply) => {
    const user = await authorise(app, req, 'moderate_comments')
    const { ids, status } = parse(BulkBody, req.body)
    const updated = []
    for (const id of [...new Set(ids)]) updated.push(presentModeratedComment(await moderateComment(deps(), `user:${user.id}`, id, status)))
    reply.header('cache-control', 'no-store')
    return { updated }
  })
}

function commentId(raw: string): number {
  if (!/^[1-9]\d{0,11}$/.test(raw)) throw new HttpError(404, 'not_found', 'There is no such comment.')
  return Number(raw)
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new HttpError(400, 'invalid_input', `${issue.path.join('.') || 'body'}: ${issue.message}.`)
  }
  return parsed.data
}
