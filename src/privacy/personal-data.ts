/**
 * @module A commenter's personal data: export of everything stored about an e-mail address,
 * erasure by the site's rule, and requests for either confirmed through a link sent by e-mail.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Mailer } from '../notifications/mailer.ts'
import type { SiteSettings } from '../settings/settings.ts'
import type { SpamFilter } from '../spam-filter/spam-filter.ts'
import type { DB } from '../storage/database.ts'
import * as comments from '../comments/comment-store.ts'
import * as store from './privacy-store.ts'

export type RequestKind = 'export' | 'erase'

/** A confirmation link works for this long, once. */
export const REQUEST_LIFETIME_MS = 24 * 3600_000

export class PrivacyRequestError extends Error {
  override readonly name = 'PrivacyRequestError'
  constructor(readonly code: 'invalid_input' | 'not_found', message: string) {
    super(message)
  }
}

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

export async function exportPersonalData(db: DB, email: string, now: Date): Promise<PersonalDataExport> {
  const address = normalise(email)
  const rows = await comments.commentsByEmail(db, address)
  return {
    email: address,
    exported_at: now.toISOString(),
    comments: rows.map((r) => ({
      id: r.id,
      article: { id: r.article_id, title: r.title },
      author_name: r.author_name,
      author_email: r.author_email,
      author_url: r.author_url,
      author_ip: r.author_ip,
      user_agent: r.user_agent,
      content: r.content_markdown,
      status: r.status,
      moderation_reasons: JSON.parse(r.reasons) as string[],
      notify_replies: r.notify_replies === 1,
      created_at: r.created_at,
    })),
  }
}

/** Erases an address's personal data by the site's rule; returns how many comments were affected. */
export async function erasePersonalData(db: DB, filter: SpamFilter, settings: SiteSettings, email: string): Promise<number> {
  const address = normalise(email)
  const rows = await comments.commentsByEmail(db, address)
  if (rows.length === 0) return 0
  const ids = rows.map((c) => c.id)
  await db.transaction().execute(async (trx) => {
    if (settings.erasure === 'delete') await comments.deleteComments(trx, ids)
    else await comments.anonymiseComments(trx, ids)
    await store.forgetRequester(trx, address)
  })
  await filter.forget({ email: address, ips: rows.map((c) => c.author_ip).filter((ip): ip is string => Boolean(ip)) })
  return rows.length
}

/**
 * Starts a request: e-mails a confirmation link to the address. The answer is the same whether
 * or not the address has comments here, so the form reveals nothing about anyone.
 */
export async function requestPersonalData(
  db: DB,
  mailer: Mailer,
  o: { email: string; kind: RequestKind; confirmUrl: (token: string) => string; siteTitle: string; now: Date },
): Promise<void> {
  const address = normalise(o.email)
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) || address.length > 254) {
    throw new PrivacyRequestError('invalid_input', 'email: is not a valid e-mail address.')
  }
  if (!mailer.enabled) throw new PrivacyRequestError('invalid_input', 'This site cannot send e-mail yet; please write to the editors instead.')
  const token = randomBytes(24).toString('base64url')
  await store.insertRequest(db, address, o.kind, hash(token), o.now.toISOString())
  const what = o.kind === 'export' ? 'a copy of the personal data' : 'erasure of the personal data'
  await mailer.send({
    to: address,
    subject: `[${o.siteTitle}] Confirm your request`,
    text: [
      `Someone, hopefully you, asked for ${what} that ${o.siteTitle} holds about ${address} as a commenter.`,
      '',
      'To confirm, open this link within 24 hours:',
      o.confirmUrl(token),
      '',
      'If you did not ask for this, ignore this e-mail; nothing will happen.',
    ].join('\n'),
  })
}

/** The pending request a confirmation token stands for. */
export async function findRequest(db: DB, token: string, now: Date): Promise<{ id: number; email: string; kind: RequestKind }> {
  const row = /^[A-Za-z0-9_-]{32}$/.test(token) ? await store.findRequestByTokenHash(db, hash(token)) : undefined
  if (!row || row.completed_at || now.getTime() - Date.parse(row.created_at) > REQUEST_LIFETIME_MS) {
    throw new PrivacyRequestError('not_found', 'This confirmation link is not valid any more. Links work once, for 24 hours; you can make a new request on the privacy page.')
  }
  return { id: row.id, email: row.email, kind: row.kind }
}

export async function completeRequest(db: DB, id: number, now: Date): Promise<void> {
  await store.markCompleted(db, id, now.toISOString())
}

function normalise(email: string): string {
  return email.trim().toLowerCase()
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
