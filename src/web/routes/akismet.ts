/** @module The Akismet-compatible API: form posts in, Akismet's plain-text answers out. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AkismetAnswer, AkismetParams, AkismetService } from '../../akismet/akismet.ts'
import type { App } from '../server.ts'

type Call = (akismet: AkismetService, params: AkismetParams, host: string | undefined) => Promise<AkismetAnswer>

export function registerAkismetRoutes(app: App): void {
  const route = (path: string, call: Call) =>
    app.post(path, async (req, reply) => send(reply, await call(app.services.akismet, paramsOf(req), req.headers.host)))

  route('/1.1/verify-key', (a, p, h) => a.verifyKey(p, h))
  route('/1.1/comment-check', (a, p, h) => a.commentCheck(p, h))
  route('/1.1/submit-spam', (a, p, h) => a.submit('spam', p, h))
  route('/1.1/submit-ham', (a, p, h) => a.submit('ham', p, h))
  // Akismet answers its 1.2 account calls to GET and POST alike.
  const accountCalls: readonly (readonly [string, Call])[] = [
    ['/1.2/usage-limit', (a, p, h) => a.usageLimit(p, h)],
    ['/1.2/key-sites', (a, p, h) => a.keySites(p, h)],
  ]
  for (const [path, call] of accountCalls) {
    route(path, call)
    app.get(path, async (req, reply) => send(reply, await call(app.services.akismet, paramsOf(req), req.headers.host)))
  }
}

/** Form fields, with the query string's as a fallback (some clients send both). */
function paramsOf(req: FastifyRequest): AkismetParams {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {}
  return { ...(req.query as Record<string, unknown>), ...body }
}

function send(reply: FastifyReply, answer: AkismetAnswer) {
  return reply.code(answer.status).type('text/plain; charset=utf-8').headers(answer.headers).header('cache-control', 'no-store').send(answer.body)
}
