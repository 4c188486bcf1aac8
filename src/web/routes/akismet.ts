/** @module The Akismet-compatible API: form posts in, Akismet's plain-text answers out. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as akismet from '../../akismet/akismet.ts'
import type { AkismetAnswer, AkismetParams } from '../../akismet/akismet.ts'
import { thresholdsOf } from '../../settings/spam-thresholds.ts'

export function registerAkismetRoutes(app: FastifyInstance): void {
  const deps = async () => ({ db: app.site.db, filter: app.site.spamFilter, thresholds: thresholdsOf((await app.siteContext()).settings) })
  const route = (path: string, handle: (d: akismet.AkismetDeps, p: AkismetParams, host: string | undefined) => Promise<AkismetAnswer>) =>
    app.post(path, async (req: FastifyRequest, reply: FastifyReply) => send(reply, await handle(await deps(), paramsOf(req), req.headers.host)))

  route('/1.1/verify-key', akismet.verifyKey)
  route('/1.1/comment-check', akismet.commentCheck)
  route('/1.1/submit-spam', (d, p, h) => akismet.submit(d, 'spam', p, h))
  route('/1.1/submit-ham', (d, p, h) => akismet.submit(d, 'ham', p, h))
}

/** Form fields, with the query string's as a fallback (some clients send both). */
function paramsOf(req: FastifyRequest): AkismetParams {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {}
  return { ...(req.query as Record<string, unknown>), ...body }
}

function send(reply: FastifyReply, answer: AkismetAnswer) {
  return reply.code(answer.status).headers(answer.headers).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(answer.body)
}
