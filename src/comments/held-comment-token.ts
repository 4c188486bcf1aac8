/**
 * @module The token in the redirect after a held comment: it lets the browser that posted the
 * comment see it, marked as awaiting moderation, for a short while — and no one else, since only
 * that browser was sent the link. Signed, so that no other comment can be named with it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** How long the poster's link shows their held comment. */
export const HELD_COMMENT_TOKEN_SECONDS = 30 * 60

const tokenRe = /^([1-9]\d{0,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/

/** @example issueHeldCommentToken(secret, 42, new Date()) // "42.1764660000.Xy…" */
export function issueHeldCommentToken(secret: Buffer, commentId: number, now: Date): string {
  const payload = `${commentId}.${Math.floor(now.getTime() / 1000) + HELD_COMMENT_TOKEN_SECONDS}`
  return `${payload}.${sign(secret, payload)}`
}

/** The comment id the token names, if it is genuine and not expired. */
export function readHeldCommentToken(secret: Buffer, token: string, now: Date): number | undefined {
  const m = tokenRe.exec(token)
  if (!m) return undefined
  const expected = Buffer.from(sign(secret, `${m[1]}.${m[2]}`))
  const given = Buffer.from(m[3]!)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined
  if (Number(m[2]) < now.getTime() / 1000) return undefined
  return Number(m[1])
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(`held-comment:${payload}`).digest('base64url')
}
