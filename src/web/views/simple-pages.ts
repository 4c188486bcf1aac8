/** @module Pages with little more than text: the reuse policy, "not found", errors. */
import { copyrightLine, reuseParagraphs } from '../../rights/notices.ts'
import { COMMENT_CONFIRMATION, FRONT_PAGE, REUSE_PAGE } from '../urls.ts'
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

/** What the link e-mailed to a commenter opens: a button, so that mail scanners following links publish nothing. */
export function renderCommentConfirmationPage(site: SiteContext, token: string): string {
  return layout(
    site,
    { title: 'Confirm your comment', canonical: site.baseUrl + COMMENT_CONFIRMATION, noindex: true },
    html`<h1 class="headline">Confirm your comment</h1>
<p>You followed the link we e-mailed to confirm that a comment posted under your address is yours. Confirming publishes it now, as a returning commenter's.</p>
<form method="post" action="${COMMENT_CONFIRMATION}" class="reply"><input type="hidden" name="token" value="${token}">
<p class="consent"><input id="remember" name="remember" type="checkbox" value="yes"> <label for="remember">Recognise me in this browser from now on (sets two cookies, described on the privacy page)</label></p>
<p><button type="submit">Publish my comment</button></p></form>
<p>If you did not write it, close this page: nothing is published without your confirmation or a moderator's approval.</p>`,
  ).value
}

export function renderCommentNotPublishedPage(site: SiteContext): string {
  return layout(
    site,
    { title: 'Comment not published', canonical: site.baseUrl + COMMENT_CONFIRMATION, noindex: true },
    html`<h1 class="headline">Comment not published</h1><p>Your address is confirmed, but this comment was removed by a moderator, so it stays unpublished.</p><p><a href="${FRONT_PAGE}">Go to the front page</a></p>`,
  ).value
}
