/**
 * @module The newsroom's sign-in on the web: the session cookie, who is signed in, the gate on
 * each admin page, and CSRF tokens bound to the session on every form that changes something.
 *
 * The cookie is HttpOnly, SameSite=Lax, limited to /admin, and Secure when the site is served
 * over https. CSRF tokens come from @fastify/csrf-protection: a secret in a cookie of its own,
 * and tokens that carry an HMAC of the session they were made for, so a token from before
 * sign-in, or from another person's session, is refused.
 */
import csrfProtection from '@fastify/csrf-protection'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { can, type Capability } from '../accounts/accounts.ts'
import { Forbidden, Unauthorized } from '../errors.ts'
import type { App } from './server.ts'
import { ADMIN } from './urls.ts'

export const SESSION_COOKIE = 'broadsheet_session'
export const CSRF_COOKIE = 'broadsheet_csrf'
const ANONYMOUS = 'anonymous'

declare module 'fastify' {
  interface FastifyRequest {
    /** The SHA-256 of the admin session cookie, when a live session came with the request. */
    sessionId: string | null
  }
}

/** Whether cookies must be Secure: the public address is https, or the request came over https (behind a trusted proxy). */
function secure(req: FastifyRequest, baseUrl: string): boolean {
  return baseUrl.startsWith('https:') || req.protocol === 'https'
}

/**
 * Registers, in the admin context only: session lookup on every request, no caching, framing or
 * referrers for admin pages, and the CSRF plugin.
 */
export async function adminSessions(app: App): Promise<void> {
  app.decorateRequest('sessionId', null)
  await app.register(csrfProtection, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/admin', httpOnly: true, sameSite: 'lax' },
    getUserInfo: (req: FastifyRequest) => req.sessionId ?? ANONYMOUS,
    // A form's field, the page script's header, or (for file uploads, whose body is read later) the query.
    getToken: (req: FastifyRequest) => (req.body as { _csrf?: string } | undefined)?._csrf || (req.headers['x-csrf-token'] as string | undefined) || (req.query as { _csrf?: string } | undefined)?._csrf,
    csrfOpts: { hmacKey: await app.services.accounts.csrfKey() },
  })
  app.addHook('onRequest', async (req, reply) => {
    reply.header('cache-control', 'no-store')
    reply.header('x-frame-options', 'DENY')
    reply.header('referrer-policy', 'same-origin')
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    const user = await app.services.accounts.userForSession(req.cookies[SESSION_COOKIE])
    if (user) {
      const { sessionId, ...rest } = user
      req.user = rest
      req.sessionId = sessionId
    }
  })
}

/** A form's hidden CSRF field value for this request's session. */
export function csrfToken(req: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: req.sessionId ?? ANONYMOUS } as never)
}

/** Sets the session cookie after sign-in (a new session each time). */
export async function setSessionCookie(app: App, req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): Promise<void> {
  const { baseUrl } = await app.siteContext()
  reply.setCookie(SESSION_COOKIE, token, { path: '/admin', httpOnly: true, sameSite: 'lax', secure: secure(req, baseUrl), expires: expiresAt })
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/admin' })
}

/**
 * The gate on an admin page: strangers are sent to the sign-in page (and back afterwards);
 * a signed-in user without the capability gets 403 with what their role may not do.
 * @example app.get(ADMIN.comments, { preHandler: signedIn('moderate_comments') }, …)
 */
export function signedIn(capability: Capability = 'write_articles'): preHandlerAsyncHookHandler {
  return async (req, reply) => {
    if (!req.user) {
      // The editor's script (autosave, preview, keyboard moderation) is told in JSON, not sent to a page it cannot read.
      if ((req.headers.accept ?? '').includes('application/json')) throw new Unauthorized('Your session has ended: sign in again in another tab, then retry (your text is still in the form).')
      if (req.method === 'GET') return reply.redirect(`${ADMIN.login}?next=${encodeURIComponent(req.url)}`, 303)
      return reply.redirect(ADMIN.login, 303)
    }
    if (!can(req.user.role, capability)) throw new Forbidden(`Your role (${req.user.role}) may not ${what[capability]}.`)
  }
}

const what: Record<Capability, string> = {
  write_articles: 'use the newsroom',
  publish_articles: 'publish articles',
  edit_others_articles: "edit other people's articles",
  moderate_comments: 'moderate comments',
  manage_site: "change the site's settings",
  manage_users: 'manage users',
  handle_privacy_requests: 'handle privacy requests',
}

