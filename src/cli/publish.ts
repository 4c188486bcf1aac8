/** @module `broadsheet publish FILE.md`: create or update an article and print its URL. */
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config/config.ts'
import { parseArticleFile, type FrontMatterImage } from '../articles/front-matter.ts'
import type { Site } from '../site.ts'
import { readImageFile } from './media.ts'
import { findRepeatedParagraphs } from '../articles/repeated-paragraphs.ts'
import { goesLive } from '../articles/schema.ts'
import { openSite } from '../site.ts'
import { Invalid } from '../errors.ts'
import { articleUrl } from '../web/urls.ts'

export async function publishCommand(config: Config, file: string): Promise<void> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new Invalid(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  // Parse before touching the database, so that a bad file changes nothing.
  const { input, bodyStartLine, image } = parseArticleFile(text)
  // An image file is read (not yet added) before the database is touched, so a missing one changes nothing.
  const imageBytes = image && 'file' in image ? readImageFile(path.resolve(path.dirname(file), image.file)) : undefined
  for (const r of findRepeatedParagraphs(input.body ?? '', bodyStartLine)) {
    process.stderr.write(`warning: ${file}:${r.repeatLine}: this paragraph repeats the one at line ${r.firstLine} ("${r.excerpt}…")\n`)
  }
  const site = await openSite(config, { seed: false })
  try {
    const imageId = await featuredImageId(site, image, imageBytes)
    const { article, created } = await site.services.articles.save({ ...input, ...(imageId !== undefined && { imageId }) })
    const settings = await site.services.settings.read()
    if (!article.publishedAt || !goesLive(article.status)) {
      process.stdout.write(`saved draft "${article.title}" (id ${article.id}); it has no public URL until published\n`)
      return
    }
    const url = articleUrl(await site.baseUrl(), settings, article)
    if (article.status === 'scheduled') process.stderr.write(`note: scheduled for ${article.publishedAt.toISOString()}\n`)
    if (!created) process.stderr.write(`note: updated the existing article "${article.slug}"\n`)
    process.stdout.write(`${url}\n`)
  } finally {
    await site.close()
  }
}

/** The media id the front matter's `image:` names, adding the file it points at (the same file and words reuse one record). */
async function featuredImageId(site: Site, image: FrontMatterImage | undefined, bytes: Buffer | undefined): Promise<number | null | undefined> {
  if (image === undefined || image === null) return image
  if ('mediaId' in image) return image.mediaId
  const added = await site.services.media.add(bytes!, { alt: image.alt, caption: image.caption, credit: image.credit, fileName: path.basename(image.file) })
  return added.id
}
