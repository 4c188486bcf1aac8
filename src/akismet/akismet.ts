/**
 * @module Akismet's REST protocol (verify-key, comment-check, submit-spam, submit-ham) answered
 * by the local filter, with Akismet's parameters, answers, headers and documented test values.
 */
import { randomUUID } from 'node:crypto'
import { RateLimited } from '../errors.ts'
import type { CommentContext, CommentSample, Thresholds } from '../spam/index.ts'
import type { AkismetKey } from '../spam-filter/akismet-keys.ts'
import { monthOf, type AkismetUsage, type UsageOrder } from '../spam-filter/akismet-usage.ts'
import type { SpamFilter } from '../spam-filter/spam-filter.ts'

/** What goes back to the client: a plain-text body and Akismet's headers. */
export interface AkismetAnswer {
  readonly status: number
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

export type AkismetParams = Readonly<Record<string, unknown>>

export interface AkismetDeps {
  /** The key's record, if it is one of ours. */
  readonly findKey: (key: string) => Promise<AkismetKey | undefined>
  /** Makes a new key for a site; it is shown once. */
  readonly createKey: (siteUrl: string) => Promise<{ key: string; id: number }>
  readonly filter: SpamFilter
  /** The site's thresholds as they are now. */
  readonly thresholds: () => Promise<Thresholds>
  /** Counts one report (submit-spam or submit-ham) of a key; throws `RateLimited` past the key's limit. */
  readonly countReport: (key: AkismetKey) => Promise<void>
  readonly usage: AkismetUsage
  readonly now: () => Date
}

/** How many reports a key may send in an hour: far more than a moderator clicks, far fewer than a script that means to retrain the filter. */
export const REPORTS_PER_HOUR = 120

/** Akismet's four calls, each answering as Akismet does. */
export interface AkismetService {
  verifyKey(params: AkismetParams, host: string | undefined): Promise<AkismetAnswer>
  commentCheck(params: AkismetParams, host: string | undefined): Promise<AkismetAnswer>
  submit(label: 'spam' | 'ham', params: AkismetParams, host: string | undefined): Promise<AkismetAnswer>
  /** `/1.2/usage-limit`: this month's calls against the key's limit (there is none here). */
  usageLimit(params: AkismetParams, host: string | undefined): Promise<AkismetAnswer>
  /** `/1.2/key-sites`: the sites using the key in a month, with their calls and reports. */
  keySites(params: AkismetParams, host: string | undefined): Promise<AkismetAnswer>
  createKey(siteUrl: string): Promise<{ key: string; id: number }>
}

export function akismetService(deps: AkismetDeps): AkismetService {
  return {
    verifyKey: (params, host) => verifyKey(deps, params, host),
    commentCheck: (params, host) => commentCheck(deps, params, host),
    submit: (label, params, host) => submit(deps, label, params, host),
    usageLimit: (params, host) => usageLimit(deps, params, host),
    keySites: (params, host) => keySites(deps, params, host),
    createKey: deps.createKey,
  }
}

const THANKS = 'Thanks for making the web a better place.'
/** Akismet's own test values, documented for client developers. */
const GUARANTEED_SPAM_AUTHORS = new Set(['akismet-guaranteed-spam', 'viagra-test-123'])
const GUARANTEED_SPAM_EMAIL = 'akismet-guaranteed-spam@example.com'
/** WordPress's Akismet plugin: its hidden textarea, and the field its script fills with the time the page was shown (ms). */
const WORDPRESS_HONEYPOT = 'POST_ak_hp_textarea'
const WORDPRESS_SCRIPT_TIME = 'POST_ak_js'
/** A comment longer than this is judged on its beginning (the model reads no further anyway). */
const MAX_CONTENT = 100_000

/** The key from the parameters (`api_key` or `key`) or, as Akismet clients send it, from the host name. */
export function keyFrom(params: AkismetParams, host: string | undefined): string | undefined {
  const fromParams = text(params.api_key) ?? text(params.key)
  if (fromParams) return fromParams.trim()
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase()
  if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname) || !hostname.includes('.')) return undefined
  return hostname.split('.')[0]
}

async function verifyKey(deps: AkismetDeps, params: AkismetParams, host: string | undefined): Promise<AkismetAnswer> {
  const key = keyFrom(params, host)
  if (!key) return invalid('Empty "key" value')
  if (!text(params.blog)) return invalid('Empty "blog" value')
  const found = await deps.findKey(key)
  return found ? answer('valid') : invalid('Invalid key')
}

async function commentCheck(deps: AkismetDeps, params: AkismetParams, host: string | undefined): Promise<AkismetAnswer> {
  const checked = await authorise(deps, params, host)
  if ('status' in checked) return checked
  const headers = { 'X-akismet-guid': randomUUID() }
  const { sample, context } = toSample(params, deps.now())
  const judged = await judge(deps, checked, params, sample, context)
  await deps.usage.count(checked.id, text(params.blog)!, judged.spam ? 'spam' : 'ham', deps.now())
  return answer(judged.spam ? 'true' : 'false', {
    ...headers,
    ...(judged.discard && { 'X-akismet-pro-tip': 'discard' }),
    ...(isTrue(params.debug) && { [DEBUG_REASONS_HEADER]: headerText(judged.reasons.join('; ')) }),
  })
}

/**
 * Sent when the client asks with `debug=1`: the verdict's reasons, strongest first, for the
 * person wondering why (`X-akismet-debug-help` keeps its meaning: why a call was `invalid`).
 */
export const DEBUG_REASONS_HEADER = 'X-akismet-debug-reasons'

/** A header value is Latin-1 text on one line: other characters are written as \uXXXX. */
function headerText(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).slice(0, 4000)
}

/** Akismet's documented test values first, then the filter. */
async function judge(deps: AkismetDeps, key: AkismetKey, params: AkismetParams, sample: CommentSample, context: CommentContext): Promise<{ spam: boolean; discard: boolean; reasons: readonly string[] }> {
  const author = sample.comment_author?.trim().toLowerCase()
  if (author && GUARANTEED_SPAM_AUTHORS.has(author)) return { spam: true, discard: false, reasons: [`the author is Akismet's test value ${author}`] }
  if (sample.comment_author_email?.trim().toLowerCase() === GUARANTEED_SPAM_EMAIL) return { spam: true, discard: false, reasons: [`the e-mail address is Akismet's test value ${GUARANTEED_SPAM_EMAIL}`] }
  if (text(params.user_role)?.toLowerCase() === 'administrator') return { spam: false, discard: false, reasons: ['sent by an administrator (user_role)'] }
  const verdict = await deps.filter.check(key.scope, sample, context, await deps.thresholds())
  return { spam: verdict.verdict === 'spam' || verdict.verdict === 'discard', discard: verdict.verdict === 'discard', reasons: [`${verdict.verdict} (score ${verdict.score.toFixed(2)})`, ...verdict.reasons] }
}

async function submit(deps: AkismetDeps, label: 'spam' | 'ham', params: AkismetParams, host: string | undefined): Promise<AkismetAnswer> {
  const checked = await authorise(deps, params, host)
  if ('status' in checked) return checked
  // is_test: the client is testing; nothing is learned.
  if (isTrue(params.is_test)) return answer(THANKS)
  try {
    await deps.countReport(checked)
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error
    const help = `${error.message} Nothing was learned from this report.`
    return { status: 429, body: help, headers: { 'X-akismet-debug-help': help, 'Retry-After': String(error.retryAfter) } }
  }
  await deps.filter.learn(checked.scope, toSample(params, deps.now()).sample, label)
  await deps.usage.count(checked.id, text(params.blog)!, label === 'spam' ? 'missed_spam' : 'false_positives', deps.now())
  return answer(THANKS)
}

async function keyOnly(deps: AkismetDeps, params: AkismetParams, host: string | undefined): Promise<AkismetKey | AkismetAnswer> {
  const key = keyFrom(params, host)
  if (!key) return invalid('Empty "api_key" value')
  return (await deps.findKey(key)) ?? invalid('Invalid API key. Create one with: broadsheet akismet-key create --site URL')
}

async function usageLimit(deps: AkismetDeps, params: AkismetParams, host: string | undefined): Promise<AkismetAnswer> {
  const key = await keyOnly(deps, params, host)
  if ('status' in key) return key
  const usage = await deps.usage.calls(key.id, monthOf(deps.now()))
  // A local filter has no plan to run out of: no limit, never throttled.
  return json({ limit: 'none', usage, percentage: '0.00', throttled: false })
}

const ORDERS: readonly UsageOrder[] = ['total', 'spam', 'ham', 'missed_spam', 'false_positives']

async function keySites(deps: AkismetDeps, params: AkismetParams, host: string | undefined): Promise<AkismetAnswer> {
  const key = await keyOnly(deps, params, host)
  if ('status' in key) return key
  const month = text(params.month) ?? monthOf(deps.now())
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return invalid('month: use the form YYYY-MM')
  const order = (text(params.order) ?? 'total') as UsageOrder
  if (!ORDERS.includes(order)) return invalid(`order: one of ${ORDERS.join(', ')}`)
  const limit = whole(params.limit, 10, 1, 1000)
  const offset = whole(params.offset, 0, 0, 1_000_000)
  const filter = text(params.filter)
  const { sites, total } = await deps.usage.sites(key.id, month, { order, limit, offset, ...(filter && { filter }) })
  if (text(params.format) === 'csv') {
    const lines = [
      `Active sites for ${month} (limit: ${limit}, offset: ${offset}, total: ${total})`,
      'Site,Total API Calls,Spam,Ham,Missed Spam,False Positives,Is Revoked',
      ...sites.map((s) => [csv(s.site), s.apiCalls, s.spam, s.ham, s.missedSpam, s.falsePositives, 'false'].join(',')),
    ]
    return { status: 200, body: `${lines.join('\n')}\n`, headers: { 'content-type': 'text/csv; charset=utf-8' } }
  }
  const rows = sites.map((s) => ({
    site: s.site,
    api_calls: String(s.apiCalls),
    spam: String(s.spam),
    ham: String(s.ham),
    missed_spam: String(s.missedSpam),
    false_positives: String(s.falsePositives),
    is_revoked: false,
  }))
  return json({ [month]: rows, limit, offset, total })
}

function whole(value: unknown, fallback: number, min: number, max: number): number {
  const n = Number(text(value))
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback
}

function csv(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function json(value: unknown): AkismetAnswer {
  return { status: 200, body: JSON.stringify(value), headers: { 'content-type': 'application/json; charset=utf-8' } }
}

async function authorise(deps: AkismetDeps, params: AkismetParams, host: string | undefined): Promise<AkismetKey | AkismetAnswer> {
  const key = keyFrom(params, host)
  if (!key) return invalid('Empty "api_key" value')
  const found = await deps.findKey(key)
  if (!found) return invalid('Invalid API key. Create one with: broadsheet akismet-key create --site URL')
  if (!text(params.blog)) return missing('blog')
  // comment_content may be left out: pingbacks and sign-up checks have none.
  return found
}

function toSample(params: AkismetParams, now: Date): { sample: CommentSample; context: CommentContext } {
  const honeypotName = text(params.honeypot_field_name)
  // Only a field other than Akismet's own can be the honeypot; WordPress's plugin sends its own without naming it.
  const honeypotValue = honeypotName && !KNOWN_FIELDS.has(honeypotName) ? text(params[honeypotName]) : undefined
  const wordpressHoneypot = text(params[WORDPRESS_HONEYPOT])
  const sample: CommentSample = {
    comment_content: (text(params.comment_content) ?? '').slice(0, MAX_CONTENT),
    comment_author: text(params.comment_author),
    comment_author_email: text(params.comment_author_email),
    comment_author_url: text(params.comment_author_url),
    comment_type: text(params.comment_type),
    user_ip: text(params.user_ip),
    user_agent: text(params.user_agent),
    referrer: text(params.referrer),
    blog_lang: text(params.blog_lang),
  }
  const postModified = Date.parse(text(params.comment_post_modified_gmt) ?? '')
  const commented = Date.parse(text(params.comment_date_gmt) ?? '') || now.getTime()
  return {
    sample,
    context: {
      honeypotFilled: Boolean(honeypotValue?.trim() || wordpressHoneypot?.trim()),
      ...(Number.isFinite(postModified) && { articleAgeDays: Math.max(0, (commented - postModified) / 86_400_000) }),
      ...scriptTiming(text(params[WORDPRESS_SCRIPT_TIME]), commented),
    },
  }
}

/**
 * WordPress's plugin renders `ak_js` with a small random number, and its script replaces it with
 * the time in milliseconds when the page ran it. A time says the script ran and how long the
 * reader took; a small number says no script ran (robots post the form without running it).
 */
function scriptTiming(value: string | undefined, commented: number): Pick<CommentContext, 'scriptRan' | 'secondsToSubmit'> {
  if (value === undefined || value.trim() === '') return {}
  const shown = Number(value)
  if (!Number.isFinite(shown) || shown < 1e12) return { scriptRan: false }
  const seconds = (commented - shown) / 1000
  // A clock far off (the reader's, or a forged value) says only that the script ran.
  return seconds >= 0 && seconds <= 30 * 86_400 ? { scriptRan: true, secondsToSubmit: seconds } : { scriptRan: true }
}

const KNOWN_FIELDS = new Set([
  'api_key', 'key', 'blog', 'user_ip', 'user_agent', 'referrer', 'permalink', 'comment_type', 'comment_author',
  'comment_author_email', 'comment_author_url', 'comment_content', 'comment_date_gmt', 'comment_post_modified_gmt',
  'blog_lang', 'blog_charset', 'user_role', 'is_test', 'honeypot_field_name', 'recheck_reason', 'debug',
])

/** A form value as text: repeated fields take the first, anything else counts as absent. */
function text(value: unknown): string | undefined {
  if (Array.isArray(value)) value = value[0]
  return typeof value === 'string' ? value.replace(/\u0000/g, '') : undefined
}

function isTrue(value: unknown): boolean {
  const t = text(value)
  return t === '1' || t === 'true'
}

function answer(body: string, headers: Record<string, string> = {}): AkismetAnswer {
  return { status: 200, body, headers }
}

function invalid(help: string): AkismetAnswer {
  return { status: 200, body: 'invalid', headers: { 'X-akismet-debug-help': help } }
}

function missing(field: string): AkismetAnswer {
  return { status: 200, body: `Missing required field: ${field}.`, headers: { 'X-akismet-debug-help': `Missing required field: ${field}.` } }
}
