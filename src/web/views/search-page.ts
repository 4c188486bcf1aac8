/** @module The search page: the box, the count, and each result with its highlighted snippet. */
import type { SearchResults, SnippetPart } from '../../search/search.ts'
import { html, type SafeHtml } from '../html.ts'
import { searchPage } from '../urls.ts'
import { longDate } from './format.ts'
import { layout, searchForm, type SiteContext } from './layout.ts'

export interface SearchView {
  readonly found: SearchResults
  readonly permalink: (article: SearchResults['results'][number]['article']) => string
}

export function renderSearchPage(site: SiteContext, view: SearchView): string {
  const { found } = view
  const query = found.query.trim()
  const heading = query ? html`Search results for “${query}”` : html`Search`
  const body = html`<h1 class="headline">${heading}</h1>
${searchForm(query, 'search-page-query')}
${query ? html`<p class="meta" role="status">${matchCount(found)}</p>` : ''}
<ol class="story-list">${found.results.map(
    (r) => html`<li>
<h2><a href="${view.permalink(r.article)}">${r.article.title}</a></h2>
<p class="snippet">${marked(r.snippet)}</p>
<p class="meta"><time datetime="${r.article.publishedAt.toISOString()}">${longDate(r.article.publishedAt, site.settings.language, site.settings.timeZone)}</time></p>
</li>`,
  )}</ol>
${found.pages > 1 ? pager(found) : ''}`
  return layout(site, { title: query ? `Search: ${query}` : 'Search', canonical: site.baseUrl + searchPage(query), noindex: true }, body).value
}

function matchCount(found: SearchResults): string {
  if (found.more) return `More than ${found.total.toLocaleString('en')} stories match; the newest ${found.total.toLocaleString('en')} are shown, best matches first.`
  if (found.total === 0) return 'No stories match.'
  return found.total === 1 ? '1 story matches.' : `${found.total.toLocaleString('en')} stories match.`
}

function marked(parts: readonly SnippetPart[]): SafeHtml[] {
  return parts.map((p) => (p.matched ? html`<mark>${p.text}</mark>` : html`${p.text}`))
}

function pager(found: SearchResults): SafeHtml {
  const { page, pages, query } = found
  return html`<nav class="pager" aria-label="More results">
<span>${page > 1 ? html`<a href="${searchPage(query, page - 1)}" rel="prev">← Better matches</a>` : ''}</span>
<span>Page ${page} of ${pages}</span>
<span>${page < pages ? html`<a href="${searchPage(query, page + 1)}" rel="next">More results →</a>` : ''}</span>
</nav>`
}
