/** @module The privacy page: what is stored about commenters, generated from the running settings. */
import type { PrivacyFacts } from '../../privacy/privacy-facts.ts'
import { PRIVACY_CONFIRM, PRIVACY_PAGE, PRIVACY_REQUESTS } from '../urls.ts'
import { html, type SafeHtml } from '../html.ts'
import { layout, type SiteContext } from './layout.ts'

export function renderPrivacyPage(site: SiteContext, facts: PrivacyFacts): string {
  return layout(
    site,
    { title: 'How your comment data is processed', canonical: site.baseUrl + PRIVACY_PAGE },
    html`<h1 class="headline">How your comment data is processed</h1>
<p class="standfirst">This page is generated from the settings this site runs with, so it says what is actually stored.</p>
<h2>What we store when you comment</h2>
<table class="privacy-table">
<thead><tr><th scope="col">What</th><th scope="col">Why</th><th scope="col">For how long</th><th scope="col">Public?</th></tr></thead>
<tbody>${facts.fields.map((f) => html`<tr><th scope="row">${f.field}</th><td data-label="Why">${f.why}</td><td data-label="For how long">${f.kept}</td><td data-label="Public?">${f.shown ? 'Yes' : 'No'}</td></tr>`)}</tbody>
</table>
<p>All of it is stored in this site's own database.</p>
<h2>Spam checking</h2>
<p>${facts.spamChecking}</p>
<h2>Cookies</h2>
<p>We set two cookies, and only together. <code>${facts.cookie.name}</code> holds ${facts.cookie.contents}; <code>${facts.trustCookie.name}</code> holds ${facts.trustCookie.contents}. They are set ${facts.cookie.when}. They last ${facts.cookie.lasts}.</p>
<h2>Request logs</h2>
<p>${facts.requestLogs}</p>
<h2>Other sites</h2>
<p>${facts.thirdParties}</p>
<h2>Your data: a copy, or erasure</h2>
<p>You can ask for a copy of everything stored about you as a commenter, or ask us to erase it. On erasure, ${facts.erasure}.</p>
${facts.requestsByEmail ? requestForm() : byHand(facts.contactEmail)}`,
  ).value
}

/** Without e-mail sending, requests are made by hand: to the contact address, when the site has one. */
function byHand(contactEmail: string | null): SafeHtml {
  if (!contactEmail) return html`<p>Write to the editors from the address you comment with, and we will do it by hand.</p>`
  return html`<p>Write to the editors at <a href="mailto:${contactEmail}">${contactEmail}</a> from the address you comment with, and we will do it by hand.</p>`
}

function requestForm(): SafeHtml {
  return html`<form method="post" action="${PRIVACY_REQUESTS}" class="reply">
<label>Your e-mail address<input type="email" name="email" required maxlength="254" autocomplete="email"></label>
<fieldset><legend>What would you like?</legend>
<label class="consent"><input type="radio" name="kind" value="export" checked> A copy of my data</label>
<label class="consent"><input type="radio" name="kind" value="erase"> Erase my data</label>
</fieldset>
<button type="submit">Send me a confirmation link</button>
<p class="note">We e-mail a link to that address; nothing happens until it is opened.</p>
</form>`
}

export function renderPrivacyMessage(site: SiteContext, title: string, message: string, form?: { token: string; kind: 'export' | 'erase' }): string {
  return layout(
    site,
    { title, canonical: site.baseUrl + PRIVACY_PAGE, noindex: true },
    html`<h1 class="headline">${title}</h1><p>${message}</p>
${form ? html`<form method="post" action="${PRIVACY_CONFIRM}" class="reply"><input type="hidden" name="token" value="${form.token}"><button type="submit">${form.kind === 'export' ? 'Download my data' : 'Erase my data'}</button></form>` : ''}
<p><a href="${PRIVACY_PAGE}">Back to the privacy page</a></p>`,
  ).value
}
