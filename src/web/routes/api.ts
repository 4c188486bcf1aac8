/** @module The public content API (JSON) and the health check. */
import { notFound } from '../errors.ts'
import { presentArticle, presentArticleSummary } from '../presenters/article.ts'
import { PageQuery, SlugParams } from '../schemas.ts'
import type { App } from '../server.ts'
import { apiArticle, articleUrlPath } from '../urls.ts'

const API_PAGE_SIZE = 20
const NO_SUCH_SLUG = 'No article has this slug.'

export function registerApiRoutes(app: App): void {
  app.get('/api/v1/articles', { schema: { querystring: PageQuery } }, async (req, reply) => {
    const context = await app.siteContext()
    const listing = await app.services.articles.listPublished(req.query.page, API_PAGE_SIZE)
    const counts = await app.services.comments.approvedCounts(listing.articles.map((a) => a.id))
    reply.header('cache-control', 'public, max-age=60')
    return {
      articles: listing.articles.map((a) => presentArticleSummary(a, context.baseUrl + articleUrlPath(context.settings, a), counts.get(a.id) ?? 0)),
      page: listing.page,
      pages: listing.pages,
      total: listing.total,
    }
  })

  app.get('/api/v1/articles/:slug', { schema: { params: SlugParams(NO_SUCH_SLUG) } }, async (req, reply) => {
    const found = await app.services.articles.publishedBySlug(req.params.slug)
    if (!found) throw notFound(NO_SUCH_SLUG)
    if ('movedTo' in found) return reply.redirect(apiArticle(found.movedTo.slug), 301)
    const context = await app.siteContext()
    const counts = await app.services.comments.approvedCounts([found.article.id])
    reply.header('cache-control', 'public, max-age=60')
    return presentArticle(found.article, context.baseUrl + articleUrlPath(context.settings, found.article), counts.get(found.article.id) ?? 0)
  })

  // Liveness for monitors: 200 only while the database answers reads and takes writes; the reason when not.
  app.get('/healthz', async (req, reply) => {
    const health = await app.services.health.check()
    if (!health.ok) req.log.error({ problem: health.problem, reads: health.reads, writes: health.writes }, 'health check: the database does not take writes or reads')
    return reply
      .code(health.ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: health.ok ? 'ok' : 'unavailable', database: health.engine, reads: health.reads, writes: health.writes, ...(health.problem && { problem: health.problem }) })
  })
}
