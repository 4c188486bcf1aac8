/**
 * @module The site's feeds as documents: RSS 2.0 and Atom 1.0 (made by `feed`) and JSON Feed 1.1,
 * from entries the caller has already turned into absolute URLs. Pure: no database, no clock.
 */

export type FeedFormat = 'rss' | 'atom' | 'json'

export interface FeedChannel {
  readonly title: string
  readonly description: string
  /** The page the feed is the feed of (the front page, an archive, an article). */
  readonly homeUrl: string
  /** This feed's own URL in each format. */
  readonly feedUrls: Readonly<Record<FeedFormat, string>>
  /** BCP 47, e.g. `en-GB`. */
  readonly language: string
  /** The site's copyright and reuse notice, as one line. */
  readonly rights: string
  /** The WebSub hub that pushes this feed to subscribers, when the site has one. */
  readonly hub?: string
}

export interface FeedEntry {
  readonly url: string
  readonly title: string
  /** Plain text: the standfirst, or the start of a comment. */
  readonly summary: string
  /** HTML: the article (with its credits line) or the comment; absent in excerpt feeds. */
  readonly contentHtml?: string
  readonly published: Date
  readonly updated: Date
  readonly authors: readonly { readonly name: string; readonly url?: string }[]
  readonly categories?: readonly string[]
}

/** When the newest entry changed: the feed's own last change. */
export function lastModified(entries: readonly FeedEntry[], fallback: Date): Date {
  return entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), entries.length ? new Date(0) : fallback)
}

/**
 * @example await renderFeed('rss', channel, entries) // '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" …'
 */
export async function renderFeed(format: FeedFormat, channel: FeedChannel, entries: readonly FeedEntry[], updatedWhenEmpty: Date): Promise<string> {
  const updated = lastModified(entries, updatedWhenEmpty)
  if (format === 'json') return jsonFeed(channel, entries)
  // Loaded with the first RSS or Atom request, not at start.
  const { Feed } = await import('feed')
  const feed = new Feed({
    id: channel.homeUrl,
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    language: channel.language,
    copyright: channel.rights,
    updated,
    generator: 'Broadsheet',
    feedLinks: { rss: channel.feedUrls.rss, atom: channel.feedUrls.atom, json: channel.feedUrls.json },
    ...(channel.hub && { hub: channel.hub }),
  })
  for (const e of entries) {
    feed.addItem({
      title: e.title,
      id: e.url,
      guid: e.url,
      link: e.url,
      // RSS has one date, the publication's; Atom has both, and an update moves <updated>.
      date: format === 'rss' ? e.published : e.updated,
      published: e.published,
      description: e.summary,
      ...(e.contentHtml !== undefined && { content: e.contentHtml }),
      author: e.authors.map((a) => ({ name: a.name, ...(a.url && { link: a.url }) })),
      ...(e.categories && { category: e.categories.map((name) => ({ name })) }),
      copyright: channel.rights,
    })
  }
  return format === 'rss' ? feed.rss2() : feed.atom1()
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): plain JSON, nothing to escape by hand. */
function jsonFeed(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    home_page_url: channel.homeUrl,
    feed_url: channel.feedUrls.json,
    description: channel.description,
    language: channel.language,
    _rights: { notice: channel.rights },
    ...(channel.hub && { hubs: [{ type: 'WebSub', url: channel.hub }] }),
    items: entries.map((e) => ({
      id: e.url,
      url: e.url,
      title: e.title,
      summary: e.summary,
      ...(e.contentHtml !== undefined ? { content_html: e.contentHtml } : { content_text: e.summary }),
      date_published: e.published.toISOString(),
      date_modified: e.updated.toISOString(),
      authors: e.authors.map((a) => ({ name: a.name, ...(a.url && { url: a.url }) })),
      ...(e.categories?.length && { tags: e.categories }),
    })),
  })
}
