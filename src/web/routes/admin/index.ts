/**
 * @module The newsroom at /admin/: its own context (session lookup, CSRF, no caching, its own
 * error pages), its assets, and the addresses WordPress users try first.
 */
import { adminSessions, csrfToken } from '../../admin-session.ts'
import { toProblem } from '../../errors.ts'
import { html } from '../../html.ts'
import type { App } from '../../server.ts'
import { ADMIN } from '../../urls.ts'
import { adminCss, adminCssPath, adminFrame, adminJs, adminJsPath } from '../../views/admin/frame.ts'
import { registerAdminAuthRoutes } from './auth.ts'
import { registerAdminDeskRoutes } from './desk.ts'

const YEAR = 'public, max-age=31536000, immutable'

export async function registerAdminUi(app: App): Promise<void> {
  // WordPress's addresses, for the hands that type them.
  for (const path of ['/wp-admin/', '/wp-login.php', '/login']) app.get(path, async (_req, reply) => reply.redirect(ADMIN.home, 301))

  // Outside the admin context: the assets are the same for everyone and cached for a year.
  app.get(adminCssPath, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', YEAR).send(adminCss))
  app.get(adminJsPath, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', YEAR).send(adminJs))

  await app.register(async (instance) => {
    const admin = instance as unknown as App
    await adminSessions(admin)
    admin.setErrorHandler(async (error, req, reply) => {
      const problem = toProblem(error)
      if (problem.status >= 500) req.log.error({ err: error }, 'request failed')
      if (problem.status === 429 || problem.status === 503) reply.header('retry-after', String(problem.retryAfter ?? 60))
      reply.code(problem.status)
      if ((req.headers.accept ?? '').includes('application/json') || (req.headers['content-type'] ?? '').startsWith('application/json')) {
        return reply.send({ error: { code: problem.code, message: problem.message } })
      }
      const site = await app.siteContext()
      const title = problem.status === 404 ? 'Not found' : problem.status === 403 ? 'Not allowed' : problem.status >= 500 ? 'Something went wrong' : 'That did not work'
      const body = html`<p><a href="${ADMIN.home}">Back to the dashboard</a></p>`
      return reply.type('text/html; charset=utf-8').send(adminFrame(site, { title, error: problem.message, csrf: csrfToken(req, reply), ...(req.user && { user: req.user }) }, body))
    })
    registerAdminAuthRoutes(admin)
    registerAdminDeskRoutes(admin)
  })
}
