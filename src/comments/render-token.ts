/**
 * @module The comment form's render token: when the form was served and for which article,
 * signed so that it cannot be forged. Its age is a spam signal; a forged one is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** A form older than this is refused; the reader reloads and posts again. */
export const MAX_FORM_AGE_SECONDS = 7 * 86_400

export function issueRenderToken(secret: Buffer, articleId: number, now: Date): string {
  const payload = `${Math.floor(now.getTime() / 1000)}.${articleId}`
  return `${payload}.${sign(secret, payload)}`
}

export type TokenCheck = { ok: true; secondsToSubmit: number } | { ok: false; problem: 'forged' | 'expired' | 'other_article' }

export function checkRenderToken(secret: Buffer, token: string, articleId: number, now: Date): TokenCheck {
  const m = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!m) return { ok: false, problem: 'forged' }
  const expected = Buffer.from(sign(secret, `${m[1]}.${m[2]}`))
  const given = Buffer.from(m[3]!)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, problem: 'forged' }
  if (Number(m[2]) !== articleId) return { ok: false, problem: 'other_article' }
  const seconds = now.getTime() / 1000 - Number(m[1])
  if (seconds > MAX_FORM_AGE_SECONDS || seconds < -60) return { ok: false, problem: 'expired' }
  return { ok: true, secondsToSubmit: Math.max(0, seconds) }
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url')
}
