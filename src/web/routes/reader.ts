/** @module Reader pages: front page, article permalinks, archives, the reuse page. */
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { ArticlePage, PublishedArticle } from '../../articles/articles.ts'
import { datePartsAgree, permalinkMatcher, type PermalinkMatch } from '../../articles/permalinks.ts'
import { commentsOpenOn } from '../../comments/comments.ts'
import { readHeldCommentToken } from '../../comments/held-comment-token.ts'
import { issueRenderToken } from '../../comments/render-token.ts'
import { HONEYPOT_FIELD } from '../../comments/schema.ts'
import { recordIdRe } from '../../text/identifiers.ts'
import { readSlug } from '../../text/slug.ts'
import { COMMENTER_COOKIE, decodeCommenter, type RememberedCommenter } from '../commenter-cookie.ts'
import { notFound } from '../errors.ts'
import { shortLivedCache } from '../short-lived-cache.ts'
import { articleFeedRequest, sendArticleCommentsFeed } from './feeds.ts'
import { ArchiveParams, PageParams, PageQuery } from '../schemas.ts'
import type { App } from '../server.ts'
import { articleUrlPath, authorPath, categoryPath, COMMENT_FORM_TARGET, commentPagePath, commentPageRequest, commentPageUrl, defaultCommentPage, COMMENTS_FEEDS, FEED, FRONT_PAGE, REUSE_PAGE, SEARCH_PAGE, tagPath, TDM_REP } from '../urls.ts'
import { renderArticlePage, type CommentFormEcho } from '../views/article-page.ts'
import type { SiteContext } from '../views/layout.ts'
import { renderSearchPage } from '../views/search-page.ts'
import { renderReusePage } from '../views/simple-pages.ts'
import { renderFrontPage, SECONDARY_STORIES, SECTION_STORIES } from '../views/front-page.ts'
import type { CardContext } from '../views/story-card.ts'
import { renderStoryList, type StoryListView } from '../views/story-list.ts'

/** Pages change when a story is published or a comment approved: caches may keep them briefly. */
const PAGE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300'

/** Stories in an article's "Related stories". */
const RELATED_STORIES = 4
/** Page parts that may be as old as the pages themselves (PAGE_CACHE_CONTROL's max-age). */
const PAGE_PART_TTL_MS = 60_000

/** What an article page reads from its query string; anything unusable is ignored. */
const ArticleQuery = z.object({
  /** Reply to this comment (WordPress's parameter). */
  replytocom: z.string().regex(recordIdRe).transform(Number).optional().catch(undefined),
  /** `held`: the reader's comment awaits moderation. */
  comment: z.string().optional().catch(undefined),
  /** With `held`: the signed token that shows the poster their held comment. */
  token: z.string().max(100).optional().catch(undefined),
})

/** `/?p=ID` and `/?page_id=ID`, as WordPress links to posts and pages; anything else there is ignored. */
const LegacyQuery = z.object({
  /** WordPress's search: `/?s=flood`. */
  s: z.string().max(500).optional().catch(undefined),
  p: z.string().regex(recordIdRe).transform(Number).optional().catch(undefined),
  page_id: z.string().regex(recordIdRe).transform(Number).optional().catch(undefined),
  /** An attachment's page: leads to the article it belongs to. */
  attachment_id: z.string().regex(recordIdRe).transform(Number).optional().catch(undefined),
  /** WordPress's feed addresses without pretty permalinks: `/?feed=rss2`. */
  feed: z.enum(['rss', 'rss2', 'atom', 'rdf', 'comments-rss2']).optional().catch(undefined),
})

/** Where WordPress's `?feed=` addresses lead here. */
const LEGACY_FEEDS = { rss: FEED, rss2: FEED, rdf: FEED, atom: `${FEED}atom/`, 'comments-rss2': COMMENTS_FEEDS.rss } as const

/** `/search?q=…&page=N`; the query is any text (what is not a word is ignored). */
const SearchQuery = PageQuery.extend({ q: z.string().max(500).catch('') })

export function registerReaderRoutes(app: App): void {
  const related = shortLivedCache<readonly PublishedArticle[]>(PAGE_PART_TTL_MS, 2000)
  const sectionStories = shortLivedCache<readonly PublishedArticle[]>(PAGE_PART_TTL_MS, 100)
  // A kept page is made again when what it shows changes; its parts must then be read again too.
  app.pageCache.onInvalidate(() => {
    related.clear()
    sectionStories.clear()
  })
  app.decorate('relatedStories', (article: PublishedArticle) => related.get(`${article.id}@${article.updatedAt.getTime()}`, () => app.services.articles.related(article, RELATED_STORIES)))
  app.decorate('sectionStories', (slug: string, limit: number) => sectionStories.get(`${slug}:${limit}`, async () => (await app.services.articles.listByTerm('category', slug, 1, limit))?.articles ?? []))
  // TDMRep (W3C community group): whether text-and-data mining of the site's works is reserved, and where the policy is.
  app.get(TDM_REP, async (_req, reply) => {
    const { settings, baseUrl } = await app.siteContext()
    const reserved = settings.textAndDataMining === 'reserved'
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send([{ location: '/', 'tdm-reservation': reserved ? 1 : 0, ...(reserved && { 'tdm-policy': baseUrl + REUSE_PAGE }) }])
  })

  app.get(FRONT_PAGE, { schema: { querystring: LegacyQuery } }, async (req, reply) => {
    if (req.query.s !== undefined) return searchResults(app, reply, req.query.s, 1)
    if (req.query.feed !== undefined) return reply.redirect(LEGACY_FEEDS[req.query.feed], 301)
    const legacy = legacyIdQuery(req.query)
    if (legacy === undefined) return frontPage(app, reply, 1)
    // An imported WordPress id (recorded at import as `/?p=ID`) comes first: links to the old site
    // are what readers follow; then our own article ids, so `/?p=ID` works on a site never imported.
    const imported = await app.services.articles.redirectFor(`/?${legacy.name}=${legacy.id}`)
    if (imported) return sendRedirect(app, reply, imported, '')
    const article = legacy.name === 'attachment_id' ? undefined : await app.services.articles.publishedById(legacy.id)
    if (!article) throw notFound()
    return reply.redirect(articleUrlPath((await app.siteContext()).settings, article), 301)
  })
  app.get(SEARCH_PAGE, { schema: { querystring: SearchQuery } }, (req, reply) => searchResults(app, reply, req.query.q, req.query.page))

  app.get('/page/:n/', { schema: { params: PageParams } }, (req, reply) => frontPage(app, reply, req.params.n))

  for (const [taxonomy, pathOf] of [['category', categoryPath], ['tag', tagPath]] as const) {
    for (const route of [`/${taxonomy}/:slug/`, `/${taxonomy}/:slug/page/:n/`]) {
      app.get(route, { schema: { params: ArchiveParams } }, async (req, reply) => {
        const { slug, n: page } = req.params
        const context = await app.siteContext()
        const listing = await app.services.articles.listByTerm(taxonomy, slug, page, context.settings.postsPerPage)
        if (!listing || (page > 1 && page > listing.pages)) throw notFound()
        const heading = taxonomy === 'category' ? { kind: 'Section', title: listing.term.name } : { kind: 'Topic', title: listing.term.name }
        reply.cacheAs([`term:${listing.term.id}`, ...articleTags(listing.articles)])
        return sendList(app, reply, context, listing, { heading, basePath: pathOf(slug), ...(taxonomy === 'category' && { section: slug }) })
      })
    }
  }

  for (const route of ['/author/:slug/', '/author/:slug/page/:n/']) {
    app.get(route, { schema: { params: ArchiveParams } }, async (req, reply) => {
      const { slug, n: page } = req.params
      const context = await app.siteContext()
      const listing = await app.services.articles.listByAuthor(slug, page, context.settings.postsPerPage)
      if (!listing || listing.total === 0 || page > listing.pages) throw notFound()
      reply.cacheAs([`author:${listing.author.id}`, ...articleTags(listing.articles)])
      return sendList(app, reply, context, listing, { heading: { kind: 'Author', title: listing.author.displayName }, basePath: authorPath(slug), ...(listing.author.bio && { intro: listing.author.bio }) })
    })
  }

  app.get(REUSE_PAGE, async (_req, reply) => sendHtml(reply, renderReusePage(await app.siteContext(), app.now())))

  // Everything else may be an article permalink (the structure is a setting, so it cannot be a route).
  app.get('/*', { schema: { querystring: ArticleQuery } }, async (req, reply) => {
    const context = await app.siteContext()
    const path = req.url.split('?')[0]!
    const feed = articleFeedRequest(path)
    const commentPage = feed ? undefined : commentPageRequest(path)
    const storyPath = feed?.articlePath ?? commentPage?.articlePath ?? path
    const match = matcherFor(context.settings.permalinkStructure)(storyPath)
    const found = match && (await resolvePermalink(app, match))
    if (!match || !found) {
      // Not a permalink: a page at /SLUG/, or an old address (an imported site's) that leads somewhere.
      const page = feed ? undefined : await pageAt(app, storyPath)
      if (page) {
        const pagePath = articleUrlPath(context.settings, page)
        if (!samePath(storyPath, pagePath) || (commentPage && !context.settings.pageComments)) return reply.redirect(commentPage && context.settings.pageComments ? commentPagePath(pagePath, commentPage.page) : pagePath, 301)
        return sendArticle(app, reply, context, page, { replyTo: req.query.replytocom, held: req.query.comment === 'held', remembered: decodeCommenter(req.cookies[COMMENTER_COOKIE]), ...(commentPage && { commentPage: commentPage.page }) })
      }
      const old = (await app.services.articles.redirectFor(path)) ?? (feed && (await app.services.articles.redirectFor(feed.articlePath)))
      if (old) return sendRedirect(app, reply, old, feed && !('path' in old) ? path.slice(feed.articlePath.length) : '')
      throw notFound()
    }
    if (feed) return sendArticleCommentsFeed(app, req, reply, found.article, feed.format)
    const canonicalPath = articleUrlPath(context.settings, found.article)
    if (found.moved || !datePartsAgree(match, found.article.publishedAt) || !samePath(storyPath, canonicalPath)) {
      return reply.redirect(commentPage && context.settings.pageComments ? commentPagePath(canonicalPath, commentPage.page) : canonicalPath, 301)
    }
    // Comments not in pages: a comment page's address (an imported site's, say) is the article.
    if (commentPage && !context.settings.pageComments) return reply.redirect(canonicalPath, 301)
    return sendArticle(app, reply, context, found.article, {
      ...(commentPage && { commentPage: commentPage.page }),
      replyTo: req.query.replytocom,
      held: req.query.comment === 'held',
      ...(req.query.token && { heldToken: req.query.token }),
      remembered: decodeCommenter(req.cookies[COMMENTER_COOKIE]),
    })
  })
}

const pagePathRe = /^\/([^/]+)\/?$/

async function pageAt(app: App, path: string): Promise<PublishedArticle | undefined> {
  const slug = pagePathRe.exec(path)?.[1]
  return slug === undefined ? undefined : app.services.articles.publishedPage(readSlug(safeDecode(slug)))
}

function legacyIdQuery(query: { p?: number | undefined; page_id?: number | undefined; attachment_id?: number | undefined }) {
  for (const name of ['p', 'page_id', 'attachment_id'] as const) {
    const id = query[name]
    if (id !== undefined) return { name, id }
  }
  return undefined
}

/** A 301 to where an old address leads: an article's permalink (plus `suffix`, e.g. `feed/`), or a path. */
async function sendRedirect(app: App, reply: FastifyReply, to: { article: PublishedArticle } | { path: string }, suffix: string) {
  if ('path' in to) return reply.redirect(to.path, 301)
  return reply.redirect(articleUrlPath((await app.siteContext()).settings, to.article) + suffix, 301)
}

async function searchResults(app: App, reply: FastifyReply, query: string, page: number) {
  const context = await app.siteContext()
  const found = await app.services.search.search(query, page, context.settings.postsPerPage)
  if (page > found.pages) throw notFound()
  const html = renderSearchPage(context, { found, permalink: (a) => articleUrlPath(context.settings, a) })
  return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(html)
}

async function frontPage(app: App, reply: FastifyReply, page: number) {
  const context = await app.siteContext()
  const listing = await app.services.articles.listPublished(page, context.settings.postsPerPage, { stickyFirst: true })
  if (page > listing.pages) throw notFound()
  if (page > 1) return sendList(app, reply.cacheAs(['front', ...articleTags(listing.articles)]), context, listing, { basePath: FRONT_PAGE })
  const shown = new Set(listing.articles.slice(0, 1 + SECONDARY_STORIES).map((a) => a.id))
  // A section's block leaves out what the top of the page already shows.
  const sections = await Promise.all(
    context.sections.map(async (term) => {
      const inSection = await app.sectionStories(term.slug, SECTION_STORIES + shown.size)
      return { term, stories: inSection.filter((a) => !shown.has(a.id)).slice(0, SECTION_STORIES) }
    }),
  )
  const shownStories = [...listing.articles, ...sections.flatMap((b) => b.stories)]
  const cards = await cardContext(app, context, shownStories)
  reply.cacheAs(['front', ...articleTags(shownStories)])
  return sendHtml(reply, renderFrontPage(context, { ...cards, now: app.now(), stories: listing.articles, sections, more: listing.pages > 1 }))
}

/** Comment counts and images for the cards of these stories, and where each story lives. */
async function cardContext(app: App, context: SiteContext, articles: readonly PublishedArticle[], options = { commentCounts: true }): Promise<CardContext> {
  const imageIds = articles.flatMap((a) => (a.imageId === null ? [] : [a.imageId]))
  const [commentCounts, images] = await Promise.all([
    // Compact cards (related stories) show no comment count.
    options.commentCounts ? app.services.comments.approvedCounts(articles.map((a) => a.id)) : new Map<number, number>(),
    imageIds.length ? app.services.media.byIds(imageIds) : new Map(),
  ])
  return { commentCounts, images, permalink: (a) => articleUrlPath(context.settings, a) }
}

async function sendList(app: App, reply: FastifyReply, context: SiteContext, listing: ArticlePage, view: Pick<StoryListView, 'basePath'> & Partial<Pick<StoryListView, 'heading' | 'intro' | 'section'>>) {
  const cards = await cardContext(app, context, listing.articles)
  return sendHtml(reply, renderStoryList(context, { ...cards, ...view, listing }))
}

interface ArticleRequest {
  readonly replyTo: number | undefined
  /** The page of comments asked for (`comment-page-N/`); absent, the one the settings show first. */
  readonly commentPage?: number
  /** The reader's comment was held for moderation: say so. */
  readonly held?: boolean
  /** Names the held comment to show its poster (held-comment-token.ts). */
  readonly heldToken?: string
  readonly remembered?: RememberedCommenter | undefined
  /** A form that could not be posted: what the reader wrote and what was wrong. */
  readonly echo?: CommentFormEcho
}

/**
 * The article page for a request that is not a plain GET of its permalink (a comment form that
 * came back with an error); the reply's status is the caller's.
 */
export async function sendArticlePage(app: App, reply: FastifyReply, article: PublishedArticle, request: ArticleRequest) {
  return sendArticle(app, reply, await app.siteContext(), article, request)
}

async function sendArticle(app: App, reply: FastifyReply, context: SiteContext, article: PublishedArticle, request: ArticleRequest) {
  const settings = context.settings
  const now = app.now()
  const articleUrl = context.baseUrl + articleUrlPath(settings, article)
  const { thread, count, pages } = await commentsShown(app, context, article, request.commentPage)
  const parent = request.replyTo === undefined ? undefined : findComment(thread, request.replyTo)
  const heldId = request.held && request.heldToken ? readHeldCommentToken(await app.services.settings.secret('held-comment'), request.heldToken, now) : undefined
  const [image, related, heldComment] = await Promise.all([
    article.imageId === null ? undefined : app.services.media.byId(article.imageId),
    app.relatedStories(article),
    heldId === undefined ? undefined : app.services.comments.heldOnArticle(article.id, heldId),
  ])
  const page = renderArticlePage(context, {
    article,
    image,
    related: { stories: related, cards: await cardContext(app, context, related, { commentCounts: false }) },
    url: articleUrl,
    comments: thread,
    ...(pages && { commentPages: { ...pages, href: (n: number) => commentPageUrl(articleUrl, n, pages.defaultPage) } }),
    commentCount: count,
    commentsOpen: commentsOpenOn(article, settings, now),
    commentForm: {
      postUrl: COMMENT_FORM_TARGET,
      renderToken: issueRenderToken(await app.services.settings.secret('render-token'), article.id, now),
      honeypotName: HONEYPOT_FIELD,
      ...(parent && { replyTo: { id: parent.id, authorName: parent.authorName } }),
      ...(request.remembered && { remembered: request.remembered }),
      ...(request.held && { notice: 'Thank you. Your comment is awaiting moderation and will appear once an editor has approved it.' }),
      ...(request.echo && { echo: request.echo }),
    },
    ...(heldComment && { heldComment }),
  })
  // A page that carries a commenter's own details (or words) must never sit in a shared cache.
  if (request.remembered || request.echo || heldComment) {
    return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').header('vary', 'Cookie').send(page)
  }
  return sendHtml(reply.header('vary', 'Cookie').cacheAs(articleTags([article, ...related])), page)
}

/** The cache tags of the stories a page shows: it changes when any of them does (a headline, a comment count). */
function articleTags(articles: readonly { id: number }[]): string[] {
  return [...new Set(articles.map((a) => `article:${a.id}`))]
}

/**
 * The comments the article page shows: all of them, or, with comments in pages, one page of
 * threads (a page past the last is not found). `count` is always the article's whole count.
 */
async function commentsShown(app: App, context: SiteContext, article: PublishedArticle, requested: number | undefined) {
  const settings = context.settings
  if (!settings.pageComments) return { ...(await app.services.comments.approvedThread(article.id, settings.commentThreadDepth)), pages: undefined }
  const paging = { perPage: settings.commentsPerPage, order: settings.commentOrder }
  const shown = await app.services.comments.threadPage(article.id, settings.commentThreadDepth, requested ?? (settings.defaultCommentsPage === 'oldest' ? 1 : 'last'), paging)
  if (!shown) throw notFound()
  return { thread: shown.thread, count: shown.count, pages: { page: shown.page, pages: shown.pages, defaultPage: defaultCommentPage(settings, shown.pages) } }
}

function findComment<T extends { id: number; replies: readonly T[] }>(list: readonly T[], id: number): T | undefined {
  for (const c of list) {
    if (c.id === id) return c
    const inner = findComment(c.replies, id)
    if (inner) return inner
  }
  return undefined
}

async function resolvePermalink(app: App, match: PermalinkMatch): Promise<{ article: PublishedArticle; moved: boolean } | undefined> {
  if (match.slug !== undefined) {
    // In another normal form (NFD) the address still names the article; the caller then redirects to its canonical path.
    const found = await app.services.articles.publishedBySlug(readSlug(match.slug))
    if (!found) return undefined
    return 'article' in found ? { article: found.article, moved: false } : { article: found.movedTo, moved: true }
  }
  const article = await app.services.articles.publishedById(match.id!)
  return article && { article, moved: false }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** An article's related stories, remembered for a minute. */
    relatedStories(article: PublishedArticle): Promise<readonly PublishedArticle[]>
    /** A section's newest stories, remembered for a minute. */
    sectionStories(slug: string, limit: number): Promise<readonly PublishedArticle[]>
  }
}

const matchers = new Map<string, ReturnType<typeof permalinkMatcher>>()
function matcherFor(structure: string) {
  let m = matchers.get(structure)
  if (!m) matchers.set(structure, (m = permalinkMatcher(structure)))
  return m
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
