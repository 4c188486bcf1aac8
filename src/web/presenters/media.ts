/** @module What the admin API says about an image: its reference, its words and its files' URLs. */
import type { MediaRecord } from '../../media/media.ts'
import { mediaFilePath } from '../urls.ts'

export function presentMedia(m: MediaRecord, baseUrl: string) {
  return {
    id: m.id,
    reference: m.reference,
    alt: m.alt,
    caption: m.caption,
    credit: m.credit,
    width: m.width,
    height: m.height,
    url: m.remoteUrl ?? (m.variants.length ? baseUrl + mediaFilePath(m.variants.at(-1)!.key) : null),
    variants: m.variants.map((v) => ({ width: v.width, height: v.height, format: v.format, url: baseUrl + mediaFilePath(v.key) })),
    original_name: m.originalName,
    created_at: m.createdAt.toISOString(),
  }
}
