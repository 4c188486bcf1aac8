/** @module The page frame every reader page shares: head, masthead, navigation, footer. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { SiteSettings } from '../../settings/settings.ts'
import type { Term } from '../../articles/articles.ts'
import { APP_ICON, categoryPath, feedPaths, FRONT_PAGE, MANIFEST, PRIVACY_PAGE, REUSE_PAGE, SEARCH_PAGE, SITE_ICON } from '../urls.ts'
import { html, raw, type SafeHtml } from '../html.ts'

export const siteCss = readFileSync(new URL('../assets/site.css', import.meta.url), 'utf8')
export const siteIcon = readFileSync(new URL('../assets/favicon.svg', import.meta.url), 'utf8')
/** Changes whenever the stylesheet does, so it can be cached for a year. */
export const siteCssPath = `/assets/site.${createHash('sha256').update(siteCss).digest('hex').slice(0, 10)}.css`

const siteFeeds = feedPaths(FRONT_PAGE)

/** What every page knows about the site it belongs to. */
export interface SiteContext {
  readonly settings: SiteSettings
  /** Public base URL without a trailing slash. */
  readonly baseUrl: string
  /** The section menu: the site's main categories, in the order the settings give. */
  readonly sections: readonly Term[]
}

export interface PageMeta {
  readonly title: string
  /** Absolute canonical URL of this page. */
  readonly canonical: string
  readonly description?: string
  /** Extra tags for the head (Open Graph, JSON-LD). */
  readonly head?: SafeHtml
  readonly noindex?: boolean
  /** A page of many stories (front page, archives): the wide column. */
  readonly wide?: boolean
  /** The section this page is, or belongs to: marked in the menu. */
  readonly section?: string | undefined
}

/** The publisher as schema.org describes a news organisation, with the site's logo. */
export function publisherOf(site: SiteContext) {
  return { '@type': 'NewsMediaOrganization', name: site.settings.title, url: site.baseUrl + FRONT_PAGE, logo: { '@type': 'ImageObject', url: site.baseUrl + SITE_ICON } }
}

/** The search box; every page has one in its navigation, and it works without JavaScript. */
export function searchForm(query: string, id: string): SafeHtml {
  return html`<form class="search" role="search" method="get" action="${SEARCH_PAGE}"><label for="${id}">Search</label> <input id="${id}" type="search" name="q" value="${query}" maxlength="200"> <button type="submit">Search</button></form>`
}

export function layout(site: SiteContext, meta: PageMeta, body: SafeHtml): SafeHtml {
  const s = site.settings
  const fullTitle = meta.title === s.title ? s.title : `${meta.title} – ${s.title}`
  return html`<!doctype html>
<html lang="${s.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
<link rel="canonical" href="${meta.canonical}">
${meta.description ? html`<meta name="description" content="${meta.description}">` : ''}
${meta.noindex ? html`<meta name="robots" content="noindex">` : ''}
<link rel="stylesheet" href="${siteCssPath}">
<link rel="icon" href="${SITE_ICON}" type="image/svg+xml">
<link rel="apple-touch-icon" href="${APP_ICON(192)}">
<link rel="manifest" href="${MANIFEST}">
<meta name="theme-color" content="#1a1a1a">
<link rel="alternate" type="application/rss+xml" title="${s.title}" href="${site.baseUrl}${siteFeeds.rss}">
<link rel="alternate" type="application/atom+xml" title="${s.title}" href="${site.baseUrl}${siteFeeds.atom}">
<link rel="alternate" type="application/feed+json" title="${s.title}" href="${site.baseUrl}${siteFeeds.json}">
${meta.head ?? ''}
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="masthead"><div class="wrap">
<a class="site-title" href="${FRONT_PAGE}">${s.title}</a>
${s.tagline ? html`<p class="tagline">${s.tagline}</p>` : ''}
</div></header>
<nav class="site-nav" aria-label="Site"><a href="${FRONT_PAGE}">Latest</a>${site.sections.map((t) => html`<a href="${categoryPath(t.slug)}"${t.slug === meta.section ? raw(' aria-current="page"') : ''}>${t.name}</a>`)}<a href="${REUSE_PAGE}">Reuse</a><a href="${PRIVACY_PAGE}">Privacy</a>${searchForm('', 'site-search')}</nav>
<main id="content" class="${meta.wide ? 'wrap wide' : 'wrap'}">
${body}
</main>
<footer class="site-footer"><div class="wrap">
<p>© ${new Date().getUTCFullYear()} ${s.copyrightHolder}. <a href="${REUSE_PAGE}">Excerpts and links may be used with full credit.</a></p>
<p>Published with Broadsheet. This site sets no tracking cookies and loads nothing from third parties.</p>
</div></footer>
</body>
</html>`
}
