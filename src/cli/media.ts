/** @module `broadsheet media add FILE --alt A [--caption C] [--credit R]`: add an image, print its reference and URL. */
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config/config.ts'
import { Invalid } from '../errors.ts'
import { openSite } from '../site.ts'
import { mediaFilePath } from '../web/urls.ts'

export interface MediaAddOptions {
  readonly alt: string
  readonly caption?: string
  readonly credit?: string
}

export async function mediaAddCommand(config: Config, file: string, o: MediaAddOptions): Promise<void> {
  const bytes = readImageFile(file)
  const site = await openSite(config, { seed: false })
  try {
    const image = await site.services.media.add(bytes, { alt: o.alt, caption: o.caption, credit: o.credit, fileName: path.basename(file) })
    const largest = image.variants.at(-1)!
    process.stdout.write(`${image.reference} ${(await site.baseUrl()) + mediaFilePath(largest.key)}\n`)
  } finally {
    await site.close()
  }
}

/** The bytes of an image file named on the command line or in front matter, or one clear line. */
export function readImageFile(file: string): Buffer {
  try {
    return fs.readFileSync(file)
  } catch (error) {
    throw new Invalid(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}
