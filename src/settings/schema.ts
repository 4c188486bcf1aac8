/** @module The site's settings, their defaults and their validation. */
import { z } from 'zod'
import { emailAddressSchema } from '../text/email-address.ts'
import { isValidSlug } from '../text/slug.ts'

export const DEFAULT_REUSE_POLICY =
  'Excerpts and links may be used, provided that full and clear credit is given to the publisher, ' +
  'with a link to the original article. Republishing whole articles requires written permission.'

/** Whether this is a BCP 47 language tag the date formatter takes (`en-GB`, `fr`, `pt-BR`). */
function isLanguageTag(tag: string): boolean {
  try {
    new Intl.DateTimeFormat(Intl.getCanonicalLocales(tag))
    return true
  } catch {
    return false
  }
}

/** The structure tags a permalink may use; any other `%…%` would be printed as it stands and never route. */
const PERMALINK_TAGS = new Set(['%year%', '%monthnum%', '%day%', '%hour%', '%minute%', '%second%', '%postname%', '%post_id%', '%category%', '%author%'])
/** Path characters that need no escaping (RFC 3986 unreserved, `/` and the tags' `%`). */
const permalinkCharsRe = /^[A-Za-z0-9\-._~/%]+$/
const onlyKnownTags = (structure: string) => (structure.match(/%[^%/]*%/g) ?? []).every((tag) => PERMALINK_TAGS.has(tag))

/** Whether the runtime knows this IANA time zone name (`Europe/London`, `UTC` …). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

export const SettingsSchema = z.object({
  /** Site name, shown in the masthead, titles and feeds. */
  title: z.string().min(1).max(200).default('Broadsheet'),
  /** One line under the masthead. */
  tagline: z.string().max(300).default('Independent news, published with Broadsheet'),
  /** Public base URL overriding BROADSHEET_URL, e.g. https://news.example.org. */
  baseUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  /** Who holds the copyright of the site's own articles. */
  copyrightHolder: z.string().min(1).max(200).default('The Broadsheet newsroom'),
  /** The reuse notice under every article and on /reuse/. Plain text; paragraphs split on blank lines. */
  reusePolicy: z.string().min(1).max(5000).default(DEFAULT_REUSE_POLICY),
  /** WordPress permalink structure with %year% %monthnum% %day% %hour% %minute% %second% %postname% %post_id% %category% %author%. */
  permalinkStructure: z
    .string()
    .max(200)
    .regex(/^\/.*\/$/, 'must start and end with /')
    .regex(permalinkCharsRe, 'may hold only letters, digits, - . _ ~ / and structure tags')
    .refine(onlyKnownTags, `may use only the structure tags ${[...PERMALINK_TAGS].join(' ')}`)
    .refine((s) => s.includes('%postname%') || s.includes('%post_id%'), 'must contain %postname% or %post_id%')
    .default('/%year%/%monthnum%/%day%/%postname%/'),
  /** Stories on the front page and in archives, a page. */
  postsPerPage: z.number().int().min(1).max(100).default(10),
  /** Whether text-and-data mining (AI training, say) is reserved, as /.well-known/tdmrep.json declares (TDMRep). */
  textAndDataMining: z.enum(['reserved', 'allowed']).default('reserved'),
  /** Feeds carry each article's full text, or only its standfirst. */
  feedContent: z.enum(['full', 'excerpt']).default('full'),
  /** Items in each feed. */
  feedItems: z.number().int().min(1).max(100).default(20),
  /** Locale of dates on pages. */
  language: z.string().min(2).max(35).refine(isLanguageTag, 'must be a language tag such as en-GB or fr-FR').default('en-GB'),
  /** The newsroom's IANA time zone (`Europe/London`): dates and times of day on pages are given in it. */
  timeZone: z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone name such as Europe/London or UTC').default('UTC'),
  /** Category slugs, in order: the header's section menu and the front page's blocks. Empty: every top-level category with stories, by name. */
  sections: z.array(z.string().refine(isValidSlug, 'must be category slugs such as local, world or ニュース')).max(20).default([]),
  /** Where readers write to the editors (shown on the privacy page when the site sends no e-mail). */
  contactEmail: emailAddressSchema().nullable().default(null),
  /** How deep replies nest in the comment thread. */
  commentThreadDepth: z.number().int().min(1).max(10).default(5),
  /** Break an article's comments into pages of `commentsPerPage` top-level threads (WordPress's "Break comments into pages"). */
  pageComments: z.boolean().default(false),
  /** Top-level comments a page, each with all its replies (a thread is never split). */
  commentsPerPage: z.number().int().min(1).max(1000).default(50),
  /** Which page the article's own address shows: the newest comments' (the last) or the oldest's (the first). */
  defaultCommentsPage: z.enum(['newest', 'oldest']).default('newest'),
  /** Top-level comments on each page oldest first (`asc`) or newest first (`desc`); replies always follow their parent in order. */
  commentOrder: z.enum(['asc', 'desc']).default('asc'),
  /** Comments close this many days after publication; 0 keeps them open. */
  closeCommentsAfterDays: z.number().int().min(0).max(3650).default(0),
  /** Comments with more links than this are held for moderation. */
  holdAfterLinks: z.number().int().min(0).max(100).default(2),
  /** Hold a commenter's first comment until one of theirs has been approved. */
  holdFirstTimeCommenters: z.boolean().default(true),
  /** Words, e-mail addresses or IPs that send a comment to the trash (one a line, WordPress's "disallowed keys"). */
  disallowedKeys: z.array(z.string().min(1).max(200)).max(5000).default([]),
  /** Comments one IP address may post a minute. */
  commentRateLimitPerMinute: z.number().int().min(1).max(100000).default(10),
  /** Days before a commenter's IP address is anonymised. */
  ipRetentionDays: z.number().int().min(0).max(3650).default(30),
  /** Days the operator keeps request logs (their rotation is the operator's; the privacy page states this figure). */
  logRetentionDays: z.number().int().min(0).max(3650).default(14),
  /** Keep commenters' user agents after the spam check. */
  keepUserAgents: z.boolean().default(false),
  /** Spam probability at or above which a comment is thrown away unseen (near-certain spam only). */
  spamDiscardThreshold: z.number().min(0.5).max(1).default(0.995),
  /** Spam probability at or above which a comment goes to the spam folder. */
  spamThreshold: z.number().min(0.05).max(1).default(0.5),
  /** Spam probability at or above which a comment is held for a moderator. */
  spamHoldThreshold: z.number().min(0).max(1).default(0.4),
  /** On an erasure request: keep the comment text as "Anonymous" or delete the comments. */
  erasure: z.enum(['anonymise', 'delete']).default('anonymise'),
}).superRefine((s, ctx) => {
  // The thresholds are steps of one ladder: discard ≥ spam folder ≥ hold.
  if (s.spamThreshold > s.spamDiscardThreshold) ctx.addIssue({ code: 'custom', path: ['spamThreshold'], message: 'must not be above the discard threshold' })
  if (s.spamHoldThreshold > s.spamThreshold) ctx.addIssue({ code: 'custom', path: ['spamHoldThreshold'], message: 'must not be above the spam folder threshold' })
})

export type SiteSettings = z.infer<typeof SettingsSchema>
export type SettingKey = keyof SiteSettings
