/**
 * @module Images over HTTP: the variants themselves (hashed names, cached for a year) and the
 * admin upload (`POST /api/v1/admin/media`, multipart: `file`, `alt`, `caption`, `credit`).
 */
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { DomainError, Invalid } from '../../errors.ts'
import { ImageTooLarge } from '../../media/image-processing.ts'
import { mediaKeyRe } from '../../media/media-storage.ts'
import { requireCapability } from '../auth.ts'
import { notFound } from '../errors.ts'
import { assertNoNul } from '../nul-characters.ts'
import { presentMedia } from '../presenters/media.ts'
import type { App } from '../server.ts'
import { ADMIN_MEDIA } from '../urls.ts'

const MediaFileParams = z.object({ key: z.string().regex(mediaKeyRe, 'There is no such image.') })
const DETAIL_FIELDS = new Set(['alt', 'caption', 'credit'])
const publishers = requireCapability('publish_articles')

export function registerMediaRoutes(app: App): void {
  app.get('/media/:key', { schema: { params: MediaFileParams } }, async (req, reply) => {
    const file = await app.services.media.file(req.params.key)
    if (!file) throw notFound()
    return reply.type(file.contentType).header('cache-control', 'public, max-age=31536000, immutable').send(file.bytes)
  })

  app.post(ADMIN_MEDIA, { onRequest: publishers }, async (req, reply) => {
    if (!req.isMultipart()) throw new Invalid('Send the image as multipart/form-data: a "file" part, and "alt" (required), "caption", "credit".')
    const { fields, upload } = await readUploadForm(req)
    const image = await app.services.media.add(upload.bytes, { alt: fields.alt ?? '', caption: fields.caption, credit: fields.credit, fileName: upload.fileName }, req.user!.id)
    return reply.code(201).header('cache-control', 'no-store').send(presentMedia(image, (await app.siteContext()).baseUrl))
  })
}

/** The form's one file and its detail fields; a file cut off at the size limit is refused whole. */
export async function readUploadForm(req: FastifyRequest): Promise<{ fields: Record<string, string>; upload: { bytes: Buffer; fileName: string } }> {
  const fields: Record<string, string> = {}
  let upload: { bytes: Buffer; fileName: string } | undefined
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || upload) throw new Invalid('Send one image, in the part named "file".')
        upload = { bytes: await part.toBuffer(), fileName: part.filename }
      } else if (DETAIL_FIELDS.has(part.fieldname)) {
        fields[part.fieldname] = String(part.value)
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new ImageTooLarge()
    if (error instanceof DomainError || typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error
    // The multipart parser's own complaints (no boundary, a part cut short, a broken part header)
    // come as plain errors: they are about what the client sent, so they are a 400, not a 500.
    throw new Invalid(`The upload is not well-formed multipart/form-data (${(error as Error).message}).`, 'invalid_input', { cause: error })
  }
  if (!upload) throw new Invalid('file: is required (the image, as a multipart file part).')
  assertNoNul(fields)
  return { fields, upload }
}
