/** @module `/corrections/` and its later pages: the public record of what the site got wrong. */
import { notFound } from '../errors.ts'
import { PageParams } from '../schemas.ts'
import type { App } from '../server.ts'
import { articleUrlPath, CORRECTIONS_PAGE } from '../urls.ts'
import { renderCorrectionsPage } from '../views/corrections-page.ts'

const CORRECTIONS_PER_PAGE = 20

export function registerCorrectionRoutes(app: App): void {
  const page = async (n: number) => {
    const context = await app.siteContext()
    const listing = await app.services.articles.listCorrections(n, CORRECTIONS_PER_PAGE)
    if (n > listing.pages) throw notFound()
    return renderCorrectionsPage(context, { listing, permalink: (a) => articleUrlPath(context.settings, a) })
  }
  app.get(CORRECTIONS_PAGE, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(await page(1)))
  app.get(`${CORRECTIONS_PAGE}page/:n/`, { schema: { params: PageParams } }, async (req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(await page(req.params.n)),
  )
}
