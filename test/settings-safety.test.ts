// No setting can take the site down: a bad value is refused on write (API and form) with a 400,
// and a bad value that is somehow stored anyway is replaced by its default, with a warning logged.
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, test, type TestContext } from 'node:test'
import { signedInAs } from './support/admin-client.ts'
import { testSite } from './support/test-site.ts'

/** Values an administrator might type (or a script might send) that no page can use. */
const HOSTILE_VALUES: Record<string, unknown[]> = {
  language: ['xx-invalid-locale-<>', 'en_GB', 'i-klingon', '<script>', ''],
  timeZone: ['Mars/Olympus_Mons', 'UTC+25', '<>'],
  permalinkStructure: ['/%postname%/%nonsense%/', '/<b>/%postname%/', '/?p=%post_id%/', 'no-slashes', '/%year%/'],
  baseUrl: ['javascript:alert(1)', 'ftp://news.example.org', 'not a url'],
  contactEmail: ['foo,someone@x.example', '(null)@x.example', 'editors'],
  postsPerPage: [0, -1, 1.5, 'ten', 1e9],
  spamThreshold: [2, -1, 'high'],
  commentThreadDepth: [0, 11],
  sections: [['Not A Slug']],
}

async function adminApi(ctx: TestContext) {
  const logs = new PassThrough()
  const lines: string[] = []
  logs.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)))
  const t = await testSite(ctx, { server: { logLevel: 'info', logStream: logs } })
  const admin = await t.factories.staff('administrator')
  const patch = (body: unknown) => t.api('/api/v1/admin/settings', { method: 'PATCH', token: admin.token, body })
  return { t, patch, lines }
}

/** Every kind of reader page, each of which formats dates, builds links or reads the settings. */
async function readerPages(t: Awaited<ReturnType<typeof testSite>>) {
  const article = await t.factories.article({ tags: ['Flooding'], categories: ['Local'] })
  return ['/', article.path, '/tag/flooding/', '/category/local/', '/feed/', '/feed.json', '/sitemap.xml', '/search?q=story', '/privacy/', '/reuse/', '/api/v1/articles']
}

describe('settings cannot take the site down', () => {
  test('hostile values over the admin API get a 400 naming the setting, and the site keeps answering', async (ctx) => {
    const { t, patch } = await adminApi(ctx)
    for (const [key, values] of Object.entries(HOSTILE_VALUES)) {
      for (const value of values) {
        const res = await patch({ [key]: value })
        const body = (await res.json()) as { error?: { message: string } }
        assert.equal(res.status, 400, `${key} = ${JSON.stringify(value)} was accepted`)
        assert.match(body.error!.message, new RegExp(`^${key}(?:\\.\\d+)?: `), `the refusal of ${key} names it`)
      }
    }
    for (const path of await readerPages(t)) assert.equal((await t.get(path)).status, 200, `${path} after the refused settings`)
  })

  test('the spam thresholds must keep their order: hold ≤ spam folder ≤ discard', async (ctx) => {
    const { patch } = await adminApi(ctx)
    const res = await patch({ spamHoldThreshold: 0.9, spamThreshold: 0.6 })
    assert.equal(res.status, 400)
    assert.match(((await res.json()) as any).error.message, /^spamHoldThreshold: must not be above the spam folder threshold/)
    assert.equal((await patch({ spamHoldThreshold: 0.3, spamThreshold: 0.6 })).status, 200, 'an ordered set is taken')
  })

  test('the settings form refuses a bad language with a 400 and the message beside the form', async (ctx) => {
    const t = await testSite(ctx)
    const { browser } = await signedInAs(t, 'administrator')
    const form = await browser.get('/admin/settings')
    assert.equal(form.status, 200)
    const page = await browser.post('/admin/settings', { title: 'Broadsheet', language: 'xx-invalid-locale-<>', permalinkStructure: '/%year%/%monthnum%/%day%/%postname%/' })
    assert.equal(page.status, 400)
    assert.match(page.html, /language: must be a language tag such as en-GB or fr-FR/)
    assert.doesNotMatch(page.html, /xx-invalid-locale-<>/, 'the value is echoed escaped, never as markup')
    assert.equal((await t.get('/')).status, 200)
    assert.equal((await t.site.services.settings.read()).language, 'en-GB', 'nothing was saved')
  })

  test('a bad value written straight into the settings table falls back to its default, with one warning in the log', async (ctx) => {
    const { t, lines } = await adminApi(ctx)
    const pages = await readerPages(t)
    const bad: Record<string, string> = {
      language: JSON.stringify('xx-invalid-locale-<>'),
      timeZone: JSON.stringify('Mars/Olympus_Mons'),
      permalinkStructure: JSON.stringify('/%nonsense%/'),
      postsPerPage: JSON.stringify(-5),
      spamHoldThreshold: JSON.stringify(0.99),
      title: '{not json',
    }
    for (const [key, value] of Object.entries(bad)) {
      await t.site.db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
    }
    await new Promise((resolve) => setTimeout(resolve, 1100)) // the settings are cached for a second
    for (const path of pages) {
      const res = await t.get(path)
      assert.equal(res.status, 200, `${path} answers although the stored settings are bad`)
    }
    const front = await (await t.get('/')).text()
    assert.match(front, /<html lang="en-GB">/, 'the default language is used')
    assert.match(front, /<title>Broadsheet/, 'the default title is used')
    const settings = await t.site.services.settings.read()
    assert.equal(settings.spamHoldThreshold, 0.4)
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; setting?: string; msg: string }).filter((l) => l.level === 40 && l.setting)
    assert.deepEqual(warnings.map((w) => w.setting).sort(), Object.keys(bad).sort(), 'each bad setting is named once in the log')
    assert.ok(warnings.every((w) => /its default is used/.test(w.msg)))
  })
})
