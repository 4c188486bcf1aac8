/** @module The newsroom's list of articles and the editor. */
import type { User } from '../../../accounts/accounts.ts'
import { canPublishArticle, canSetBylines } from '../../../accounts/policies.ts'
import type { Article } from '../../../articles/articles.ts'
import type { EditableArticle } from '../../../articles/articles.ts'
import type { DeskPage } from '../../../articles/desk.ts'
import type { StaffUser } from '../../../accounts/accounts.ts'
import type { MediaRecord } from '../../../media/media.ts'
import type { SourceNote } from '../../../articles/source-notes.ts'
import { html, raw, type SafeHtml } from '../../html.ts'
import { figure } from '../picture.ts'
import { ADMIN, adminArticle } from '../../urls.ts'
import type { SiteContext } from '../layout.ts'
import { adminFrame, csrfField } from './frame.ts'

const STATUSES = ['draft', 'pending', 'scheduled', 'published'] as const
const statusLabel: Record<string, string> = { draft: 'Draft', pending: 'Pending review', scheduled: 'Scheduled', published: 'Published' }
const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) : '—')

export interface ArticleFilters {
  readonly status?: string
  readonly author?: number
  readonly category?: number
  readonly q?: string
}

export function renderArticleList(
  site: SiteContext,
  user: User,
  csrf: string,
  list: DeskPage,
  filters: ArticleFilters,
  choices: { authors: readonly StaffUser[]; categories: readonly { id: number; name: string }[] },
  notice?: string,
): string {
  const query = (page: number) => {
    const p = new URLSearchParams()
    if (filters.status) p.set('status', filters.status)
    if (filters.author) p.set('author', String(filters.author))
    if (filters.category) p.set('category', String(filters.category))
    if (filters.q) p.set('q', filters.q)
    if (page > 1) p.set('page', String(page))
    const s = p.toString()
    return s ? `${ADMIN.articles}?${s}` : ADMIN.articles
  }
  return adminFrame(
    site,
    { title: 'Articles', user, csrf, current: 'articles', ...(notice && { notice }) },
    html`<form class="filters" method="get" action="${ADMIN.articles}" role="search" aria-label="Filter articles">
<div><label for="f-q">Headline contains</label><input id="f-q" type="search" name="q" value="${filters.q ?? ''}" maxlength="200"></div>
<div><label for="f-status">Status</label><select id="f-status" name="status"><option value="">Any</option>${STATUSES.map((s) => html`<option value="${s}"${filters.status === s ? raw(' selected') : ''}>${statusLabel[s]}</option>`)}</select></div>
<div><label for="f-author">Author</label><select id="f-author" name="author"><option value="">Anyone</option>${choices.authors.map((a) => html`<option value="${a.id}"${filters.author === a.id ? raw(' selected') : ''}>${a.displayName}</option>`)}</select></div>
<div><label for="f-category">Category</label><select id="f-category" name="category"><option value="">Any</option>${choices.categories.map((c) => html`<option value="${c.id}"${filters.category === c.id ? raw(' selected') : ''}>${c.name}</option>`)}</select></div>
<div><button type="submit">Filter</button></div>
</form>
<form method="post" action="${ADMIN.articles}/bulk">
${csrfField(csrf)}
<div class="table-wrap"><table>
<caption class="sr-only">Articles, newest change first (${list.total})</caption>
<thead><tr><th scope="col"><span class="sr-only">Select</span></th><th scope="col">Headline</th><th scope="col">Status</th><th scope="col">By</th><th scope="col">Date</th></tr></thead>
<tbody>${list.articles.length === 0 ? html`<tr><td colspan="5">No articles match.</td></tr>` : ''}${list.articles.map(
      (a: Article) => html`<tr>
<td><input type="checkbox" name="ids" value="${a.id}" id="select-${a.id}" aria-label="Select ${a.title}"></td>
<td><a href="${adminArticle(a.id)}">${a.title}</a></td>
<td><span class="status status-${a.status}">${statusLabel[a.status] ?? a.status}</span></td>
<td>${a.authors.map((au) => au.displayName).join(', ')}</td>
<td>${when(a.publishedAt ?? a.updatedAt)}</td></tr>`,
    )}</tbody></table></div>
<div class="actions"><label for="bulk-action" class="sr-only">With the selected articles</label>
<select id="bulk-action" name="action"><option value="unpublish">Unpublish (back to draft)</option><option value="publish">Publish now</option></select>
<button type="submit" class="secondary">Apply to selected</button></div>
</form>
<nav class="actions" aria-label="Pages">${list.page > 1 ? html`<a href="${query(list.page - 1)}">← Newer</a>` : ''} <span>Page ${list.page} of ${list.pages}</span> ${list.page < list.pages ? html`<a href="${query(list.page + 1)}">Older →</a>` : ''}</nav>`,
  )
}

export interface EditorValues {
  readonly title: string
  readonly standfirst: string
  readonly body: string
  readonly slug: string
  readonly categories: string
  readonly tags: string
  readonly authors: string
  readonly credits: string
  readonly canonicalUrl: string
  readonly commentsOpen: boolean
  readonly publishAt: string
  readonly basedOn: string
}

/** The form's values for an article as stored (or empty for a new one). */
export function editorValues(a: EditableArticle | undefined): EditorValues {
  return {
    title: a?.title ?? '',
    standfirst: a?.standfirst ?? '',
    body: a?.body ?? '',
    slug: a?.slug ?? '',
    categories: a?.categories.map((c) => c.name).join(', ') ?? '',
    tags: a?.tags.map((t) => t.name).join(', ') ?? '',
    // By slug: display names need not be unique, and may hold commas.
    authors: a?.authors.map((au) => au.slug).join(', ') ?? '',
    credits: a?.credits.map((c) => `${c.role}: ${c.name}${c.url ? ` | ${c.url}` : ''}`).join('\n') ?? '',
    canonicalUrl: a?.canonicalUrl ?? '',
    commentsOpen: a?.commentsOpen ?? true,
    publishAt: a?.status === 'scheduled' && a.publishedAt ? a.publishedAt.toISOString().slice(0, 16) : '',
    basedOn: a ? String(a.revision) : '',
  }
}

export function renderEditor(
  site: SiteContext,
  user: User,
  csrf: string,
  article: EditableArticle | undefined,
  v: EditorValues,
  state: { error?: string; notice?: string; previewHtml: string; publicUrl?: string; image?: MediaRecord; notes?: readonly SourceNote[] | 'off' },
): string {
  const mayPublish = canPublishArticle(user, article ?? { status: 'draft', authors: [{ id: user.id }] })
  const action = article ? adminArticle(article.id) : ADMIN.newArticle
  const live = article?.status === 'published' || article?.status === 'scheduled'
  return adminFrame(
    site,
    { title: article ? `Edit “${article.title}”` : 'New article', user, csrf, current: article ? 'articles' : 'newArticle', ...(state.error && { error: state.error }), ...(state.notice && { notice: state.notice }) },
    html`${article ? html`<p>Status: <span class="status status-${article.status}">${statusLabel[article.status] ?? article.status}</span>${state.publicUrl ? html` · <a href="${state.publicUrl}">View on the site</a>` : ''}</p>` : ''}
<div class="editor">
<form class="article-editor panel" method="post" action="${action}"${article ? html` data-article-id="${article.id}" data-status="${article.status}"` : ''}>
${csrfField(csrf)}<input type="hidden" name="revision" value="${v.basedOn}">
<label for="title">Title</label><input id="title" name="title" type="text" required maxlength="300" value="${v.title}">
<label for="standfirst">Standfirst</label><textarea id="standfirst" name="standfirst" maxlength="1000" rows="3">${v.standfirst}</textarea>
<label for="body">Body</label><textarea id="body" name="body" class="body" aria-describedby="body-hint">${v.body}</textarea>
<p class="hint" id="body-hint">Markdown: a blank line between paragraphs, ## for a subheading, [text](https://…) for a link, &gt; for a quote.</p>
<fieldset><legend>Details</legend>
<label for="slug">Slug</label><input id="slug" name="slug" type="text" maxlength="200" value="${v.slug}" aria-describedby="slug-hint">
<p class="hint" id="slug-hint">The last part of the address; made from the title when empty. Changing it keeps the old address working (it redirects).</p>
<label for="categories">Categories</label><input id="categories" name="categories" type="text" value="${v.categories}" aria-describedby="categories-hint">
<p class="hint" id="categories-hint">Separated by commas; the first is the story's section.</p>
<label for="tags">Tags</label><input id="tags" name="tags" type="text" value="${v.tags}">
${canSetBylines(user) ? html`<label for="authors">Byline</label><input id="authors" name="authors" type="text" value="${v.authors}" aria-describedby="authors-hint"><p class="hint" id="authors-hint">Authors' short names (as in their /author/ address) or e-mail addresses, separated by commas; empty means you.</p>` : ''}
<label for="credits">Credits</label><textarea id="credits" name="credits" rows="3" aria-describedby="credits-hint">${v.credits}</textarea>
<p class="hint" id="credits-hint">One a line: <code>Original reporting: CNN | https://edition.cnn.com/…</code></p>
<label for="canonical">Canonical URL</label><input id="canonical" name="canonical_url" type="url" value="${v.canonicalUrl}" aria-describedby="canonical-hint">
<p class="hint" id="canonical-hint">For a syndicated piece: the original's address.</p>
<label class="inline-check"><input type="checkbox" name="comments_open" value="1"${v.commentsOpen ? raw(' checked') : ''}> Comments open</label>
</fieldset>
<fieldset><legend>Publishing</legend>
${mayPublish ? html`<label for="publish-at">Publish at (UTC)</label><input id="publish-at" name="publish_at" type="datetime-local" value="${v.publishAt}" aria-describedby="publish-at-hint"><p class="hint" id="publish-at-hint">For “Schedule”: when the article goes live.</p>` : html`<p>Your role saves drafts and submits them for review; an editor publishes them.</p>`}
<div class="actions">
<button type="submit" name="action" value="draft" class="secondary">${live ? 'Update' : 'Save draft'}</button>
${mayPublish ? html`<button type="submit" name="action" value="publish">Publish</button><button type="submit" name="action" value="schedule" class="secondary">Schedule</button>${live ? html`<button type="submit" name="action" value="unpublish" class="secondary">Unpublish</button>` : ''}` : html`<button type="submit" name="action" value="pending">Submit for review</button>`}
</div></fieldset>
<p id="live" class="hint" role="status" aria-live="polite"></p>
</form>
${article && mayPublish ? imageForm(article.id, csrf, state.image) : ''}
${article && mayPublish && live ? correctionForm(article, csrf) : ''}
${article ? html`<p><a href="${adminArticle(article.id)}/revisions">Revisions (${article.revision})</a></p>` : ''}
${article && state.notes ? notesSection(article.id, csrf, state.notes) : ''}
<section aria-labelledby="preview-heading"><h2 id="preview-heading">Preview</h2><div id="preview" class="preview">${raw(state.previewHtml)}</div></section>
</div>`,
  )
}

/** The featured image: what leads the article now, and a form to upload another (through the media pipeline) or remove it. */
function imageForm(id: number, csrf: string, image: MediaRecord | undefined): SafeHtml {
  const action = `${adminArticle(id)}/image?_csrf=${encodeURIComponent(csrf)}`
  return html`<section class="panel" aria-labelledby="image-heading"><h2 id="image-heading">Featured image</h2>
${image ? html`${figure(image, { sizes: '20rem', loading: 'lazy', className: 'figure' })}<form method="post" action="${action}"><button type="submit" class="secondary">Remove image</button></form>` : html`<p>No image yet.</p>`}
<form method="post" action="${action}" enctype="multipart/form-data">
<label for="image-file">Image file</label><input id="image-file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif,image/avif" required aria-describedby="image-hint">
<p class="hint" id="image-hint">JPEG, PNG, WebP, GIF or AVIF, up to 50 MB. Location and camera data are removed.</p>
<label for="image-alt">Alt text</label><input id="image-alt" name="alt" type="text" required maxlength="500" aria-describedby="alt-hint">
<p class="hint" id="alt-hint">What the image shows, for readers who cannot see it.</p>
<label for="image-caption">Image caption</label><input id="image-caption" name="caption" type="text" maxlength="500">
<label for="image-credit">Image credit</label><input id="image-credit" name="credit" type="text" maxlength="200" placeholder="Jane Roe / Agency">
<div class="actions"><button type="submit">Upload image</button></div>
</form></section>`
}

/** Corrections to a live article: those made, and a form for a new one (readers see it above the text, dated). */
function correctionForm(article: EditableArticle, csrf: string): SafeHtml {
  return html`<section class="panel" aria-labelledby="corrections-heading"><h2 id="corrections-heading">Corrections</h2>
${article.corrections.length ? html`<ol>${article.corrections.map((c) => html`<li><time datetime="${c.publishedAt.toISOString()}">${c.publishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time> ${raw(c.html)}</li>`)}</ol>` : html`<p>None.</p>`}
<form method="post" action="${adminArticle(article.id)}/corrections">${csrfField(csrf)}
<label for="correction">New correction</label><textarea id="correction" name="text" rows="3" required aria-describedby="correction-hint"></textarea>
<p class="hint" id="correction-hint">Say what was wrong and what is right: “An earlier version of this article gave the wrong date for the vote.” It is published at once, dated, above the article.</p>
<div class="actions"><button type="submit">Add correction</button></div>
</form></section>`
}

/** Private source notes: never shown to readers, readable here by the article's authors and editors only. */
function notesSection(id: number, csrf: string, notes: readonly SourceNote[] | 'off'): SafeHtml {
  return html`<section class="panel" aria-labelledby="notes-heading"><h2 id="notes-heading">Private source notes</h2>
${notes === 'off'
    ? html`<p>Source notes are off: they are kept encrypted, and this site has no key yet (set <code>BROADSHEET_SECRET_KEY</code>).</p>`
    : html`<p class="hint">Who a source is and how to reach them. Encrypted at rest; never published, exported or searched; only this article's authors and editors see them.</p>
${notes.length ? html`<ul>${notes.map((n) => html`<li><strong>${n.writtenBy.name}</strong>, ${n.writtenAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${n.text}</li>`)}</ul>` : ''}
<form method="post" action="${adminArticle(id)}/notes">${csrfField(csrf)}<label for="note">New note</label><textarea id="note" name="text" rows="3" required></textarea><div class="actions"><button type="submit">Add note</button></div></form>`}
</section>`
}
