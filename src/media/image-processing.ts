/**
 * @module Turns uploaded bytes into the site's images with sharp: the content (not the file name)
 * says whether it is an image, metadata (EXIF, GPS, XMP, IPTC) is dropped, and responsive variants
 * are made in WebP and JPEG, never wider than the original.
 */
import { createHash } from 'node:crypto'
import { DomainError, Invalid } from '../errors.ts'
import { loadSharp } from './sharp.ts'

/** The largest file accepted: 50 MB. */
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024
/** Widths of the responsive variants, in pixels; a smaller original gets its own width instead of the larger ones. */
export const VARIANT_WIDTHS: readonly number[] = [480, 960, 1600]
/** Decoders accepted: photographs and graphics browsers show. SVG is refused (it is a document that can carry scripts). */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff'])
/** More pixels than this (a 100-megapixel frame) is refused before decoding: a decompression bomb costs nothing to send. */
const MAX_INPUT_PIXELS = 100_000_000

export type VariantFormat = 'webp' | 'jpeg'

export interface Variant {
  readonly width: number
  readonly height: number
  readonly format: VariantFormat
  /** The name the storage keeps it under, e.g. `3f2a9c…-960.webp`: it changes with the content, so it may be cached for ever. */
  readonly key: string
}

export interface ProcessedImage {
  /** Upright size of the largest variant. */
  readonly width: number
  readonly height: number
  /** SHA-256 of the uploaded bytes. */
  readonly contentHash: string
  readonly variants: readonly Variant[]
  /** Each variant's bytes by key. */
  readonly files: ReadonlyMap<string, Buffer>
}

/** The file is larger than the site accepts. */
export class ImageTooLarge extends DomainError {
  override readonly name = 'ImageTooLarge'
  /** `bytes`: the file's size, when it is known (an upload is cut off at the limit). */
  constructor(bytes?: number) {
    super('too_large', 'image_too_large', `image: the file is ${bytes === undefined ? 'larger than the limit' : megabytes(bytes)}; the limit is ${megabytes(MAX_IMAGE_BYTES)}.`)
  }
}

/**
 * Checks that the bytes are an image and makes its variants.
 * @example const image = await processImage(fs.readFileSync('harbour.jpg'))  // image.variants: 480/960/1600 px, WebP and JPEG
 */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  if (bytes.length > MAX_IMAGE_BYTES) throw new ImageTooLarge(bytes.length)
  if (bytes.length === 0) throw new Invalid('image: the file is empty.', 'not_an_image')
  // Loaded at the first image, not at every start of the server or the CLI.
  const sharp = await loadSharp()
  const metadata = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
    .metadata()
    .catch(() => undefined)
  if (!metadata?.format || !ACCEPTED_FORMATS.has(metadata.format)) {
    throw new Invalid('image: the file is not an image this site accepts (JPEG, PNG, WebP, GIF, AVIF or TIFF).', 'not_an_image')
  }
  const upright = metadata.autoOrient ?? { width: metadata.width, height: metadata.height }
  if (!upright.width || !upright.height) throw new Invalid('image: the file has no readable size.', 'not_an_image')
  if (upright.width * upright.height > MAX_INPUT_PIXELS) throw new Invalid(`image: ${upright.width}×${upright.height} pixels is more than this site accepts (100 megapixels).`, 'not_an_image')

  const contentHash = createHash('sha256').update(bytes).digest('hex')
  const stem = contentHash.slice(0, 20)
  // sharp writes no metadata unless asked to (withMetadata/keepExif): EXIF, GPS, XMP and IPTC are gone.
  const source = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate()
  const variants: Variant[] = []
  const files = new Map<string, Buffer>()
  try {
    for (const width of variantWidths(upright.width)) {
      const resized = source.clone().resize({ width, withoutEnlargement: true }).flatten({ background: '#ffffff' })
      for (const format of ['webp', 'jpeg'] as const) {
        const encoder = format === 'webp' ? resized.clone().webp({ quality: 78 }) : resized.clone().jpeg({ quality: 80, mozjpeg: true, progressive: true })
        const { data, info } = await encoder.toBuffer({ resolveWithObject: true })
        const key = `${stem}-${info.width}.${format === 'jpeg' ? 'jpg' : 'webp'}`
        variants.push({ width: info.width, height: info.height, format, key })
        files.set(key, data)
      }
    }
  } catch (error) {
    throw new Invalid(`image: the file could not be read as an image (${(error as Error).message.split('\n')[0]}).`, 'not_an_image')
  }
  const largest = variants.at(-1)!
  return { width: largest.width, height: largest.height, contentHash, variants, files }
}

/** The variant widths for an original this wide: the standard ones below it, and the original's own width when it is under the largest. */
export function variantWidths(originalWidth: number): number[] {
  const below = VARIANT_WIDTHS.filter((w) => w < originalWidth)
  const top = Math.min(originalWidth, VARIANT_WIDTHS.at(-1)!)
  return below.includes(top) ? below : [...below, top]
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`
}
