/**
 * The Content-Security-Policy in a real browser: the front page, an article (with its image, its
 * JSON-LD and a comment posted through its form), the admin editor with its live preview and the
 * moderation queue all work under it, and Chromium reports no violation of it on any of them.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { staffWithPassword } from '../test/support/admin-client.ts'
import { testSite, type TestSite } from '../test/support/test-site.ts'
import { useBrowser } from './browser.ts'

const chrome = useBrowser()

/** A page that records every CSP violation (the event and the console's report of it) and every script error. */
async function watchedPage(t: TestSite): Promise<{ page: Page; violations: string[] }> {
  const context = await chrome.browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const violations: string[] = []
  // Playwright injects this script itself, so the policy under test does not apply to it.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`))
  })
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy|CSP violation/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => violations.push(`${page.url()}: script error ${error.message}`))
  return { page, violations }
}

describe('the Content-Security-Policy in a browser', { skip: chrome.missing }, () => {
  test('reader pages and the admin editor run under it with no violation', async (ctx) => {
    const t = await testSite(ctx)
    // The comment form's redirect goes to the public address: make it this server's.
    await t.settings({ holdFirstTimeCommenters: false, baseUrl: t.url })
    const image = await t.factories.image({ alt: 'The river at dawn' })
    const article = await t.factories.article({ title: 'The river at dawn', body: 'The water rose **overnight**.', imageId: image.id, tags: ['Flooding'] })
    const { page, violations } = await watchedPage(t)

    const front = await page.goto('/')
    assert.match(front!.headers()['content-security-policy'] ?? '', /script-src 'self'(;|$)/)
    await page.goto(article.path)
    await page.getByRole('heading', { level: 1, name: 'The river at dawn' }).waitFor()
    await page.getByLabel(/^Comment/).fill('Seen from the bridge at six this morning.')
    await page.getByLabel(/^Name/).fill('Ann Reader')
    await page.getByLabel(/^Email/).fill('ann@example.org')
    await page.getByRole('button', { name: /Post comment/i }).click()
    await page.waitForLoadState()
    await page.getByText('Seen from the bridge at six this morning.').waitFor()

    const editor = await staffWithPassword(t, 'editor')
    await page.goto('/admin/login')
    await page.getByLabel('Email').fill(editor.email)
    await page.getByLabel('Password').fill(editor.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/admin/')
    await page.goto('/admin/articles/new')
    await page.getByLabel('Title').fill('Preview under the policy')
    await page.getByLabel('Body').fill('A **bold** claim, checked.')
    await page.locator('#preview strong', { hasText: 'bold' }).waitFor({ timeout: 10_000 })
    await page.goto('/admin/comments')
    await page.getByRole('heading', { level: 1, name: 'Comments' }).waitFor()

    assert.deepEqual(violations, [], `the policy was violated or a script failed:\n${violations.join('\n')}`)
  })
})
