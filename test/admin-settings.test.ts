import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testSite, type TestSite } from './support/test-site.ts'

describe('site settings over the admin API', () => {
  let t: TestSite
  let admin: string
  let editor: string
  const call = (method: string, token: string, body?: unknown) =>
    t.get('/api/v1/admin/settings', { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) })
  before(async () => {
    t = await testSite()
    admin = await t.staffToken('administrator')
    editor = await t.staffToken('editor')
  })
  after(() => t.close())

  test('an administrator renames the site and changes the permalinks; pages follow at once', async () => {
    const res = await call('PATCH', admin, { title: 'The Riverside Gazette', permalinkStructure: '/%postname%/' })
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as any).title, 'The Riverside Gazette')
    const { article } = await t.publish({ title: 'Short links now' })
    const page = await t.get(`/${article.slug}/`)
    assert.equal(page.status, 200)
    assert.match(await page.text(), /<title>Short links now – The Riverside Gazette<\/title>/)
  })

  test('bad values and unknown settings are refused and change nothing; editors may not', async () => {
    assert.equal((await call('PATCH', admin, { permalinkStructure: '/no-slug/' })).status, 400)
    const unknown = await call('PATCH', admin, { colour: 'red' })
    assert.equal(unknown.status, 400)
    assert.match(((await unknown.json()) as any).error.message, /^colour: is not a setting/)
    assert.equal(((await (await call('GET', admin)).json()) as any).permalinkStructure, '/%postname%/')
    assert.equal((await call('GET', editor)).status, 403)
  })
})
