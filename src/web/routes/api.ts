/** @module The public content API (JSON) and the health check. */
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import * as articles from '../../articles/articles.ts'
import { approvedCommentCounts } from '../../comments/comments.ts'
import { HttpError } from '../errors.ts'
import { presentArticle, presentArticleSummary } from '../presenters/article.ts'
import { pageNumberFromQuery } from './params.ts'
import { permalinkOf } from './reader.ts'

const API_PAGE_SIZE = 20
const slugRe = /^[\p{Ll}\p{Lo}\p{N}-]{1,200}$/u

export function registerApiRoutes(app: FastifyInstance): void {
  app.get<{ Querystring: { page?: string } }>('/api/v1/articles', async (req, reply) => {
    const page = pageNumberFromQuery(req.query.page)
    const context = await app.siteContext()
    const listing = await articles.listPublished(app.site.db, page, API_PAGE_SIZE, app.now())
    const counts = await approvedCommentCounts(app.site.db, listing.articles.map((a) => a.id))
    const link = permalinkOf(context.settings)
    reply.header('cache-control', 'public, max-age=60')
    return {
      articles: listing.articles.map((a) => presentArticleSummary(a, context.baseUrl + link(a), counts.get(a.id) ?? 0)),
      page: listing.page,
      pages: listing.pages,
      total: listing.total,
    }
  })

  app.get<{ Params: { slug: string } }>('/api/v1/articles/:slug', async (req, reply) => {
    if (!slugRe.test(req.params.slug)) throw new HttpError(404, 'not_found', 'No article has this slug.')
    const context = await app.siteContext()
    const found = await articles.findPublishedArticle(app.site.db, req.params.slug, app.now())
    if (!found) throw new HttpError(404, 'not_found', 'No article has this slug.')
    const article = 'article' in found ? found.article : found.movedTo
    if ('movedTo' in found) return reply.redirect(`/api/v1/articles/${encodeURIComponent(article.slug)}`, 301)
    const counts = await approvedCommentCounts(app.site.db, [article.id])
    reply.header('cache-control', 'public, max-age=60')
    return presentArticle(article, context.baseUrl + permalinkOf(context.settings)(article), counts.get(article.id) ?? 0)
  })

  app.get('/healthz', async (req, reply) => {
    try {
      await sql`select 1`.execute(app.site.db)
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: app.site.storage.capabilities.engine })
    } catch (error) {
      req.log.error({ err: error }, 'health check: database does not answer')
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'unavailable', database: app.site.storage.capabilities.engine })
    }
  })
}
