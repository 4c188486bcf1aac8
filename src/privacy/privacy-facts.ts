/**
 * @module What the site really stores about commenters, for how long, and why: derived from the
 * settings the site runs with, so the privacy page cannot drift from the truth.
 */
import { TRUST_COOKIE } from '../comments/commenter-trust.ts'
import type { SiteSettings } from '../settings/settings.ts'

export interface StoredField {
  readonly field: string
  readonly why: string
  readonly kept: string
  readonly shown: boolean
}

export interface PrivacyFacts {
  readonly fields: readonly StoredField[]
  readonly cookie: { readonly name: string; readonly contents: string; readonly when: string; readonly lasts: string }
  /** The second cookie, set together with the first: proof of authorship for "approved before". */
  readonly trustCookie: { readonly name: string; readonly contents: string; readonly lasts: string }
  readonly spamChecking: string
  readonly thirdParties: string
  readonly erasure: string
  readonly requestsByEmail: boolean
  /** What the web server's request logs keep about every visit, and for how long. */
  readonly requestLogs: string
  /** Where readers write to the editors when the site sends no e-mail (the contactEmail setting). */
  readonly contactEmail: string | null
}

export const COMMENTER_COOKIE_NAME = 'broadsheet_commenter'
export const TRUST_COOKIE_NAME = TRUST_COOKIE

export function privacyFacts(settings: SiteSettings, emailConfigured: boolean): PrivacyFacts {
  const untilErased = 'until you ask us to erase it (or the comment is deleted)'
  return {
    fields: [
      { field: 'Your name', why: 'shown with your comment', kept: untilErased, shown: true },
      { field: 'Your e-mail address', why: 'to recognise returning commenters, to notify you of replies if you asked, and to answer your data requests', kept: untilErased, shown: false },
      { field: 'Your website', why: 'linked from your name, if you gave one', kept: untilErased, shown: true },
      { field: 'Your comment', why: 'shown under the article once approved', kept: untilErased, shown: true },
      { field: 'The time you commented', why: 'shown with your comment', kept: untilErased, shown: true },
      {
        field: 'Your IP address',
        why: 'to fight spam and abuse (rate limits, repeat offenders)',
        kept:
          settings.ipRetentionDays === 0
            ? 'anonymised within the hour (the last part is removed)'
            : `${settings.ipRetentionDays} days, then anonymised (the last part of the address is removed)`,
        shown: false,
      },
      {
        field: "Your browser's user agent",
        why: 'read once by the spam check',
        kept: settings.keepUserAgents ? `kept with the comment, ${untilErased}` : 'not stored: it is dropped as soon as the spam check is done',
        shown: false,
      },
      { field: 'Moderation notes', why: 'why the comment was held or approved, and who changed its status and when', kept: 'as long as the comment', shown: false },
    ],
    cookie: {
      name: COMMENTER_COOKIE_NAME,
      contents: 'your name, e-mail address and website, to fill in the comment form next time',
      when: 'only if you tick "Save my name, email, and website in this browser for the next time I comment"; posting without the box ticked removes it',
      lasts: 'one year',
    },
    trustCookie: {
      name: TRUST_COOKIE_NAME,
      contents:
        'the number of your latest comment, signed by this site so that it cannot be forged. Once a moderator has approved that comment, your next comments from this browser appear at once; without it, a comment under your name and e-mail address is held for moderation like a first comment, so that nobody who knows your address can post as you. If you comment from a browser without it under an address that has comments approved here, we e-mail that address a link (at most three a day): confirming there publishes the comment, and sets this cookie only if you tick the box on that page. The link is signed by this site and works for a week; nothing about it is stored',
      lasts: 'one year',
    },
    spamChecking:
      'Every comment is checked for spam by a filter that runs on this site\'s own server. Nothing about you or your comment is sent to any other company or service for that check. The filter learns from our moderators\' decisions; what it keeps is a set of numbers derived from words, and counts of spam and approved comments per one-way hash of e-mail address, IP address and website domain.',
    thirdParties: 'Pages on this site load nothing from other sites: no fonts, no analytics, no avatars (such as Gravatar), no advertising.',
    erasure:
      settings.erasure === 'delete'
        ? 'your comments are deleted'
        : 'your name, e-mail address, website and IP address are removed from your comments; the text stays, attributed to "Anonymous"',
    requestsByEmail: emailConfigured,
    requestLogs:
      'The web server logs each request: the time, the page asked for (with any token in its address blanked out), the answer\'s status and how long it took, ' +
      'and your network, never your full IP address: its last part is removed before the line is written, as it is for stored comments ' +
      `(203.0.113.7 is logged as 203.0.113.0). The logs are kept for ${settings.logRetentionDays} ${settings.logRetentionDays === 1 ? 'day' : 'days'}, then deleted.`,
    contactEmail: settings.contactEmail,
  }
}
