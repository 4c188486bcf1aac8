/**
 * @module The front page: the date line, the lead story with its image, the secondary stories,
 * "Most recent", and a block for each of the site's sections.
 */
import type { PublishedArticle, Term } from '../../articles/articles.ts'
import { categoryPath, FRONT_PAGE, listingPage } from '../urls.ts'
import { html, type SafeHtml } from '../html.ts'
import { dateLine, timeOfDay } from './format.ts'
import { layout, type SiteContext } from './layout.ts'
import { storyCard, type CardContext } from './story-card.ts'
import { webSiteJsonLd } from './story-list.ts'

/** Stories under the lead, beside it on wide screens. */
export const SECONDARY_STORIES = 4
/** Stories in each section's block. */
export const SECTION_STORIES = 4

export interface FrontPageView extends CardContext {
  readonly now: Date
  /** The newest stories, as the first page of the listing holds them: lead, secondary, then "Most recent". */
  readonly stories: readonly PublishedArticle[]
  readonly sections: readonly { readonly term: Term; readonly stories: readonly PublishedArticle[] }[]
  /** Whether older stories exist (page 2). */
  readonly more: boolean
}

export function renderFrontPage(site: SiteContext, view: FrontPageView): string {
  const s = site.settings
  const [lead, ...rest] = view.stories
  const secondary = rest.slice(0, SECONDARY_STORIES)
  const recent = rest.slice(SECONDARY_STORIES)
  const today = view.now
  const body = html`<p class="dateline"><time datetime="${isoDay(today, s.timeZone)}">${dateLine(today, s.language, s.timeZone)}</time></p>
<h1 class="skip">${s.title}</h1>
${lead ? '' : html`<p>No stories yet.</p>`}
${lead ? html`<section class="top-stories" aria-label="Top stories">
${storyCard(site, view, lead, { size: 'lead', level: 2 })}
${secondary.length ? html`<div class="secondary">${secondary.map((a) => storyCard(site, view, a, { size: 'standard', level: 2 }))}</div>` : ''}
</section>` : ''}
${recent.length || view.more ? mostRecent(site, view, recent) : ''}
${view.sections.filter((b) => b.stories.length).map((b) => sectionBlock(site, view, b.term, b.stories))}`
  return layout(site, { title: s.title, canonical: site.baseUrl + FRONT_PAGE, description: s.tagline, head: webSiteJsonLd(site), wide: true }, body).value
}

function mostRecent(site: SiteContext, view: FrontPageView, stories: readonly PublishedArticle[]): SafeHtml {
  const s = site.settings
  return html`<section class="most-recent" aria-labelledby="most-recent">
<h2 id="most-recent" class="block-title">Most recent</h2>
${stories.length ? html`<ol>${stories.map((a) => html`<li><time datetime="${a.publishedAt.toISOString()}">${timeOfDay(a.publishedAt, s.language, s.timeZone)}</time> <a href="${view.permalink(a)}">${a.title}</a></li>`)}</ol>` : ''}
${view.more ? html`<p class="more"><a href="${listingPage(FRONT_PAGE, 2)}" rel="next">More stories →</a></p>` : ''}
</section>`
}

function sectionBlock(site: SiteContext, view: FrontPageView, term: Term, stories: readonly PublishedArticle[]): SafeHtml {
  return html`<section class="section-block" aria-labelledby="section-${term.slug}">
<h2 id="section-${term.slug}" class="block-title"><a href="${categoryPath(term.slug)}">${term.name}</a></h2>
<div class="cards">${stories.map((a) => storyCard(site, view, a, { size: 'compact', level: 3, kicker: false }))}</div>
</section>`
}

const isoDayFormats = new Map<string, Intl.DateTimeFormat>()

/** `2026-12-02`: the calendar day in the site's time zone (Canadian English writes dates as ISO does). */
function isoDay(date: Date, timeZone: string): string {
  let f = isoDayFormats.get(timeZone)
  if (!f) isoDayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })))
  return f.format(date)
}
