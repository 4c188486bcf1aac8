/** @module Reader pages: front page, article permalinks, archives, the reuse page, the stylesheet. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as articles from '../../articles/articles.ts'
import type { PublishedArticle } from '../../articles/articles.ts'
import { articlePath, datePartsAgree, permalinkMatcher, type PermalinkMatch } from '../../articles/permalinks.ts'
import { approvedCommentCounts, approvedThread, commentsOpenOn } from '../../comments/comments.ts'
import { issueRenderToken } from '../../comments/render-token.ts'
import { HONEYPOT_FIELD } from '../../comments/schema.ts'
import { siteSecret } from '../../settings/secrets.ts'
import { COMMENTER_COOKIE, decodeCommenter } from '../commenter-cookie.ts'
import type { SiteSettings } from '../../settings/settings.ts'
import { renderArticlePage } from '../views/article-page.ts'
import { siteCss, siteCssPath, type SiteContext } from '../views/layout.ts'
import { renderReusePage } from '../views/simple-pages.ts'
import { renderStoryList } from '../views/story-list.ts'
import { HttpError, NOT_FOUND_MESSAGE } from '../errors.ts'
import { pageNumberFromPath, slugFromPath } from './params.ts'

/** Pages change when a story is published or a comment approved: caches may keep them briefly. */
interface ArchiveParams {
  slug: string
  n?: string
}

const PAGE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300'

export function registerReaderRoutes(app: FastifyInstance): void {
  app.get(siteCssPath, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(siteCss),
  )

  app.get('/', (_req, reply) => frontPage(app, reply, 1))
  app.get<{ Params: { n: string } }>('/page/:n/', (req, reply) => frontPage(app, reply, pageNumberFromPath(req.params.n)))

  for (const taxonomy of ['category', 'tag'] as const) {
    const handler = async (req: FastifyRequest<{ Params: ArchiveParams }>, reply: FastifyReply) => {
      const slug = slugFromPath(req.params.slug)
      const page = pageNumberFromPath(req.params.n)
      const context = await app.siteContext()
      const listing = await articles.listByTerm(app.site.db, taxonomy, slug, page, context.settings.postsPerPage, app.now())
      if (!listing || (page > 1 && page > listing.pages)) throw notFound()
      const heading = taxonomy === 'category' ? listing.term.name : `Tagged: ${listing.term.name}`
      return sendList(app, reply, context, listing, heading, `/${taxonomy}/${slug}/`)
    }
    app.get<{ Params: ArchiveParams }>(`/${taxonomy}/:slug/`, handler)
    app.get<{ Params: ArchiveParams }>(`/${taxonomy}/:slug/page/:n/`, handler)
  }

  const authorHandler = async (req: FastifyRequest<{ Params: ArchiveParams }>, reply: FastifyReply) => {
    const slug = slugFromPath(req.params.slug)
    const page = pageNumberFromPath(req.params.n)
    const context = await app.siteContext()
    const listing = await articles.listByAuthor(app.site.db, slug, page, context.settings.postsPerPage, app.now())
    if (!listing || listing.total === 0 || page > listing.pages) throw notFound()
    return sendList(app, reply, context, listing, listing.author.displayName, `/author/${slug}/`, listing.author.bio || undefined)
  }
  app.get<{ Params: ArchiveParams }>('/author/:slug/', authorHandler)
  app.get<{ Params: ArchiveParams }>('/author/:slug/page/:n/', authorHandler)

  app.get('/reuse/', async (_req, reply) => {
    const context = await app.siteContext()
    return sendHtml(reply, renderReusePage(context, app.now()))
  })

  // Everything else may be an article permalink (the structure is a setting, so it cannot be a route).
  app.get<{ Querystring: { replytocom?: string; comment?: string } }>('/*', async (req, reply) => {
    const context = await app.siteContext()
    const path = req.url.split('?')[0]!
    const match = matcherFor(context.settings.permalinkStructure)(path)
    if (!match) throw notFound()
    const found = await resolvePermalink(app, match)
    if (!found) throw notFound()
    const canonicalPath = permalinkOf(context.settings)(found.article)
    if ('moved' in found || !datePartsAgree(match, found.article.publishedAt) || !samePath(path, canonicalPath)) {
      return reply.redirect(canonicalPath, 301)
    }
    return sendArticle(app, reply, context, found.article, {
      replyTo: req.query.replytocom,
      held: req.query.comment === 'held',
      remembered: decodeCommenter(req.cookies[COMMENTER_COOKIE]),
    })
  })
}

async function frontPage(app: FastifyInstance, reply: FastifyReply, page: number) {
  const context = await app.siteContext()
  const listing = await articles.listPublished(app.site.db, page, context.settings.postsPerPage, app.now())
  if (page > listing.pages) throw notFound()
  return sendList(app, reply, context, listing, undefined, '/')
}

async function sendList(
  app: FastifyInstance,
  reply: FastifyReply,
  context: SiteContext,
  listing: articles.ArticlePage,
  heading: string | undefined,
  basePath: string,
  intro?: string,
) {
  const counts = await approvedCommentCounts(app.site.db, listing.articles.map((a) => a.id))
  const page = renderStoryList(context, {
    listing,
    basePath,
    permalink: permalinkOf(context.settings),
    commentCounts: counts,
    ...(heading !== undefined && { heading }),
    ...(intro !== undefined && { intro }),
  })
  return sendHtml(reply, page)
}

interface ArticleRequest {
  readonly replyTo?: string | undefined
  /** The reader's comment was held for moderation: say so. */
  readonly held: boolean
  readonly remembered: ReturnType<typeof decodeCommenter>
}

async function sendArticle(app: FastifyInstance, reply: FastifyReply, context: SiteContext, article: PublishedArticle, request: ArticleRequest) {
  const settings = context.settings
  const now = app.now()
  const { thread, count } = await approvedThread(app.site.db, article.id, settings.commentThreadDepth)
  const url = context.baseUrl + permalinkOf(settings)(article)
  const replyToId = request.replyTo && /^\d{1,12}$/.test(request.replyTo) ? Number(request.replyTo) : undefined
  const parent = replyToId === undefined ? undefined : findComment(thread, replyToId)
  const page = renderArticlePage(context, {
    article,
    url,
    comments: thread,
    commentCount: count,
    commentsOpen: commentsOpenOn(article, settings, now),
    commentForm: {
      postUrl: '/comments',
      renderToken: issueRenderToken(await siteSecret(app.site.db, 'render-token'), article.id, now),
      honeypotName: HONEYPOT_FIELD,
      ...(parent && { replyTo: { id: parent.id, authorName: parent.authorName } }),
      ...(request.remembered && { remembered: request.remembered }),
      ...(request.held && { notice: 'Thank you. Your comment is awaiting moderation and will appear once an editor has approved it.' }),
    },
  })
  // A page that carries a commenter's own details must never sit in a shared cache.
  if (request.remembered) {
    return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').header('vary', 'Cookie').send(page)
  }
  return sendHtml(reply.header('vary', 'Cookie'), page)
}

function findComment<T extends { id: number; replies: readonly T[] }>(list: readonly T[], id: number): T | undefined {
  for (const c of list) {
    if (c.id === id) return c
    const inner = findComment(c.replies, id)
    if (inner) return inner
  }
  return undefined
}

async function resolvePermalink(
  app: FastifyInstance,
  match: PermalinkMatch,
): Promise<{ article: PublishedArticle } | { article: PublishedArticle; moved: true } | undefined> {
  if (match.slug !== undefined) {
    const found = await articles.findPublishedArticle(app.site.db, match.slug, app.now())
    if (!found) return undefined
    return 'article' in found ? found : { article: found.movedTo, moved: true }
  }
  const article = await articles.findPublishedArticleById(app.site.db, match.id!, app.now())
  return article && { article }
}

const matchers = new Map<string, ReturnType<typeof permalinkMatcher>>()
function matcherFor(structure: string) {
  let m = matchers.get(structure)
  if (!m) matchers.set(structure, (m = permalinkMatcher(structure)))
  return m
}

/** The path of an article under the site's current permalink structure. */
export function permalinkOf(settings: SiteSettings): (article: PublishedArticle) => string {
  return (a) => articlePath(settings.permalinkStructure, a)
}

function samePath(requested: string, canonical: string): boolean {
  return requested.replace(/\/$/, '') === canonical.replace(/\/$/, '') || safeDecode(requested).replace(/\/$/, '') === safeDecode(canonical).replace(/\/$/, '')
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function sendHtml(reply: FastifyReply, page: string) {
  return reply.type('text/html; charset=utf-8').header('cache-control', PAGE_CACHE_CONTROL).send(page)
}

function notFound(): HttpError {
  return new HttpError(404, 'not_found', NOT_FOUND_MESSAGE)
}
