/**
 * @module The HTTP server: Fastify with zod route schemas, the site's routes, error pages and
 * request logs without secrets or full client addresses.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import compress from '@fastify/compress'
import cookie from '@fastify/cookie'
import etag from '@fastify/etag'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Term } from '../articles/articles.ts'
import type { Services, Site } from '../site.ts'
import { loggableAddress, refuseUnreadableForwarded, trustedProxies, useForwardedHeader } from './client-address.ts'
import { NOT_FOUND_MESSAGE, toProblem } from './errors.ts'
import { registerHardening, timeoutOptions, type ServerTimeouts } from './hardening.ts'
import { redactHost, redactUrl } from './log-redaction.ts'
import { registerPageCache } from './page-cache.ts'
import { registerAdminArticleRoutes } from './routes/admin-articles.ts'
import { registerAssetRoutes } from './routes/assets.ts'
import { registerAdminCommentRoutes } from './routes/admin-comments.ts'
import { registerAdminSettingsRoutes } from './routes/admin-settings.ts'
import { registerAdminUi } from './routes/admin/index.ts'
import { registerAkismetRoutes } from './routes/akismet.ts'
import { registerApiRoutes } from './routes/api.ts'
import { registerCommentRoutes } from './routes/comments.ts'
import { registerCorrectionRoutes } from './routes/corrections.ts'
import { registerFeedRoutes } from './routes/feeds.ts'
import { registerMediaRoutes } from './routes/media.ts'
import { registerPrivacyRoutes } from './routes/privacy.ts'
import { registerReaderRoutes } from './routes/reader.ts'
import { refuseNulCharacters } from './nul-characters.ts'
import { MAX_IMAGE_BYTES } from '../media/image-processing.ts'
import { publicBaseUrl } from './urls.ts'
import type { SiteContext } from './views/layout.ts'
import { renderErrorPage, renderNotFoundPage } from './views/simple-pages.ts'

/** The server as routes see it: request types come from their zod schemas. */
export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>

export interface ServerOptions {
  /** pino level; tests pass 'silent'. */
  readonly logLevel?: string
  /** Where logs go (tests read them); standard output by default. */
  readonly logStream?: NodeJS.WritableStream
  /** Client timeouts, when not the defaults (tests shorten them); see hardening.ts. */
  readonly timeouts?: Partial<ServerTimeouts>
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
    /** The site's clock (tests move it). */
    now: () => Date
    /** Settings and base URL, read fresh for each request so every process agrees. */
    siteContext(): Promise<SiteContext>
    /** Whether the site can send e-mail (SMTP_URL is set). */
    mailEnabled: boolean
    /** The WebSub hub the feeds name (WEBSUB_HUB), if any. */
    websubHub: string | undefined
  }
}

/**
 * Builds the server without listening, so tests can `listen({ port: 0 })` on loopback.
 * @example const app = await buildServer(site); await app.listen({ port: 3000, host: '127.0.0.1' })
 */
export async function buildServer(site: Site, options: ServerOptions = {}): Promise<App> {
  const readForwarded = useForwardedHeader(site.config)
  const app: App = Fastify({
    logger: {
      level: options.logLevel ?? site.config.logLevel,
      ...(options.logStream && { stream: options.logStream }),
      serializers: {
        req: (req) => ({ method: req.method, url: redactUrl(req.url), host: redactHost(req.host, req.url), remoteAddress: loggableAddress(req.ip) }),
      },
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    bodyLimit: 1024 * 1024,
    ...timeoutOptions(options.timeouts),
    trustProxy: trustedProxies(site.config.trustProxy),
    // The first thing Fastify calls with a new request, before it is logged: the place to settle its forwarded headers.
    rewriteUrl: (raw) => {
      readForwarded(raw)
      return raw.url ?? '/'
    },
    // Broken percent-encoding in a path cannot name anything here: answer as any unknown path.
    frameworkErrors: (error, request, reply) => {
      const notFound = error.code === 'FST_ERR_BAD_URL'
      void sendProblem(app, request, reply, notFound ? 404 : 400, notFound ? 'not_found' : 'invalid_input', notFound ? NOT_FOUND_MESSAGE : error.message)
    },
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorate('services', site.services)
  site.reportBackgroundErrorsTo((error) => app.log.error({ err: error }, 'background work failed (a notification, say)'))
  app.decorate('now', () => site.now())
  // The section menu is on every page and changes when a category is first used: read it at most once a second.
  let sections: { key: string; until: number; terms: Promise<readonly Term[]> } | undefined
  const sectionsFor = (slugs: readonly string[]) => {
    const key = slugs.join(',')
    if (!sections || sections.key !== key || sections.until < Date.now()) {
      const terms = site.services.articles.sections(slugs)
      sections = { key, until: Date.now() + 1000, terms }
      terms.catch(() => (sections = undefined))
    }
    return sections.terms
  }
  app.decorate('siteContext', async () => {
    const settings = await site.services.settings.read()
    return { settings, baseUrl: publicBaseUrl(settings, site.config.baseUrl), sections: await sectionsFor(settings.sections) }
  })
  app.decorate('mailEnabled', Boolean(site.config.smtpUrl))
  app.decorate('websubHub', site.config.websubHub)
  app.decorateRequest('user', null)
  if (site.config.trustProxyHeader === 'forwarded') app.addHook('onRequest', async (req) => refuseUnreadableForwarded(req.raw))
  await app.register(formbody)
  refuseNulCharacters(app)
  await app.register(cookie)
  // Image uploads: one file up to the media module's limit, a few short fields beside it.
  await app.register(multipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 } })
  // Reader pages and feeds from memory, before the two below (which leave alone what it has encoded).
  await registerPageCache(app, site)
  // A section's name or place in the menu changed somewhere: read the menu again.
  app.pageCache.onInvalidate(() => (sections = undefined))
  // Pages, feeds and sitemaps: a client or cache that has this version already is answered 304.
  await app.register(etag)
  // HTML, feeds, sitemaps and JSON in brotli or gzip (images and precompressed assets pass untouched);
  // request bodies are never inflated (a small compressed upload could expand without limit).
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024, globalDecompression: false })

  app.setErrorHandler(async (error, request, reply) => {
    const problem = toProblem(error)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    if (problem.status === 429 || problem.status === 503) reply.header('retry-after', String(problem.retryAfter ?? 60))
    return sendProblem(app, request, reply, problem.status, problem.code, problem.message)
  })
  app.setNotFoundHandler(async (request, reply) => sendProblem(app, request, reply, 404, 'not_found', NOT_FOUND_MESSAGE))

  registerHardening(app, site)
  registerCorrectionRoutes(app)
  registerAssetRoutes(app)
  registerReaderRoutes(app)
  registerApiRoutes(app)
  registerFeedRoutes(app)
  registerAkismetRoutes(app)
  registerCommentRoutes(app)
  registerAdminArticleRoutes(app)
  registerAdminCommentRoutes(app)
  registerPrivacyRoutes(app)
  registerAdminSettingsRoutes(app)
  await registerAdminUi(app)
  registerMediaRoutes(app)
  return app
}

/** An error answered as JSON for API clients and as an HTML page for browsers. */
async function sendProblem(app: App, request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string): Promise<FastifyReply> {
  reply.code(status).header('cache-control', 'no-store')
  if (wantsJson(request)) return reply.type('application/json; charset=utf-8').send({ error: { code, message } })
  let context: SiteContext | undefined
  try {
    context = await app.siteContext()
  } catch {
    // the database may be what failed; the error page must still render
  }
  if (!context) return reply.type('text/plain; charset=utf-8').send(message)
  const page = message === NOT_FOUND_MESSAGE ? renderNotFoundPage(context, request.url.split('?')[0]!) : renderErrorPage(context, status, message)
  return reply.type('text/html; charset=utf-8').send(page)
}

const apiPathRe = /^\/(api|1\.1)\//

function wantsJson(request: FastifyRequest): boolean {
  return apiPathRe.test(request.url) || (request.headers.accept ?? '').startsWith('application/json')
}
