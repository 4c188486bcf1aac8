import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, test } from 'node:test'
import { DIALECTS } from './support/dialects.ts'
import { runCli } from './support/cli.ts'
import { testSite } from './support/test-site.ts'

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/wordpress')

for (const dialect of DIALECTS) {
  describe(`Disqus import on ${dialect}`, () => {
    test("comments land in the moderation queue on the article their thread's URL names, threaded, with the filter's reasons", async (ctx) => {
      const t = await testSite(ctx, { dialect })
      // The articles come from the site's WordPress import: Disqus threads name the old URLs.
      await t.site.services.wordpress.importWxr(path.join(FIXTURES, 'wxr-1.2-blocks.xml'))
      const result = await runCli(['import', 'disqus', path.join(FIXTURES, 'disqus.xml')], t.env)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /threads: 3 \(1 match no article here\)/)
      assert.match(result.stdout, /comments: 4 created/)
      assert.match(result.stdout, /skipped 1: comments on pages that match no article here/)

      const story = await t.site.db.selectFrom('articles').select('id').where('slug', '=', 'harbour-wall-reopens').executeTakeFirstOrThrow()
      const comments = await t.site.db.selectFrom('comments').selectAll().where('reasons', 'like', '%Disqus%').orderBy('created_at').execute()
      const [bo, ana, pills, cy] = comments
      assert.equal(bo!.article_id, story.id)
      assert.equal(bo!.status, 'pending', 'a Disqus comment waits for a moderator')
      assert.ok(JSON.parse(bo!.reasons).length >= 1)
      assert.equal(ana!.parent_id, bo!.id, 'the reply listed before its parent hangs under it')
      assert.equal(bo!.author_ip, '203.0.113.8')
      assert.doesNotMatch(bo!.content_html, /<script/)
      assert.equal(pills!.status, 'spam')
      assert.equal(cy!.status, 'trash')
      const page = await (await t.get('/2024/05/01/harbour-wall-reopens/')).text()
      assert.doesNotMatch(page, /Walked it this morning/, 'nothing shows before a moderator approves it')

      const again = await runCli(['import', 'disqus', path.join(FIXTURES, 'disqus.xml')], t.env)
      assert.match(again.stdout, /comments: 0 created, 0 updated, 4 unchanged/)
    })

    test('a WordPress file given to the Disqus import is refused with one line', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const result = await runCli(['import', 'disqus', path.join(FIXTURES, 'wxr-1.2-blocks.xml')], t.env)
      assert.equal(result.code, 1)
      assert.match(result.stderr, /not a Disqus export/)
    })
  })
}
