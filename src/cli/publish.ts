/** @module `broadsheet publish FILE.md`: create or update an article and print its URL. */
import fs from 'node:fs'
import type { Config } from '../config/config.ts'
import { parseArticleFile } from '../articles/front-matter.ts'
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
  const { input, bodyStartLine } = parseArticleFile(text)
  for (const r of findRepeatedParagraphs(input.body ?? '', bodyStartLine)) {
    process.stderr.write(`warning: ${file}:${r.repeatLine}: this paragraph repeats the one at line ${r.firstLine} ("${r.excerpt}…")\n`)
  }
  const site = await openSite(config, { seed: false })
  try {
    const { article, created } = await site.services.articles.save(input)
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
