/**
 * @module Article URLs from WordPress permalink structures (`/%year%/%monthnum%/%postname%/`),
 * both ways: building an article's path, and recognising one in a request.
 */

/** What a permalink can be built from. */
export interface PermalinkFacts {
  readonly id: number
  readonly slug: string
  readonly publishedAt: Date
  readonly category?: string
  readonly author?: string
}

/** What a request path told us; the date parts are there to check, not to look up. */
export interface PermalinkMatch {
  readonly slug?: string
  readonly id?: number
  readonly year?: number
  readonly month?: number
  readonly day?: number
}

const TAGS = {
  '%year%': { pattern: '(\\d{4})', field: 'year' },
  '%monthnum%': { pattern: '(\\d{2})', field: 'month' },
  '%day%': { pattern: '(\\d{2})', field: 'day' },
  '%hour%': { pattern: '(\\d{2})', field: null },
  '%minute%': { pattern: '(\\d{2})', field: null },
  '%second%': { pattern: '(\\d{2})', field: null },
  '%postname%': { pattern: '([^/]+)', field: 'slug' },
  '%post_id%': { pattern: '(\\d+)', field: 'id' },
  '%category%': { pattern: '((?:[^/]+/)*?[^/]+)', field: null },
  '%author%': { pattern: '([^/]+)', field: null },
} as const

type Tag = keyof typeof TAGS
const tagRe = /%[a-z_]+%/g

/**
 * The path of an article under a structure.
 * @example buildPermalink('/%year%/%monthnum%/%day%/%postname%/', { id: 7, slug: 'inmates', publishedAt: new Date('2022-08-08') })
 * // '/2022/08/08/inmates/'
 */
export function buildPermalink(structure: string, facts: PermalinkFacts): string {
  const d = facts.publishedAt
  const two = (n: number) => String(n).padStart(2, '0')
  const values: Record<Tag, string> = {
    '%year%': String(d.getUTCFullYear()),
    '%monthnum%': two(d.getUTCMonth() + 1),
    '%day%': two(d.getUTCDate()),
    '%hour%': two(d.getUTCHours()),
    '%minute%': two(d.getUTCMinutes()),
    '%second%': two(d.getUTCSeconds()),
    '%postname%': encodeURIComponent(facts.slug),
    '%post_id%': String(facts.id),
    '%category%': encodeURIComponent(facts.category ?? 'uncategorized'),
    '%author%': encodeURIComponent(facts.author ?? 'staff'),
  }
  return structure.replace(tagRe, (tag) => (tag in values ? values[tag as Tag] : tag))
}

/** A matcher for one structure; build once, use for every request. */
export function permalinkMatcher(structure: string): (path: string) => PermalinkMatch | undefined {
  const fields: (string | null)[] = []
  let pattern = '^'
  let last = 0
  for (const m of structure.matchAll(tagRe)) {
    pattern += escapeRegExp(structure.slice(last, m.index))
    const tag = TAGS[m[0] as Tag]
    pattern += tag ? tag.pattern : escapeRegExp(m[0])
    if (tag) fields.push(tag.field)
    last = m.index + m[0].length
  }
  pattern += escapeRegExp(structure.slice(last).replace(/\/$/, '')) + '/?$'
  const re = new RegExp(pattern)
  return (path) => {
    const m = re.exec(path)
    if (!m) return undefined
    const out: { slug?: string; id?: number; year?: number; month?: number; day?: number } = {}
    fields.forEach((field, i) => {
      const raw = m[i + 1]!
      if (field === 'slug') out.slug = safeDecode(raw)
      else if (field === 'id' || field === 'year' || field === 'month' || field === 'day') out[field] = Number(raw)
    })
    if (out.slug === undefined && out.id === undefined) return undefined
    return out
  }
}

/** Whether the date parts found in a path agree with the article's date. */
export function datePartsAgree(match: PermalinkMatch, publishedAt: Date): boolean {
  return (
    (match.year === undefined || match.year === publishedAt.getUTCFullYear()) &&
    (match.month === undefined || match.month === publishedAt.getUTCMonth() + 1) &&
    (match.day === undefined || match.day === publishedAt.getUTCDate())
  )
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** The permalink path of a published article under a structure. */
export function articlePath(
  structure: string,
  a: { id: number; slug: string; publishedAt: Date; categories: readonly { slug: string }[]; authors: readonly { slug: string }[]; kind?: 'post' | 'page' },
): string {
  // A page answers at its slug whatever the structure, as in WordPress.
  if (a.kind === 'page') return `/${encodeURIComponent(a.slug)}/`
  return buildPermalink(structure, {
    id: a.id,
    slug: a.slug,
    publishedAt: a.publishedAt,
    ...(a.categories[0] && { category: a.categories[0].slug }),
    ...(a.authors[0] && { author: a.authors[0].slug }),
  })
}
