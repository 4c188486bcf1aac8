/**
 * @module Proof of an e-mail address by a link the site sends to it. A regular commenter who
 * writes from a browser without their trust cookie (a new phone, a cleared browser) is held like
 * a first comment, since anyone can type their address; the site then e-mails that address a
 * link, and whoever can open it is the address's owner: their comment is approved as a returning
 * commenter's would have been, and that browser gets the trust cookie.
 *
 * The token names the comment and the address and is signed by the site: it needs no table, and
 * using it twice does no harm (a comment is approved only while it is still held, so a comment a
 * moderator has since removed stays removed).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The name of the site secret that signs the links (see settings/secrets.ts). */
export const CONFIRMATION_SECRET = 'commenter-confirmation'
/** How long a confirmation link works. */
export const CONFIRMATION_DAYS = 7
/** At most this many confirmation e-mails a day to one address, whoever posts under it. */
export const CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3

const tokenRe = /^([1-9]\d{0,11})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/

/** @example issueConfirmationToken(secret, 42, 'ann@example.org', new Date()) // '42.1765000000.Xy…' */
export function issueConfirmationToken(secret: Buffer, commentId: number, email: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + CONFIRMATION_DAYS * 86_400
  return `${commentId}.${expires}.${sign(secret, commentId, expires, email)}`
}

/** The comment a token names, when the token is well formed and not expired; check it with `confirms` once the comment's address is known. */
export function confirmationCommentId(token: string, now: Date): number | undefined {
  const m = tokenRe.exec(token)
  if (!m || Number(m[2]) < now.getTime() / 1000) return undefined
  return Number(m[1])
}

/** Whether the token was signed by this site for this comment and address. */
export function confirms(secret: Buffer, token: string, commentId: number, email: string): boolean {
  const m = tokenRe.exec(token)
  if (!m || Number(m[1]) !== commentId) return false
  const expected = Buffer.from(sign(secret, commentId, Number(m[2]), email))
  const given = Buffer.from(m[3]!)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

function sign(secret: Buffer, commentId: number, expires: number, email: string): string {
  return createHmac('sha256', secret).update(`${commentId}\0${expires}\0${email.trim().toLowerCase()}`).digest('base64url')
}
