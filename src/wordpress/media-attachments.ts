/**
 * @module Where imported attachments go: each image becomes a media record in the import's own
 * transaction. A file found in `--uploads DIR` is processed like an upload (checked by content,
 * metadata stripped, variants made), so the site serves it itself; otherwise the record points
 * at the image's original address. Attachments that are not images (PDFs, audio) stay in the
 * import map only.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { MediaService } from '../media/media.ts'
import type { AttachmentSink } from './wxr-import.ts'

const imageFileRe = /\.(jpe?g|png|gif|webp|avif|tiff?)$/i

export function mediaAttachments(media: MediaService): AttachmentSink {
  return {
    async keep(q, a) {
      let pathname: string
      try {
        pathname = new URL(a.url).pathname
      } catch {
        return null
      }
      if (!imageFileRe.test(pathname)) return null
      const details = { alt: (a.alt || a.title || path.basename(pathname)).slice(0, 500), caption: a.caption.slice(0, 1000), fileName: path.basename(pathname).slice(0, 255) }
      if (a.file) {
        try {
          return (await media.add(await readFile(a.file), details, null, q)).id
        } catch {
          // not an image sharp can read: point at the original instead
        }
      }
      try {
        return (await media.addRemote({ ...details, url: a.url }, null, q)).id
      } catch {
        return null
      }
    },
  }
}
