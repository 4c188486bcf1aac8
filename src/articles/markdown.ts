/**
 * @module Article bodies: Markdown (with the raw HTML editors paste in) rendered once at save
 * time and sanitized by the embed policy (text/embed-policy.ts), so that pages serve stored HTML
 * that cannot carry script or load anything from another host.
 */
import MarkdownIt from 'markdown-it'
import { sanitizeArticleHtml } from '../text/embed-policy.ts'

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: true })

/**
 * Renders an article body to safe HTML.
 * @example renderArticleBody('Hello <script>x()</script>**world**') // '<p>Hello <strong>world</strong></p>\n'
 */
export function renderArticleBody(source: string): string {
  return sanitizeArticleHtml(markdown.render(source))
}

/** Cleans HTML that arrives as HTML (imports, the admin editor) by the same policy. */
export { sanitizeArticleHtml }
