/** @module The privacy page, personal-data requests confirmed by e-mail, and their admin API. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { hit } from '../../comments/rate-limit.ts'
import { privacyFacts } from '../../privacy/privacy-facts.ts'
import { completeRequest, erasePersonalData, exportPersonalData, findRequest, requestPersonalData } from '../../privacy/personal-data.ts'
import { HttpError } from '../errors.ts'
import { renderPrivacyMessage, renderPrivacyPage } from '../views/privacy-page.ts'
import { authorise } from './admin-comments.ts'

const RequestForm = z.object({ email: z.string().max(254), kind: z.enum(['export', 'erase']) })
const AdminRequest = z.object({ email: z.email() })
/** Confirmation e-mails one address may trigger an hour. */
const REQUESTS_PER_HOUR = 5

export function registerPrivacyRoutes(app: FastifyInstance): void {
  app.get('/privacy/', async (_req, reply) => {
    const context = await app.siteContext()
    return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(renderPrivacyPage(context, privacyFacts(context.settings, app.site.mailer.enabled)))
  })

  app.post('/privacy/requests', async (req, reply) => {
    const parsed = RequestForm.safeParse(req.body ?? {})
    if (!parsed.success) throw new HttpError(400, 'invalid_input', 'Give your e-mail address and choose a copy or erasure.')
    const limit = await hit(app.site.db, `privacy:${req.ip}`, REQUESTS_PER_HOUR, 3600, app.now())
    if (!limit.allowed) {
      throw new HttpError(429, 'rate_limited', `Too many requests from your address; try again in ${Math.ceil(limit.retryAfter / 60)} minutes.`, limit.retryAfter)
    }
    const context = await app.siteContext()
    await requestPersonalData(app.site.db, app.site.mailer, {
      ...parsed.data,
      confirmUrl: (token) => `${context.baseUrl}/privacy/confirm?token=${token}`,
      siteTitle: context.settings.title,
      now: app.now(),
    })
    return page(reply, renderPrivacyMessage(context, 'Check your inbox', `If ${parsed.data.email} is your address, a confirmation link is on its way to it. It works once, for 24 hours.`))
  })

  // Opening the link only shows a button: mail scanners that follow links must not erase anything.
  app.get<{ Querystring: { token?: string } }>('/privacy/confirm', async (req, reply) => {
    const context = await app.siteContext()
    const request = await findRequest(app.site.db, String(req.query.token ?? ''), app.now())
    const title = request.kind === 'export' ? 'Download your data' : 'Erase your data'
    const message = request.kind === 'export' ? `A copy of everything stored about ${request.email} as a commenter, as a JSON file.` : `This removes your personal data from every comment made with ${request.email}. It cannot be undone.`
    return page(reply, renderPrivacyMessage(context, title, message, { token: String(req.query.token), kind: request.kind }))
  })

  app.post('/privacy/confirm', async (req, reply) => {
    const token = String((req.body as Record<string, unknown> | undefined)?.token ?? '')
    const now = app.now()
    const request = await findRequest(app.site.db, token, now)
    const context = await app.siteContext()
    if (request.kind === 'export') {
      const data = await exportPersonalData(app.site.db, request.email, now)
      await completeRequest(app.site.db, request.id, now)
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="my-comment-data.json"')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(data, null, 2))
    }
    const count = await erasePersonalData(app.site.db, app.site.spamFilter, context.settings, request.email)
    await completeRequest(app.site.db, request.id, now)
    return page(reply, renderPrivacyMessage(context, 'Your data has been erased', `${count} comment${count === 1 ? '' : 's'} no longer carry your personal data.`))
  })

  app.post('/api/v1/admin/privacy/export', async (req, reply) => {
    await authorise(app, req, 'handle_privacy_requests')
    const { email } = adminBody(req.body)
    reply.header('cache-control', 'no-store')
    return exportPersonalData(app.site.db, email, app.now())
  })

  app.post('/api/v1/admin/privacy/erase', async (req, reply) => {
    await authorise(app, req, 'handle_privacy_requests')
    const { email } = adminBody(req.body)
    const { settings } = await app.siteContext()
    reply.header('cache-control', 'no-store')
    return { email, comments: await erasePersonalData(app.site.db, app.site.spamFilter, settings, email), erasure: settings.erasure }
  })
}

function adminBody(body: unknown) {
  const parsed = AdminRequest.safeParse(body ?? {})
  if (!parsed.success) throw new HttpError(400, 'invalid_input', 'email: is not a valid e-mail address.')
  return parsed.data
}

function page(reply: FastifyReply, html: string) {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
}
