/**
 * @module Text holding the NUL character (U+0000) is refused at the door with a clear 400.
 * PostgreSQL's text cannot store it (it answers an error, which would reach a client as a 500),
 * no one types it, and refusing it on both engines keeps SQLite from holding what PostgreSQL
 * could not. Parsed bodies are checked before their routes' schemas run, and the refusal names
 * the field; multipart fields, read by their routes, with `assertNoNul`. In a query string
 * (a search, a page number) NUL is dropped instead: any query is answered, as search promises.
 */
import { Invalid } from '../errors.ts'
import type { App } from './server.ts'

const NUL = '\u0000'
/** Deeper than any form or JSON body the site takes; deeper input is refused by its schema anyway. */
const MAX_DEPTH = 8

/** Where in a parsed body (keys included) a string holds NUL: '' for the body itself, `email`, `tags.1`; undefined when nowhere. */
export function nulAt(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? '' : undefined
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined
  for (const [key, inner] of Object.entries(value)) {
    const at = key.includes(NUL) ? '' : nulAt(inner, depth + 1)
    if (at !== undefined) return [key.replaceAll(NUL, ''), at].filter(Boolean).join('.')
  }
  return undefined
}

/** @example assertNoNul({ alt: fields.alt, caption: fields.caption }) */
export function assertNoNul(value: unknown): void {
  const at = nulAt(value)
  if (at !== undefined) throw new Invalid(`${at ? `${at}: may` : 'Text may'} not contain the NUL character (U+0000).`, 'nul_character')
}

function dropNul(query: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' && value.includes(NUL)) query[key] = value.replaceAll(NUL, '')
    else if (Array.isArray(value)) query[key] = value.map((v) => (typeof v === 'string' ? v.replaceAll(NUL, '') : v))
  }
}

/** The Akismet-compatible API reads its parameters with NUL dropped (src/akismet), as its clients' plugins expect an answer, not a 400. */
const AKISMET_API_RE = /^\/1\.1\//

/** Refuses every request whose parsed body holds NUL, and drops NUL from query strings. */
export function refuseNulCharacters(app: App): void {
  app.addHook('preValidation', async (req) => {
    if (AKISMET_API_RE.test(req.url)) return
    assertNoNul(req.body)
    if (req.query && typeof req.query === 'object') dropNul(req.query as Record<string, unknown>)
  })
}
