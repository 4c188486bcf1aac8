/**
 * @module Comment text: a safe subset of Markdown (paragraphs, emphasis, links, quotes, code).
 * Raw HTML is shown as text; links are marked as user content and not endorsed.
 */
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true }).enable([
  'paragraph', 'newline', 'emphasis', 'link', 'linkify', 'autolink', 'blockquote', 'backticks', 'code', 'fence', 'escape', 'entity',
])

const policy: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener' }) },
}

/** @example renderCommentText('See *this*: https://example.org') */
export function renderCommentText(source: string): string {
  return sanitizeHtml(markdown.render(source), policy)
}

/** One link, however it is written: an `<a …>` tag (with the address in it), an address with its scheme, or a bare `www.` one. */
const linkRe = /<a\s[^>]*>?|\bhttps?:\/\/[^\s<>"')\]]*|\bwww\.[^\s<>"')\]]*/gi

/** Links a comment carries, as the "hold on N links" rule counts them. */
export function countLinks(source: string): number {
  return (source.match(linkRe) ?? []).length
}
