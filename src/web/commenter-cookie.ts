/** @module The commenter cookie: name, e-mail and website, set only when the commenter asks. */

export const COMMENTER_COOKIE = 'broadsheet_commenter'

export interface RememberedCommenter {
  readonly author: string
  readonly email: string
  readonly url: string
}

export function encodeCommenter(c: RememberedCommenter): string {
  return Buffer.from(JSON.stringify([c.author, c.email, c.url])).toString('base64url')
}

/** Reads the cookie; anything malformed is treated as no cookie. */
export function decodeCommenter(value: string | undefined): RememberedCommenter | undefined {
  if (!value || value.length > 2000) return undefined
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined
    const [author, email, url] = parsed as unknown[]
    if (typeof author !== 'string' || typeof email !== 'string' || typeof url !== 'string') return undefined
    return { author: author.slice(0, 100), email: email.slice(0, 254), url: url.slice(0, 500) }
  } catch {
    return undefined
  }
}
