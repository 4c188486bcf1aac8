/**
 * @module Article bodies: Markdown (with the raw HTML editors paste in) rendered once at save
 * time and sanitized, so that pages serve stored HTML that cannot carry script.
 */
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: true })

const articleHtmlPolicy: sanitizeHtml.IOptions = {
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
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
  transformTags: {
    img: sanitizeHtml.simpleTransform('img', { loading: 'lazy' }),
  },
}

/**
 * Renders an article body to safe HTML.
 * @example renderArticleBody('Hello <script>x()</script>**world**') // '<p>Hello <strong>world</strong></p>\n'
 */
export function renderArticleBody(source: string): string {
  return sanitizeArticleHtml(markdown.render(source))
}

/** Cleans HTML that arrives as HTML (imports, the admin editor) by the same policy. */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, articleHtmlPolicy)
}
