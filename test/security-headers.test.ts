import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testSite } from './support/test-site.ts'

test('every answer carries the security headers, and HSTS once the public address is https', async (ctx) => {
  const t = await testSite(ctx)
  const article = await t.factories.article()
  for (const path of ['/', article.path, '/feed/', '/nowhere/', '/admin/login']) {
    const res = await t.get(path)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path)
    assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', path)
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path)
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, /script-src 'self'(;|$)/, `${path}: scripts from the site's own files only`)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.equal(res.headers.get('strict-transport-security'), null, `${path}: no HSTS on plain http`)
  }
  await t.settings({ baseUrl: 'https://news.example' })
  await new Promise((r) => setTimeout(r, 1100)) // settings are read at most once a second
  const res = await t.get('/')
  assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000')
  assert.match(res.headers.get('content-security-policy') ?? '', /form-action 'self' https:\/\/news\.example/)
})
