/**
 * @module Private source notes: who an anonymous source is and how to reach them. Sealed with
 * AES-256-GCM before they reach the database (a key derived with HKDF from BROADSHEET_SECRET_KEY,
 * a fresh 96-bit IV per note, the article id as associated data so a note cannot be moved to
 * another article), opened only for the people the policies allow. Never rendered on a page,
 * never in feeds, the public API, exports, the search index or logs.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { Invalid, Unavailable } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import { parseOrThrow } from '../validation.ts'
import * as store from './source-note-store.ts'

export interface SourceNote {
  readonly id: number
  readonly articleId: number
  readonly text: string
  readonly writtenBy: { readonly id: number | null; readonly name: string }
  readonly writtenAt: Date
}

export const SourceNoteSchema = z.object({
  /** The note, as plain text (it is never rendered as HTML). */
  text: z.string().trim().min(1, 'is required').max(20_000),
})

export interface SourceNotes {
  /** Whether a key is configured; without one every call answers that the feature is off. */
  readonly enabled: boolean
  list(articleId: number): Promise<SourceNote[]>
  add(articleId: number, input: { text: string }, by: { id: number; displayName: string }, at: Date): Promise<SourceNote>
}

export const NOTES_OFF_MESSAGE =
  'Private source notes are off on this site: an administrator must set BROADSHEET_SECRET_KEY (32 bytes, base64 or hex) to turn them on.'

const SEAL_VERSION = 'v1'
const IV_BYTES = 12

/**
 * @example const notes = sourceNotes(db, config.secretKey); await notes.add(7, { text: 'Source: the deputy clerk' }, editor, new Date())
 */
export function sourceNotes(db: DB, secretKey: Uint8Array | undefined): SourceNotes {
  // A key of its own, so that the site's one secret can serve other purposes without reuse.
  const key = secretKey && Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'broadsheet source notes v1', 32))
  const need = (): Buffer => {
    if (!key) throw new Unavailable(NOTES_OFF_MESSAGE, 'notes_off')
    return key
  }
  return {
    enabled: key !== undefined,
    async list(articleId) {
      const k = need()
      return (await store.notesOf(db, articleId)).map((row) => ({
        id: row.id,
        articleId,
        text: openNote(k, articleId, row.sealed),
        writtenBy: { id: row.written_by_id, name: row.display_name ?? 'a former user' },
        writtenAt: new Date(row.written_at),
      }))
    },
    async add(articleId, input, by, at) {
      const k = need()
      const { text } = parseOrThrow(SourceNoteSchema, input, 'note', (p) => new Invalid(`${p.field}: ${p.message}`, 'invalid_note'))
      const id = await store.insertNote(db, { article_id: articleId, sealed: sealNote(k, articleId, text), written_by_id: by.id, written_at: at.toISOString() })
      return { id, articleId, text, writtenBy: { id: by.id, name: by.displayName }, writtenAt: at }
    },
  }
}

/** `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function sealNote(key: Buffer, articleId: number, text: string): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(`article:${articleId}`))
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
  return [SEAL_VERSION, iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.')
}

export function openNote(key: Buffer, articleId: number, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.')
  if (version !== SEAL_VERSION || !iv || !tag || data === undefined) throw new Unavailable('A source note is stored in a form this version cannot read.', 'note_unreadable')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(`article:${articleId}`))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
  } catch (error) {
    throw new Unavailable('A source note cannot be opened with this BROADSHEET_SECRET_KEY (was the key changed?).', 'note_unreadable', { cause: error })
  }
}
