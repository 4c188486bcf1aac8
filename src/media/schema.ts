/** @module What describes an image when it arrives (CLI, admin API, front matter), validated once. */
import { z } from 'zod'

export const ImageDetailsSchema = z.object({
  /** What the image shows, for readers who cannot see it; required. */
  alt: z.string().trim().min(1, 'is required (describe what the image shows)').max(500),
  /** The line under the image. */
  caption: z.string().trim().max(1000).default(''),
  /** Who made it, as "Jane Roe / Agency": shown as "Photo: Jane Roe / Agency". */
  credit: z.string().trim().max(300).default(''),
  /** The uploaded file's own name (kept for editors; never used to decide what the file is). */
  fileName: z.string().trim().max(255).default(''),
})

export const RemoteImageSchema = ImageDetailsSchema.extend({
  /** Where the image is served from (an imported site's uploads). */
  url: z.url({ protocol: /^https?$/ }),
  width: z.number().int().positive().max(100_000).optional(),
  height: z.number().int().positive().max(100_000).optional(),
})

export type ImageDetails = z.input<typeof ImageDetailsSchema>
export type RemoteImage = z.input<typeof RemoteImageSchema>

/** `media:12`, as front matter and the CLI write a reference to an image. */
export const mediaReferenceRe = /^media:([1-9]\d{0,15})$/
