/** @module The corrections page: every correction to a live article, newest first, each linking to its article. */
import type { CorrectionPage, PublishedArticle } from '../../articles/articles.ts'
import { html, raw, type SafeHtml } from '../html.ts'
import { CORRECTIONS_PAGE, listingPage } from '../urls.ts'
import { longDate } from './format.ts'
import { layout, type SiteContext } from './layout.ts'

export interface CorrectionsView {
  readonly listing: CorrectionPage
  readonly permalink: (article: PublishedArticle) => string
}

export function renderCorrectionsPage(site: SiteContext, view: CorrectionsView): string {
  const { listing } = view
  const lang = site.settings.language
  const body = html`<h1 class="headline">Corrections</h1>
<p class="standfirst">When we get something wrong, we correct it and say so here and on the article.</p>
${listing.total === 0 ? html`<p>No corrections yet.</p>` : ''}
<ol class="correction-list">${listing.corrections.map(
    ({ correction: c, article: a }) => html`<li>
<p class="meta"><time datetime="${c.publishedAt.toISOString()}">${longDate(c.publishedAt, lang)}</time></p>
<h2><a href="${view.permalink(a)}#correction-${c.id}">${a.title}</a></h2>
<div class="text">${raw(c.html)}</div>
</li>`,
  )}</ol>
${pager(listing)}`
  return layout(
    site,
    { title: listing.page > 1 ? `Corrections – page ${listing.page}` : 'Corrections', canonical: site.baseUrl + listingPage(CORRECTIONS_PAGE, listing.page) },
    body,
  ).value
}

function pager({ page, pages }: CorrectionPage): SafeHtml {
  if (pages <= 1) return html``
  return html`<nav class="pager" aria-label="More corrections">
<span>${page > 1 ? html`<a href="${listingPage(CORRECTIONS_PAGE, page - 1)}" rel="prev">← Newer corrections</a>` : ''}</span>
<span>Page ${page} of ${pages}</span>
<span>${page < pages ? html`<a href="${listingPage(CORRECTIONS_PAGE, page + 1)}" rel="next">Older corrections →</a>` : ''}</span>
</nav>`
}
