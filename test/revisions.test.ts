/**
 * Revisions through the articles service on both engines: one a save, listed newest first, a diff
 * between any two, restore as a new save, and the guard against two editors saving at once.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { StaleEdit } from '../src/articles/articles.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite } from './support/test-site.ts'

const jane = { id: null, displayName: 'Jane Roe' }
const sam = { id: null, displayName: 'Sam Poe' }

for (const dialect of DIALECTS) {
  describe(`revisions on ${dialect}`, () => {
    test('every save keeps a revision, with who saved it and when', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const articles = t.site.services.articles
      const first = await articles.save({ title: 'Flood wall holds', body: 'The wall held overnight.', status: 'draft', tags: ['Floods'] }, new Date('2026-12-01T09:00:00Z'), jane)
      assert.equal(first.article.revision, 1)
      const second = await articles.save({ id: first.article.id, baseRevision: 1, title: 'Flood barrier holds', body: 'The barrier held overnight.', status: 'draft', tags: ['Floods', 'River'] }, new Date('2026-12-01T10:42:00Z'), sam)
      assert.equal(second.article.revision, 2)

      const history = await articles.revisions(first.article.id)
      assert.deepEqual(history.map((r) => [r.number, r.title, r.savedBy.name, r.savedAt.toISOString()]), [
        [2, 'Flood barrier holds', 'Sam Poe', '2026-12-01T10:42:00.000Z'],
        [1, 'Flood wall holds', 'Jane Roe', '2026-12-01T09:00:00.000Z'],
      ])
      assert.equal(history[1]!.body, 'The wall held overnight.', 'the old Markdown is kept as it was')
      assert.deepEqual(history[0]!.tags, ['Floods', 'River'])
    })

    test('a diff between two revisions says word by word what changed, and only in the fields that changed', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const articles = t.site.services.articles
      const { article } = await articles.save({ title: 'Flood wall holds', body: 'The wall held overnight.\n\nResidents returned.', status: 'draft' })
      await articles.save({ id: article.id, slug: article.slug, title: 'Flood barrier holds', body: 'The barrier held overnight.\n\nResidents returned.', status: 'draft', tags: ['River'] })
      const { changes } = await articles.diff(article.id, 1, 2)
      assert.deepEqual(changes.map((c) => c.field), ['title', 'body', 'tags'])
      const title = changes[0]!.parts
      assert.deepEqual(title.filter((p) => p.kind === 'removed').map((p) => p.text), ['wall'])
      assert.deepEqual(title.filter((p) => p.kind === 'added').map((p) => p.text), ['barrier'])
      assert.equal(title.filter((p) => p.kind !== 'added').map((p) => p.text).join(''), 'Flood wall holds', 'the old side reads as the old headline')
      assert.equal(title.filter((p) => p.kind !== 'removed').map((p) => p.text).join(''), 'Flood barrier holds')
      assert.deepEqual(changes[2]!.parts, [{ kind: 'added', text: 'River\n' }])
      await assert.rejects(articles.diff(article.id, 1, 9), { name: 'NotFound', message: `Article ${article.id} has no revision 9.` })
    })

    test('restoring a revision brings its words back as a new revision and keeps the article published', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const articles = t.site.services.articles
      const { article } = await t.publish({ title: 'Council budget passes', body: 'Libraries keep their hours.' })
      const edited = await articles.save({ id: article.id, title: 'Council budget fails', body: 'Libraries close early.' })
      const restored = await articles.restore(edited.article, 1, jane)
      assert.equal(restored.article.revision, 3)
      assert.equal(restored.article.title, 'Council budget passes')
      assert.equal(restored.article.status, 'published')
      const page = await (await t.get(t.pathOf(restored.article))).text()
      assert.match(page, /Libraries keep their hours\./, 'readers see the restored words')
      assert.equal((await articles.revisions(article.id))[0]!.savedBy.name, 'Jane Roe')
    })

    test('two editors saving the same article at once: one is saved, the other told who got there first, and nothing of theirs is stored', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const articles = t.site.services.articles
      const { article } = await articles.save({ title: 'Bridge reopens', body: 'Traffic resumes.', status: 'draft' }, new Date('2026-12-01T10:00:00Z'), jane)
      const results = await Promise.allSettled([
        articles.save({ id: article.id, baseRevision: 1, title: 'Bridge reopens to traffic', status: 'draft' }, new Date('2026-12-01T10:42:00Z'), jane),
        articles.save({ id: article.id, baseRevision: 1, title: 'Bridge reopens at last', status: 'draft' }, new Date('2026-12-01T10:42:00Z'), sam),
      ])
      const saved = results.filter((r) => r.status === 'fulfilled')
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      assert.equal(saved.length, 1, `exactly one save should win, got ${saved.length}`)
      assert.ok(refused[0]!.reason instanceof StaleEdit, `the other should be a StaleEdit, got ${refused[0]!.reason}`)
      const winner = (await articles.revisions(article.id))[0]!
      assert.equal(winner.number, 2)
      assert.match(refused[0]!.reason.message, new RegExp(`^${winner.savedBy.name} saved this article at 10:42 UTC on 2026-12-01 since you opened it`))
      const now = await articles.byId(article.id)
      assert.equal(now!.title, winner.title, 'the article is what the winner saved')
      assert.equal((await articles.revisions(article.id)).length, 2, 'the refused save left no revision')
    })

    test('a save from an old revision is refused even when it comes later', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const articles = t.site.services.articles
      const { article } = await articles.save({ title: 'Ferry timetable', status: 'draft' }, undefined, jane)
      await articles.save({ id: article.id, baseRevision: 1, title: 'Ferry timetable changes', status: 'draft' }, new Date('2026-12-01T10:42:00Z'), jane)
      await assert.rejects(articles.save({ id: article.id, baseRevision: 1, title: 'Ferry timetable (old copy)', status: 'draft' }, undefined, sam), {
        code: 'stale_revision',
        message: /^Jane Roe saved this article at 10:42 UTC on 2026-12-01 since you opened it \(revision 2; you started from 1\)/,
      })
      assert.equal((await articles.byId(article.id))!.title, 'Ferry timetable changes')
    })
  })
}
