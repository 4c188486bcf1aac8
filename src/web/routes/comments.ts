/**
 * @module Posting comments: the "Leave a Reply" form (works without JavaScript) and the JSON API,
 * and the public list of an article's approved comments.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { NewComment } from '../../comments/comments.ts'
import { TRUST_COOKIE } from '../../comments/commenter-trust.ts'
import { CommentApiSchema, CommentFormSchema, HONEYPOT_FIELD, type NewCommentFields } from '../../comments/schema.ts'
import { COMMENTER_COOKIE, encodeCommenter } from '../commenter-cookie.ts'
import { notFound } from '../errors.ts'
import { presentPublicComment } from '../presenters/comment.ts'
import { IdParams } from '../schemas.ts'
import type { App } from '../server.ts'
import { articleUrl, COMMENT_FORM_TARGET, commentAnchor, FRONT_PAGE, heldNotice } from '../urls.ts'

const ArticleParams = IdParams('No article has this id.')

export function registerCommentRoutes(app: App): void {
  app.post(COMMENT_FORM_TARGET, { schema: { body: CommentFormSchema } }, async (req, reply) => {
    const { [HONEYPOT_FIELD]: honeypotFilled, ...fields } = req.body
    const posted = await app.services.comments.post(commentFrom(req, fields, honeypotFilled))
    const article = await app.services.articles.byId(posted.articleId)
    const context = await app.siteContext()
    const url = (article && articleUrl(context.baseUrl, context.settings, article)) ?? FRONT_PAGE
    rememberCommenter(req, reply, fields, posted.trustToken)
    const target = posted.status === 'approved' ? commentAnchor(url, posted.id) : heldNotice(url)
    return reply.code(303).header('cache-control', 'no-store').redirect(target, 303)
  })

  app.post('/api/v1/articles/:id/comments', { schema: { params: ArticleParams, body: CommentApiSchema } }, async (req, reply) => {
    const { [HONEYPOT_FIELD]: honeypotFilled, ...fields } = req.body
    const posted = await app.services.comments.post(commentFrom(req, { ...fields, article_id: req.params.id }, honeypotFilled))
    // A spam verdict is never revealed: it reads as awaiting moderation.
    const status = posted.status === 'approved' ? 'approved' : 'pending'
    return reply.code(201).header('cache-control', 'no-store').send({ id: posted.id, status })
  })

  app.get('/api/v1/articles/:id/comments', { schema: { params: ArticleParams } }, async (req, reply) => {
    const article = await app.services.articles.publishedById(req.params.id)
    if (!article) throw notFound('No article has this id.')
    const { settings } = await app.siteContext()
    const { thread, count } = await app.services.comments.approvedThread(article.id, settings.commentThreadDepth)
    reply.header('cache-control', 'public, max-age=30')
    return { article_id: article.id, count, comments: thread.map(presentPublicComment) }
  })
}

function commentFrom(req: FastifyRequest, fields: NewCommentFields, honeypotFilled: boolean): NewComment {
  return { ...fields, ip: req.ip, userAgent: req.headers['user-agent'], honeypotFilled, trustToken: req.cookies[TRUST_COOKIE] }
}

/**
 * The consent checkbox alone decides whether the commenter cookies are set (or cleared): the
 * name, e-mail and website for the form, and the proof that this browser wrote this comment,
 * which makes its author a returning commenter once the comment is approved (as WordPress's
 * "approved before" does with its cookie, but signed, so that an address alone proves nothing).
 */
function rememberCommenter(req: FastifyRequest, reply: FastifyReply, fields: NewCommentFields, trustToken: string): void {
  const options = { path: '/', maxAge: 365 * 86_400, httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' } as const
  if (fields.remember) {
    reply.setCookie(COMMENTER_COOKIE, encodeCommenter({ author: fields.author, email: fields.email, url: fields.url ?? '' }), options)
    reply.setCookie(TRUST_COOKIE, trustToken, options)
    return
  }
  for (const name of [COMMENTER_COOKIE, TRUST_COOKIE]) if (req.cookies[name]) reply.clearCookie(name, { path: '/' })
}
