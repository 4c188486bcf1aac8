import assert from 'node:assert/strict'
import { test } from 'node:test'
import { postForm } from './support/comments.ts'
import { DIALECTS } from './support/dialects.ts'
import { startSmtp } from './support/smtp.ts'
import { testSite } from './support/test-site.ts'

for (const dialect of DIALECTS) {
  test(`bulk moderation on ${dialect} changes all the comments or, when one is missing, none, and names it`, async (ctx) => {
    const t = await testSite({ dialect })
    ctx.after(() => t.close())
    const { article } = await t.publish({ title: 'Bulk', publishedAt: new Date(t.now.getTime() - 3600_000) })
    const editor = await t.staffToken('editor')
    const ids: number[] = []
    for (const n of [1, 2, 3]) {
      const res = await t.get(`/api/v1/articles/${article.id}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ author: `Reader ${n}`, email: `r${n}@example.org`, content: `Held comment ${n}` }) })
      ids.push(((await res.json()) as { id: number }).id)
    }
    const bulk = (body: unknown) => t.get('/api/v1/admin/comments/bulk', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` }, body: JSON.stringify(body) })
    const statuses = async () => {
      const queue = (await (await t.get(`/api/v1/admin/comments?article=${article.id}`, { headers: { authorization: `Bearer ${editor}` } })).json()) as { comments: { id: number; status: string }[] }
      return ids.map((id) => queue.comments.find((c) => c.id === id)!.status)
    }

    const missing = ids[2]! + 1000
    const refused = await bulk({ ids: [ids[0], missing, ids[1]], status: 'approved' })
    assert.equal(refused.status, 404)
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, new RegExp(`no comment ${missing}; no comment was changed`))
    assert.deepEqual(await statuses(), ['pending', 'pending', 'pending'], 'the comments before the missing one were not approved')

    const done = await bulk({ ids, status: 'approved' })
    assert.equal(done.status, 200)
    assert.deepEqual(await statuses(), ['approved', 'approved', 'approved'])
    const history = (await (await t.get(`/api/v1/admin/comments/${ids[0]}/history`, { headers: { authorization: `Bearer ${editor}` } })).json()) as { history: unknown[] }
    assert.equal(history.history.length, 1, 'the refused attempt left no trace in the history')
  })

  test(`a privacy confirmation link on ${dialect} acts once, even when it is posted twice at the same moment`, async (ctx) => {
    const smtp = await startSmtp()
    const t = await testSite({ dialect, env: { SMTP_URL: smtp.url } })
    ctx.after(async () => {
      await t.close()
      await smtp.close()
    })
    await t.settings({ erasure: 'delete' })
    const { article } = await t.publish({ title: 'Erasure', publishedAt: new Date(t.now.getTime() - 3600_000) })
    await postForm(t, t.pathOf(article), { author: 'Leaving Reader', email: 'leaving@example.org', content: 'Please forget me later.' })
    await t.get('/privacy/requests', { method: 'POST', body: new URLSearchParams({ email: 'leaving@example.org', kind: 'erase' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    const mail = await smtp.waitFor((m) => m.to.includes('leaving@example.org'))
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!
    const confirm = () => t.get('/privacy/confirm', { method: 'POST', body: new URLSearchParams({ token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    const answers = await Promise.all([confirm(), confirm(), confirm()])
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 404, 404])
    const ok = await answers.find((r) => r.status === 200)!.text()
    assert.match(ok, /1 comment no longer carry your personal data/)
    const completed = await t.site.db.selectFrom('privacy_requests').select(['completed_at', 'email']).execute()
    assert.equal(completed.length, 1)
    assert.ok(completed[0]!.completed_at, 'the request is marked done in the same transaction as the erasure')
    assert.equal(completed[0]!.email, '(erased)')
  })
}
