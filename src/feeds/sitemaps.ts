/**
 * @module Sitemaps (sitemaps.org 0.9), the Google News sitemap and robots.txt, as documents.
 * Pure: the caller gives absolute URLs and dates.
 */

/** At most this many ids go in one article sitemap (the protocol allows 50,000 URLs a file). */
export const ARTICLE_IDS_PER_SITEMAP = 10_000
/** Google News reads articles of the last two days, at most 1,000 a sitemap. */
export const NEWS_WINDOW_MS = 48 * 3600_000
export const NEWS_MAX = 1000

export interface SitemapUrl {
  readonly url: string
  readonly lastModified?: Date
}

export interface NewsUrl {
  readonly url: string
  readonly title: string
  readonly published: Date
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>\n'

/** Text and attribute values in XML: the five characters that could end them. */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
}

const lastmod = (d: Date | undefined) => (d ? `<lastmod>${d.toISOString()}</lastmod>` : '')

export function sitemapIndex(sitemaps: readonly SitemapUrl[]): string {
  const entries = sitemaps.map((s) => `<sitemap><loc>${xmlEscape(s.url)}</loc>${lastmod(s.lastModified)}</sitemap>`)
  return `${xmlHead}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`
}

export function urlSet(urls: readonly SitemapUrl[]): string {
  const entries = urls.map((u) => `<url><loc>${xmlEscape(u.url)}</loc>${lastmod(u.lastModified)}</url>`)
  return `${xmlHead}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`
}

/** Google News: the publication's name and language (ISO 639: `en`, or `zh-cn`/`zh-tw`). */
export function newsSitemap(publication: { name: string; language: string }, articles: readonly NewsUrl[]): string {
  const language = newsLanguage(publication.language)
  const entries = articles.map(
    (a) =>
      `<url><loc>${xmlEscape(a.url)}</loc><news:news><news:publication><news:name>${xmlEscape(publication.name)}</news:name>` +
      `<news:language>${language}</news:language></news:publication><news:publication_date>${a.published.toISOString()}</news:publication_date>` +
      `<news:title>${xmlEscape(a.title)}</news:title></news:news></url>`,
  )
  return `${xmlHead}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n${entries.join('\n')}\n</urlset>\n`
}

function newsLanguage(locale: string): string {
  const lower = locale.toLowerCase()
  if (lower.startsWith('zh')) return /tw|hk|hant/.test(lower) ? 'zh-tw' : 'zh-cn'
  return lower.split('-')[0]!
}

export function robotsTxt(sitemaps: readonly string[]): string {
  return ['User-agent: *', 'Disallow: /api/v1/admin/', 'Disallow: /privacy/confirm', '', ...sitemaps.map((s) => `Sitemap: ${s}`), ''].join('\n')
}
