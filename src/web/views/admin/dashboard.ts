/** @module The newsroom's front page: what waits for whom, and the last 30 days of comments. */
import type { User } from '../../../accounts/accounts.ts'
import type { Article } from '../../../articles/articles.ts'
import type { DayCounts } from '../../../comments/comments.ts'
import { html, type SafeHtml } from '../../html.ts'
import { ADMIN, adminArticle } from '../../urls.ts'
import type { SiteContext } from '../layout.ts'
import { adminFrame } from './frame.ts'

export interface Dashboard {
  readonly drafts: readonly Article[]
  readonly pendingReview: readonly Article[]
  readonly scheduled: readonly Article[]
  readonly commentsAwaiting: number | undefined
  readonly perDay: readonly DayCounts[]
}

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '')

function articleList(list: readonly Article[], empty: string, showDate = false): SafeHtml {
  if (list.length === 0) return html`<p>${empty}</p>`
  return html`<ul>${list.map((a) => html`<li><a href="${adminArticle(a.id)}">${a.title}</a>${showDate ? html` — ${when(a.publishedAt)}` : ''}</li>`)}</ul>`
}

const SERIES = [
  { key: 'approved', label: 'Approved', color: '#17633a' },
  { key: 'held', label: 'Held for moderation', color: '#b26b00' },
  { key: 'spam', label: 'Spam', color: '#a11919' },
] as const

/** A stacked bar chart as SVG (no script), with the same figures in a table for screen readers. */
export function commentsChart(days: readonly DayCounts[]): SafeHtml {
  const width = 600
  const height = 160
  const barWidth = width / Math.max(1, days.length)
  const max = Math.max(1, ...days.map((d) => d.approved + d.held + d.spam))
  const bars = days.map((d, i) => {
    let y = height
    return SERIES.map((s) => {
      const h = (d[s.key] / max) * (height - 10)
      y -= h
      return h > 0 ? html`<rect x="${(i * barWidth + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"></rect>` : ''
    })
  })
  const total = (k: (typeof SERIES)[number]['key']) => days.reduce((n, d) => n + d[k], 0)
  return html`<figure class="chart">
<svg viewBox="0 0 ${width} ${height + 20}" role="img" aria-labelledby="chart-title"><title id="chart-title">Comments per day, last ${days.length} days: ${total('approved')} approved, ${total('held')} held, ${total('spam')} spam</title>
<line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="#888"></line>${bars}
<text x="0" y="${height + 16}" font-size="12">${days[0]?.day ?? ''}</text><text x="${width}" y="${height + 16}" font-size="12" text-anchor="end">${days.at(-1)?.day ?? ''}</text></svg>
<figcaption>${SERIES.map((s) => html`<span class="swatch swatch-${s.key}" aria-hidden="true">■</span> ${s.label} (${total(s.key)}) `)}</figcaption>
</figure>
<details><summary>The figures as a table</summary><div class="table-wrap"><table><caption class="sr-only">Comments per day</caption>
<thead><tr><th scope="col">Day</th>${SERIES.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
<tbody>${days.map((d) => html`<tr><th scope="row">${d.day}</th><td>${d.approved}</td><td>${d.held}</td><td>${d.spam}</td></tr>`)}</tbody></table></div></details>`
}

export function renderDashboard(site: SiteContext, user: User, csrf: string, d: Dashboard): string {
  return adminFrame(
    site,
    { title: 'Dashboard', user, csrf, current: 'home' },
    html`<p class="actions"><a class="button" href="${ADMIN.newArticle}">New article</a> ${d.commentsAwaiting !== undefined ? html`<a class="button secondary" href="${ADMIN.comments}">Comments</a>` : ''}</p>
<div class="grid">
<section class="panel" aria-labelledby="drafts"><h2 id="drafts">Drafts</h2>${articleList(d.drafts, 'No drafts.')}</section>
<section class="panel" aria-labelledby="review"><h2 id="review">Waiting for review</h2>${articleList(d.pendingReview, 'Nothing is waiting for review.')}</section>
<section class="panel" aria-labelledby="scheduled"><h2 id="scheduled">Scheduled</h2>${articleList(d.scheduled, 'Nothing is scheduled.', true)}</section>
${d.commentsAwaiting !== undefined ? html`<section class="panel" aria-labelledby="awaiting"><h2 id="awaiting">Comments awaiting moderation</h2><p><a href="${ADMIN.comments}"><strong>${d.commentsAwaiting}</strong> awaiting moderation</a></p></section>` : ''}
</div>
${d.commentsAwaiting !== undefined ? html`<section class="panel" aria-labelledby="per-day"><h2 id="per-day">Comments per day</h2>${commentsChart(d.perDay)}</section>` : ''}`,
  )
}
