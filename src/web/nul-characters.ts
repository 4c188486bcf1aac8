/**
 * @module Text holding the NUL character (U+0000) is refused at the door with a clear 400.
 * PostgreSQL's text cannot store it (it answers an error, which would reach a client as a 500),
 * no one types it, and refusing it on both engines keeps SQLite from holding what PostgreSQL
 * could not. Parsed bodies and query strings are checked before their routes' schemas run;
 * multipart fields, read by their routes, with `assertNoNul`.
 */
import { Invalid } from '../errors.ts'
import type { App } from './server.ts'

const NUL = '\u0000'
/** Deeper than any form or JSON body the site takes; deeper input is refused by its schema anyway. */
const MAX_DEPTH = 8

/** Whether a string anywhere in a parsed body (keys included) holds NUL. */
export function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL)
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1))
  return Object.entries(value).some(([k, v]) => k.includes(NUL) || holdsNul(v, depth + 1))
}

/** @example assertNoNul({ alt: fields.alt, caption: fields.caption }) */
export function assertNoNul(value: unknown): void {
  if (holdsNul(value)) throw new Invalid('Text may not contain the NUL character (U+0000).', 'nul_character')
}

/** The Akismet-compatible API reads its parameters with NUL dropped (src/akismet), as its clients' plugins expect an answer, not a 400. */
const AKISMET_API_RE = /^\/1\.1\//

/** Refuses every request whose parsed body or query string holds NUL. */
export function refuseNulCharacters(app: App): void {
  app.addHook('preValidation', async (req) => {
    if (AKISMET_API_RE.test(req.url)) return
    assertNoNul(req.body)
    assertNoNul(req.query)
  })
}
