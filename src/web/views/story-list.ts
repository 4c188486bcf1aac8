/** @module Pages that list stories as cards, with pagination: the front page's later pages and the category, tag and author archives. */
import type { ArticlePage } from '../../articles/articles.ts'
import { FRONT_PAGE, listingPage, SEARCH_PAGE } from '../urls.ts'
import { html, raw, type SafeHtml } from '../html.ts'
import { layout, publisherOf, type SiteContext } from './layout.ts'
import { storyCard, type CardContext } from './story-card.ts'

/** What the page is: "Section" and "Local", "Topic" and "Flooding", "Author" and "Tom Reyes". */
export interface ListingHeading {
  readonly kind: string
  readonly title: string
}

export interface StoryListView extends CardContext {
  readonly heading?: ListingHeading
  /** Under the heading: an author's bio, a category's description. */
  readonly intro?: string
  readonly listing: ArticlePage
  /** Path of page 1, e.g. `/` or `/category/world/`; later pages add `page/N/`. */
  readonly basePath: string
  /** The section this listing is (marked in the menu). */
  readonly section?: string
}

export function renderStoryList(site: SiteContext, view: StoryListView): string {
  const { listing } = view
  const s = site.settings
  const title = view.heading?.title ?? s.title
  const body = html`${view.heading ? html`<header class="listing-head"><p class="kicker">${view.heading.kind}</p><h1 class="headline">${view.heading.title}</h1>${view.intro ? html`<p class="standfirst">${view.intro}</p>` : ''}</header>` : html`<h1 class="skip">${s.title}</h1>`}
${listing.articles.length === 0 ? html`<p>No stories yet.</p>` : ''}
<ol class="story-list">${listing.articles.map((a) => html`<li>${storyCard(site, view, a, { size: 'standard', level: 2 })}</li>`)}</ol>
${pager(view)}`
  return layout(
    site,
    {
      title: listing.page > 1 ? `${title} – page ${listing.page}` : title,
      canonical: site.baseUrl + listingPage(view.basePath, listing.page),
      description: view.intro ?? s.tagline,
      wide: true,
      section: view.section,
    },
    body,
  ).value
}

/** The site as schema.org knows it, with the search box search engines may offer. */
export function webSiteJsonLd(site: SiteContext): SafeHtml {
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
  return html`<script type="application/ld+json">${raw(JSON.stringify(data).replace(/</g, '\\u003c'))}</script>`
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
