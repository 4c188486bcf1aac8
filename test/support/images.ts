/**
 * @module Real image files made for tests with sharp (nothing copied from anywhere): a camera-style
 * JPEG carrying EXIF with a GPS position, a PNG, and an upload helper for the admin API.
 */
import sharp from 'sharp'
import type { TestSite } from './test-site.ts'

/** A JPEG as a phone writes it: camera make, copyright and a GPS position in its EXIF. */
export function jpegWithGps(width = 2000, height = 1200, options: { orientation?: number } = {}): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a6ea5' } })
    .composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="0" y="0" width="${Math.round(width / 2)}" height="${Math.round(height / 3)}" fill="#f2c14e"/></svg>`) }])
    .jpeg({ quality: 90 })
    .withMetadata({
      ...(options.orientation && { orientation: options.orientation }),
      exif: {
        IFD0: { Make: 'RiversideCam', Model: 'Test Body 1', Copyright: 'Test photographer' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 26/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 39/1' },
      },
    })
    .toBuffer()
}

/** A flat-colour PNG with transparency. */
export function png(width = 640, height = 400): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 0.5 } } }).png().toBuffer()
}

/** Whether EXIF bytes hold a GPS block (the GPS IFD pointer, tag 0x8825, in either byte order). */
export function hasGpsBlock(exif: Buffer | undefined): boolean {
  if (!exif) return false
  return exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]))
}

export interface UploadFields {
  readonly alt?: string
  readonly caption?: string
  readonly credit?: string
}

/** Posts an image to the admin API as a browser's form or the newsroom UI does (multipart/form-data). */
export function uploadImage(t: TestSite, token: string | undefined, bytes: Buffer, fileName: string, fields: UploadFields = {}, type = 'image/jpeg'): Promise<Response> {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value)
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName)
  return fetch(`${t.url}/api/v1/admin/media`, { method: 'POST', body: form, ...(token && { headers: { authorization: `Bearer ${token}` } }) })
}
