/**
 * @module Proof that a commenter wrote an earlier comment: a signed token naming that comment,
 * kept in a cookie (`broadsheet_trust`). Once that comment is approved, the token is what makes
 * its author "approved before": a name and e-mail address alone prove nothing, since anyone can
 * type a regular's address.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export const TRUST_COOKIE = 'broadsheet_trust'
/** The name of the site secret that signs the tokens (see settings/secrets.ts). */
export const TRUST_SECRET = 'commenter-trust'

/**
 * A token for a comment by this address: `<comment id>.<HMAC of id and address>`.
 * @example issueTrustToken(secret, 42, 'ann@example.org') // '42.Jx3…'
 */
export function issueTrustToken(secret: Buffer, commentId: number, email: string): string {
  return `${commentId}.${sign(secret, commentId, email)}`
}

/** The comment the token vouches for, if it was signed by this site for this address; undefined otherwise. */
export function commentVouchedFor(secret: Buffer, token: string | undefined, email: string): number | undefined {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '')
  if (!m) return undefined
  const id = Number(m[1])
  const expected = Buffer.from(sign(secret, id, email))
  const given = Buffer.from(m[2]!)
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined
}

function sign(secret: Buffer, commentId: number, email: string): string {
  return createHmac('sha256', secret).update(`${commentId}\0${email.trim().toLowerCase()}`).digest('base64url')
}
