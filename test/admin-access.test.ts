/**
 * Who may call which admin route: every role, and callers with no token or a made-up one,
 * against every route under /api/v1/admin/. The expectations are written out here, not read
 * from the policy table, so that a change to the policy shows up as a failing row.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Commenter, StoredComment, TestArticle } from './support/factories.ts'
import { testSite, type TestSite } from './support/test-site.ts'

type Role = 'administrator' | 'editor' | 'author' | 'contributor'

/** What each role is meant to be able to do (DESIGN: administrator all; editor moderates and publishes; author publishes). */
const MAY: Record<Role, readonly string[]> = {
  administrator: ['moderate comments', 'manage the site', 'handle privacy requests'],
  editor: ['moderate comments'],
  author: [],
  contributor: [],
}

interface World {
  readonly article: TestArticle
  readonly commenter: Commenter
  /** A comment held for moderation, by `commenter`. */
  readonly held: StoredComment
  /** Another held comment, for bulk decisions. */
  readonly alsoHeld: StoredComment
}

interface AdminRoute {
  readonly route: string
  readonly needs: string
  /** What the caller was trying to do, for the failure message. */
  readonly does: string
  call(t: TestSite, w: World, token: string | undefined): Promise<Response>
  /** Checks that an allowed call did its work. */
  done(t: TestSite, w: World, res: Response): Promise<void>
  /** For routes that change something: checks that a refused call changed nothing. */
  untouched?(t: TestSite, w: World): Promise<void>
}

const asAdmin = async (t: TestSite) => (await t.factories.staff('administrator')).token
const queueEntry = async (t: TestSite, id: number) => ((await (await t.api('/api/v1/admin/comments', { token: await asAdmin(t) })).json()) as any).comments.find((c: any) => c.id === id)

const ROUTES: AdminRoute[] = [
  {
    route: 'GET /api/v1/admin/settings',
    needs: 'manage the site',
    does: 'read the site settings',
    call: (t, _w, token) => t.api('/api/v1/admin/settings', { token }),
    async done(_t, _w, res) {
      assert.equal(((await res.json()) as any).title, 'Broadsheet')
    },
  },
  {
    route: 'PATCH /api/v1/admin/settings',
    needs: 'manage the site',
    does: 'change the site settings',
    call: (t, _w, token) => t.api('/api/v1/admin/settings', { method: 'PATCH', token, body: { tagline: 'Changed by the caller' } }),
    async done(t) {
      assert.equal(((await (await t.api('/api/v1/admin/settings', { token: await asAdmin(t) })).json()) as any).tagline, 'Changed by the caller')
    },
    async untouched(t) {
      assert.notEqual(((await (await t.api('/api/v1/admin/settings', { token: await asAdmin(t) })).json()) as any).tagline, 'Changed by the caller', 'the refused change was made anyway')
    },
  },
  {
    route: 'GET /api/v1/admin/comments',
    needs: 'moderate comments',
    does: 'read the moderation queue (with e-mail and IP addresses)',
    call: (t, _w, token) => t.api('/api/v1/admin/comments?status=pending', { token }),
    async done(_t, w, res) {
      assert.ok(((await res.json()) as any).comments.some((c: any) => c.id === w.held.id))
    },
  },
  {
    route: 'PATCH /api/v1/admin/comments/:id',
    needs: 'moderate comments',
    does: 'approve a held comment',
    call: (t, w, token) => t.api(`/api/v1/admin/comments/${w.held.id}`, { method: 'PATCH', token, body: { status: 'approved' } }),
    async done(t, w) {
      assert.equal((await queueEntry(t, w.held.id)).status, 'approved')
    },
    async untouched(t, w) {
      assert.equal((await queueEntry(t, w.held.id)).status, 'pending', 'the refused decision was made anyway')
    },
  },
  {
    route: 'POST /api/v1/admin/comments/bulk',
    needs: 'moderate comments',
    does: 'trash comments in bulk',
    call: (t, w, token) => t.api('/api/v1/admin/comments/bulk', { method: 'POST', token, body: { ids: [w.held.id, w.alsoHeld.id], status: 'trash' } }),
    async done(t, w) {
      assert.equal((await queueEntry(t, w.held.id)).status, 'trash')
      assert.equal((await queueEntry(t, w.alsoHeld.id)).status, 'trash')
    },
    async untouched(t, w) {
      assert.equal((await queueEntry(t, w.held.id)).status, 'pending', 'the refused bulk decision was made anyway')
    },
  },
  {
    route: 'GET /api/v1/admin/comments/:id/history',
    needs: 'moderate comments',
    does: "read a comment's moderation history",
    call: (t, w, token) => t.api(`/api/v1/admin/comments/${w.held.id}/history`, { token }),
    async done(_t, _w, res) {
      assert.deepEqual(((await res.json()) as any).history, [])
    },
  },
  {
    route: 'POST /api/v1/admin/privacy/export',
    needs: 'handle privacy requests',
    does: "export a commenter's personal data",
    call: (t, w, token) => t.api('/api/v1/admin/privacy/export', { method: 'POST', token, body: { email: w.commenter.email } }),
    async done(_t, w, res) {
      const data = (await res.json()) as any
      assert.equal(data.email, w.commenter.email)
      assert.deepEqual(data.comments.map((c: any) => c.id), [w.held.id])
    },
  },
  {
    route: 'POST /api/v1/admin/privacy/erase',
    needs: 'handle privacy requests',
    does: "erase a commenter's personal data",
    call: (t, w, token) => t.api('/api/v1/admin/privacy/erase', { method: 'POST', token, body: { email: w.commenter.email } }),
    async done(t, w, res) {
      assert.equal(((await res.json()) as any).comments, 1)
      assert.equal((await queueEntry(t, w.held.id)).author, 'Anonymous')
    },
    async untouched(t, w) {
      assert.equal((await queueEntry(t, w.held.id)).author_email, w.commenter.email, 'the refused erasure was carried out anyway')
    },
  },
]

interface Caller {
  readonly who: string
  readonly role?: Role
  /** For callers without a role: the Authorization header's token, if any. */
  readonly token?: string
}

const CALLERS: Caller[] = [
  { who: 'an administrator', role: 'administrator' },
  { who: 'an editor', role: 'editor' },
  { who: 'an author', role: 'author' },
  { who: 'a contributor', role: 'contributor' },
  { who: 'a caller with no token' },
  { who: 'a caller with a made-up token', token: `bs_${'x'.repeat(32)}` },
]

async function buildWorld(t: TestSite): Promise<World> {
  const article = await t.factories.article()
  const commenter = t.factories.commenter()
  const held = await t.factories.heldComment({ article, by: commenter })
  const alsoHeld = await t.factories.heldComment({ article })
  return { article, commenter, held, alsoHeld }
}

describe('who may use the admin API, route by route (on sqlite)', () => {
  for (const r of ROUTES) {
    for (const caller of CALLERS) {
      const allowed = caller.role !== undefined && MAY[caller.role].includes(r.needs)
      const expected = caller.role === undefined ? 401 : allowed ? 200 : 403
      test(`${r.route}: ${caller.who} ${allowed ? 'may' : 'may not'} ${r.does} (${expected})`, async (ctx) => {
        const t = await testSite(ctx)
        const world = await buildWorld(t)
        const token = caller.role ? (await t.factories.staff(caller.role)).token : caller.token
        const res = await r.call(t, world, token)
        if (allowed) {
          assert.equal(res.status, 200, `${caller.who} could not ${r.does}: ${r.route} answered ${res.status} ${await res.clone().text()}`)
          await r.done(t, world, res)
          return
        }
        const body = await res.text()
        assert.equal(res.status, expected, `${caller.who} ${expected === 401 ? 'was not asked for a valid token' : 'was not refused'} on trying to ${r.does}: ${r.route} answered ${res.status} ${body.slice(0, 200)}`)
        assert.equal((JSON.parse(body) as any).error.code, expected === 401 ? 'unauthorized' : 'forbidden')
        await r.untouched?.(t, world)
      })
    }
  }
})
