/** @module `broadsheet publish FILE.md`: create or update an article and print its URL. */
import fs from 'node:fs'
import type { Config } from '../config/config.ts'
import { saveArticle } from '../articles/articles.ts'
import { parseArticleFile } from '../articles/front-matter.ts'
import { articlePath } from '../articles/permalinks.ts'
import { findRepeatedParagraphs } from '../articles/repeated-paragraphs.ts'
import { readSettings } from '../settings/settings.ts'
import { openSite } from '../site.ts'
import { CliFailure } from './main.ts'

export async function publishCommand(config: Config, file: string): Promise<void> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new CliFailure(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  // Parse before touching the database, so that a bad file changes nothing.
  const { input, bodyStartLine } = parseArticleFile(text)
  for (const r of findRepeatedParagraphs(input.body ?? '', bodyStartLine)) {
    process.stderr.write(`warning: ${file}:${r.repeatLine}: this paragraph repeats the one at line ${r.firstLine} ("${r.excerpt}…")\n`)
  }
  const site = await openSite(config, { seed: false })
  try {
    const { article, created } = await saveArticle(site.db, input)
    const settings = await readSettings(site.db)
    const base = (settings.baseUrl ?? config.baseUrl).replace(/\/+$/, '')
    if (!article.publishedAt || article.status === 'draft') {
      process.stdout.write(`saved draft "${article.title}" (id ${article.id}); it has no public URL until published\n`)
      return
    }
    const url = base + articlePath(settings.permalinkStructure, { ...article, publishedAt: article.publishedAt })
    if (article.status === 'scheduled') process.stderr.write(`note: scheduled for ${article.publishedAt.toISOString()}\n`)
    if (!created) process.stderr.write(`note: updated the existing article "${article.slug}"\n`)
    process.stdout.write(`${url}\n`)
  } finally {
    await site.close()
  }
}
