/**
 * @module Comment text: a safe subset of Markdown (paragraphs, emphasis, links, quotes, code).
 * Raw HTML is shown as text; links are marked as user content and not endorsed.
 */
import MarkdownIt from 'markdown-it'
import { sanitizeCommentHtml } from '../text/embed-policy.ts'

const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true }).enable([
  'paragraph', 'newline', 'emphasis', 'link', 'linkify', 'autolink', 'blockquote', 'backticks', 'code', 'fence', 'escape', 'entity',
])

/** @example renderCommentText('See *this*: https://example.org') */
export function renderCommentText(source: string): string {
  return sanitizeCommentHtml(markdown.render(source))
}

/** One link, however it is written: an `<a …>` tag (with the address in it), an address with its scheme, or a bare `www.` one. */
const linkRe = /<a\s[^>]*>?|\bhttps?:\/\/[^\s<>"')\]]*|\bwww\.[^\s<>"')\]]*/gi

/** Links a comment carries, as the "hold on N links" rule counts them. */
export function countLinks(source: string): number {
  return (source.match(linkRe) ?? []).length
}
