/**
 * @module Akismet's REST protocol (verify-key, comment-check, submit-spam, submit-ham) answered
 * by the local filter, with Akismet's parameters, answers, headers and documented test values.
 */
import { randomUUID } from 'node:crypto'
import { RateLimited } from '../errors.ts'
import type { CommentContext, CommentSample, Thresholds } from '../spam/index.ts'
import type { AkismetKey } from '../spam-filter/akismet-keys.ts'
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
}

/** How many reports a key may send in an hour: far more than a moderator clicks, far fewer than a script that means to retrain the filter. */
export const REPORTS_PER_HOUR = 120

/** Akismet's four calls, each answering as Akismet does. */
export interface AkismetService {
  verifyKey(params: AkismetParams, host: string | undefined): Promise<AkismetAnswer>
  commentCheck(params: AkismetParams, host: string | undefined): Promise<AkismetAnswer>
  submit(label: 'spam' | 'ham', params: AkismetParams, host: string | undefined): Promise<AkismetAnswer>
  createKey(siteUrl: string): Promise<{ key: string; id: number }>
}

export function akismetService(deps: AkismetDeps): AkismetService {
  return {
    verifyKey: (params, host) => verifyKey(deps, params, host),
    commentCheck: (params, host) => commentCheck(deps, params, host),
    submit: (label, params, host) => submit(deps, label, params, host),
    createKey: deps.createKey,
  }
}

const THANKS = 'Thanks for making the web a better place.'
/** Akismet's own test values, documented for client developers. */
const GUARANTEED_SPAM_AUTHOR = 'viagra-test-123'
const GUARANTEED_SPAM_EMAIL = 'akismet-guaranteed-spam@example.com'
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
  const { sample, context } = toSample(params)
  if (sample.comment_author === GUARANTEED_SPAM_AUTHOR || sample.comment_author_email?.toLowerCase() === GUARANTEED_SPAM_EMAIL) {
    return answer('true', headers)
  }
  if (text(params.user_role)?.toLowerCase() === 'administrator') return answer('false', headers)
  const verdict = await deps.filter.check(checked.scope, sample, context, await deps.thresholds())
  const isSpam = verdict.verdict === 'spam' || verdict.verdict === 'discard'
  return answer(isSpam ? 'true' : 'false', verdict.verdict === 'discard' ? { ...headers, 'X-akismet-pro-tip': 'discard' } : headers)
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
  await deps.filter.learn(checked.scope, toSample(params).sample, label)
  return answer(THANKS)
}

async function authorise(deps: AkismetDeps, params: AkismetParams, host: string | undefined): Promise<AkismetKey | AkismetAnswer> {
  const key = keyFrom(params, host)
  if (!key) return invalid('Empty "api_key" value')
  const found = await deps.findKey(key)
  if (!found) return invalid('Invalid API key. Create one with: broadsheet akismet-key create --site URL')
  if (!text(params.blog)) return missing('blog')
  if (text(params.comment_content) === undefined) return missing('comment_content')
  return found
}

function toSample(params: AkismetParams): { sample: CommentSample; context: CommentContext } {
  const honeypotName = text(params.honeypot_field_name)
  // Only a field other than Akismet's own can be the honeypot.
  const honeypotValue = honeypotName && !KNOWN_FIELDS.has(honeypotName) ? text(params[honeypotName]) : undefined
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
  const commented = Date.parse(text(params.comment_date_gmt) ?? '') || Date.now()
  return {
    sample,
    context: {
      honeypotFilled: Boolean(honeypotValue && honeypotValue.trim()),
      ...(Number.isFinite(postModified) && { articleAgeDays: Math.max(0, (commented - postModified) / 86_400_000) }),
    },
  }
}

const KNOWN_FIELDS = new Set([
  'api_key', 'key', 'blog', 'user_ip', 'user_agent', 'referrer', 'permalink', 'comment_type', 'comment_author',
  'comment_author_email', 'comment_author_url', 'comment_content', 'comment_date_gmt', 'comment_post_modified_gmt',
  'blog_lang', 'blog_charset', 'user_role', 'is_test', 'honeypot_field_name', 'recheck_reason',
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
