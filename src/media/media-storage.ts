/**
 * @module Where image files live: a small interface (put, get, delete by key) with a local-disk
 * implementation under `BROADSHEET_DATA/media/`. An S3-compatible store implements the same three
 * calls; nothing else in the site touches the files.
 */
import fs from 'node:fs/promises'
import path from 'node:path'

/** A stored file: its bytes and the content type it is served with. */
export interface StoredFile {
  readonly bytes: Buffer
  readonly contentType: string
}

/** The storage seam: keys are flat names made by the media module (`3f2a…-960.webp`). */
export interface MediaStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>
  /** The file, or undefined when there is none under this key. */
  get(key: string): Promise<StoredFile | undefined>
  delete(key: string): Promise<void>
}

/** The folder of the built-in storage: `BROADSHEET_DATA/media/` (backups carry it along). */
export function mediaFolderOf(dataDir: string): string {
  return path.join(dataDir, 'media')
}

/** A key the media module makes: hex hash, width, format. Anything else names nothing. */
export const mediaKeyRe = /^[0-9a-f]{16,64}-\d{1,5}\.(?:webp|jpg)$/

const contentTypes: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg' }

/**
 * Files in one folder, written atomically (a temporary file renamed into place), so a reader never
 * sees half an image and a crash leaves no torn file under a real key.
 * @example const storage = localDiskStorage(mediaFolderOf(config.dataDir))
 */
export function localDiskStorage(folder: string): MediaStorage {
  const fileOf = (key: string) => {
    if (!mediaKeyRe.test(key)) throw new Error(`not a media key: ${key}`)
    return path.join(folder, key)
  }
  return {
    async put(key, bytes) {
      const file = fileOf(key)
      await fs.mkdir(folder, { recursive: true })
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`
      await fs.writeFile(temporary, bytes)
      await fs.rename(temporary, file)
    },
    async get(key) {
      if (!mediaKeyRe.test(key)) return undefined
      try {
        const bytes = await fs.readFile(fileOf(key))
        return { bytes, contentType: contentTypes[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream' }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async delete(key) {
      await fs.rm(fileOf(key), { force: true })
    },
  }
}
