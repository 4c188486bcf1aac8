/** @module Text out of the sanitized HTML the site stores, for search, feed summaries and the like. */

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' }

/**
 * The words of an HTML fragment, tags dropped, entities read, white space squeezed. Meant for
 * HTML the site made itself (sanitized Markdown), not for arbitrary documents.
 * @example htmlToText('<p>Flood &amp; <em>fire</em></p>') // 'Flood & fire'
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => entities[e]!)
    .replace(/\s+/g, ' ')
    .trim()
}

/** The start of a text, at most `max` characters, cut with an ellipsis. */
export function excerpt(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text
}
