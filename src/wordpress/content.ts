/**
 * @module WordPress post content into our article HTML: Gutenberg block comments are unwrapped,
 * classic content gets WordPress's automatic paragraphs, `[caption]` becomes a figure with its
 * caption, `[embed]` a link; other shortcodes stay as text and are counted for the summary.
 * The result is sanitized by the articles module's policy.
 */
import { sanitizeArticleHtml } from '../articles/markdown.ts'

/** Shortcodes met and left as text, by name, with how often. */
export type ShortcodeTally = Map<string, number>

const blockCommentRe = /<!--\s*(\/)?wp:([a-z][\w/-]*)(\s+\{[\s\S]*?\})?\s*(\/)?-->/g
const hasBlocksRe = /<!--\s*wp:/
const moreRe = /<!--(?:more|noteaser|nextpage)(?:\s[^>]*)?-->/g
const captionRe = /\[caption([^\]]*)\]([\s\S]*?)\[\/caption\]/g
const captionAttrRe = /\bcaption=(?:"([^"]*)"|'([^']*)')/
const captionMediaRe = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i
const embedRe = /\[embed[^\]]*\]\s*(https?:\/\/[^\s[]+)\s*\[\/embed\]/g
const shortcodeRe = /\[([a-zA-Z][\w-]*)(?=[\s\]/])[^\]]*\]/g
const BLOCK_TAGS = 'table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|object|embed|video|audio|script|noscript'
const blockOpenRe = new RegExp(`(<(?:${BLOCK_TAGS})(?=[\\s/>])[^>]*>)`, 'gi')
const blockCloseRe = new RegExp(`(</(?:${BLOCK_TAGS})>)`, 'gi')
const startsWithBlockRe = new RegExp(`^</?(?:${BLOCK_TAGS})(?=[\\s/>])`, 'i')
const preRe = /<pre\b[\s\S]*?<\/pre>/gi

/**
 * Our HTML for a post's `content:encoded`.
 * @example convertContent('Hello\n\nWorld', new Map()) // '<p>Hello</p>\n<p>World</p>'
 */
export function convertContent(raw: string, tally: ShortcodeTally): string {
  const blocks = hasBlocksRe.test(raw)
  let html = raw.replace(/\r\n?/g, '\n')
  if (blocks) {
    html = html.replace(blockCommentRe, (_m, _close, name: string, _attrs, selfClosing) => {
      // Dynamic blocks (latest posts, a form) have no content of their own to keep.
      if (selfClosing) count(tally, `block ${name}`)
      return '\n'
    })
  }
  html = html.replace(moreRe, '')
  html = html.replace(captionRe, (_m, attrs: string, inner: string) => figure(attrs, inner))
  html = html.replace(embedRe, (_m, url: string) => `<p><a href="${url}">${url}</a></p>`)
  for (const m of html.matchAll(shortcodeRe)) count(tally, m[1]!)
  if (!blocks) html = autop(html)
  return sanitizeArticleHtml(html).trim()
}

/** A comment's text: WordPress stores it with line breaks, which its theme turns into paragraphs. */
export function convertCommentText(raw: string): string {
  return autop(raw.replace(/\r\n?/g, '\n'))
}

function figure(attrs: string, inner: string): string {
  const m = captionMediaRe.exec(inner)
  const attrCaption = captionAttrRe.exec(attrs)
  const media = m ? m[1]! : inner
  const caption = (attrCaption ? (attrCaption[1] ?? attrCaption[2] ?? '') : (m?.[2] ?? '')).trim()
  return `<figure>${media}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`
}

/** WordPress's automatic paragraphs, in short: blank lines part paragraphs, single ones are breaks. */
function autop(text: string): string {
  if (!text.trim()) return ''
  const kept: string[] = []
  let html = text.replace(preRe, (pre) => `\u0000${kept.push(pre) - 1}\u0000`)
  html = html.replace(blockOpenRe, '\n\n$1').replace(blockCloseRe, '$1\n\n')
  const paragraphs = html
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (startsWithBlockRe.test(p) || /^\u0000\d+\u0000$/.test(p) ? p : `<p>${p.replace(/\n/g, '<br>\n')}</p>`))
  return paragraphs.join('\n').replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)]!)
}

function count(tally: ShortcodeTally, name: string): void {
  tally.set(name, (tally.get(name) ?? 0) + 1)
}
