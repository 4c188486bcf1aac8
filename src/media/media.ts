/**
 * @module The media service: images added from the CLI, the admin API or the newsroom UI, checked
 * and turned into responsive variants, kept through a `MediaStorage`, and described by a `media`
 * record (alt text, caption, credit, size). A record may instead point at a remote URL (imports).
 */
import { Invalid } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import { parseOrThrow } from '../validation.ts'
import { processImage, type Variant } from './image-processing.ts'
import * as store from './media-store.ts'
import type { MediaStorage, StoredFile } from './media-storage.ts'
import { ImageDetailsSchema, mediaReferenceRe, RemoteImageSchema, type ImageDetails, type RemoteImage } from './schema.ts'

export type { Variant } from './image-processing.ts'
export type { MediaStorage, StoredFile } from './media-storage.ts'
export type { ImageDetails, RemoteImage } from './schema.ts'

/** An image as pages, the API and the CLI see it. */
export interface MediaRecord {
  readonly id: number
  /** `media:12`: how front matter and the CLI refer to it. */
  readonly reference: string
  readonly alt: string
  readonly caption: string
  readonly credit: string
  /** Upright size of the largest variant (or the remote image's, when known). */
  readonly width: number | null
  readonly height: number | null
  /** Smallest first; empty for a remote image. */
  readonly variants: readonly Variant[]
  /** Set for a record that only points at an image elsewhere. */
  readonly remoteUrl: string | null
  readonly originalName: string
  readonly uploadedBy: number | null
  readonly createdAt: Date
}

/** An image details' problem, named by its field. */
export class InvalidImage extends Invalid {
  override readonly name = 'InvalidImage'
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`, 'invalid_image')
  }
}

export interface MediaService {
  /**
   * Adds an image from its bytes: checks them (by content), strips metadata, makes the variants,
   * stores them and the record. Throws `Invalid` (not an image, no alt text) or `ImageTooLarge`;
   * nothing is stored then. The same bytes with the same words give back the record added before.
   * @example const image = await media.add(bytes, { alt: 'The barrier at dawn', credit: 'Jane Roe / Agency', fileName: 'barrier.jpg' }, user.id)
   */
  /** `q`: the caller's transaction (an import), else the database. */
  add(bytes: Buffer, details: ImageDetails, uploaderId?: number | null, q?: DB): Promise<MediaRecord>
  /** A record for an image served elsewhere (no file is fetched). */
  /** `q`: the caller's transaction (an import), else the database. */
  addRemote(image: RemoteImage, uploaderId?: number | null, q?: DB): Promise<MediaRecord>
  byId(id: number): Promise<MediaRecord | undefined>
  byIds(ids: readonly number[]): Promise<Map<number, MediaRecord>>
  /** The id in a `media:12` reference, or undefined when the text is not one. */
  parseReference(reference: string): number | undefined
  /** A variant's file by its key, for serving. */
  file(key: string): Promise<StoredFile | undefined>
}

/** @example const media = mediaService({ db, storage: localDiskStorage(dir), now: () => new Date() }) */
export function mediaService(deps: { db: DB; storage: MediaStorage; now: () => Date }): MediaService {
  const { db, storage, now } = deps
  return {
    async add(bytes, details, uploaderId = null, q = db) {
      const d = parseOrThrow(ImageDetailsSchema, details, 'image', (p) => new InvalidImage(p.field, p.message))
      const image = await processImage(bytes)
      // Publishing the same story file again must not add its image again.
      const same = await store.findSameUpload(q, image.contentHash, d)
      if (same) return presentMedia(same)
      const contentTypes = { webp: 'image/webp', jpeg: 'image/jpeg' }
      // Files first: a record never points at a missing file; a file without a record is only litter.
      for (const v of image.variants) await storage.put(v.key, image.files.get(v.key)!, contentTypes[v.format])
      const row = await store.insertMedia(q, {
        alt: d.alt,
        caption: d.caption,
        credit: d.credit,
        width: image.width,
        height: image.height,
        variants: JSON.stringify(image.variants),
        remote_url: null,
        original_name: d.fileName,
        content_hash: image.contentHash,
        uploaded_by: uploaderId,
        created_at: now().toISOString(),
      })
      return presentMedia(row)
    },
    async addRemote(input, uploaderId = null, q = db) {
      const r = parseOrThrow(RemoteImageSchema, input, 'image', (p) => new InvalidImage(p.field, p.message))
      const row = await store.insertMedia(q, {
        alt: r.alt,
        caption: r.caption,
        credit: r.credit,
        width: r.width ?? null,
        height: r.height ?? null,
        variants: '[]',
        remote_url: r.url,
        original_name: r.fileName,
        content_hash: null,
        uploaded_by: uploaderId,
        created_at: now().toISOString(),
      })
      return presentMedia(row)
    },
    async byId(id) {
      const row = await store.findMedia(db, id)
      return row && presentMedia(row)
    },
    async byIds(ids) {
      const rows = await store.findMediaByIds(db, [...new Set(ids)])
      return new Map(rows.map((r) => [r.id, presentMedia(r)]))
    },
    parseReference(reference) {
      const m = mediaReferenceRe.exec(reference.trim())
      return m ? Number(m[1]) : undefined
    },
    file: (key) => storage.get(key),
  }
}

function presentMedia(row: store.MediaRow): MediaRecord {
  const variants = (JSON.parse(row.variants) as Variant[]).slice().sort((a, b) => a.width - b.width)
  return {
    id: row.id,
    reference: `media:${row.id}`,
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    width: row.width,
    height: row.height,
    variants,
    remoteUrl: row.remote_url,
    originalName: row.original_name,
    uploadedBy: row.uploaded_by,
    createdAt: new Date(row.created_at),
  }
}
