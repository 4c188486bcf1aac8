/** @module The article page: the story, its credits and rights, and its comments. */
import type { PublishedArticle } from '../../articles/articles.ts'
import type { PublicComment } from '../../comments/comments.ts'
import { copyrightLine, creditPrefix, reuseParagraphs } from '../../rights/notices.ts'
import { authorPath, categoryPath, commentAnchor, CORRECTIONS_PAGE, FRONT_PAGE, PRIVACY_PAGE, replyLink, REUSE_PAGE, tagPath } from '../urls.ts'
import { html, raw, type SafeHtml } from '../html.ts'
import type { MediaRecord } from '../../media/media.ts'
import { commentCountLabel, longDate, timeOfDay } from './format.ts'
import { storyCard, type CardContext } from './story-card.ts'
import { creditLine, figure, largestJpegUrl } from './picture.ts'
import { layout, publisherOf, type SiteContext } from './layout.ts'

export interface ArticleView {
  readonly article: PublishedArticle
  /** Absolute URL of the article on this site. */
  readonly url: string
  readonly comments: readonly PublicComment[]
  /** With comments in pages: which page this is, of how many, and each page's address (absolute). */
  readonly commentPages?: CommentPages
  /** Every approved comment of the article, on every page. */
  readonly commentCount: number
  /** Whether readers may comment now (open, and not past the site's closing age). */
  readonly commentsOpen: boolean
  readonly commentForm: CommentFormState
  /** The featured image, shown under the byline. */
  readonly image?: MediaRecord | undefined
  /** The reader's own comment, not yet approved: shown to them alone (the link with its token went only to them). */
  readonly heldComment?: PublicComment
  /** Stories sharing its categories or tags, with what their cards need. */
  readonly related?: { readonly stories: readonly PublishedArticle[]; readonly cards: CardContext }
}

export interface CommentPages {
  readonly page: number
  readonly pages: number
  readonly href: (n: number) => string
}

/** How wide the lead image is drawn: the column (44rem less padding) on wide screens, the screen on phones. */
const LEAD_IMAGE_SIZES = '(min-width: 44rem) 41.5rem, calc(100vw - 2.5rem)'

/** What the "Leave a Reply" form needs to render. */
export interface CommentFormState {
  readonly postUrl: string
  /** Signed token with the time the form was served (a spam signal). */
  readonly renderToken: string
  /** Name of the hidden field that only robots fill. */
  readonly honeypotName: string
  readonly replyTo?: { readonly id: number; readonly authorName: string }
  /** Values remembered from the commenter's cookie, when they opted in. */
  readonly remembered?: { readonly author: string; readonly email: string; readonly url: string }
  readonly notice?: string
  /** The form as the reader posted it, when it could not be accepted. */
  readonly echo?: CommentFormEcho
}

/** What the reader wrote, and what was wrong: by field, or `form` for the form as a whole. */
export interface CommentFormEcho {
  readonly values: { readonly content: string; readonly author: string; readonly email: string; readonly url: string }
  readonly errors: Partial<Record<'content' | 'author' | 'email' | 'url' | 'form', string>>
}

export function renderArticlePage(site: SiteContext, view: ArticleView): string {
  const { article: a, url } = view
  const s = site.settings
  const section = a.categories[0]
  const canonical = a.canonicalUrl ?? url
  // A page of comments is a page of its own (WordPress's canonical for comment-page-N/); the story's identity (og:url, JSON-LD) stays the article.
  const pages = view.commentPages
  const pageUrl = pages ? pages.href(pages.page) : url
  const updated = a.updatedAt.getTime() - a.publishedAt.getTime() > 60_000
  const body = html`<article class="story">
${section ? html`<p class="kicker"><a href="${categoryPath(section.slug)}">${section.name}</a></p>` : ''}
<h1 class="headline">${a.title}</h1>
${a.standfirst ? html`<p class="standfirst">${a.standfirst}</p>` : ''}
<p class="byline">${a.authors.length ? html`By ${byline(a)} · ` : ''}<time datetime="${a.publishedAt.toISOString()}">${dateAndTime(a.publishedAt, s)}</time>${
    updated ? html` · Updated <time datetime="${a.updatedAt.toISOString()}">${dateAndTime(a.updatedAt, s)}</time>` : ''
  } · <a href="#comments">${commentsLabel(view)}</a></p>
${view.image ? figure(view.image, { sizes: LEAD_IMAGE_SIZES, loading: 'eager', className: 'lead-image' }) : ''}
${correctionsBox(site, a)}
<div class="article-body">${raw(a.bodyHtml)}</div>
${a.credits.length ? html`<ul class="credits" aria-label="Credits">${a.credits.map((c) => html`<li>${creditPrefix(c)}${c.url ? html`<a href="${c.url}" rel="noopener">${c.name}</a>` : c.name}</li>`)}</ul>` : ''}
${a.canonicalUrl ? html`<p class="rights">This article was first published at <a href="${a.canonicalUrl}">${hostOf(a.canonicalUrl)}</a>.</p>` : ''}
<p class="rights">${copyrightLine(s.copyrightHolder, a.publishedAt)}. ${reuseParagraphs(s.reusePolicy)[0] ?? ''} <a href="${REUSE_PAGE}">Our reuse policy</a>.</p>
${a.tags.length ? html`<p class="terms">Tags: ${a.tags.map((t) => html`<a href="${tagPath(t.slug)}" rel="tag">${t.name}</a>`)}</p>` : ''}
${shareLinks(a.title, canonical)}
</article>
${view.related?.stories.length ? html`<section class="related" aria-labelledby="related-title"><h2 id="related-title" class="block-title">Related stories</h2><div class="cards">${view.related.stories.map((r) => storyCard(site, view.related!.cards, r, { size: 'compact', level: 3 }))}</div></section>` : ''}
${commentsSection(site, view)}`
  return layout(
    site,
    {
      title: pages && pageUrl !== url ? `${a.title} – comments page ${pages.page}` : a.title,
      canonical: a.canonicalUrl ?? pageUrl,
      description: a.standfirst || undefined,
      head: html`${pages && pages.page > 1 ? html`<link rel="prev" href="${pages.href(pages.page - 1)}">
` : ''}${pages && pages.page < pages.pages ? html`<link rel="next" href="${pages.href(pages.page + 1)}">
` : ''}<meta property="og:type" content="article">
<meta property="og:title" content="${a.title}">
<meta property="og:url" content="${canonical}">
<meta property="og:site_name" content="${s.title}">
${a.standfirst ? html`<meta property="og:description" content="${a.standfirst}">` : ''}
<meta property="article:published_time" content="${a.publishedAt.toISOString()}">
<meta property="article:modified_time" content="${a.updatedAt.toISOString()}">
${section ? html`<meta property="article:section" content="${section.name}">` : ''}
${a.tags.map((t) => html`<meta property="article:tag" content="${t.name}">`)}
${imageMeta(site, view.image)}
<meta name="twitter:title" content="${a.title}">
${a.standfirst ? html`<meta name="twitter:description" content="${a.standfirst}">` : ''}
<script type="application/ld+json">${raw(jsonLd(site, a, canonical, view.commentCount, view.image))}</script>`,
    },
    body,
  ).value
}

/** The article's corrections, above its text as newsrooms print them, each dated. */
function correctionsBox(site: SiteContext, a: PublishedArticle): SafeHtml | '' {
  if (a.corrections.length === 0) return ''
  return html`<aside class="corrections" aria-labelledby="corrections-title">
<h2 id="corrections-title">${a.corrections.length === 1 ? 'Correction' : 'Corrections'}</h2>
<ol>${a.corrections.map((c) => html`<li id="correction-${c.id}"><time datetime="${c.publishedAt.toISOString()}">${longDate(c.publishedAt, site.settings.language)}</time>${raw(c.html)}</li>`)}</ol>
<p class="note"><a href="${CORRECTIONS_PAGE}">All corrections</a></p>
</aside>`
}

/** Open Graph and Twitter card tags for the featured image (a large card), or the plain summary card. */
function imageMeta(site: SiteContext, image: MediaRecord | undefined): SafeHtml {
  const url = image && largestJpegUrl(image, site.baseUrl)
  if (!image || !url) return html`<meta name="twitter:card" content="summary">`
  return html`<meta property="og:image" content="${url}">
${image.width && image.height ? html`<meta property="og:image:width" content="${image.width}">
<meta property="og:image:height" content="${image.height}">` : ''}
<meta property="og:image:alt" content="${image.alt}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:image" content="${url}">
<meta name="twitter:image:alt" content="${image.alt}">`
}

/** schema.org ImageObject of the featured image, with its credit, copyright and licence. */
function imageObject(site: SiteContext, image: MediaRecord, publishedAt: Date) {
  const url = largestJpegUrl(image, site.baseUrl)
  return {
    '@type': 'ImageObject',
    url,
    contentUrl: url,
    ...(image.width && image.height && { width: image.width, height: image.height }),
    caption: image.caption || image.alt,
    ...(image.credit && { creditText: creditLine(image.credit) }),
    copyrightNotice: image.credit ? `© ${image.credit}` : copyrightLine(site.settings.copyrightHolder, publishedAt),
    license: site.baseUrl + REUSE_PAGE,
    acquireLicensePage: site.baseUrl + REUSE_PAGE,
  }
}

/** "8 August 2022, 10:15 BST" in the site's time zone. */
function dateAndTime(date: Date, s: SiteContext['settings']): string {
  return `${longDate(date, s.language, s.timeZone)}, ${timeOfDay(date, s.language, s.timeZone)}`
}

/** Plain links to share the story: nothing is loaded from the services until a reader follows one. */
function shareLinks(title: string, url: string): SafeHtml {
  const u = encodeURIComponent(url)
  const t = encodeURIComponent(title)
  const links = [
    ['E-mail', `mailto:?subject=${t}&body=${u}`],
    ['Bluesky', `https://bsky.app/intent/compose?text=${t}%20${u}`],
    ['X', `https://x.com/intent/post?text=${t}&url=${u}`],
    ['Facebook', `https://www.facebook.com/sharer/sharer.php?u=${u}`],
    ['LinkedIn', `https://www.linkedin.com/sharing/share-offsite/?url=${u}`],
    ['WhatsApp', `https://wa.me/?text=${t}%20${u}`],
  ] as const
  return html`<nav class="share" aria-label="Share this story"><span>Share:</span> ${links.map(([name, href]) => html`<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${name}</a> `)}</nav>`
}

function byline(a: PublishedArticle): SafeHtml[] {
  return a.authors.map((au, i) => {
    const sep = i === 0 ? '' : i === a.authors.length - 1 ? ' and ' : ', '
    return html`${sep}<a href="${authorPath(au.slug)}" rel="author">${au.displayName}</a>`
  })
}

/** "3 Comments"; at zero, an invitation while comments are open and the plain fact when they are closed. */
function commentsLabel(view: ArticleView): string {
  if (view.commentCount === 0 && !view.commentsOpen) return 'Comments are closed'
  return commentCountLabel(view.commentCount)
}

function commentsSection(site: SiteContext, view: ArticleView): SafeHtml {
  const { commentForm: form } = view
  return html`<section class="comments" id="comments" aria-labelledby="comments-title">
<h2 id="comments-title">${view.commentCount === 0 && !view.commentsOpen ? 'Comments' : commentCountLabel(view.commentCount)}</h2>
${view.comments.length ? html`<ol class="comment-list">${view.comments.map((c) => commentItem(site, view, c))}</ol>` : ''}
${view.commentPages && view.commentPages.pages > 1 ? commentPager(view.commentPages) : ''}
${view.heldComment ? heldCommentItem(site, view.heldComment) : ''}
${view.commentsOpen ? replyForm(view, form) : html`<p class="note">Comments are closed.</p>`}
</section>`
}

/** Links to the other pages of comments, each to its comments section; page 1 holds the oldest. */
function commentPager(p: CommentPages): SafeHtml {
  const numbers = Array.from({ length: p.pages }, (_, i) => i + 1).filter((n) => n === 1 || n === p.pages || Math.abs(n - p.page) <= 2)
  return html`<nav class="pager comment-pager" aria-label="Comment pages">
<span>${p.page > 1 ? html`<a href="${p.href(p.page - 1)}#comments" rel="prev">← Older comments</a>` : ''}</span>
<span class="pages">${numbers.map((n, i) => html`${i > 0 && n - numbers[i - 1]! > 1 ? '… ' : ''}${n === p.page ? html`<span aria-current="page">${n}</span> ` : html`<a href="${p.href(n)}#comments">${n}</a> `}`)}</span>
<span>${p.page < p.pages ? html`<a href="${p.href(p.page + 1)}#comments" rel="next">Newer comments →</a>` : ''}</span>
</nav>`
}

/** The poster's own held comment, as WordPress shows it to its author: marked, and to them only. */
function heldCommentItem(site: SiteContext, c: PublicComment): SafeHtml {
  return html`<div class="comment held" id="comment-${c.id}">
<p class="who">${c.authorName} <time datetime="${c.createdAt.toISOString()}">${longDate(c.createdAt, site.settings.language, site.settings.timeZone)}</time></p>
<p class="awaiting"><em>Your comment is awaiting moderation.</em> Only you can see it until an editor approves it.</p>
<div class="text">${raw(c.contentHtml)}</div>
</div>`
}

function commentItem(site: SiteContext, view: ArticleView, c: PublicComment): SafeHtml {
  const name = c.authorUrl ? html`<a href="${c.authorUrl}" rel="nofollow ugc noopener">${c.authorName}</a>` : c.authorName
  return html`<li class="comment" id="comment-${c.id}">
<p class="who">${name} <a class="when" href="${commentAnchor('', c.id)}"><time datetime="${c.createdAt.toISOString()}">${longDate(c.createdAt, site.settings.language, site.settings.timeZone)}</time></a></p>
<div class="text">${raw(c.contentHtml)}</div>
${view.commentsOpen ? html`<a class="reply-link" href="${replyLink(c.id)}" rel="nofollow">Reply</a>` : ''}
${c.replies.length ? html`<ol>${c.replies.map((r) => commentItem(site, view, r))}</ol>` : ''}
</li>`
}

function replyForm(view: ArticleView, form: CommentFormState): SafeHtml {
  const articleId = view.article.id
  const r = form.remembered
  const echo = form.echo
  const value = (field: 'author' | 'email' | 'url') => echo?.values[field] ?? r?.[field] ?? ''
  const errorOf = (field: keyof CommentFormEcho['errors']) => echo?.errors[field]
  const described = (field: 'content' | 'author' | 'email' | 'url') => (errorOf(field) ? html` aria-invalid="true" aria-describedby="error-${field}"` : '')
  const fieldError = (field: 'content' | 'author' | 'email' | 'url') => {
    const message = errorOf(field)
    return message ? html`<p class="field-error" id="error-${field}">${message}</p>` : ''
  }
  return html`<div class="reply" id="respond">
<h2>${form.replyTo ? html`Reply to ${form.replyTo.authorName}` : 'Leave a Reply'}</h2>
${form.notice ? html`<p class="notice" role="status">${form.notice}</p>` : ''}
${echo ? html`<p class="notice error" role="alert">${errorOf('form') ?? 'Your comment was not posted: please correct the field marked below.'}</p>` : ''}
<form method="post" action="${form.postUrl}" id="commentform">
<p class="required">Your email address will not be published. Required fields are marked *</p>
<input type="hidden" name="article_id" value="${articleId}">
<input type="hidden" name="parent_id" value="${form.replyTo?.id ?? ''}">
<input type="hidden" name="render_token" value="${form.renderToken}">
<label>Comment *<textarea name="content" rows="7" maxlength="10000" required${described('content')}>${echo?.values.content ?? ''}</textarea></label>${fieldError('content')}
<label>Name *<input type="text" name="author" maxlength="100" autocomplete="name" required value="${value('author')}"${described('author')}></label>${fieldError('author')}
<label>Email *<input type="email" name="email" maxlength="254" autocomplete="email" required value="${value('email')}"${described('email')}></label>${fieldError('email')}
<label>Website<input type="url" name="url" maxlength="500" autocomplete="url" value="${value('url')}"${described('url')}></label>${fieldError('url')}
<div class="hp" aria-hidden="true"><label>Leave this field empty<input type="text" name="${form.honeypotName}" tabindex="-1" autocomplete="off"></label></div>
<label class="consent"><input type="checkbox" name="remember" value="yes"${r ? raw(' checked') : ''}> Save my name, email, and website in this browser for the next time I comment.</label>
<label class="consent"><input type="checkbox" name="notify_replies" value="yes"> Notify me of replies to my comment by email.</label>
<button type="submit">Post Comment</button>
${form.replyTo ? html`<a href="${view.commentPages ? view.commentPages.href(view.commentPages.page) : view.url}#respond">Cancel reply</a>` : ''}
<p class="note">This site filters spam locally. <a href="${PRIVACY_PAGE}">Learn how your comment data is processed.</a></p>
</form>
</div>`
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * The page's structured data: one schema.org NewsArticle (with its rights, credits and comment
 * count) and its BreadcrumbList. `<` is escaped so that no value can close the script element.
 */
function jsonLd(site: SiteContext, a: PublishedArticle, canonical: string, commentCount: number, image: MediaRecord | undefined): string {
  const s = site.settings
  const reuse = site.baseUrl + REUSE_PAGE
  const section = a.categories[0]
  const article = {
    '@type': 'NewsArticle',
    '@id': `${canonical}#article`,
    headline: a.title,
    description: a.standfirst || undefined,
    url: canonical,
    mainEntityOfPage: canonical,
    datePublished: a.publishedAt.toISOString(),
    dateModified: a.updatedAt.toISOString(),
    ...(image && { image: imageObject(site, image, a.publishedAt) }),
    author: a.authors.map((au) => ({ '@type': 'Person', name: au.displayName, url: site.baseUrl + authorPath(au.slug) })),
    publisher: publisherOf(site),
    copyrightHolder: { '@type': 'Organization', name: s.copyrightHolder },
    copyrightYear: a.publishedAt.getUTCFullYear(),
    copyrightNotice: `${copyrightLine(s.copyrightHolder, a.publishedAt)}. ${reuseParagraphs(s.reusePolicy)[0] ?? ''}`.trim(),
    license: reuse,
    usageInfo: reuse,
    ...(a.credits.length && {
      creditText: a.credits.map((c) => `${creditPrefix(c)}${c.name}`).join('; '),
      isBasedOn: [
        ...(a.canonicalUrl ? [{ '@type': 'CreativeWork', url: a.canonicalUrl }] : []),
        ...a.credits.filter((c) => c.url).map((c) => ({ '@type': 'CreativeWork', name: `${creditPrefix(c)}${c.name}`, url: c.url })),
      ],
    }),
    commentCount,
    isAccessibleForFree: true,
    inLanguage: s.language,
    keywords: a.tags.map((t) => t.name).join(', ') || undefined,
    articleSection: section?.name,
    ...(a.corrections.length && {
      correction: a.corrections.map((c) => ({ '@type': 'CorrectionComment', text: c.text, datePublished: c.publishedAt.toISOString() })),
    }),
  }
  const crumbs = [
    { name: s.title, url: site.baseUrl + FRONT_PAGE },
    ...(section ? [{ name: section.name, url: site.baseUrl + categoryPath(section.slug) }] : []),
    { name: a.title, url: canonical },
  ]
  const breadcrumbs = {
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.name, item: c.url })),
  }
  return JSON.stringify({ '@context': 'https://schema.org', '@graph': [article, breadcrumbs] }).replace(/</g, '\\u003c')
}
