/**
 * @module What an article or a comment may embed: the one sanitizer policy for stored HTML
 * (written out in docs/embed-policy.md). Article bodies keep the HTML of news writing (headings,
 * lists, tables, figures, pictures) and links to anywhere; they load nothing from another host,
 * as the site's footer promises (DESIGN §8): an image or a video from elsewhere becomes a link to
 * it. Comments keep a little inline Markdown.
 */
import sanitizeHtml from 'sanitize-html'

/** Hosts whose video players an article may name; the player becomes a link the reader may follow. */
export const VIDEO_HOSTS: readonly string[] = ['www.youtube-nocookie.com', 'www.youtube.com', 'youtube.com', 'player.vimeo.com']

/** URL schemes an article's links may use (relative links need none). */
export const ARTICLE_LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto', 'tel']
/** URL schemes a comment's links may use. */
export const COMMENT_LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto']

/** A stand-in origin for resolving addresses as a browser would, to tell this site's from another's. */
const OWN = 'https://own.invalid'

/**
 * Whether an address, resolved as the browser resolves it against one of our pages, stays on
 * this site: `/media/…` or `photo.jpg`, but not `//elsewhere`, `/\elsewhere`, a scheme or `data:`.
 * @example isOnThisSite('/media/ab12.jpg') // true
 */
export function isOnThisSite(address: string): boolean {
  try {
    return new URL(address, `${OWN}/2026/01/01/story/`).origin === OWN
  } catch {
    return false
  }
}

/** A srcset survives only if every image it offers is this site's. */
function ownSrcset(srcset: string | undefined): string | undefined {
  if (!srcset) return undefined
  const candidates = srcset.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '')
  return candidates.every((c) => c !== '' && isOnThisSite(c)) ? srcset : undefined
}

function withoutEmpty(attribs: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(attribs).filter((e): e is [string, string] => e[1] !== undefined))
}

/**
 * An image: this site's stays an image; another host's becomes a link to it named by its alt
 * text; anything else (data:, javascript:, no address) is left as its alt text.
 */
const image: sanitizeHtml.Transformer = (_tag, attribs): sanitizeHtml.Tag => {
  const src = attribs.src ?? ''
  if (src && isOnThisSite(src)) return { tagName: 'img', attribs: withoutEmpty({ ...attribs, srcset: ownSrcset(attribs.srcset), loading: 'lazy' }) }
  const alt = attribs.alt?.trim() || attribs.title?.trim() || ''
  if (/^https?:\/\//i.test(src.trim())) return { tagName: 'a', attribs: { href: src.trim() }, text: alt || `Image on ${hostOf(src) ?? 'another site'}` }
  return { tagName: 'span', attribs: {}, text: alt }
}

/** A `<source>` of a `<picture>` keeps its srcset only if it offers this site's images (and goes without one: see `exclusiveFilter`). */
const pictureSource: sanitizeHtml.Transformer = (_tag, attribs): sanitizeHtml.Tag => ({ tagName: 'source', attribs: withoutEmpty({ ...attribs, srcset: ownSrcset(attribs.srcset) }) })

/** A video player from a listed host becomes a link to the video; any other frame is dropped. */
const frame: sanitizeHtml.Transformer = (_tag, attribs): sanitizeHtml.Tag => {
  const src = (attribs.src ?? '').trim()
  const host = hostOf(src)
  if (host && src.toLowerCase().startsWith('https://') && VIDEO_HOSTS.includes(host)) {
    return { tagName: 'a', attribs: { href: src }, text: attribs.title?.trim() || `Watch the video on ${host}` }
  }
  // Left as a frame, which the policy does not allow: dropped with what it holds.
  return { tagName: 'iframe', attribs: {} }
}

function hostOf(address: string): string | undefined {
  try {
    return new URL(address.trim()).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

const articlePolicy: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    'img', 'figure', 'figcaption', 'picture', 'source', 'del', 'ins', 'sup', 'sub', 'mark', 'details', 'summary',
  ],
  allowedAttributes: {
    a: ['href', 'name', 'title', 'rel'],
    img: ['src', 'srcset', 'alt', 'title', 'width', 'height', 'loading'],
    source: ['srcset', 'type', 'media'],
    td: ['colspan', 'rowspan', 'align'],
    th: ['colspan', 'rowspan', 'align', 'scope'],
    ol: ['start', 'reversed'],
    '*': ['id', 'lang', 'dir'],
  },
  allowedSchemes: [...ARTICLE_LINK_SCHEMES],
  // Images are judged by `image` above: only this site's, which need no scheme.
  allowedSchemesByTag: { img: [], source: [] },
  allowProtocolRelative: false,
  selfClosing: [...sanitizeHtml.defaults.selfClosing, 'source'],
  // A dropped frame takes its fallback text with it (it is shown only where frames are not).
  // (embed and frame are void elements: nothing to drop, and naming them here would swallow what follows.)
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object'],
  transformTags: { img: image, source: pictureSource, iframe: frame },
  exclusiveFilter: (element) => element.tag === 'source' && !element.attribs.srcset,
}

const commentPolicy: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: [...COMMENT_LINK_SCHEMES],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener' }) },
}

/**
 * HTML for an article body by the article policy (Markdown output, imports, the editor's HTML).
 * @example sanitizeArticleHtml('<img src="https://elsewhere.example/a.jpg" alt="Quay">') // '<a href="https://elsewhere.example/a.jpg">Quay</a>'
 */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, articlePolicy)
}

/**
 * HTML for a comment by the comment policy.
 * @example sanitizeCommentHtml('<p><a href="https://example.org">x</a></p>') // '<p><a href="https://example.org" rel="nofollow ugc noopener">x</a></p>'
 */
export function sanitizeCommentHtml(html: string): string {
  return sanitizeHtml(html, commentPolicy)
}
