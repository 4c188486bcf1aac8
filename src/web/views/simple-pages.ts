/** @module Pages with little more than text: the reuse policy, "not found", errors. */
import { copyrightLine, reuseParagraphs } from '../../rights/notices.ts'
import { FRONT_PAGE, REUSE_PAGE } from '../urls.ts'
import { html } from '../html.ts'
import { layout, type SiteContext } from './layout.ts'

export function renderReusePage(site: SiteContext, now: Date): string {
  const s = site.settings
  return layout(
    site,
    { title: 'Copyright and reuse', canonical: site.baseUrl + REUSE_PAGE },
    html`<h1 class="headline">Copyright and reuse</h1>
<p class="standfirst">${copyrightLine(s.copyrightHolder, now)}, unless an article credits another source.</p>
${reuseParagraphs(s.reusePolicy).map((p) => html`<p>${p}</p>`)}
<p>Some articles include excerpts of other publishers' work. Those excerpts remain theirs: each one names its source, with a link to the original, and their own reuse terms apply.</p>
<p>When you link to or quote us, a credit such as <q>${s.title}</q> with a link to the article's address is all we ask.</p>`,
  ).value
}

export function renderNotFoundPage(site: SiteContext, path: string): string {
  return layout(
    site,
    { title: 'Page not found', canonical: site.baseUrl + path, noindex: true },
    html`<h1 class="headline">Page not found</h1>
<p>There is nothing at this address. It may have been moved, or the link may be mistyped.</p>
<p><a href="${FRONT_PAGE}">Go to the front page</a></p>`,
  ).value
}

export function renderErrorPage(site: SiteContext, status: number, message: string): string {
  return layout(
    site,
    { title: status >= 500 ? 'Something went wrong' : 'That did not work', canonical: site.baseUrl + FRONT_PAGE, noindex: true },
    html`<h1 class="headline">${status >= 500 ? 'Something went wrong' : 'That did not work'}</h1><p>${message}</p><p><a href="${FRONT_PAGE}">Go to the front page</a></p>`,
  ).value
}
