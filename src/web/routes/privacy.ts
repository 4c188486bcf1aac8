/** @module The privacy page, personal-data requests confirmed by e-mail, and their admin API. */
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { emailAddressSchema } from '../../text/email-address.ts'
import { requireCapability } from '../auth.ts'
import type { App } from '../server.ts'
import { PRIVACY_CONFIRM, privacyConfirmLink, PRIVACY_PAGE, PRIVACY_REQUESTS } from '../urls.ts'
import { renderPrivacyMessage, renderPrivacyPage } from '../views/privacy-page.ts'

const REQUEST_FORM_PROBLEM = 'Give your e-mail address and choose a copy or erasure'
const RequestForm = z.object(
  { email: z.string({ error: REQUEST_FORM_PROBLEM }).max(254, REQUEST_FORM_PROBLEM), kind: z.enum(['export', 'erase'], { error: REQUEST_FORM_PROBLEM }) },
  { error: REQUEST_FORM_PROBLEM },
)
const TokenQuery = z.object({ token: z.string().optional().catch(undefined) })
const TokenForm = z.object({ token: z.string().optional().catch(undefined) }).catch({ token: undefined })
const AdminRequest = z.object({ email: emailAddressSchema() }, { error: 'Send a JSON object with the email' })
const privacyOfficers = requireCapability('handle_privacy_requests')

export function registerPrivacyRoutes(app: App): void {
  app.get(PRIVACY_PAGE, async (_req, reply) => {
    const context = await app.siteContext()
    const facts = await app.services.privacy.facts()
    return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(renderPrivacyPage(context, facts))
  })

  app.post(PRIVACY_REQUESTS, { schema: { body: RequestForm } }, async (req, reply) => {
    const context = await app.siteContext()
    await app.services.privacy.request({ ...req.body, requester: req.ip, confirmUrl: (token) => privacyConfirmLink(context.baseUrl, token) })
    return page(reply, renderPrivacyMessage(context, 'Check your inbox', `If ${req.body.email} is your address, a confirmation link is on its way to it. It works once, for 24 hours.`))
  })

  // Opening the link only shows a button: mail scanners that follow links must not erase anything.
  app.get(PRIVACY_CONFIRM, { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const token = req.query.token ?? ''
    const request = await app.services.privacy.pending(token)
    const context = await app.siteContext()
    const title = request.kind === 'export' ? 'Download your data' : 'Erase your data'
    const message =
      request.kind === 'export'
        ? `A copy of everything stored about ${request.email} as a commenter, as a JSON file.`
        : `This removes your personal data from every comment made with ${request.email}. It cannot be undone.`
    return page(reply, renderPrivacyMessage(context, title, message, { token, kind: request.kind }))
  })

  app.post(PRIVACY_CONFIRM, { schema: { body: TokenForm } }, async (req, reply) => {
    const done = await app.services.privacy.confirm(req.body.token ?? '')
    if (done.kind === 'export') {
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="my-comment-data.json"')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(done.data, null, 2))
    }
    const context = await app.siteContext()
    const n = done.comments
    return page(reply, renderPrivacyMessage(context, 'Your data has been erased', `${n} comment${n === 1 ? '' : 's'} no longer carry your personal data.`))
  })

  app.post('/api/v1/admin/privacy/export', { onRequest: privacyOfficers, schema: { body: AdminRequest } }, async (req, reply) => {
    reply.header('cache-control', 'no-store')
    return app.services.privacy.exportFor(req.body.email)
  })

  app.post('/api/v1/admin/privacy/erase', { onRequest: privacyOfficers, schema: { body: AdminRequest } }, async (req, reply) => {
    const comments = await app.services.privacy.eraseFor(req.body.email)
    const { settings } = await app.siteContext()
    reply.header('cache-control', 'no-store')
    return { email: req.body.email, comments, erasure: settings.erasure }
  })
}

function page(reply: FastifyReply, html: string) {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
}
