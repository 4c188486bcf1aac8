/** @module A story as listing pages show it: kicker, headline, standfirst, byline line, and its image when it has one. */
import type { PublishedArticle } from '../../articles/articles.ts'
import type { MediaRecord } from '../../media/media.ts'
import { categoryPath } from '../urls.ts'
import { html, type SafeHtml } from '../html.ts'
import { commentCountLabel, longDate } from './format.ts'
import type { SiteContext } from './layout.ts'
import { picture } from './picture.ts'

/** What every card on a page shares: where stories live, their comment counts and images. */
export interface CardContext {
  readonly permalink: (article: PublishedArticle) => string
  readonly commentCounts: ReadonlyMap<number, number>
  readonly images: ReadonlyMap<number, MediaRecord>
}

/**
 * `lead`: the front page's top story, image large and loaded first. `standard`: image beside (wide)
 * or above (narrow) the text. `compact`: headline and date only, image small.
 */
export type CardSize = 'lead' | 'standard' | 'compact'

/** How wide each size's image is drawn, for `sizes`. */
const IMAGE_SIZES: Record<CardSize, string> = {
  lead: '(min-width: 72rem) 42rem, (min-width: 48rem) 58vw, calc(100vw - 2.5rem)',
  standard: '(min-width: 48rem) 16rem, calc(100vw - 2.5rem)',
  compact: '(min-width: 48rem) 12rem, 30vw',
}

export interface CardOptions {
  readonly size: CardSize
  /** The headline's level: 2 under the page's h1, 3 inside a titled block. */
  readonly level: 2 | 3
  /** The kicker is left out inside the section's own block. */
  readonly kicker?: boolean
}

export function storyCard(site: SiteContext, cards: CardContext, a: PublishedArticle, options: CardOptions): SafeHtml {
  const section = a.categories[0]
  const url = cards.permalink(a)
  const image = a.imageId === null ? undefined : cards.images.get(a.imageId)
  const comments = cards.commentCounts.get(a.id) ?? 0
  const headline = html`<a href="${url}">${a.title}</a>`
  const s = site.settings
  return html`<article class="card card-${options.size}${image ? ' has-image' : ''}">
${image ? html`<div class="card-image">${picture(image, { sizes: IMAGE_SIZES[options.size], loading: options.size === 'lead' ? 'eager' : 'lazy' })}</div>` : ''}
<div class="card-text">
${section && options.kicker !== false ? html`<p class="kicker"><a href="${categoryPath(section.slug)}">${section.name}</a></p>` : ''}
${options.level === 2 ? html`<h2 class="card-title">${headline}</h2>` : html`<h3 class="card-title">${headline}</h3>`}
${a.standfirst && options.size !== 'compact' ? html`<p class="card-standfirst">${a.standfirst}</p>` : ''}
<p class="meta">${a.authors.length && options.size !== 'compact' ? html`${a.authors.map((au) => au.displayName).join(', ')} · ` : ''}<time datetime="${a.publishedAt.toISOString()}">${longDate(a.publishedAt, s.language, s.timeZone)}</time>${
    options.size !== 'compact' ? html` · <a href="${url}#comments">${commentCountLabel(comments)}</a>` : ''
  }</p>
</div>
</article>`
}
