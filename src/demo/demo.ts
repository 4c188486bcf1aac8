/**
 * @module Demo content for a new site: a few original sample stories written for the project,
 * and, where the shared data folder is beside the project, the credited excerpt it provides
 * (used only as its own reuse notice allows: an excerpt, with full credit and a link).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AccountsService } from '../accounts/accounts.ts'
import type { ArticlesService } from '../articles/articles.ts'
import { parseArticleFile } from '../articles/front-matter.ts'
import type { MediaService } from '../media/media.ts'
import { DEMO_IMAGES } from './demo-images.ts'
import { loadSharp } from '../media/sharp.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const ownArticles = path.join(here, 'articles')
/** The excerpt stays in the shared data folder; it is never copied into the project. */
const sharedExcerpt = path.resolve(here, '../../../shared/data/demo/excerpt-globaldefensecorp.md')

/** Seeds the demo when the database has neither articles nor people yet. */
export async function seedDemo(
  services: { readonly articles: ArticlesService; readonly accounts: AccountsService; readonly media?: MediaService },
  log: (line: string) => void,
): Promise<boolean> {
  if ((await services.articles.hasAny()) || (await services.accounts.hasAnyUser())) return false
  const files = fs.readdirSync(ownArticles).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(ownArticles, f))
  if (fs.existsSync(sharedExcerpt)) files.push(sharedExcerpt)
  else log(`demo: the credited excerpt is not at ${sharedExcerpt}; seeding the original sample stories only`)
  for (const file of files) {
    const { input } = parseArticleFile(fs.readFileSync(file, 'utf8'))
    const imageId = services.media && input.slug ? await demoImage(services.media, input.slug) : undefined
    await services.articles.save({ ...input, ...(imageId !== undefined && { imageId }) })
  }
  log(`demo: seeded ${files.length} sample articles (set BROADSHEET_DEMO=0 to start empty)`)
  return true
}

/** The story's illustration (drawn in demo-images.ts) rendered and added as an image. */
async function demoImage(media: MediaService, slug: string): Promise<number | undefined> {
  const make = DEMO_IMAGES[slug]
  if (!make) return undefined
  const { svg, alt, caption, credit } = make()
  const sharp = await loadSharp()
  const png = await sharp(Buffer.from(svg)).png().toBuffer()
  return (await media.add(png, { alt, caption, credit, fileName: `${slug}.png` })).id
}
