/**
 * @module The admin API for articles: create, update, submit, publish, schedule, unpublish,
 * delete; revisions, diffs and restores; corrections; private source notes. Bearer tokens; every
 * role that writes may call it, and the editorial service decides article by article.
 */
import { z } from 'zod'
import type { EditableArticle } from '../../articles/articles.ts'
import { requireCapability } from '../auth.ts'
import { presentCorrection, presentDeskEntry, presentDiff, presentEditableArticle, presentRevision, presentSourceNote } from '../presenters/admin-article.ts'
import { idParam, PageQuery } from '../schemas.ts'
import type { App } from '../server.ts'
import { articleUrl } from '../urls.ts'

const NO_SUCH_ARTICLE = 'There is no such article.'
const ArticleParams = z.object({ id: idParam(NO_SUCH_ARTICLE) })
const RevisionParams = ArticleParams.extend({ rid: idParam('There is no such revision.') })
const DiffParams = ArticleParams.extend({ a: idParam('There is no such revision.'), b: idParam('There is no such revision.') })

const revisionNumber = z.number({ error: 'must be the revision number you started from' }).int().min(0)
const when = z.iso.datetime({ offset: true, error: 'must be a date and time such as 2026-12-24T06:00:00Z' }).transform((s) => new Date(s))

/** An article's fields as the API writes them; each is checked again, by name, when saved. */
const ArticleFields = z.strictObject({
  /** The headline. */
  title: z.string(),
  /** URL slug; made from the headline when a new article has none. */
  slug: z.string(),
  /** The summary under the headline. */
  standfirst: z.string(),
  /** The body in Markdown. */
  body: z.string(),
  /** Bylines: e-mail addresses, display names or author slugs. */
  authors: z.array(z.string()),
  categories: z.array(z.string()),
  tags: z.array(z.string()),
  credits: z.array(z.object({ name: z.string(), role: z.string().optional(), url: z.string().optional() })),
  /** For syndicated pieces: the original's URL. */
  canonical_url: z.string().nullable(),
  comments_open: z.boolean(),
})

const CreateBody = ArticleFields.partial()
  .required({ title: true })
  .extend({
    /** draft (default), pending (submitted for review), published, scheduled. */
    status: z.enum(['draft', 'pending', 'published', 'scheduled'], { error: 'must be draft, pending, published or scheduled' }).optional(),
    /** Required with status scheduled (and in the future). */
    published_at: when.optional(),
  })
const UpdateBody = ArticleFields.partial().extend({ base_revision: revisionNumber })
const TransitionBody = z.strictObject({ base_revision: revisionNumber.optional() })
const ScheduleBody = TransitionBody.extend({ published_at: when })
const TextBody = z.strictObject({ text: z.string({ error: 'is required' }) })
const DeskQuery = PageQuery.extend({
  /** Only articles in this state. */
  status: z.enum(['draft', 'pending', 'scheduled', 'published'], { error: 'must be draft, pending, scheduled or published' }).optional(),
  /** Only articles with this user (id) in the byline. */
  author: idParam('must be a user id').optional(),
})
const DESK_PAGE_SIZE = 50

type Fields = Partial<z.output<typeof ArticleFields>>

/** The API's snake_case fields as the articles module names them. */
function articleInput(f: Fields) {
  const { canonical_url, comments_open, credits, ...rest } = f
  return {
    ...rest,
    ...(credits && { credits: credits.map((c) => ({ name: c.name, ...(c.role !== undefined && { role: c.role }), ...(c.url !== undefined && { url: c.url }) })) }),
    ...(canonical_url !== undefined && canonical_url !== null && { canonicalUrl: canonical_url }),
    ...(comments_open !== undefined && { commentsOpen: comments_open }),
  }
}

const writers = requireCapability('write_articles')

export function registerAdminArticleRoutes(app: App): void {
  const present = async (a: EditableArticle) => {
    const context = await app.siteContext()
    return presentEditableArticle(a, articleUrl(context.baseUrl, context.settings, a))
  }
  const editorial = app.services.editorial
  const base = '/api/v1/admin/articles'

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith(base)) reply.header('cache-control', 'no-store')
  })

  app.get(base, { onRequest: writers, schema: { querystring: DeskQuery } }, async (req) => {
    const { status, author, page } = req.query
    const listing = await editorial.list(req.user!, { ...(status && { status }), ...(author !== undefined && { authorId: author }) }, page, DESK_PAGE_SIZE)
    const context = await app.siteContext()
    return {
      articles: listing.articles.map((a) => presentDeskEntry(a, articleUrl(context.baseUrl, context.settings, a))),
      page: listing.page,
      pages: listing.pages,
      total: listing.total,
    }
  })

  app.post(base, { onRequest: writers, schema: { body: CreateBody } }, async (req, reply) => {
    const { status, published_at, ...fields } = req.body
    const article = await editorial.create(req.user!, { ...articleInput(fields), title: fields.title, ...(status && { status }), ...(published_at && { publishedAt: published_at }) })
    return reply.code(201).send(await present(article))
  })

  app.get(`${base}/:id`, { onRequest: writers, schema: { params: ArticleParams } }, async (req) => present(await editorial.open(req.user!, req.params.id)))

  app.patch(`${base}/:id`, { onRequest: writers, schema: { params: ArticleParams, body: UpdateBody } }, async (req) => {
    const { base_revision, ...fields } = req.body
    return present(await editorial.update(req.user!, req.params.id, articleInput(fields), base_revision))
  })

  app.delete(`${base}/:id`, { onRequest: writers, schema: { params: ArticleParams } }, async (req, reply) => {
    await editorial.remove(req.user!, req.params.id)
    return reply.code(204).send()
  })

  for (const action of ['submit', 'publish', 'unpublish'] as const) {
    const run = { submit: editorial.submitForReview, publish: editorial.publish, unpublish: editorial.unpublish }[action]
    app.post(`${base}/:id/${action}`, { onRequest: writers, schema: { params: ArticleParams, body: TransitionBody } }, async (req) =>
      present(await run(req.user!, req.params.id, req.body.base_revision)),
    )
  }

  app.post(`${base}/:id/schedule`, { onRequest: writers, schema: { params: ArticleParams, body: ScheduleBody } }, async (req) =>
    present(await editorial.schedule(req.user!, req.params.id, req.body.published_at, req.body.base_revision)),
  )

  app.get(`${base}/:id/revisions`, { onRequest: writers, schema: { params: ArticleParams } }, async (req) => ({
    revisions: (await editorial.revisions(req.user!, req.params.id)).map(presentRevision),
  }))

  app.get(`${base}/:id/revisions/:a/diff/:b`, { onRequest: writers, schema: { params: DiffParams } }, async (req) =>
    presentDiff(await editorial.diff(req.user!, req.params.id, req.params.a, req.params.b)),
  )

  app.post(`${base}/:id/revisions/:rid/restore`, { onRequest: writers, schema: { params: RevisionParams, body: TransitionBody } }, async (req) =>
    present(await editorial.restore(req.user!, req.params.id, req.params.rid, req.body.base_revision)),
  )

  app.post(`${base}/:id/corrections`, { onRequest: writers, schema: { params: ArticleParams, body: TextBody } }, async (req, reply) =>
    reply.code(201).send(presentCorrection(await editorial.correct(req.user!, req.params.id, req.body))),
  )

  app.get(`${base}/:id/notes`, { onRequest: writers, schema: { params: ArticleParams } }, async (req) => ({
    notes: (await editorial.notes(req.user!, req.params.id)).map(presentSourceNote),
  }))

  app.post(`${base}/:id/notes`, { onRequest: writers, schema: { params: ArticleParams, body: TextBody } }, async (req, reply) =>
    reply.code(201).send(presentSourceNote(await editorial.addNote(req.user!, req.params.id, req.body))),
  )
}
