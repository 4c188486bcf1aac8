/**
 * A scheduled article goes live on time, and is published exactly once, with several app
 * processes on one database: two sites (each with its own server, as two processes would be)
 * share one PostgreSQL database here.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadConfig } from '../src/config/config.ts'
import { openSite } from '../src/site.ts'
import { buildServer } from '../src/web/server.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const HOUR = 3_600_000

/** A second app process on the same database, with its own clock and server. */
async function secondProcess(ctx: { after(fn: () => Promise<void>): void }, first: TestSite) {
  const clock = { now: first.now }
  const site = await openSite(loadConfig(first.env), { migrate: false, seed: false, now: () => clock.now })
  const app = await buildServer(site, { logLevel: 'silent' })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  let open = true
  const close = async () => {
    if (!open) return
    open = false
    await app.close()
    await site.close()
  }
  ctx.after(close)
  return { site, clock, close, get: (path: string) => fetch(url + path) }
}

const titlesIn = async (res: Response) => ((await res.json()) as any).items.map((i: any) => i.title)

describe('scheduled articles with two processes on one postgres database', { skip: !DIALECTS.includes('postgres') && 'PostgreSQL does not answer' }, () => {
  test('goes live on time in both, and is claimed as published by exactly one', async (ctx) => {
    const first = await testSite(ctx, { dialect: 'postgres' })
    const second = await secondProcess(ctx, first)
    const editor = await first.factories.staff('editor')
    const start = new Date('2026-12-02T09:00:00Z')
    first.now = start
    second.clock.now = start
    const at = new Date(start.getTime() + HOUR)
    const created = await first.api('/api/v1/admin/articles', {
      method: 'POST',
      token: editor.token,
      body: { title: 'Tide tables for the new year', body: 'Spring tides in January.', status: 'scheduled', published_at: at.toISOString() },
    })
    assert.equal(created.status, 201, await created.clone().text())
    const { id } = (await created.json()) as any

    assert.deepEqual(await titlesIn(await second.get('/feed.json')), [], 'not live before its time')
    assert.deepEqual(await second.site.services.articles.publishDue(), [], 'nothing is due yet')

    const later = new Date(at.getTime() + 1000)
    first.now = later
    second.clock.now = later
    // On time in both processes, before any timer has run.
    assert.deepEqual(await titlesIn(await first.get('/feed.json')), ['Tide tables for the new year'])
    assert.deepEqual(await titlesIn(await second.get('/feed.json')), ['Tide tables for the new year'])
    const found = ((await (await second.get('/search?q=tides')).text()).match(/Tide tables for the new year/g) ?? []).length
    assert.ok(found > 0, 'search finds it')
    assert.match(await (await second.get('/sitemap-articles-1.xml')).text(), /tide-tables-for-the-new-year/)

    // Both processes' timers fire at once, several times over: one claim in all.
    const runs = await Promise.all([1, 2, 3].flatMap(() => [first.site.services.articles.publishDue(), second.site.services.articles.publishDue()]))
    const claimed = runs.flat().map((a) => a.id)
    assert.deepEqual(claimed, [id], `the article should be published exactly once, got claims ${JSON.stringify(claimed)}`)
    const article = await first.site.services.articles.byId(id)
    assert.equal(article!.status, 'published')
    assert.equal(article!.updatedAt.toISOString(), at.toISOString(), 'it was last changed when it went live')
    assert.equal(article!.revision, 1, 'going live is not an edit: an editor with it open can still save')
    // The second process stops before the first site drops the shared database.
    await second.close()
  })
})

for (const dialect of DIALECTS) {
  describe(`scheduling through the admin API on ${dialect}`, () => {
    test('a date in the past is refused with a clear message and changes nothing', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await t.factories.staff('editor')
      const draft = await t.api('/api/v1/admin/articles', { method: 'POST', token: editor.token, body: { title: 'Harbour dredging' } })
      const { id, revision } = (await draft.json()) as any
      const past = new Date(t.now.getTime() - HOUR).toISOString()
      const res = await t.api(`/api/v1/admin/articles/${id}/schedule`, { method: 'POST', token: editor.token, body: { published_at: past } })
      assert.equal(res.status, 400)
      assert.deepEqual(((await res.json()) as any).error, { code: 'date_in_past', message: `published_at: ${past} is in the past; schedule for a later time, or publish now` })
      const after = (await (await t.api(`/api/v1/admin/articles/${id}`, { token: editor.token })).json()) as any
      assert.deepEqual([after.status, after.revision], ['draft', revision], 'the draft is as it was')
      const created = await t.api('/api/v1/admin/articles', { method: 'POST', token: editor.token, body: { title: 'Back-dated', status: 'scheduled', published_at: past } })
      assert.equal(created.status, 400)
      assert.equal(((await created.json()) as any).error.code, 'date_in_past')
    })
  })
}
