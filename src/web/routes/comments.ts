/**
 * @module Posting comments: the "Leave a Reply" form (works without JavaScript) and the JSON API,
 * and the public list of an article's approved comments.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { approvedThread, postComment, type CommentDeps, type PostedComment } from '../../comments/comments.ts'
import { HONEYPOT_FIELD, NewCommentSchema, type NewCommentFields } from '../../comments/schema.ts'
import { getArticleById } from '../../articles/articles.ts'
import { HttpError } from '../errors.ts'
import { presentPublicComment } from '../presenters/comment.ts'
import { COMMENTER_COOKIE, encodeCommenter } from '../commenter-cookie.ts'

export function registerCommentRoutes(app: FastifyInstance, deps: () => CommentDeps): void {
  app.post('/comments', async (req, reply) => {
    const { posted, fields } = await post(app, deps(), req)
    const article = await getArticleById(app.site.db, posted.articleId)
    const url = article ? await app.site.articleUrl(article) : '/'
    rememberCommenter(req, reply, fields)
    const target = posted.status === 'approved' ? `${url}#comment-${posted.id}` : `${url}?comment=held#respond`
    return reply.code(303).header('cache-control', 'no-store').redirect(target, 303)
  })

  app.post<{ Params: { id: string } }>('/api/v1/articles/:id/comments', async (req, reply) => {
    const body = req.body && typeof req.body === 'object' ? req.body : {}
    const { posted } = await post(app, deps(), req, { ...body, article_id: req.params.id })
    // A spam verdict is never revealed: it reads as awaiting moderation.
    const status = posted.status === 'approved' ? 'approved' : 'pending'
    return reply.code(201).header('cache-control', 'no-store').send({ id: posted.id, status })
  })

  app.get<{ Params: { id: string } }>('/api/v1/articles/:id/comments', async (req, reply) => {
    const id = /^[1-9]\d{0,11}$/.test(req.params.id) ? Number(req.params.id) : undefined
    const article = id === undefined ? undefined : await getArticleById(app.site.db, id)
    if (!article || article.status === 'draft' || !article.publishedAt || article.publishedAt > app.now()) {
      throw new HttpError(404, 'not_found', 'No article has this id.')
    }
    const { settings } = await app.siteContext()
    const { thread, count } = await approvedThread(app.site.db, article.id, settings.commentThreadDepth)
    reply.header('cache-control', 'public, max-age=30')
    return { article_id: article.id, count, comments: thread.map(presentPublicComment) }
  })
}

async function post(
  app: FastifyInstance,
  deps: CommentDeps,
  req: FastifyRequest,
  raw: unknown = req.body,
): Promise<{ posted: PostedComment; fields: NewCommentFields }> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new HttpError(400, 'invalid_input', 'Send the comment as form fields or a JSON object.')
  const fields = raw as Record<string, unknown>
  const parsed = NewCommentSchema.safeParse(singleValues(fields))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new HttpError(400, 'invalid_input', `${String(issue.path[0] ?? 'comment')}: ${issue.message}.`)
  }
  const honeypot = fields[HONEYPOT_FIELD]
  const posted = await postComment(deps, {
    ...parsed.data,
    ip: req.ip,
    userAgent: req.headers['user-agent'],
    honeypotFilled: typeof honeypot === 'string' && honeypot.trim() !== '',
  })
  return { posted, fields: parsed.data }
}

/** Repeated form fields arrive as arrays; the first value counts. */
function singleValues(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) out[k] = Array.isArray(v) ? v[0] : v
  return out
}

/** The consent checkbox alone decides whether the commenter cookie is set (or cleared). */
function rememberCommenter(req: FastifyRequest, reply: FastifyReply, fields: NewCommentFields): void {
  const secure = req.protocol === 'https'
  if (fields.remember) {
    reply.setCookie(COMMENTER_COOKIE, encodeCommenter({ author: fields.author, email: fields.email, url: fields.url ?? '' }), {
      path: '/',
      maxAge: 365 * 86_400,
      httpOnly: true,
      sameSite: 'lax',
      secure,
    })
  } else if (req.cookies[COMMENTER_COOKIE]) {
    reply.clearCookie(COMMENTER_COOKIE, { path: '/' })
  }
}

