/** @module An article's revisions: every save, a diff between any two, and restoring one. */
import type { User } from '../../../accounts/accounts.ts'
import type { EditableArticle } from '../../../articles/articles.ts'
import type { Revision, RevisionDiff } from '../../../articles/revisions.ts'
import { html, raw } from '../../html.ts'
import { adminArticle } from '../../urls.ts'
import type { SiteContext } from '../layout.ts'
import { adminFrame, csrfField } from './frame.ts'

const when = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

export function renderRevisions(site: SiteContext, user: User, csrf: string, article: EditableArticle, revisions: readonly Revision[], diff: RevisionDiff | undefined, mayRestore: boolean): string {
  const newest = revisions.at(-1)?.number ?? 0
  const from = diff?.from.number ?? Math.max(1, newest - 1)
  const to = diff?.to.number ?? newest
  const options = (selected: number) => revisions.map((r) => html`<option value="${r.number}"${r.number === selected ? raw(' selected') : ''}>${r.number} — ${when(r.savedAt)}, ${r.savedBy.name}</option>`)
  return adminFrame(
    site,
    { title: `Revisions of “${article.title}”`, user, csrf, current: 'articles' },
    html`<p><a href="${adminArticle(article.id)}">← Back to the editor</a></p>
${revisions.length < 2 ? html`<p>This article has ${revisions.length === 1 ? 'one revision' : 'no revisions'} so far: there is nothing to compare yet.</p>` : html`<form method="get" action="${adminArticle(article.id)}/revisions" class="filters">
<div><label for="from">Compare revision</label><select id="from" name="from">${options(from)}</select></div>
<div><label for="to">with revision</label><select id="to" name="to">${options(to)}</select></div>
<div><button type="submit">Compare</button></div></form>`}
${diff ? html`<section class="panel" aria-labelledby="diff-title"><h2 id="diff-title">Changes from revision ${diff.from.number} to ${diff.to.number}</h2>
${diff.changes.length === 0 ? html`<p>The two revisions say the same.</p>` : diff.changes.map((c) => html`<h3>${c.field}</h3><p class="diff">${c.parts.map((p) => (p.kind === 'added' ? html`<ins>${p.text}</ins>` : p.kind === 'removed' ? html`<del>${p.text}</del>` : p.text))}</p>`)}</section>` : ''}
<div class="table-wrap"><table><caption class="sr-only">Every save of this article, newest first</caption>
<thead><tr><th scope="col">#</th><th scope="col">Saved</th><th scope="col">By</th><th scope="col">Headline</th><th scope="col">Status</th>${mayRestore ? html`<th scope="col"><span class="sr-only">Restore</span></th>` : ''}</tr></thead>
<tbody>${[...revisions].reverse().map((r) => html`<tr><td>${r.number}</td><td>${when(r.savedAt)}</td><td>${r.savedBy.name}</td><td>${r.title}</td><td>${r.status}</td>${mayRestore ? html`<td>${r.number === newest ? 'current' : html`<form method="post" action="${adminArticle(article.id)}/revisions/${r.number}/restore">${csrfField(csrf)}<button type="submit" class="secondary" aria-label="Restore revision ${r.number}">Restore</button></form>`}</td>` : ''}</tr>`)}</tbody></table></div>`,
  )
}
