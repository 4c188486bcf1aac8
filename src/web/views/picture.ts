/**
 * @module An image as reader pages show it: `<picture>` with WebP and JPEG `srcset`s, width and
 * height set (no layout shift), lazy below the fold; its caption and credit in a `<figcaption>`.
 */
import type { MediaRecord, Variant } from '../../media/media.ts'
import { mediaFilePath } from '../urls.ts'
import { html, type SafeHtml } from '../html.ts'

export interface PictureOptions {
  /** The `sizes` attribute: how wide the image is drawn at each viewport width. */
  readonly sizes: string
  /** `eager` for the image a reader sees first (the lead), `lazy` for the rest. */
  readonly loading: 'eager' | 'lazy'
  readonly className?: string
}

/** "Photo: Jane Roe / Agency" (a credit that already says what it is stays as written). */
export function creditLine(credit: string): string {
  return /^(photo|image|illustration|graphic|video|picture)s?\b/i.test(credit) ? credit : `Photo: ${credit}`
}

/** The `<picture>` (or a plain `<img>` for an image served elsewhere). */
export function picture(image: MediaRecord, options: PictureOptions): SafeHtml {
  const cls = options.className ?? undefined
  const priority = options.loading === 'eager' ? html` fetchpriority="high"` : html` loading="lazy"`
  const size = image.width && image.height ? html` width="${image.width}" height="${image.height}"` : ''
  if (image.remoteUrl || image.variants.length === 0) {
    return html`<img${cls ? html` class="${cls}"` : ''} src="${image.remoteUrl ?? ''}" alt="${image.alt}"${size} decoding="async"${priority}>`
  }
  const webp = image.variants.filter((v) => v.format === 'webp')
  const jpeg = image.variants.filter((v) => v.format === 'jpeg')
  const fallback = jpeg.find((v) => v.width >= 960) ?? jpeg.at(-1)!
  return html`<picture><source type="image/webp" srcset="${srcset(webp)}" sizes="${options.sizes}"><img${cls ? html` class="${cls}"` : ''} src="${mediaFilePath(fallback.key)}" srcset="${srcset(jpeg)}" sizes="${options.sizes}" alt="${image.alt}"${size} decoding="async"${priority}></picture>`
}

/** The image with its caption and credit under it. */
export function figure(image: MediaRecord, options: PictureOptions): SafeHtml {
  const caption = image.caption || image.credit
  return html`<figure class="${options.className ?? 'figure'}">${picture(image, { ...options, className: undefined })}${
    caption ? html`<figcaption>${image.caption}${image.caption && image.credit ? ' ' : ''}${image.credit ? html`<span class="credit">${creditLine(image.credit)}</span>` : ''}</figcaption>` : ''
  }</figure>`
}

/** The absolute URL of the image's largest JPEG (for og:image and structured data). */
export function largestJpegUrl(image: MediaRecord, baseUrl: string): string | undefined {
  if (image.remoteUrl) return image.remoteUrl
  const jpeg = image.variants.filter((v) => v.format === 'jpeg').at(-1)
  return jpeg && baseUrl + mediaFilePath(jpeg.key)
}

function srcset(variants: readonly Variant[]): string {
  return variants.map((v) => `${mediaFilePath(v.key)} ${v.width}w`).join(', ')
}
