/**
 * Who may do what to an article through the admin API: every role against every action, on
 * their own article and on someone else's, as WordPress has it (administrators and editors
 * anyone's; authors their own, published or not; contributors their own drafts, and submit them
 * for review). The expectations are written out here, not read from policies.ts, so a change
 * to a rule shows up as a failing row. A refused call must leave the article as it was.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { StaffUser } from './support/factories.ts'
import { testSite, type TestSite } from './support/test-site.ts'

type Role = 'administrator' | 'editor' | 'author' | 'contributor'
const ROLES: readonly Role[] = ['administrator', 'editor', 'author', 'contributor']
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64')
const HOUR = 3_600_000

interface World {
  readonly me: StaffUser
  readonly admin: StaffUser
  /** The article the action is done to (own or someone else's, draft or published, per the row). */
  readonly articleId: number
}

interface Action {
  readonly does: string
  /** Whose article, in what state; `none` for actions that make a new one. */
  readonly on: 'none' | 'own draft' | "someone else's draft" | 'own published' | "someone else's published"
  readonly may: readonly Role[]
  readonly status: number
  call(t: TestSite, w: World): Promise<Response>
}

const ALL = ROLES
const EDITORS: readonly Role[] = ['administrator', 'editor']
const PUBLISHERS: readonly Role[] = ['administrator', 'editor', 'author']
const url = (w: World, rest = '') => `/api/v1/admin/articles/${w.articleId}${rest}`
const post = (t: TestSite, w: World, path: string, body: unknown = {}) => t.api(path, { method: 'POST', token: w.me.token, body })

const ACTIONS: Action[] = [
  { does: 'create a draft', on: 'none', may: ALL, status: 201, call: (t, w) => post(t, w, '/api/v1/admin/articles', { title: 'A new draft' }) },
  { does: 'create an article submitted for review', on: 'none', may: ALL, status: 201, call: (t, w) => post(t, w, '/api/v1/admin/articles', { title: 'For review', status: 'pending' }) },
  { does: 'create a published article', on: 'none', may: PUBLISHERS, status: 201, call: (t, w) => post(t, w, '/api/v1/admin/articles', { title: 'Straight out', status: 'published' }) },
  {
    does: 'create a scheduled article',
    on: 'none',
    may: PUBLISHERS,
    status: 201,
    call: (t, w) => post(t, w, '/api/v1/admin/articles', { title: 'Later', status: 'scheduled', published_at: new Date(t.now.getTime() + HOUR).toISOString() }),
  },
  ...(['own draft', "someone else's draft", 'own published', "someone else's published"] as const).flatMap((on): Action[] => {
    const own = on.startsWith('own')
    const published = on.endsWith('published')
    const edit = own ? (published ? PUBLISHERS : ALL) : EDITORS
    const publish = own ? PUBLISHERS : EDITORS
    const readNotes = own ? ALL : EDITORS
    return [
      { does: 'read it for editing', on, may: readNotes, status: 200, call: (t, w) => t.api(url(w), { token: w.me.token }) },
      { does: 'edit it', on, may: edit, status: 200, call: (t, w) => t.api(url(w), { method: 'PATCH', token: w.me.token, body: { title: 'Edited by the caller', base_revision: 1 } }) },
      ...(published
        ? [
            { does: 'unpublish it', on, may: publish, status: 200, call: (t: TestSite, w: World) => post(t, w, url(w, '/unpublish')) },
            { does: 'add a correction to it', on, may: publish, status: 201, call: (t: TestSite, w: World) => post(t, w, url(w, '/corrections'), { text: 'An earlier version misspelt a name.' }) },
          ]
        : [
            { does: 'submit it for review', on, may: edit, status: 200, call: (t: TestSite, w: World) => post(t, w, url(w, '/submit')) },
            { does: 'publish it', on, may: publish, status: 200, call: (t: TestSite, w: World) => post(t, w, url(w, '/publish')) },
            {
              does: 'schedule it',
              on,
              may: publish,
              status: 200,
              call: (t: TestSite, w: World) => post(t, w, url(w, '/schedule'), { published_at: new Date(t.now.getTime() + HOUR).toISOString() }),
            },
          ]),
      { does: 'delete it', on, may: edit, status: 204, call: (t, w) => t.api(url(w), { method: 'DELETE', token: w.me.token, headers: { 'content-type': 'text/plain' } }) },
      { does: 'list its revisions', on, may: edit, status: 200, call: (t, w) => t.api(url(w, '/revisions'), { token: w.me.token }) },
      { does: 'diff two of its revisions', on, may: edit, status: 200, call: (t, w) => t.api(url(w, '/revisions/1/diff/1'), { token: w.me.token }) },
      { does: 'restore a revision', on, may: edit, status: 200, call: (t, w) => post(t, w, url(w, '/revisions/1/restore')) },
      { does: 'read its source notes', on, may: readNotes, status: 200, call: (t, w) => t.api(url(w, '/notes'), { token: w.me.token }) },
      { does: 'add a source note', on, may: readNotes, status: 201, call: (t, w) => post(t, w, url(w, '/notes'), { text: 'Called the clerk back.' }) },
    ]
  }),
]

async function buildWorld(t: TestSite, role: Role, on: Action['on']): Promise<World> {
  const admin = await t.factories.staff('administrator')
  const me = await t.factories.staff(role)
  const other = await t.factories.staff('author')
  if (on === 'none') return { me, admin, articleId: 0 }
  const author = on.startsWith('own') ? me : other
  const { article } = await t.site.services.articles.save(
    { title: `An article by ${author.name}`, body: 'Words.', authors: [author.email], status: on.endsWith('published') ? 'published' : 'draft' },
    new Date(t.now.getTime() - HOUR),
  )
  await t.api(`/api/v1/admin/articles/${article.id}/notes`, { method: 'POST', token: admin.token, body: { text: 'The source is the deputy clerk.' } })
  return { me, admin, articleId: article.id }
}

/** What an administrator sees of the article: unchanged by a refused call. */
async function snapshot(t: TestSite, w: World) {
  if (!w.articleId) return (await (await t.api('/api/v1/articles', {})).json() as any).total
  const article = await (await t.api(url(w), { token: w.admin.token })).json()
  const notes = await (await t.api(url(w, '/notes'), { token: w.admin.token })).json()
  return { article, notes }
}

describe('who may do what to an article over the admin API (on sqlite)', () => {
  for (const a of ACTIONS) {
    for (const role of ROLES) {
      const allowed = a.may.includes(role)
      test(`${role} ${allowed ? 'may' : 'may not'} ${a.does}${a.on === 'none' ? '' : ` (${a.on})`}`, async (ctx) => {
        const t = await testSite(ctx, { env: { BROADSHEET_SECRET_KEY: SECRET_KEY } })
        const w = await buildWorld(t, role, a.on)
        const before = await snapshot(t, w)
        const res = await a.call(t, w)
        const body = await res.text()
        if (allowed) {
          assert.equal(res.status, a.status, `a ${role} could not ${a.does}: ${res.status} ${body.slice(0, 300)}`)
          return
        }
        assert.equal(res.status, 403, `a ${role} was not refused on trying to ${a.does}: ${res.status} ${body.slice(0, 300)}`)
        const error = (JSON.parse(body) as any).error
        assert.equal(error.code, 'forbidden')
        assert.ok(error.message.length > 20, `the refusal should say why: ${error.message}`)
        assert.deepEqual(await snapshot(t, w), before, 'the refused call changed the article anyway')
      })
    }
  }

  test('a caller without a token, or with a made-up one, is asked for a valid one and changes nothing', async (ctx) => {
    const t = await testSite(ctx)
    const { article } = await t.publish({ title: 'Untouchable' })
    for (const token of [undefined, `bs_${'x'.repeat(32)}`]) {
      for (const [method, path, body] of [
        ['POST', '/api/v1/admin/articles', { title: 'Sneaky' }],
        ['PATCH', `/api/v1/admin/articles/${article.id}`, { title: 'Defaced', base_revision: 1 }],
        ['DELETE', `/api/v1/admin/articles/${article.id}`, ''],
        ['GET', `/api/v1/admin/articles/${article.id}/notes`, undefined],
      ] as const) {
        const res = await t.api(path, { method, token, ...(body && { body }) })
        assert.equal(res.status, 401, `${method} ${path} without a valid token answered ${res.status}`)
      }
    }
    assert.equal((await t.site.services.articles.byId(article.id))!.title, 'Untouchable')
  })
})
