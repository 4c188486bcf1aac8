import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { testSite } from './support/test-site.ts'

async function settingsSite(ctx: TestContext) {
  const t = await testSite(ctx)
  const admin = await t.factories.staff('administrator')
  const call = (method: string, token: string, body?: unknown) => t.api('/api/v1/admin/settings', { method, token, ...(body !== undefined && { body }) })
  return { t, admin, call }
}

describe('site settings over the admin API', () => {
  test('an administrator renames the site and changes the permalinks; pages follow at once', async (ctx) => {
    const { t, admin, call } = await settingsSite(ctx)
    const res = await call('PATCH', admin.token, { title: 'The Riverside Gazette', permalinkStructure: '/%postname%/' })
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as any).title, 'The Riverside Gazette')
    const { slug } = await t.factories.article({ title: 'Short links now' })
    const page = await t.get(`/${slug}/`)
    assert.equal(page.status, 200)
    assert.match(await page.text(), /<title>Short links now – The Riverside Gazette<\/title>/)
  })

  test('bad values and unknown settings are refused and change nothing; editors may not', async (ctx) => {
    const { t, admin, call } = await settingsSite(ctx)
    assert.equal((await call('PATCH', admin.token, { permalinkStructure: '/%postname%/' })).status, 200)
    assert.equal((await call('PATCH', admin.token, { permalinkStructure: '/no-slug/' })).status, 400)
    const unknown = await call('PATCH', admin.token, { colour: 'red' })
    assert.equal(unknown.status, 400)
    assert.match(((await unknown.json()) as any).error.message, /^colour: is not a setting/)
    const mixed = await call('PATCH', admin.token, { title: 'Half applied', postsPerPage: -1 })
    assert.equal(mixed.status, 400)
    const settings = (await (await call('GET', admin.token)).json()) as any
    assert.equal(settings.permalinkStructure, '/%postname%/')
    assert.equal(settings.title, 'Broadsheet', 'a refused change is refused whole')
    const editor = await t.factories.staff('editor')
    assert.equal((await call('GET', editor.token)).status, 403)
  })
})
