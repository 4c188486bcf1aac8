/**
 * @module Every URL the site builds for readers, e-mails and API clients, in one place, so that a
 * route and the links to it cannot drift apart.
 */
import { articlePath } from '../articles/permalinks.ts'
import type { SiteSettings } from '../settings/settings.ts'

/** What an article's permalink is built from (any structure tag may be used). */
type Permalinked = Parameters<typeof articlePath>[1]

/** The path of an article under the site's current permalink structure. */
export function articleUrlPath(settings: SiteSettings, article: Permalinked): string {
  return articlePath(settings.permalinkStructure, article)
}

/** The public base URL: the site setting, else BROADSHEET_URL, without a trailing slash. */
export function publicBaseUrl(settings: Pick<SiteSettings, 'baseUrl'>, configured: string): string {
  return (settings.baseUrl ?? configured).replace(/\/+$/, '')
}

/** An article's absolute URL, or undefined while it has no publication date (a draft). */
export function articleUrl(baseUrl: string, settings: SiteSettings, article: Omit<Permalinked, 'publishedAt'> & { publishedAt: Date | null }): string | undefined {
  return article.publishedAt ? baseUrl + articleUrlPath(settings, { ...article, publishedAt: article.publishedAt }) : undefined
}

/** Page `n` of a listing whose first page is `basePath` (`/`, `/category/world/` …). */
export function listingPage(basePath: string, n: number): string {
  return n <= 1 ? basePath : `${basePath}page/${n}/`
}

// Percent-encoded, as article permalinks are: a slug in any script then travels in a Location or
// Link header, a sitemap or a feed as plain ASCII, and means the same in every one.
export const categoryPath = (slug: string) => `/category/${encodeURIComponent(slug)}/`
export const tagPath = (slug: string) => `/tag/${encodeURIComponent(slug)}/`
export const authorPath = (slug: string) => `/author/${encodeURIComponent(slug)}/`

export const FRONT_PAGE = '/'
export const REUSE_PAGE = '/reuse/'
export const PRIVACY_PAGE = '/privacy/'
/** Every correction, newest first (`/corrections/page/N/` for older ones). */
export const CORRECTIONS_PAGE = '/corrections/'
export const PRIVACY_REQUESTS = '/privacy/requests'
export const PRIVACY_CONFIRM = '/privacy/confirm'
export const COMMENT_FORM_TARGET = '/comments'
export const FEED = '/feed/'
export const SITE_ICON = '/favicon.svg'
export const FAVICON_ICO = '/favicon.ico'
export const MANIFEST = '/manifest.webmanifest'
/** A PNG of the site icon, `size` pixels square. */
export const APP_ICON = (size: number) => `/icons/icon-${size}.png`
export const TDM_REP = '/.well-known/tdmrep.json'

/** The link a privacy-request e-mail carries. */
export const privacyConfirmLink = (baseUrl: string, token: string) => `${baseUrl}${PRIVACY_CONFIRM}?token=${token}`

/**
 * Page `n` of an article's comments at WordPress's address, `<permalink>comment-page-N/`; the page
 * the article's own address shows (`defaultPage`) is that address, so it has one URL only.
 */
export function commentPageUrl(articleUrl: string, n: number, defaultPage: number): string {
  return n === defaultPage ? articleUrl : commentPagePath(articleUrl, n)
}

/** `<permalink>comment-page-N/`, whichever page it is. */
export const commentPagePath = (articlePath: string, n: number) => `${articlePath}comment-page-${n}/`

/** Which page of comments the site shows at its own address: the first, or the newest comments' (the last of `pages`). */
export function defaultCommentPage(settings: Pick<SiteSettings, 'defaultCommentsPage'>, pages: number): number {
  return settings.defaultCommentsPage === 'oldest' ? 1 : pages
}

const commentPageRe = /^(.*\/)comment-page-([1-9][0-9]{0,8})\/?$/

/** The article path and page of a `<permalink>comment-page-N/` address. */
export function commentPageRequest(path: string): { articlePath: string; page: number } | undefined {
  const m = commentPageRe.exec(path)
  if (!m || m[1] === '/') return undefined
  return { articlePath: m[1]!, page: Number(m[2]) }
}

/** A comment on its article's page. */
export const commentAnchor = (articleUrl: string, commentId: number) => `${articleUrl}#comment-${commentId}`
/** The article's page saying that the reader's comment awaits moderation; with the token, it shows them that comment. */
export const heldNotice = (articleUrl: string, token?: string) => `${articleUrl}?comment=held${token ? `&token=${encodeURIComponent(token)}` : ''}#respond`
/** Where a commenter confirms, from the link the site e-mailed them, that a held comment under their address is theirs. */
export const COMMENT_CONFIRMATION = '/comments/confirm'
export const commentConfirmationLink = (baseUrl: string, token: string) => `${baseUrl}${COMMENT_CONFIRMATION}?token=${encodeURIComponent(token)}`
/** The same page with the form set to reply to a comment (relative: works on any permalink). */
export const replyLink = (commentId: number) => `?replytocom=${commentId}#respond`

/** Where an image variant is served; the key changes with the content, so the file is cached for ever. */
export const mediaFilePath = (key: string) => `/media/${key}`
export const ADMIN_MEDIA = '/api/v1/admin/media'

export const apiArticle = (slug: string) => `/api/v1/articles/${encodeURIComponent(slug)}`

/** A feed's address in each format, under the page it is the feed of (`/`, `/category/world/`, a permalink). */
export function feedPaths(pagePath: string): Record<'rss' | 'atom' | 'json', string> {
  if (pagePath === FRONT_PAGE) return { rss: FEED, atom: `${FEED}atom/`, json: '/feed.json' }
  return { rss: `${pagePath}feed/`, atom: `${pagePath}feed/atom/`, json: `${pagePath}feed/json/` }
}

/** Every feed a story appears in (the site's, its sections', tags' and authors'), as absolute URLs: the topics a WebSub ping names. */
export function feedsWithStory(baseUrl: string, story: { readonly categories: readonly { slug: string }[]; readonly tags: readonly { slug: string }[]; readonly authors: readonly { slug: string }[] }): string[] {
  const pages = [FRONT_PAGE, ...story.categories.map((c) => categoryPath(c.slug)), ...story.tags.map((t) => tagPath(t.slug)), ...story.authors.map((a) => authorPath(a.slug))]
  return pages.flatMap((page) => Object.values(feedPaths(page)).map((feed) => baseUrl + feed))
}

export const COMMENTS_FEEDS = { rss: '/comments/feed/', atom: '/comments/feed/atom/', json: '/comments/feed/json/' } as const

export const SITEMAP_INDEX = '/sitemap.xml'
export const NEWS_SITEMAP = '/news-sitemap.xml'
export const articleSitemap = (n: number) => `/sitemap-articles-${n}.xml`
export const taxonomySitemap = (kind: 'categories' | 'tags' | 'authors') => `/sitemap-${kind}.xml`

export const SEARCH_PAGE = '/search'
/** Results page `n` for a query. */
export const searchPage = (query: string, n = 1) => `${SEARCH_PAGE}?${new URLSearchParams({ q: query, ...(n > 1 && { page: String(n) }) })}`

/** The newsroom's pages. */
export const ADMIN = {
  home: '/admin/',
  setup: '/admin/setup',
  login: '/admin/login',
  logout: '/admin/logout',
  logoutEverywhere: '/admin/logout-everywhere',
  passwordReset: '/admin/password-reset',
  profile: '/admin/profile',
  articles: '/admin/articles',
  newArticle: '/admin/articles/new',
  comments: '/admin/comments',
  users: '/admin/users',
  tokens: '/admin/tokens',
  settings: '/admin/settings',
} as const

/** The one-time link to create the first administrator. */
export function setupLink(baseUrl: string, token: string): string {
  return `${baseUrl}${ADMIN.setup}?token=${encodeURIComponent(token)}`
}

export function passwordResetLink(baseUrl: string, token: string): string {
  return `${baseUrl}${ADMIN.passwordReset}/${encodeURIComponent(token)}`
}

export function adminArticle(id: number): string {
  return `/admin/articles/${id}`
}

/** A comment in the moderation queue, as the moderators' e-mail links to it. */
export function adminComment(id: number): string {
  return `${ADMIN.comments}?comment=${id}#comment-${id}`
}

/** A path under /admin/ in printable ASCII, no backslash (so no `//evil.example`, no header-breaking characters). */
const safeNextRe = /^\/admin\/[\x21-\x5b\x5d-\x7e]*$/

/** Only a path on this site may be where sign-in sends you next (no `//evil.example`). */
export function safeNextPath(next: string | undefined): string {
  return next && safeNextRe.test(next) ? next : ADMIN.home
}
