/**
 * @module A commenter's personal data: export of everything stored about an e-mail address,
 * erasure by the site's rule, and requests for either confirmed through a link sent by e-mail.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import type { AccountsService } from '../accounts/accounts.ts'
import type { CommentsService } from '../comments/comments.ts'
import { Invalid, NotFound } from '../errors.ts'
import type { Mailer } from '../notifications/mailer.ts'
import type { RateLimiter } from '../rate-limit/rate-limit.ts'
import type { SettingsService } from '../settings/settings.ts'
import type { SpamFilter } from '../spam-filter/spam-filter.ts'
import type { DB } from '../storage/database.ts'
import { mailboxAddress } from '../text/email-address.ts'
import { privacyFacts, type PrivacyFacts } from './privacy-facts.ts'
import * as store from './privacy-store.ts'
import { applyRetention, type RetentionOptions, type RetentionResult } from './retention.ts'

export type RequestKind = 'export' | 'erase'

/** A confirmation link works for this long, once. */
export const REQUEST_LIFETIME_MS = 24 * 3600_000
/** Confirmation e-mails one sender (IP address) may trigger an hour. */
export const REQUESTS_PER_SENDER_HOUR = 5
/** Confirmation e-mails one address may receive an hour, whoever asks: nobody can flood an inbox. */
export const REQUESTS_PER_ADDRESS_HOUR = 3
/** And a day: a stranger rotating addresses (or proxies) cannot keep an inbox filling hour after hour. */
export const REQUESTS_PER_ADDRESS_DAY = 5

export interface PersonalDataExport {
  readonly email: string
  readonly exported_at: string
  readonly comments: readonly {
    id: number
    article: { id: number; title: string }
    author_name: string
    author_email: string
    author_url: string
    author_ip: string | null
    user_agent: string | null
    content: string
    status: string
    moderation_reasons: string[]
    notify_replies: boolean
    created_at: string
  }[]
}

export interface PrivacyDeps {
  /** For the privacy module's own table and the transactions that span modules. */
  readonly db: DB
  readonly comments: CommentsService
  readonly filter: SpamFilter
  readonly mailer: Mailer
  readonly limiter: RateLimiter
  /** Expired sessions and links, for the retention job. */
  readonly accounts: Pick<AccountsService, 'forgetExpiredSessions' | 'forgetExpiredLinks'>
  readonly settings: SettingsService
  readonly now: () => Date
}

export interface NewPrivacyRequest {
  readonly email: string
  readonly kind: RequestKind
  /** Who asked (their IP address), for the per-sender limit. */
  readonly requester: string | undefined
  /** The link that confirms the request, given its token. */
  readonly confirmUrl: (token: string) => string
}

export type Confirmed = { readonly kind: 'export'; readonly data: PersonalDataExport } | { readonly kind: 'erase'; readonly comments: number }

export interface PrivacyService {
  /**
   * Starts a request: e-mails a confirmation link to the address. The answer is the same whether
   * or not the address has comments here, so the form reveals nothing about anyone.
   */
  request(request: NewPrivacyRequest): Promise<void>
  /** The pending request a confirmation token stands for (the page that asks "are you sure?"). */
  pending(token: string): Promise<{ email: string; kind: RequestKind }>
  /** Carries out the request, once: the claim and the work are one transaction. */
  confirm(token: string): Promise<Confirmed>
  exportFor(email: string): Promise<PersonalDataExport>
  /** Erases by the site's rule; returns how many comments were affected. */
  eraseFor(email: string): Promise<number>
  /** What the privacy page says, from the settings the site runs with. */
  facts(): Promise<PrivacyFacts>
  /** Runs the retention job now (see `applyRetention`): nothing when another process is running it. */
  applyRetention(options?: RetentionOptions): Promise<RetentionResult>
}

/** @example const privacy = privacyService(deps); await privacy.request({ email, kind: 'export', requester: ip, confirmUrl }) */
export function privacyService(deps: PrivacyDeps): PrivacyService {
  return {
    request: (request) => requestPersonalData(deps, request),
    async pending(token) {
      const row = await findPending(deps.db, token, deps.now())
      return { email: row.email, kind: row.kind }
    },
    confirm: (token) => confirmRequest(deps, token),
    exportFor: (email) => exportPersonalData(deps, deps.db, normalise(email)),
    eraseFor: async (email) => {
      const mode = (await deps.settings.read()).erasure
      return deps.db.transaction().execute((trx) => erasePersonalData(deps, trx, normalise(email), mode))
    },
    facts: async () => privacyFacts(await deps.settings.read(), deps.mailer.enabled),
    applyRetention: async (options) => applyRetention(deps, await deps.settings.read(), deps.now(), options),
  }
}

async function requestPersonalData(deps: PrivacyDeps, o: NewPrivacyRequest): Promise<void> {
  const address = mailboxAddress(o.email)?.toLowerCase()
  if (address === undefined) throw new Invalid('email: is not a valid e-mail address.')
  if (!deps.mailer.enabled) throw new Invalid('This site cannot send e-mail yet; please write to the editors instead.')
  const now = deps.now()
  const inMinutes = (seconds: number) => `${Math.ceil(seconds / 60)} minutes`
  if (o.requester) {
    await deps.limiter.take({ bucket: `privacy:${o.requester}`, max: REQUESTS_PER_SENDER_HOUR, windowSeconds: 3600 }, now, (s) =>
      `Too many requests from your address; try again in ${inMinutes(s)}.`,
    )
  }
  // Counted under a keyed hash: the counters table never holds the address, nor a hash anyone could test guesses against.
  const addressKey = createHmac('sha256', await deps.settings.secret('privacy-limits')).update(address).digest('base64url').slice(0, 32)
  await deps.limiter.take({ bucket: `privacy-to:${addressKey}`, max: REQUESTS_PER_ADDRESS_HOUR, windowSeconds: 3600 }, now, (s) =>
    `Too many requests have been made for this e-mail address; try again in ${inMinutes(s)}.`,
  )
  await deps.limiter.take({ bucket: `privacy-to-day:${addressKey}`, max: REQUESTS_PER_ADDRESS_DAY, windowSeconds: 86_400 }, now, (s) =>
    `Too many requests have been made for this e-mail address today; try again in ${Math.ceil(s / 3600)} hours.`,
  )
  const token = randomBytes(24).toString('base64url')
  await store.insertRequest(deps.db, address, o.kind, hash(token), now.toISOString())
  const siteTitle = (await deps.settings.read()).title
  const what = o.kind === 'export' ? 'a copy of the personal data' : 'erasure of the personal data'
  await deps.mailer.send({
    to: address,
    subject: `[${siteTitle}] Confirm your request`,
    text: [
      `Someone, hopefully you, asked for ${what} that ${siteTitle} holds about ${address} as a commenter.`,
      '',
      'To confirm, open this link within 24 hours:',
      o.confirmUrl(token),
      '',
      'If you did not ask for this, ignore this e-mail; nothing will happen.',
    ].join('\n'),
  })
}

const tokenRe = /^[A-Za-z0-9_-]{32}$/
const staleLink = () => new NotFound('This confirmation link is not valid any more. Links work once, for 24 hours; you can make a new request on the privacy page.')

async function findPending(q: DB, token: string, now: Date) {
  const row = tokenRe.test(token) ? await store.findRequestByTokenHash(q, hash(token)) : undefined
  if (!row || row.completed_at || now.getTime() - Date.parse(row.created_at) > REQUEST_LIFETIME_MS) throw staleLink()
  return row
}

async function confirmRequest(deps: PrivacyDeps, token: string): Promise<Confirmed> {
  const now = deps.now()
  const mode = (await deps.settings.read()).erasure
  return deps.db.transaction().execute(async (trx) => {
    const request = await findPending(trx, token, now)
    const madeAfter = new Date(now.getTime() - REQUEST_LIFETIME_MS).toISOString()
    if (!(await store.claimRequest(trx, request.id, now.toISOString(), madeAfter))) throw staleLink()
    if (request.kind === 'export') return { kind: 'export', data: await exportPersonalData(deps, trx, request.email) }
    return { kind: 'erase', comments: await erasePersonalData(deps, trx, request.email, mode) }
  })
}

async function exportPersonalData(deps: PrivacyDeps, q: DB, address: string): Promise<PersonalDataExport> {
  const records = await deps.comments.personalData(address, q)
  return {
    email: address,
    exported_at: deps.now().toISOString(),
    comments: records.map((r) => ({
      id: r.id,
      article: r.article,
      author_name: r.authorName,
      author_email: r.authorEmail,
      author_url: r.authorUrl,
      author_ip: r.authorIp,
      user_agent: r.userAgent,
      content: r.content,
      status: r.status,
      moderation_reasons: r.reasons,
      notify_replies: r.notifyReplies,
      created_at: r.createdAt,
    })),
  }
}

/** Everything an erasure changes, through the caller's transaction `q`. */
async function erasePersonalData(deps: PrivacyDeps, q: DB, address: string, mode: 'anonymise' | 'delete'): Promise<number> {
  const erased = await deps.comments.erasePersonalData(address, mode, q)
  await store.forgetRequester(q, address)
  await deps.filter.forget({ email: address, ips: erased.ips }, q)
  return erased.comments
}

function normalise(email: string): string {
  return email.trim().toLowerCase()
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
