/** @module Sign-in, sign-out, the first administrator's set-up and password resets. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { DomainError, RateLimited } from '../../../errors.ts'
import { clearSessionCookie, csrfToken, SESSION_COOKIE, setSessionCookie, signedIn } from '../../admin-session.ts'
import { toProblem } from '../../errors.ts'
import type { App } from '../../server.ts'
import { ADMIN, passwordResetLink, safeNextPath } from '../../urls.ts'
import { renderLoginPage, renderProfilePage, renderResetPage, renderResetRequestPage, renderSetupPage } from '../../views/admin/auth-pages.ts'

const text = (max: number) => z.string().max(max).default('')
const LoginBody = z.object({ email: text(254), password: text(1000), next: text(500), _csrf: text(200) })
const SetupBody = z.object({ token: text(100), name: text(100), email: text(254), password: text(1000), _csrf: text(200) })
const ResetRequestBody = z.object({ email: text(254), _csrf: text(200) })
const PasswordBody = z.object({ password: text(1000), _csrf: text(200) })
const ChangePasswordBody = z.object({ current: text(1000), next: text(1000), _csrf: text(200) })
const TokenQuery = z.object({ token: z.string().max(100).default('') })
const NextQuery = z.object({ next: z.string().max(500).optional(), signed_out: z.string().optional() })
const TokenParams = z.object({ token: z.string().max(100) })

/** A failed form: the status the error calls for, and its message for the page. */
function failure(reply: FastifyReply, error: unknown): string {
  if (!(error instanceof DomainError)) throw error
  const problem = toProblem(error)
  reply.code(problem.status)
  if (error instanceof RateLimited) reply.header('retry-after', String(error.retryAfter))
  return problem.message
}

async function startSession(app: App, req: FastifyRequest, reply: FastifyReply, signed: { sessionToken: string; expiresAt: Date }): Promise<void> {
  // A session that came with the request (someone else's, or planted) ends: sign-in always makes a new one.
  await app.services.accounts.signOut(req.cookies[SESSION_COOKIE])
  await setSessionCookie(app, req, reply, signed.sessionToken, signed.expiresAt)
}

export function registerAdminAuthRoutes(app: App): void {
  const csrf = app.csrfProtection

  app.get(ADMIN.setup, { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const accounts = app.services.accounts
    if (!(await accounts.needsSetup())) return reply.redirect(ADMIN.login, 303)
    const site = await app.siteContext()
    if (!(await accounts.setupTokenIsLive(req.query.token))) {
      reply.code(404)
      return reply.type('text/html; charset=utf-8').send(renderSetupPage(site, '', { csrf: csrfToken(req, reply), error: 'This set-up link has been used or has expired. Restart the server (npm start) to print a new one.' }))
    }
    return reply.type('text/html; charset=utf-8').send(renderSetupPage(site, req.query.token, { csrf: csrfToken(req, reply) }))
  })

  app.post(ADMIN.setup, { preHandler: csrf, schema: { body: SetupBody } }, async (req, reply) => {
    const { token, name, email, password } = req.body
    try {
      const signed = await app.services.accounts.completeSetup(token, { name, email, password })
      await startSession(app, req, reply, signed)
      return reply.redirect(ADMIN.home, 303)
    } catch (error) {
      const message = failure(reply, error)
      return reply.type('text/html; charset=utf-8').send(renderSetupPage(await app.siteContext(), token, { csrf: csrfToken(req, reply), error: message, values: { name, email } }))
    }
  })

  app.get(ADMIN.login, { schema: { querystring: NextQuery } }, async (req, reply) => {
    const next = safeNextPath(req.query.next)
    if (req.user) return reply.redirect(next, 303)
    const page = renderLoginPage(await app.siteContext(), next, {
      csrf: csrfToken(req, reply),
      needsSetup: await app.services.accounts.needsSetup(),
      ...(req.query.signed_out !== undefined && { notice: 'You have signed out.' }),
    })
    return reply.type('text/html; charset=utf-8').send(page)
  })

  app.post(ADMIN.login, { preHandler: csrf, schema: { body: LoginBody } }, async (req, reply) => {
    const { email, password } = req.body
    const next = safeNextPath(req.body.next)
    try {
      const signed = await app.services.accounts.signIn({ email, password, ip: req.ip })
      await startSession(app, req, reply, signed)
      return reply.redirect(next, 303)
    } catch (error) {
      const message = failure(reply, error)
      return reply.type('text/html; charset=utf-8').send(renderLoginPage(await app.siteContext(), next, { csrf: csrfToken(req, reply), error: message, values: { email } }))
    }
  })

  app.post(ADMIN.logout, { preHandler: csrf }, async (req, reply) => {
    await app.services.accounts.signOut(req.cookies[SESSION_COOKIE])
    clearSessionCookie(reply)
    return reply.redirect(`${ADMIN.login}?signed_out`, 303)
  })

  app.post(ADMIN.logoutEverywhere, { preHandler: [signedIn(), csrf] }, async (req, reply) => {
    await app.services.accounts.signOutEverywhere(req.user!.id)
    clearSessionCookie(reply)
    return reply.redirect(`${ADMIN.login}?signed_out`, 303)
  })

  app.get(ADMIN.passwordReset, async (req, reply) => {
    const page = renderResetRequestPage(await app.siteContext(), { csrf: csrfToken(req, reply), mailEnabled: app.mailEnabled })
    return reply.type('text/html; charset=utf-8').send(page)
  })

  app.post(ADMIN.passwordReset, { preHandler: csrf, schema: { body: ResetRequestBody } }, async (req, reply) => {
    const site = await app.siteContext()
    try {
      await app.services.accounts.requestPasswordReset({ email: req.body.email, ip: req.ip, resetUrl: (token) => passwordResetLink(site.baseUrl, token) })
      return reply.type('text/html; charset=utf-8').send(renderResetRequestPage(site, { csrf: csrfToken(req, reply), sent: true, mailEnabled: app.mailEnabled }))
    } catch (error) {
      const message = failure(reply, error)
      return reply.type('text/html; charset=utf-8').send(renderResetRequestPage(site, { csrf: csrfToken(req, reply), error: message, mailEnabled: app.mailEnabled }))
    }
  })

  app.get(`${ADMIN.passwordReset}/:token`, { schema: { params: TokenParams } }, async (req, reply) => {
    const site = await app.siteContext()
    const live = await app.services.accounts.resetTokenIsLive(req.params.token)
    if (!live) reply.code(404)
    const page = live
      ? renderResetPage(site, req.params.token, { csrf: csrfToken(req, reply) })
      : renderResetRequestPage(site, { csrf: csrfToken(req, reply), error: 'This reset link has been used or has expired. Ask for a new one below.', mailEnabled: app.mailEnabled })
    return reply.type('text/html; charset=utf-8').send(page)
  })

  app.post(`${ADMIN.passwordReset}/:token`, { preHandler: csrf, schema: { params: TokenParams, body: PasswordBody } }, async (req, reply) => {
    try {
      const signed = await app.services.accounts.resetPassword(req.params.token, req.body.password)
      await startSession(app, req, reply, signed)
      return reply.redirect(ADMIN.home, 303)
    } catch (error) {
      const message = failure(reply, error)
      return reply.type('text/html; charset=utf-8').send(renderResetPage(await app.siteContext(), req.params.token, { csrf: csrfToken(req, reply), error: message }))
    }
  })

  app.get(ADMIN.profile, { preHandler: signedIn(), schema: { querystring: z.object({ password_changed: z.string().optional() }) } }, async (req, reply) => {
    const notice = req.query.password_changed !== undefined ? 'Password changed. Your other sessions have been signed out.' : undefined
    return reply.type('text/html; charset=utf-8').send(renderProfilePage(await app.siteContext(), req.user!, { csrf: csrfToken(req, reply), ...(notice && { notice }) }))
  })

  app.post(`${ADMIN.profile}/password`, { preHandler: [signedIn(), csrf], schema: { body: ChangePasswordBody } }, async (req, reply) => {
    try {
      const signed = await app.services.accounts.changePassword(req.user!.id, req.body.current, req.body.next)
      await setSessionCookie(app, req, reply, signed.sessionToken, signed.expiresAt)
      return reply.redirect(`${ADMIN.profile}?password_changed`, 303)
    } catch (error) {
      const message = failure(reply, error)
      return reply.type('text/html; charset=utf-8').send(renderProfilePage(await app.siteContext(), req.user!, { csrf: csrfToken(req, reply), error: message }))
    }
  })
}
