/** @module Pages that list stories: the front page and the category, tag and author archives. */
import type { ArticlePage, PublishedArticle } from '../../articles/articles.ts'
import { categoryPath, FRONT_PAGE, listingPage, SEARCH_PAGE } from '../urls.ts'
import { html, raw, type SafeHtml } from '../html.ts'
import { commentCountLabel, longDate } from './format.ts'
import { layout, publisherOf, type SiteContext } from './layout.ts'

export interface StoryListView {
  readonly heading?: string
  readonly intro?: string
  readonly listing: ArticlePage
  /** Path of page 1, e.g. `/` or `/category/world/`; later pages add `page/N/`. */
  readonly basePath: string
  readonly permalink: (article: PublishedArticle) => string
  readonly commentCounts: ReadonlyMap<number, number>
}

export function renderStoryList(site: SiteContext, view: StoryListView): string {
  const { listing } = view
  const s = site.settings
  const title = view.heading ?? s.title
  const body = html`${view.heading ? html`<h1 class="headline">${view.heading}</h1>` : html`<h1 class="skip">${s.title}</h1>`}
${view.intro ? html`<p class="standfirst">${view.intro}</p>` : ''}
${listing.articles.length === 0 ? html`<p>No stories yet.</p>` : ''}
<ol class="story-list">${listing.articles.map((a) => storyItem(site, view, a))}</ol>
${pager(view)}`
  return layout(
    site,
    {
      title: listing.page > 1 ? `${title} – page ${listing.page}` : title,
      canonical: site.baseUrl + listingPage(view.basePath, listing.page),
      description: view.intro ?? s.tagline,
      ...(view.basePath === FRONT_PAGE && listing.page === 1 && { head: html`<script type="application/ld+json">${raw(webSiteJsonLd(site))}</script>` }),
    },
    body,
  ).value
}

/** The site as schema.org knows it, with the search box search engines may offer. */
function webSiteJsonLd(site: SiteContext): string {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: site.settings.title,
    url: site.baseUrl + FRONT_PAGE,
    inLanguage: site.settings.language,
    publisher: publisherOf(site),
    potentialAction: {
      '@type': 'SearchAction',
      target: { '@type': 'EntryPoint', urlTemplate: `${site.baseUrl}${SEARCH_PAGE}?q={search_term_string}` },
      'query-input': 'required name=search_term_string',
    },
  }
  return JSON.stringify(data).replace(/</g, '\\u003c')
}

function storyItem(site: SiteContext, view: StoryListView, a: PublishedArticle): SafeHtml {
  const section = a.categories[0]
  const comments = view.commentCounts.get(a.id) ?? 0
  return html`<li>
${section ? html`<p class="kicker"><a href="${categoryPath(section.slug)}">${section.name}</a></p>` : ''}
<h2><a href="${view.permalink(a)}">${a.title}</a></h2>
${a.standfirst ? html`<p>${a.standfirst}</p>` : ''}
<p class="meta">${a.authors.length ? html`${a.authors.map((au) => au.displayName).join(', ')} · ` : ''}<time datetime="${a.publishedAt.toISOString()}">${longDate(a.publishedAt, site.settings.language)}</time> · <a href="${view.permalink(a)}#comments">${commentCountLabel(comments)}</a></p>
</li>`
}

function pager(view: StoryListView): SafeHtml {
  const { page, pages } = view.listing
  if (pages <= 1) return html``
  return html`<nav class="pager" aria-label="More stories">
<span>${page > 1 ? html`<a href="${listingPage(view.basePath, page - 1)}" rel="prev">← Newer stories</a>` : ''}</span>
<span>Page ${page} of ${pages}</span>
<span>${page < pages ? html`<a href="${listingPage(view.basePath, page + 1)}" rel="next">Older stories →</a>` : ''}</span>
</nav>`
}
