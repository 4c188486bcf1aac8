/**
 * @module Posting comments: the "Leave a Reply" form (works without JavaScript) and the JSON API,
 * and the public list of an article's approved comments.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { NewComment } from '../../comments/comments.ts'
import { TRUST_COOKIE } from '../../comments/commenter-trust.ts'
import { CommentApiSchema, CommentFormSchema, HONEYPOT_FIELD, type NewCommentFields } from '../../comments/schema.ts'
import { issueHeldCommentToken } from '../../comments/held-comment-token.ts'
import { COMMENTER_COOKIE, encodeCommenter } from '../commenter-cookie.ts'
import { notFound, toProblem } from '../errors.ts'
import { sendArticlePage } from './reader.ts'
import { presentPublicComment } from '../presenters/comment.ts'
import { IdParams } from '../schemas.ts'
import type { App } from '../server.ts'
import { articleUrl, COMMENT_CONFIRMATION, COMMENT_FORM_TARGET, FRONT_PAGE, heldNotice } from '../urls.ts'
import { commentLocation } from '../comment-location.ts'
import { renderCommentConfirmationPage, renderCommentNotPublishedPage } from '../views/simple-pages.ts'
import { z } from 'zod'

const ArticleParams = IdParams('No article has this id.')
const ConfirmationQuery = z.object({ token: z.string().max(200).catch('') })
const ConfirmationForm = z.object({ token: z.string().max(200).catch(''), remember: z.string().optional().catch(undefined) }).catch({ token: '', remember: undefined })

export function registerCommentRoutes(app: App): void {
  // A form that cannot be posted comes back as the article, with the reader's text and the error beside its field.
  app.post(COMMENT_FORM_TARGET, { schema: { body: CommentFormSchema }, attachValidation: true }, async (req, reply) => {
    if (req.validationError) return sendFormAgain(app, req, reply, req.validationError)
    const { [HONEYPOT_FIELD]: honeypotFilled, ...fields } = req.body
    let posted
    try {
      posted = await app.services.comments.post(commentFrom(req, fields, honeypotFilled))
    } catch (error) {
      return sendFormAgain(app, req, reply, error)
    }
    const article = await app.services.articles.byId(posted.articleId)
    const context = await app.siteContext()
    const url = (article && articleUrl(context.baseUrl, context.settings, article)) ?? FRONT_PAGE
    rememberCommenter(req, reply, fields, posted.trustToken)
    const token = posted.id ? issueHeldCommentToken(await app.services.settings.secret('held-comment'), posted.id, app.now()) : undefined
    const target = posted.status === 'approved' ? await commentLocation(app.services.comments, context.settings, url, posted.id) : heldNotice(url, token)
    return reply.code(303).header('cache-control', 'no-store').redirect(target, 303)
  })

  app.post('/api/v1/articles/:id/comments', { schema: { params: ArticleParams, body: CommentApiSchema } }, async (req, reply) => {
    const { [HONEYPOT_FIELD]: honeypotFilled, ...fields } = req.body
    const posted = await app.services.comments.post(commentFrom(req, { ...fields, article_id: req.params.id }, honeypotFilled))
    // A spam verdict is never revealed: it reads as awaiting moderation.
    const status = posted.status === 'approved' ? 'approved' : 'pending'
    return reply.code(201).header('cache-control', 'no-store').send({ id: posted.id, status })
  })

  // The link e-mailed to a regular whose comment came from a browser without their trust cookie.
  app.get(COMMENT_CONFIRMATION, { schema: { querystring: ConfirmationQuery } }, async (req, reply) => {
    const context = await app.siteContext()
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderCommentConfirmationPage(context, req.query.token))
  })

  app.post(COMMENT_CONFIRMATION, { schema: { body: ConfirmationForm } }, async (req, reply) => {
    const confirmed = await app.services.comments.confirmAddress(req.body.token)
    const context = await app.siteContext()
    reply.header('cache-control', 'no-store')
    if (!confirmed.trustToken) return reply.type('text/html; charset=utf-8').send(renderCommentNotPublishedPage(context))
    const c = confirmed.comment
    rememberCommenter(req, reply, { author: c.authorName, email: c.authorEmail, url: c.authorUrl, remember: req.body.remember === 'yes' }, confirmed.trustToken)
    const article = await app.services.articles.byId(c.articleId)
    const url = (article && articleUrl(context.baseUrl, context.settings, article)) ?? FRONT_PAGE
    return reply.redirect(await commentLocation(app.services.comments, context.settings, url, c.id), 303)
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

/** The fields the form shows again after an error. */
const ECHOED_FIELDS = ['content', 'author', 'email', 'url'] as const
/** The fields' labels in the form, to start their messages with. */
const FIELD_LABELS: Record<(typeof ECHOED_FIELDS)[number], string> = { content: 'Comment', author: 'Name', email: 'Email', url: 'Website' }
/** Which field a refusal is about, by its code, when its message does not start with the field's name. */
const FIELD_OF_CODE: Record<string, (typeof ECHOED_FIELDS)[number]> = { duplicate_comment: 'content' }

/**
 * Re-renders the article with the form as the reader filled it in and the error beside its field,
 * under the status the error has (400 for a field, 429 for too many comments …). Without a
 * published article to show, the error is answered as any other.
 */
async function sendFormAgain(app: App, req: FastifyRequest, reply: FastifyReply, error: unknown): Promise<FastifyReply> {
  const body = (req.body ?? {}) as Record<string, unknown>
  const articleId = Number(first(body.article_id))
  const article = Number.isSafeInteger(articleId) && articleId > 0 ? await app.services.articles.publishedById(articleId) : undefined
  if (!article) throw error
  const problem = toProblem(error)
  if (problem.status >= 500) throw error
  const fieldMatch = /^(\w+): (.*)$/s.exec(problem.message)
  const named = fieldMatch && (ECHOED_FIELDS as readonly string[]).includes(fieldMatch[1]!) ? (fieldMatch[1] as (typeof ECHOED_FIELDS)[number]) : FIELD_OF_CODE[problem.code]
  const message = fieldMatch && named && named === fieldMatch[1] ? `${FIELD_LABELS[named]} ${fieldMatch[2]!.replace(/\.?$/, ".")}` : problem.message
  const values = Object.fromEntries(ECHOED_FIELDS.map((f) => [f, String(first(body[f]) ?? '').slice(0, 10_000)])) as Record<(typeof ECHOED_FIELDS)[number], string>
  if (problem.status === 429) reply.header('retry-after', String(problem.retryAfter ?? 60))
  return sendArticlePage(app, reply.code(problem.status), article, {
    replyTo: Number(first(body.parent_id)) || undefined,
    echo: { values, errors: named ? { [named]: message } : { form: message } },
  })
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value
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
function rememberCommenter(req: FastifyRequest, reply: FastifyReply, fields: Pick<NewCommentFields, 'author' | 'email' | 'url' | 'remember'>, trustToken: string): void {
  const options = { path: '/', maxAge: 365 * 86_400, httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' } as const
  if (fields.remember) {
    reply.setCookie(COMMENTER_COOKIE, encodeCommenter({ author: fields.author, email: fields.email, url: fields.url ?? '' }), options)
    reply.setCookie(TRUST_COOKIE, trustToken, options)
    return
  }
  for (const name of [COMMENTER_COOKIE, TRUST_COOKIE]) if (req.cookies[name]) reply.clearCookie(name, { path: '/' })
}
