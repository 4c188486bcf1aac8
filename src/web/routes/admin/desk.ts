/** @module The newsroom's pages: dashboard, articles and the editor, comments, users, tokens, settings. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { can } from '../../../accounts/accounts.ts'
import { canEditArticle, canUseSourceNotes } from '../../../accounts/policies.ts'
import type { EditorAction, EditorInput } from '../../../articles/desk.ts'
import { CreditSchema } from '../../../articles/schema.ts'
import { DomainError, Invalid } from '../../../errors.ts'
import { fromForm, settingFields } from '../../../settings/fields.ts'
import { csrfToken, signedIn } from '../../admin-session.ts'
import { toProblem } from '../../errors.ts'
import { html } from '../../html.ts'
import { idParam, IdParams, PageQuery } from '../../schemas.ts'
import type { App } from '../../server.ts'
import { ADMIN, adminArticle, articleUrl } from '../../urls.ts'
import { readUploadForm } from '../media.ts'
import { editorValues, renderArticleList, renderEditor, type EditorValues } from '../../views/admin/articles.ts'
import { renderQueue, type QueueTab } from '../../views/admin/comments.ts'
import { renderDashboard } from '../../views/admin/dashboard.ts'
import { renderRevisions } from '../../views/admin/revisions.ts'
import { renderSettings, renderTokens, renderUsers } from '../../views/admin/people.ts'

const HTML = 'text/html; charset=utf-8'
const PER_PAGE = 25
const QUEUE_PER_PAGE = 30
/** A 2,000,000-character body, form-encoded, in any script (up to 9 bytes a character). */
const EDITOR_BODY_LIMIT = 20 * 1024 * 1024

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).default('')
const EditorBody = z.object({
  _csrf: text(200),
  revision: text(40),
  title: text(300),
  standfirst: text(1000),
  body: text(2_000_000),
  slug: text(200),
  categories: text(5000),
  tags: text(5000),
  authors: text(2000),
  credits: text(20_000),
  canonical_url: text(2000),
  comments_open: z.string().optional(),
  publish_at: text(40),
  action: z.enum(['draft', 'pending', 'publish', 'schedule', 'unpublish'], { error: 'must be one of the editor’s buttons' }).default('draft'),
})
type EditorForm = z.infer<typeof EditorBody>
const ArticleListQuery = PageQuery.extend({
  status: z.enum(['draft', 'pending', 'scheduled', 'published', '']).optional(),
  author: z.union([idParam('must be a user id'), z.literal('')]).optional(),
  category: z.union([idParam('must be a category id'), z.literal('')]).optional(),
  q: z.string().max(200).optional(),
  saved: z.string().optional(),
})
const IdsField = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647))
const BulkArticles = z.object({ _csrf: text(200), ids: IdsField.default([]), action: z.enum(['publish', 'unpublish']) })
const QueueQuery = PageQuery.extend({ status: z.enum(['pending', 'approved', 'spam', 'trash']).default('pending'), edit: idParam('must be a comment id').optional(), comment: idParam('must be a comment id').optional(), done: z.string().optional() })
const StatusField = z.enum(['pending', 'approved', 'spam', 'trash'], { error: 'must be pending, approved, spam or trash' })
const ModerateBody = z.object({ _csrf: text(200), status: StatusField, tab: StatusField.optional() })
const BulkComments = z.object({ _csrf: text(200), ids: IdsField.default([]), status: StatusField, tab: StatusField.optional() })
const ContentBody = z.object({ _csrf: text(200), content: text(20_000), tab: StatusField.optional() })
const NewUserBody = z.object({ _csrf: text(200), name: text(100), email: text(254), role: text(20), password: text(1000) })
const UserChangeBody = z.object({ _csrf: text(200), role: text(20), do: z.enum(['role', 'disable', 'enable']) })
const TokenBody = z.object({
  _csrf: text(200),
  label: text(100),
  /** Days until the token stops working; empty or absent: the default (90). */
  expires_in: z.union([z.literal(''), z.string().regex(/^[1-9]\d{0,3}$/, 'must be a number of days from 1 to 3650')]).optional(),
})
const PreviewBody = z.object({ title: text(300), standfirst: text(1000), body: text(2_000_000), _csrf: text(200) })
const ArticleParams = IdParams('There is no such article.')
const CommentParams = IdParams('There is no such comment.')
const UserParams = IdParams('There is no such user.')
const TokenParams = IdParams('There is no such token.')

/** What a moderation redirect may say it did: "comment 12 is spam", "3 comments approved", "your reply (comment 9) is published", "comment 4 edited". */
const doneRe = /^(comment \d+ is (pending|approved|spam|trash)|\d+ comments? (pending|approved|spam|trash)|comment \d+ edited|your reply \(comment \d+\) is published)$/

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean)

/** "Role: Name | URL", one a line, into credits; a line that does not read as one says which. */
function parseCredits(source: string) {
  return source
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const [left, url] = line.split('|').map((s) => s.trim())
      const colon = left!.indexOf(':')
      const credit = colon > 0 ? { role: left!.slice(0, colon).trim(), name: left!.slice(colon + 1).trim() } : { role: 'Source', name: left! }
      const parsed = CreditSchema.safeParse({ ...credit, ...(url && { url }) })
      if (!parsed.success) throw new Invalid(`Credits, line ${i + 1}: write it as “Original reporting: CNN | https://…” (the address must start with http:// or https://).`)
      return parsed.data
    })
}

function editorInput(id: number | undefined, f: EditorForm): EditorInput {
  const publishAt = f.publish_at ? new Date(`${f.publish_at.length === 16 ? `${f.publish_at}:00` : f.publish_at}Z`) : undefined
  return {
    ...(id !== undefined && { id }),
    title: f.title,
    standfirst: f.standfirst,
    body: f.body,
    ...(f.slug.trim() && { slug: f.slug.trim() }),
    categories: list(f.categories),
    tags: list(f.tags),
    ...(f.authors.trim() && { authors: list(f.authors) }),
    credits: parseCredits(f.credits),
    ...(f.canonical_url.trim() && { canonicalUrl: f.canonical_url.trim() }),
    commentsOpen: f.comments_open !== undefined,
    ...(publishAt && { publishAt }),
    ...(f.revision && { basedOn: f.revision }),
  }
}

function formValues(f: EditorForm): EditorValues {
  return { title: f.title, standfirst: f.standfirst, body: f.body, slug: f.slug, categories: f.categories, tags: f.tags, authors: f.authors, credits: f.credits, canonicalUrl: f.canonical_url, commentsOpen: f.comments_open !== undefined, publishAt: f.publish_at, basedOn: f.revision }
}

const savedNotice: Record<EditorAction | 'image' | 'image_removed' | 'correction' | 'update' | 'restored' | 'note', string> = {
  update: 'Updated: readers see the change now.',
  restored: 'Revision restored: it is now the article’s text (as a new revision).',
  note: 'Source note added. Only this article’s authors and editors can read it.',
  correction: 'Correction published: readers see it above the article.',
  image: 'Image added: it leads the article, with its caption and credit.',
  image_removed: 'Image removed.',
  draft: 'Draft saved.',
  pending: 'Submitted for review: an editor has been asked to publish it.',
  publish: 'Published.',
  schedule: 'Scheduled.',
  unpublish: 'Unpublished: it is a draft again, and readers no longer see it.',
}

function wantsJson(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('application/json') || (req.headers['content-type'] ?? '').startsWith('application/json')
}

/** The status and message of a domain error, for a page that shows it in place. */
function problemOf(reply: FastifyReply, error: unknown): string {
  if (!(error instanceof DomainError)) throw error
  const p = toProblem(error)
  reply.code(p.status)
  return p.message
}

export function registerAdminDeskRoutes(app: App): void {
  const csrf = app.csrfProtection
  const services = app.services

  app.get(ADMIN.home, { preHandler: signedIn() }, async (req, reply) => {
    const user = req.user!
    const mine = can(user.role, 'edit_others_articles') ? {} : { authorId: user.id }
    const moderator = can(user.role, 'moderate_comments')
    const [drafts, pendingReview, scheduled, counts, perDay] = await Promise.all([
      services.desk.list({ ...mine, status: 'draft' }, 1, 10),
      services.desk.list({ ...(can(user.role, 'edit_others_articles') ? {} : mine), status: 'pending' }, 1, 10),
      services.desk.list({ ...mine, status: 'scheduled' }, 1, 10),
      moderator ? services.comments.statusCounts() : undefined,
      moderator ? services.comments.perDay(30) : [],
    ])
    const page = renderDashboard(await app.siteContext(), user, csrfToken(req, reply), {
      drafts: drafts.articles,
      pendingReview: pendingReview.articles,
      scheduled: scheduled.articles,
      commentsAwaiting: counts?.pending,
      perDay,
    })
    return reply.type(HTML).send(page)
  })

  // ---- articles ----

  app.get(ADMIN.articles, { preHandler: signedIn(), schema: { querystring: ArticleListQuery } }, async (req, reply) => {
    const q = req.query
    // Authors and contributors see their own articles only (others' drafts and embargoed pieces are not theirs to read).
    const author = can(req.user!.role, 'edit_others_articles') ? q.author : req.user!.id
    const filters = {
      ...(q.status && { status: q.status }),
      ...(author && { author }),
      ...(q.category && { category: q.category }),
      ...(q.q?.trim() && { q: q.q.trim() }),
    }
    const [list, authors, categories] = await Promise.all([
      services.desk.list({ ...(filters.status && { status: filters.status }), ...(filters.author && { authorId: filters.author }), ...(filters.category && { categoryId: filters.category }), ...(filters.q && { query: filters.q }) }, q.page, PER_PAGE),
      can(req.user!.role, 'edit_others_articles') ? services.accounts.listUsers() : [],
      services.desk.terms('category'),
    ])
    const notice = q.saved !== undefined ? 'Done.' : undefined
    return reply.type(HTML).send(renderArticleList(await app.siteContext(), req.user!, csrfToken(req, reply), list, filters, { authors, categories }, notice))
  })

  app.post(`${ADMIN.articles}/bulk`, { preHandler: [signedIn('publish_articles'), csrf], schema: { body: BulkArticles } }, async (req, reply) => {
    if (req.body.ids.length === 0) throw new Invalid('Select at least one article first.')
    for (const id of req.body.ids) {
      if (req.body.action === 'publish') await services.editorial.publish(req.user!, id)
      else await services.editorial.unpublish(req.user!, id)
    }
    return reply.redirect(`${ADMIN.articles}?saved`, 303)
  })

  const showEditor = async (req: FastifyRequest, reply: FastifyReply, id: number | undefined, notice?: string) => {
    const article = id !== undefined ? await services.editorial.open(req.user!, id) : undefined
    const site = await app.siteContext()
    const v = editorValues(article)
    const publicUrl = article && (article.status === 'published' || article.status === 'scheduled') ? articleUrl(site.baseUrl, site.settings, article) : undefined
    const image = article?.imageId ? await services.media.byId(article.imageId) : undefined
    const notes = article && canUseSourceNotes(req.user!, article) ? (services.editorial.notesEnabled ? await services.editorial.notes(req.user!, article.id) : 'off') : undefined
    const page = renderEditor(site, req.user!, csrfToken(req, reply), article, v, { previewHtml: previewOf(v.title, v.standfirst, v.body), ...(notice && { notice }), ...(publicUrl && { publicUrl }), ...(image && { image }), ...(notes && { notes }) })
    return reply.type(HTML).send(page)
  }
  const previewOf = (title: string, standfirst: string, body: string) =>
    html`<h1>${title || 'Untitled'}</h1>${standfirst ? html`<p><em>${standfirst}</em></p>` : ''}`.value + services.desk.preview(body)

  app.get(ADMIN.newArticle, { preHandler: signedIn() }, (req, reply) => showEditor(req, reply, undefined))

  app.get('/admin/articles/:id', { preHandler: signedIn(), schema: { params: ArticleParams, querystring: z.object({ saved: z.enum(['draft', 'pending', 'publish', 'schedule', 'unpublish', 'image', 'image_removed', 'correction', 'update', 'restored', 'note']).optional() }) } }, (req, reply) =>
    showEditor(req, reply, req.params.id, req.query.saved && savedNotice[req.query.saved]),
  )

  const saveEditor = async (req: FastifyRequest, reply: FastifyReply, id: number | undefined, form: EditorForm) => {
    try {
      const saved = await services.desk.save(req.user!, editorInput(id, form), form.action)
      const live = form.action === 'draft' && (saved.status === 'published' || saved.status === 'scheduled')
      return reply.redirect(`${adminArticle(saved.id)}?saved=${live ? 'update' : form.action}`, 303)
    } catch (error) {
      const message = problemOf(reply, error)
      const article = id !== undefined ? await services.editorial.open(req.user!, id).catch(() => undefined) : undefined
      const page = renderEditor(await app.siteContext(), req.user!, csrfToken(req, reply), article, formValues(form), { error: message, previewHtml: previewOf(form.title, form.standfirst, form.body) })
      return reply.type(HTML).send(page)
    }
  }

  app.post(ADMIN.newArticle, { bodyLimit: EDITOR_BODY_LIMIT, preHandler: [signedIn(), csrf], schema: { body: EditorBody } }, (req, reply) => saveEditor(req, reply, undefined, req.body))
  app.post('/admin/articles/:id', { bodyLimit: EDITOR_BODY_LIMIT, preHandler: [signedIn(), csrf], schema: { params: ArticleParams, body: EditorBody } }, (req, reply) => saveEditor(req, reply, req.params.id, req.body))

  app.post('/admin/articles/:id/autosave', { bodyLimit: EDITOR_BODY_LIMIT, preHandler: [signedIn(), csrf], schema: { params: ArticleParams, body: EditorBody } }, async (req) => {
    const existing = await services.editorial.open(req.user!, req.params.id)
    if (existing.status !== 'draft') throw new Invalid('Only drafts are saved automatically; save this one with its buttons.')
    const saved = await services.desk.save(req.user!, editorInput(req.params.id, req.body), 'draft')
    return { saved: true, revision: String(saved.revision) }
  })

  // The featured image: uploaded through the media pipeline, or removed. The form is multipart, so its CSRF token travels in the query.
  app.post('/admin/articles/:id/image', { preHandler: [signedIn('publish_articles'), csrf], schema: { params: ArticleParams } }, async (req, reply) => {
    const user = req.user!
    const article = await services.editorial.open(user, req.params.id)
    if (!req.isMultipart()) {
      await services.editorial.update(user, article.id, { imageId: null }, article.revision)
      return reply.redirect(`${adminArticle(article.id)}?saved=image_removed`, 303)
    }
    const { fields, upload } = await readUploadForm(req)
    const image = await services.media.add(upload.bytes, { alt: fields.alt ?? '', caption: fields.caption, credit: fields.credit, fileName: upload.fileName }, user.id)
    await services.editorial.update(user, article.id, { imageId: image.id }, article.revision)
    return reply.redirect(`${adminArticle(article.id)}?saved=image`, 303)
  })

  app.post('/admin/articles/:id/corrections', { preHandler: [signedIn('publish_articles'), csrf], schema: { params: ArticleParams, body: z.object({ _csrf: text(200), text: text(5000) }) } }, async (req, reply) => {
    await services.editorial.correct(req.user!, req.params.id, { text: req.body.text })
    return reply.redirect(`${adminArticle(req.params.id)}?saved=correction`, 303)
  })

  // ---- revisions and source notes ----

  app.get('/admin/articles/:id/revisions', { preHandler: signedIn(), schema: { params: ArticleParams, querystring: z.object({ from: idParam('must be a revision number').optional(), to: idParam('must be a revision number').optional() }) } }, async (req, reply) => {
    const user = req.user!
    const article = await services.editorial.open(user, req.params.id)
    const revisions = await services.editorial.revisions(user, article.id)
    const { from, to } = req.query
    const diff = from && to ? await services.editorial.diff(user, article.id, Math.min(from, to), Math.max(from, to)) : undefined
    const page = renderRevisions(await app.siteContext(), user, csrfToken(req, reply), article, revisions, diff, canEditArticle(user, article))
    return reply.type(HTML).send(page)
  })

  app.post('/admin/articles/:id/revisions/:number/restore', { preHandler: [signedIn(), csrf], schema: { params: z.object({ id: idParam('There is no such article.'), number: idParam('There is no such revision.') }) } }, async (req, reply) => {
    const restored = await services.editorial.restore(req.user!, req.params.id, req.params.number)
    return reply.redirect(`${adminArticle(restored.id)}?saved=restored`, 303)
  })

  app.post('/admin/articles/:id/notes', { preHandler: [signedIn(), csrf], schema: { params: ArticleParams, body: z.object({ _csrf: text(200), text: text(20_000) }) } }, async (req, reply) => {
    await services.editorial.addNote(req.user!, req.params.id, { text: req.body.text })
    return reply.redirect(`${adminArticle(req.params.id)}?saved=note#notes-heading`, 303)
  })

  app.post('/admin/articles/preview', { bodyLimit: EDITOR_BODY_LIMIT, preHandler: [signedIn(), csrf], schema: { body: PreviewBody } }, async (req) => ({ html: previewOf(req.body.title, req.body.standfirst, req.body.body) }))

  // ---- comments ----

  const moderators = signedIn('moderate_comments')
  const queueUrl = (tab: string | undefined, done?: string) => `${ADMIN.comments}?status=${tab ?? 'pending'}${done ? `&done=${done}` : ''}`

  app.get(ADMIN.comments, { preHandler: moderators, schema: { querystring: QueueQuery } }, async (req, reply) => {
    let tab: QueueTab = req.query.status
    // A link from a moderator's e-mail names the comment: open the tab it is in.
    if (req.query.comment) tab = (await services.comments.statusOf(req.query.comment)) ?? tab
    const queue = await services.comments.queue({ status: tab }, req.query.page, QUEUE_PER_PAGE)
    const site = await app.siteContext()
    const articleIds = [...new Set(queue.comments.map((c) => c.articleId))]
    const [counts, records, articles] = await Promise.all([
      services.comments.statusCounts(),
      services.comments.commenterRecords(queue.comments.map((c) => c.authorEmail)),
      services.articles.byIds(articleIds),
    ])
    const articleInfo = new Map(articles.map((a) => [a.id, { title: a.title, ...(articleUrl(site.baseUrl, site.settings, a) && { url: articleUrl(site.baseUrl, site.settings, a)! }) }]))
    const editing = req.query.edit ? { id: req.query.edit, source: (await services.comments.source(req.query.edit)) ?? '' } : undefined
    // The redirect after an action names what was done; only that shape is shown (no one's own words on this page).
    const notice = req.query.done && doneRe.test(req.query.done) ? `Done: ${req.query.done}.` : undefined
    const page = renderQueue(site, req.user!, csrfToken(req, reply), { tab, comments: queue.comments, counts, records, articles: articleInfo, page: queue.page, pages: queue.pages, ...(editing && { editing }) }, notice)
    return reply.type(HTML).send(page)
  })

  app.post('/admin/comments/:id/moderate', { preHandler: [moderators, csrf], schema: { params: CommentParams, body: ModerateBody } }, async (req, reply) => {
    const comment = await services.comments.moderate(`user:${req.user!.id}`, req.params.id, req.body.status)
    if (wantsJson(req)) return { id: comment.id, status: comment.status }
    return reply.redirect(queueUrl(req.body.tab, `comment ${comment.id} is ${comment.status}`), 303)
  })

  app.post('/admin/comments/bulk', { preHandler: [moderators, csrf], schema: { body: BulkComments } }, async (req, reply) => {
    if (req.body.ids.length === 0) throw new Invalid('Select at least one comment first.')
    const updated = await services.comments.moderateMany(`user:${req.user!.id}`, req.body.ids, req.body.status)
    return reply.redirect(queueUrl(req.body.tab, `${updated.length} comment${updated.length === 1 ? '' : 's'} ${req.body.status}`), 303)
  })

  app.post('/admin/comments/:id/edit', { preHandler: [moderators, csrf], schema: { params: CommentParams, body: ContentBody } }, async (req, reply) => {
    await services.comments.editContent(req.params.id, req.body.content)
    return reply.redirect(`${queueUrl(req.body.tab, `comment ${req.params.id} edited`)}#comment-${req.params.id}`, 303)
  })

  app.post('/admin/comments/:id/reply', { preHandler: [moderators, csrf], schema: { params: CommentParams, body: ContentBody } }, async (req, reply) => {
    const user = req.user!
    const posted = await services.comments.staffReply({ parentId: req.params.id, content: req.body.content, author: { name: user.displayName, email: user.email } })
    return reply.redirect(queueUrl(req.body.tab, `your reply (comment ${posted.id}) is published`), 303)
  })

  // ---- users and tokens ----

  const admins = signedIn('manage_users')

  app.get(ADMIN.users, { preHandler: admins }, async (req, reply) =>
    reply.type(HTML).send(renderUsers(await app.siteContext(), req.user!, csrfToken(req, reply), await services.accounts.listUsers())),
  )

  app.post(ADMIN.users, { preHandler: [admins, csrf], schema: { body: NewUserBody } }, async (req, reply) => {
    const { name, email, role, password } = req.body
    try {
      const user = await services.accounts.addUser({ name, email, role: role as never, ...(password && { password }) })
      return reply.type(HTML).send(renderUsers(await app.siteContext(), req.user!, csrfToken(req, reply), await services.accounts.listUsers(), { notice: `${user.displayName} can now sign in as ${user.role}.` }))
    } catch (error) {
      const message = problemOf(reply, error)
      return reply.type(HTML).send(renderUsers(await app.siteContext(), req.user!, csrfToken(req, reply), await services.accounts.listUsers(), { error: message, values: { name, email, role } }))
    }
  })

  app.post('/admin/users/:id', { preHandler: [admins, csrf], schema: { params: UserParams, body: UserChangeBody } }, async (req, reply) => {
    const change = req.body.do === 'role' ? { role: req.body.role as never } : { disabled: req.body.do === 'disable' }
    try {
      const user = await services.accounts.updateUser(req.params.id, change)
      const notice = req.body.do === 'role' ? `${user.displayName} is now ${user.role}.` : `${user.displayName}'s account is ${user.disabled ? 'disabled: signed out everywhere, tokens revoked' : 'enabled'}.`
      return reply.type(HTML).send(renderUsers(await app.siteContext(), req.user!, csrfToken(req, reply), await services.accounts.listUsers(), { notice }))
    } catch (error) {
      const message = problemOf(reply, error)
      return reply.type(HTML).send(renderUsers(await app.siteContext(), req.user!, csrfToken(req, reply), await services.accounts.listUsers(), { error: message }))
    }
  })

  /** Administrators see and revoke everyone's tokens; others only their own. */
  const tokensOf = (req: FastifyRequest) => services.accounts.listTokens(can(req.user!.role, 'manage_users') ? undefined : req.user!.id)

  app.get(ADMIN.tokens, { preHandler: signedIn() }, async (req, reply) => reply.type(HTML).send(renderTokens(await app.siteContext(), req.user!, csrfToken(req, reply), await tokensOf(req))))

  app.post(ADMIN.tokens, { preHandler: [signedIn(), csrf], schema: { body: TokenBody } }, async (req, reply) => {
    const token = await services.accounts.createApiToken(req.user!.email, req.body.label, req.body.expires_in ? Number(req.body.expires_in) : undefined)
    return reply.type(HTML).send(renderTokens(await app.siteContext(), req.user!, csrfToken(req, reply), await tokensOf(req), { created: token }))
  })

  app.post('/admin/tokens/:id/revoke', { preHandler: [signedIn(), csrf], schema: { params: TokenParams } }, async (req, reply) => {
    await services.accounts.revokeToken(req.params.id, can(req.user!.role, 'manage_users') ? undefined : req.user!.id)
    return reply.type(HTML).send(renderTokens(await app.siteContext(), req.user!, csrfToken(req, reply), await tokensOf(req), { notice: `Token ${req.params.id} is revoked: it no longer opens anything.` }))
  })

  // ---- settings ----

  const managers = signedIn('manage_site')

  app.get(ADMIN.settings, { preHandler: managers }, async (req, reply) =>
    reply.type(HTML).send(renderSettings(await app.siteContext(), req.user!, csrfToken(req, reply), settingFields(), await services.settings.read())),
  )

  app.post(ADMIN.settings, { preHandler: [managers, csrf], schema: { body: z.record(z.string(), z.string().max(200_000)) } }, async (req, reply) => {
    const values = fromForm(req.body)
    try {
      await services.settings.update(values as never)
      return reply.type(HTML).send(renderSettings(await app.siteContext(), req.user!, csrfToken(req, reply), settingFields(), await services.settings.read(), { notice: 'Settings saved.' }))
    } catch (error) {
      const message = problemOf(reply, error)
      return reply.type(HTML).send(renderSettings(await app.siteContext(), req.user!, csrfToken(req, reply), settingFields(), { ...(await services.settings.read()), ...values }, { error: message }))
    }
  })
}
