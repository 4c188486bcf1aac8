/** @module The moderation queue: tabs by state, each comment with its article, its author's record and the spam filter's reasons. */
import type { User } from '../../../accounts/accounts.ts'
import type { ModeratedComment, StatusCounts } from '../../../comments/comments.ts'
import { html, raw } from '../../html.ts'
import { ADMIN } from '../../urls.ts'
import type { SiteContext } from '../layout.ts'
import { adminFrame, csrfField } from './frame.ts'

const TABS = [
  { status: 'pending', label: 'Pending' },
  { status: 'approved', label: 'Approved' },
  { status: 'spam', label: 'Spam' },
  { status: 'trash', label: 'Trash' },
] as const
export type QueueTab = (typeof TABS)[number]['status']

export interface QueueView {
  readonly tab: QueueTab
  readonly comments: readonly ModeratedComment[]
  readonly counts: StatusCounts
  readonly records: Map<string, StatusCounts>
  readonly articles: Map<number, { title: string; url?: string }>
  readonly page: number
  readonly pages: number
  /** The comment being edited, with its Markdown source. */
  readonly editing?: { readonly id: number; readonly source: string }
}

const when = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

function record(r: StatusCounts | undefined): string {
  if (!r) return 'first comment'
  const parts = [r.approved && `${r.approved} approved`, r.pending && `${r.pending} pending`, r.spam && `${r.spam} spam`, r.trash && `${r.trash} in the trash`].filter(Boolean)
  return parts.join(', ') || 'first comment'
}

const actions = [
  { status: 'approved', label: 'Approve', key: 'a' },
  { status: 'spam', label: 'Spam', key: 's' },
  { status: 'trash', label: 'Trash', key: 'd' },
  { status: 'pending', label: 'Unapprove', key: '' },
] as const

export function renderQueue(site: SiteContext, user: User, csrf: string, q: QueueView, notice?: string): string {
  const tabUrl = (status: string, page = 1) => `${ADMIN.comments}?status=${status}${page > 1 ? `&page=${page}` : ''}`
  return adminFrame(
    site,
    { title: 'Comments', user, csrf, current: 'comments', ...(notice && { notice }) },
    html`<nav aria-label="Comment states"><ul class="tabs">${TABS.map(
      (t) => html`<li><a href="${tabUrl(t.status)}"${q.tab === t.status ? raw(' aria-current="page"') : ''}>${t.label} (<span data-count="${t.status}">${q.counts[t.status]}</span>)</a></li>`,
    )}</ul></nav>
<p class="shortcuts" id="shortcuts">Keyboard: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>a</kbd> approve, <kbd>s</kbd> spam, <kbd>d</kbd> trash, <kbd>r</kbd> reply, <kbd>u</kbd> undo.</p>
<p id="live" class="sr-only" role="status" aria-live="polite"></p>
${q.comments.length === 0 ? html`<p>No comments here.</p>` : ''}
<form method="post" action="${ADMIN.comments}/bulk" id="bulk">${csrfField(csrf)}<input type="hidden" name="tab" value="${q.tab}"></form>
<ol class="queue" aria-describedby="shortcuts">${q.comments.map((c) => {
      const article = q.articles.get(c.articleId)
      return html`<li id="comment-${c.id}" data-id="${c.id}" data-status="${c.status}" data-tab="${q.tab}" data-author="${c.authorName}" tabindex="-1" aria-label="Comment by ${c.authorName}">
<p><input type="checkbox" form="bulk" name="ids" value="${c.id}" aria-label="Select the comment by ${c.authorName}"> <span class="who">${c.authorName}</span> <span class="meta">${c.authorEmail}${c.authorUrl ? html` · ${c.authorUrl}` : ''}${c.authorIp ? html` · ${c.authorIp}` : ''} · ${when(c.createdAt)} · ${record(q.records.get(c.authorEmail))}</span></p>
<p class="meta">On ${article?.url ? html`<a href="${article.url}#comment-${c.id}">${article.title}</a>` : (article?.title ?? `article ${c.articleId}`)}${c.parentId ? html` · in reply to comment ${c.parentId}` : ''} · <span class="status status-${c.status}">${c.status}</span>${c.spamScore !== null ? html` · spam score ${Math.round(c.spamScore * 100)}%` : ''}</p>
${q.editing?.id === c.id
        ? html`<form method="post" action="${ADMIN.comments}/${c.id}/edit">${csrfField(csrf)}<label for="edit-${c.id}">Comment text</label><textarea id="edit-${c.id}" name="content" rows="5">${q.editing?.source ?? ''}</textarea><div class="actions"><button type="submit">Save</button> <a href="${tabUrl(q.tab)}#comment-${c.id}">Cancel</a></div></form>`
        : html`<div class="content">${raw(c.contentHtml)}</div>`}
${c.reasons.length ? html`<ul class="reasons" aria-label="Why the filter decided so">${c.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
<form method="post" action="${ADMIN.comments}/${c.id}/moderate" class="moderate row-actions">${csrfField(csrf)}<input type="hidden" name="tab" value="${q.tab}">
${actions.filter((a) => a.status !== c.status).map((a) => html`<button type="submit" name="status" value="${a.status}" class="secondary"${a.key ? html` aria-keyshortcuts="${a.key}"` : ''}>${a.label}</button>`)}
<a href="${tabUrl(q.tab)}&amp;edit=${c.id}#comment-${c.id}">Edit</a></form>
${c.status === 'approved' ? html`<details class="reply"><summary>Reply</summary><form method="post" action="${ADMIN.comments}/${c.id}/reply">${csrfField(csrf)}<input type="hidden" name="tab" value="${q.tab}"><label for="reply-${c.id}">Your reply to ${c.authorName}</label><textarea id="reply-${c.id}" name="content" rows="3" required></textarea><div class="actions"><button type="submit">Post reply</button></div></form></details>` : ''}
</li>`
    })}</ol>
${q.comments.length ? html`<div class="actions"><label for="bulk-status">With the selected comments</label><select id="bulk-status" name="status" form="bulk">${actions.map((a) => html`<option value="${a.status}">${a.label}</option>`)}</select><button type="submit" form="bulk" class="secondary">Apply</button></div>` : ''}
<nav class="actions" aria-label="Pages">${q.page > 1 ? html`<a href="${tabUrl(q.tab, q.page - 1)}">← Newer</a>` : ''} <span>Page ${q.page} of ${q.pages}</span> ${q.page < q.pages ? html`<a href="${tabUrl(q.tab, q.page + 1)}">Older →</a>` : ''}</nav>`,
  )
}
