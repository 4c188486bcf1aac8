import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DIALECTS } from './support/dialects.ts'
import { testSite } from './support/test-site.ts'

for (const dialect of DIALECTS) {
  describe(`text holding the NUL character on ${dialect}`, () => {
    test('is refused with a clear 400 naming the field by the comment form and API, the admin API and the settings, and nothing is stored; a search drops it', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ holdFirstTimeCommenters: false })
      const article = await t.factories.article({ title: 'Bridge reopens' })
      const editor = await t.staffToken('editor')
      const admin = await t.staffToken('administrator')
      const answers = [
        await t.api(`/api/v1/articles/${article.id}/comments`, { method: 'POST', body: { author: 'Ann', email: 'ann@example.org', content: 'one\u0000two' } }),
        await t.comment(article, { author: 'Ann\u0000Reader' }).then((posted) => posted.response),
        await t.api('/api/v1/admin/articles', { method: 'POST', token: editor, body: { title: 'Flood\u0000warning' } }),
        await t.api('/api/v1/admin/articles', { method: 'POST', token: editor, body: { title: 'Flood warning', tags: ['a\u0000b'] } }),
        await t.api('/api/v1/admin/settings', { method: 'PATCH', token: admin, body: { tagline: 'News\u0000' } }),
      ]
      const fields = ['content', 'author', 'title', 'tags.0', 'tagline']
      for (const [i, res] of answers.entries()) {
        const body = await res.text()
        assert.equal(res.status, 400, `${res.url}: ${body}`)
        assert.match(body, new RegExp(`${fields[i]!.replace('.', '\\.')}: may not contain the NUL character`))
      }
      const search = await t.get('/search?q=bridge%00')
      assert.equal(search.status, 200, 'a query is answered, with the NUL dropped')
      assert.match(await search.text(), /Bridge reopens/)
      assert.equal((await t.site.db.selectFrom('comments').select('id').execute()).length, 0)
      assert.equal((await t.api('/api/v1/articles')).status, 200)
      assert.equal(((await (await t.api('/api/v1/articles')).json()) as { total: number }).total, 1, 'no article was made')
    })
  })
}
