/**
 * @module Feeds (RSS, Atom, JSON Feed) of the site, its archives, its comments and each article's
 * comments; sitemaps, the Google News sitemap and robots.txt. All cacheable, with Last-Modified
 * and ETag (the server's @fastify/etag) so that readers polling them are answered 304.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ArticlePage, PublishedArticle, Taxonomy } from '../../articles/articles.ts'
import type { PublicComment } from '../../comments/comments.ts'
import { renderFeed, lastModified as newestOf, type FeedChannel, type FeedEntry, type FeedFormat } from '../../feeds/feed-documents.ts'
import { ARTICLE_IDS_PER_SITEMAP, NEWS_MAX, NEWS_WINDOW_MS, newsSitemap, robotsTxt, sitemapIndex, urlSet } from '../../feeds/sitemaps.ts'
import { copyrightLine, creditPrefix, reuseParagraphs } from '../../rights/notices.ts'
import { excerpt, htmlToText } from '../../text/plain-text.ts'
import { notFound } from '../errors.ts'
import { html, raw } from '../html.ts'
import { ArchiveParams } from '../schemas.ts'
import { commentLocation } from '../comment-location.ts'
import type { App } from '../server.ts'
import {
  articleSitemap,
  articleUrlPath,
  authorPath,
  categoryPath,
  COMMENTS_FEEDS,
  feedPaths,
  FRONT_PAGE,
  NEWS_SITEMAP,
  SITEMAP_INDEX,
  tagPath,
  taxonomySitemap,
} from '../urls.ts'
import type { SiteContext } from '../views/layout.ts'
import { z } from 'zod'

const FEED_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=600'
/** Feeds and sitemaps list stories and comments from across the site: every such change drops them (page-cache.ts). */
const FEED_TAGS = ['feeds'] as const
const contentTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
}
const formats: readonly [FeedFormat, string][] = [['rss', ''], ['atom', 'atom/'], ['json', 'json/']]
const SitemapParams = z.object({ n: z.string().regex(/^[1-9]\d{0,5}$/, 'There is no such sitemap.').transform(Number) })

export function registerFeedRoutes(app: App): void {
  for (const [format, suffix] of formats) {
    app.get(format === 'json' ? '/feed.json' : `/feed/${suffix}`, async (req, reply) => {
      const context = await app.siteContext()
      const listing = await app.services.articles.listPublished(1, context.settings.feedItems, { withBody: true })
      return sendArticlesFeed(app, req, reply, context, format, listing, { title: context.settings.title, description: context.settings.tagline, path: FRONT_PAGE })
    })

    for (const [taxonomy, pathOf] of [['category', categoryPath], ['tag', tagPath]] as const) {
      app.get(`/${taxonomy}/:slug/feed/${suffix}`, { schema: { params: ArchiveParams.pick({ slug: true }) } }, async (req, reply) => {
        const context = await app.siteContext()
        const listing = await app.services.articles.listByTerm(taxonomy as Taxonomy, req.params.slug, 1, context.settings.feedItems, { withBody: true })
        if (!listing) throw notFound()
        const title = `${context.settings.title}: ${listing.term.name}`
        return sendArticlesFeed(app, req, reply, context, format, listing, { title, description: `Stories in ${listing.term.name}`, path: pathOf(req.params.slug) })
      })
    }

    app.get(`/author/:slug/feed/${suffix}`, { schema: { params: ArchiveParams.pick({ slug: true }) } }, async (req, reply) => {
      const context = await app.siteContext()
      const listing = await app.services.articles.listByAuthor(req.params.slug, 1, context.settings.feedItems, { withBody: true })
      if (!listing || listing.total === 0) throw notFound()
      const title = `${context.settings.title}: ${listing.author.displayName}`
      return sendArticlesFeed(app, req, reply, context, format, listing, { title, description: `Stories by ${listing.author.displayName}`, path: authorPath(req.params.slug) })
    })

    app.get(COMMENTS_FEEDS[format], async (req, reply) => {
      const context = await app.siteContext()
      const comments = await app.services.comments.latestApproved(context.settings.feedItems)
      const articles = await app.services.articles.publishedByIds([...new Set(comments.map((c) => c.articleId))])
      const entries = (
        await Promise.all(
          comments.map(async (c) => {
            const article = articles.find((a) => a.id === c.articleId)
            return article ? [await commentEntry(app, context, article, c)] : []
          }),
        )
      ).flat()
      const channel = channelOf(context, { title: `Comments on ${context.settings.title}`, description: 'The newest comments', homePath: FRONT_PAGE, feedUrls: COMMENTS_FEEDS, now: app.now(), hub: app.websubHub })
      return sendFeed(req, reply, format, channel, entries, app.now())
    })
  }

  app.get('/robots.txt', async (_req, reply) => {
    const { baseUrl } = await app.siteContext()
    return reply.type('text/plain; charset=utf-8').header('cache-control', FEED_CACHE_CONTROL).cacheAs(FEED_TAGS).send(robotsTxt([baseUrl + SITEMAP_INDEX, baseUrl + NEWS_SITEMAP]))
  })

  // For sites that move from WordPress: its sitemap's address leads to ours.
  app.get('/wp-sitemap.xml', async (_req, reply) => reply.redirect(SITEMAP_INDEX, 301))

  app.get(SITEMAP_INDEX, async (req, reply) => {
    const { baseUrl } = await app.siteContext()
    const blocks = await app.services.articles.publishedIdBlocks(ARTICLE_IDS_PER_SITEMAP)
    const archives = await Promise.all((['category', 'tag', 'author'] as const).map((kind) => app.services.articles.archivesInUse(kind)))
    const sitemaps = [
      ...blocks.map((b) => ({ url: baseUrl + articleSitemap(b.block + 1), lastModified: b.lastModified })),
      ...(['categories', 'tags', 'authors'] as const).flatMap((kind, i) =>
        archives[i]!.length ? [{ url: baseUrl + taxonomySitemap(kind), lastModified: newest(archives[i]!.map((a) => a.lastModified)) }] : [],
      ),
    ]
    return sendXml(req, reply, sitemapIndex(sitemaps), newest(sitemaps.map((s) => s.lastModified)))
  })

  app.get('/sitemap-articles-:n.xml', { schema: { params: SitemapParams } }, async (req, reply) => {
    const context = await app.siteContext()
    const first = (req.params.n - 1) * ARTICLE_IDS_PER_SITEMAP + 1
    const articles = await app.services.articles.publishedInIdRange(first, first + ARTICLE_IDS_PER_SITEMAP - 1)
    if (articles.length === 0) throw notFound('There is no such sitemap.')
    const urls = articles.map((a) => ({ url: context.baseUrl + articleUrlPath(context.settings, a), lastModified: a.updatedAt }))
    return sendXml(req, reply, urlSet(urls), newest(articles.map((a) => a.updatedAt)))
  })

  for (const [kind, archive, pathOf] of [['categories', 'category', categoryPath], ['tags', 'tag', tagPath], ['authors', 'author', authorPath]] as const) {
    app.get(taxonomySitemap(kind), async (req, reply) => {
      const { baseUrl } = await app.siteContext()
      const inUse = await app.services.articles.archivesInUse(archive)
      const urls = inUse.map((a) => ({ url: baseUrl + pathOf(a.slug), lastModified: a.lastModified }))
      return sendXml(req, reply, urlSet(urls), newest(urls.map((u) => u.lastModified)))
    })
  }

  app.get(NEWS_SITEMAP, async (req, reply) => {
    const context = await app.siteContext()
    const articles = await app.services.articles.publishedSince(new Date(app.now().getTime() - NEWS_WINDOW_MS), NEWS_MAX)
    const news = articles.map((a) => ({ url: context.baseUrl + articleUrlPath(context.settings, a), title: a.title, published: a.publishedAt }))
    const xml = newsSitemap({ name: context.settings.title, language: context.settings.language }, news)
    return sendXml(req, reply, xml, newest(articles.map((a) => a.updatedAt)))
  })
}

/** `<permalink>feed/`, `feed/atom/`, `feed/json/`: which feed of an article's comments a path asks for. */
export function articleFeedRequest(path: string): { articlePath: string; format: FeedFormat } | undefined {
  const m = /^(.*\/)feed\/(atom\/|json\/)?$/.exec(path.endsWith('/') ? path : `${path}/`)
  if (!m || m[1] === '/') return undefined
  return { articlePath: m[1]!, format: m[2] === 'atom/' ? 'atom' : m[2] === 'json/' ? 'json' : 'rss' }
}

/** The approved comments of one article, newest first (never held or spam ones). */
export async function sendArticleCommentsFeed(app: App, req: FastifyRequest, reply: FastifyReply, article: PublishedArticle, format: FeedFormat) {
  const context = await app.siteContext()
  const comments = await app.services.comments.latestApproved(context.settings.feedItems, article.id)
  const path = articleUrlPath(context.settings, article)
  const channel = channelOf(context, { title: `Comments on: ${article.title}`, description: article.standfirst, homePath: path, feedUrls: feedPaths(path), now: app.now(), hub: app.websubHub })
  return sendFeed(req, reply, format, channel, await Promise.all(comments.map((c) => commentEntry(app, context, article, c))), article.updatedAt)
}

function channelOf(context: SiteContext, o: { title: string; description: string; homePath: string; feedUrls: Record<FeedFormat, string>; now: Date; hub: string | undefined }): FeedChannel {
  const s = context.settings
  const absolute = (path: string) => context.baseUrl + path
  return {
    title: o.title,
    description: o.description,
    homeUrl: absolute(o.homePath),
    feedUrls: { rss: absolute(o.feedUrls.rss), atom: absolute(o.feedUrls.atom), json: absolute(o.feedUrls.json) },
    language: s.language,
    rights: rightsLine(context, o.now),
    ...(o.hub && { hub: o.hub }),
  }
}

/** The copyright line of `year` (the site's clock for a feed, the publication for an article, as on its page) and the reuse notice. */
function rightsLine(context: SiteContext, year: Date): string {
  const s = context.settings
  return `${copyrightLine(s.copyrightHolder, year)}. ${reuseParagraphs(s.reusePolicy)[0] ?? ''}`.trim()
}

async function sendArticlesFeed(
  app: App,
  req: FastifyRequest,
  reply: FastifyReply,
  context: SiteContext,
  format: FeedFormat,
  listing: ArticlePage,
  o: { title: string; description: string; path: string },
) {
  const channel = channelOf(context, { title: o.title, description: o.description, homePath: o.path, feedUrls: feedPaths(o.path), now: app.now(), hub: app.websubHub })
  const entries = listing.articles.map((a) => articleEntry(context, a))
  return sendFeed(req, reply, format, channel, entries, app.now())
}

function articleEntry(context: SiteContext, a: PublishedArticle): FeedEntry {
  const url = context.baseUrl + articleUrlPath(context.settings, a)
  const credits = a.credits.length
    ? html`<p class="credits">${a.credits.map((c, i) => html`${i ? '; ' : ''}${creditPrefix(c)}${c.url ? html`<a href="${c.url}">${c.name}</a>` : c.name}`)}</p>`
    : ''
  const corrections = a.corrections.length
    ? html`<div class="corrections">${a.corrections.map((c) => html`<p><strong>Correction, ${c.publishedAt.toISOString().slice(0, 10)}:</strong></p>${raw(c.html)}`)}</div>`
    : ''
  return {
    url,
    title: a.title,
    summary: a.standfirst,
    ...(context.settings.feedContent === 'full' && { contentHtml: String(html`${corrections}${raw(a.bodyHtml)}${credits}<p class="rights">${rightsLine(context, a.publishedAt)}</p>`) }),
    published: a.publishedAt,
    updated: a.updatedAt,
    authors: a.authors.map((au) => ({ name: au.displayName, url: context.baseUrl + authorPath(au.slug) })),
    categories: [...a.categories, ...a.tags].map((t) => t.name),
  }
}

/** A comment as a feed item; its link is the comment's permalink, on the comment page that holds it. */
async function commentEntry(app: App, context: SiteContext, article: PublishedArticle, c: PublicComment): Promise<FeedEntry> {
  const articleUrl = context.baseUrl + articleUrlPath(context.settings, article)
  return {
    url: await commentLocation(app.services.comments, context.settings, articleUrl, c.id),
    title: `${c.authorName} on “${article.title}”`,
    summary: excerpt(htmlToText(c.contentHtml), 200),
    contentHtml: c.contentHtml,
    published: c.createdAt,
    updated: c.createdAt,
    authors: [{ name: c.authorName, ...(c.authorUrl && { url: c.authorUrl }) }],
  }
}

function newest(dates: readonly (Date | undefined)[]): Date | undefined {
  let latest: Date | undefined
  for (const d of dates) if (d && (!latest || d > latest)) latest = d
  return latest
}

async function sendFeed(req: FastifyRequest, reply: FastifyReply, format: FeedFormat, channel: FeedChannel, entries: FeedEntry[], whenEmpty: Date) {
  const body = await renderFeed(format, channel, entries, whenEmpty)
  // WebSub discovery in the headers too, for subscribers that read no XML first.
  if (channel.hub) reply.header('link', `<${channel.hub}>; rel="hub", <${channel.feedUrls[format]}>; rel="self"`)
  return sendCacheable(req, reply, contentTypes[format], body, newestOf(entries, whenEmpty))
}

function sendXml(req: FastifyRequest, reply: FastifyReply, body: string, lastModified: Date | undefined) {
  return sendCacheable(req, reply, 'application/xml; charset=utf-8', body, lastModified)
}

/** Last-Modified, and 304 for a client that has this version already (ETag is the server's). */
function sendCacheable(req: FastifyRequest, reply: FastifyReply, type: string, body: string, lastModified: Date | undefined) {
  reply.type(type).header('cache-control', FEED_CACHE_CONTROL).cacheAs(FEED_TAGS)
  if (lastModified) {
    reply.header('last-modified', lastModified.toUTCString())
    const since = Date.parse(String(req.headers['if-modified-since'] ?? ''))
    if (req.headers['if-none-match'] === undefined && Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since) {
      return reply.code(304).send()
    }
  }
  return reply.send(body)
}
