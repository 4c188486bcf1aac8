/**
 * The newsroom in a real browser (Debian's Chromium through playwright-core) against a real
 * server on loopback: the first administrator's set-up, signing in, writing and publishing an
 * article that a reader then opens, a reader's comment held and approved from the keyboard, and
 * a contributor who cannot publish. Every admin page visited passes axe-core with no serious or
 * critical violation; screenshots of the editor, the queue and the dashboard are saved.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { staffWithPassword } from '../test/support/admin-client.ts'
import { jpegWithGps } from '../test/support/images.ts'
import { testSite, type TestSite } from '../test/support/test-site.ts'
import { describeViolations, screenshot, seriousViolations, useBrowser } from './browser.ts'

const chrome = useBrowser()

async function newPage(t: TestSite): Promise<Page> {
  const context = await chrome.browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  page.on('pageerror', (error) => assert.fail(`JavaScript error on ${page.url()}: ${error.message}`))
  return page
}

async function assertAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page)
  assert.equal(violations.length, 0, `${what} (${page.url()}) has accessibility violations:\n${describeViolations(violations)}`)
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/admin/login')
  await assertAccessible(page, 'the sign-in page')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/admin/')
}

describe('the newsroom in a browser', { skip: chrome.missing }, () => {
  test('set-up of the first administrator, then the dashboard', async (ctx) => {
    const t = await testSite(ctx)
    const token = await t.site.services.accounts.createSetupToken()
    const page = await newPage(t)
    await page.goto(`/admin/setup?token=${token}`)
    await assertAccessible(page, 'the set-up page')
    await page.getByLabel('Name').fill('Ada Editor')
    await page.getByLabel('Email').fill('ada@news.test')
    await page.getByLabel('Password').fill('a long enough password')
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await page.waitForURL('**/admin/')
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Dashboard')
    await page.getByRole('link', { name: 'New article' }).first().waitFor()
    await page.getByRole('link', { name: 'Comments' }).first().waitFor()
    await assertAccessible(page, 'the dashboard')
    await screenshot(page, 'dashboard')
    for (const [name, path] of [['Users', '/admin/users'], ['API tokens', '/admin/tokens'], ['Settings', '/admin/settings'], ['Articles', '/admin/articles'], ['Comments', '/admin/comments']] as const) {
      await page.goto(path)
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), name)
      await assertAccessible(page, `the ${name} page`)
    }
    await page.goto('/admin/profile')
    await assertAccessible(page, 'the profile page')
  })

  test('an editor writes an article with a live preview, publishes it with an image and then a correction, and a reader sees both', async (ctx) => {
    const t = await testSite(ctx)
    const editor = await staffWithPassword(t, 'editor')
    const page = await newPage(t)
    await signIn(page, editor.email, editor.password)
    await page.getByRole('link', { name: 'New article' }).first().click()
    await page.waitForURL('**/admin/articles/new')
    await page.getByLabel('Title').fill('Flood defences hold on the Riverside')
    await page.getByLabel('Standfirst').fill('The new barrier kept the water out of the old town overnight.')
    await page.getByLabel('Body').fill('The barrier, finished in **March**, held.\n\n## What comes next\n\nThe council meets on Monday.')
    await page.locator('#preview strong', { hasText: 'March' }).waitFor({ timeout: 10_000 })
    assert.match((await page.locator('#preview h2').textContent()) ?? '', /What comes next/)
    await page.getByLabel('Categories').fill('Local, Environment')
    await assertAccessible(page, 'the editor')
    await screenshot(page, 'editor')
    await page.getByRole('button', { name: 'Publish' }).click()
    await page.getByText('Published.').waitFor()

    await page.getByLabel('Image file').setInputFiles({ name: 'barrier.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1800, 1000) })
    await page.getByLabel('Alt text').fill('The flood barrier with the river high behind it')
    await page.getByLabel('Image caption').fill('The barrier at dawn.')
    await page.getByLabel('Image credit').fill('Jane Roe / Riverside Gazette')
    await page.getByRole('button', { name: 'Upload image' }).click()
    await page.getByText('Image added').waitFor()
    await page.getByLabel('New correction').fill('An earlier version of this article said the barrier was finished in April. It was finished in March.')
    await page.getByRole('button', { name: 'Add correction' }).click()
    await page.getByText('Correction published').waitFor()
    await assertAccessible(page, 'the editor of a published article')
    await page.getByRole('link', { name: /^Revisions/ }).click()
    await page.getByRole('button', { name: 'Compare' }).click()
    await page.getByText(/Changes from revision \d+ to \d+/).waitFor()
    await assertAccessible(page, 'the revisions page')
    await page.getByRole('link', { name: '← Back to the editor' }).click()
    const href = await page.getByRole('link', { name: 'View on the site' }).getAttribute('href')
    assert.ok(href)

    const reader = await newPage(t)
    await reader.goto(new URL(href).pathname)
    assert.equal(await reader.getByRole('heading', { level: 1 }).textContent(), 'Flood defences hold on the Riverside')
    await reader.getByText('The council meets on Monday.').waitFor()
    const lead = reader.locator('figure.lead-image img')
    assert.equal(await lead.getAttribute('alt'), 'The flood barrier with the river high behind it')
    assert.ok(await lead.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the image loads')
    assert.match((await reader.locator('figure.lead-image figcaption').textContent()) ?? '', /The barrier at dawn\. Photo: Jane Roe \/ Riverside Gazette/)
    assert.match((await reader.locator('.corrections').textContent()) ?? '', /finished in April\. It was finished in March/)
    await assertAccessible(reader, 'the article page with an image and a correction')
    await screenshot(reader, 'article-with-image')
  })

  test("a reader's comment is held, and a moderator approves it from the keyboard", async (ctx) => {
    const t = await testSite(ctx)
    // The comment form answers with a redirect to the site's public address: make it this server.
    await t.settings({ baseUrl: t.url })
    const article = await t.factories.article({ title: 'Bridge reopens after repairs' })
    const reader = await newPage(t)
    await reader.goto(article.path)
    await reader.getByLabel(/^Name/).fill('Rosa Reader')
    await reader.getByLabel(/^Email/).fill('rosa@example.org')
    await reader.getByLabel(/^Comment/).fill('Good to have the bridge back; the detour added twenty minutes to my commute.')
    // The filter distrusts a post faster than a person types; the test site's clock stands still, so move it as a reader's minute would.
    t.now = new Date(t.now.getTime() + 60_000)
    await reader.getByRole('button', { name: /Post comment/i }).click()
    await reader.waitForLoadState('load')
    const stored = await t.site.db.selectFrom('comments').select(['status', 'reasons']).execute()
    assert.deepEqual(stored.map((c) => c.status), ['pending'], `the comment should be held: ${JSON.stringify(stored)} — page: ${(await reader.textContent('main'))?.slice(0, 300)}`)

    const moderator = await staffWithPassword(t, 'editor')
    const page = await newPage(t)
    await signIn(page, moderator.email, moderator.password)
    await page.goto('/admin/comments')
    const item = page.locator('ol.queue > li', { hasText: 'Rosa Reader' })
    await item.waitFor()
    await page.getByText('Keyboard:').waitFor()
    await assertAccessible(page, 'the moderation queue')
    await screenshot(page, 'moderation-queue')
    await page.keyboard.press('a')
    await item.waitFor({ state: 'detached' })
    assert.equal(await page.locator('[data-count="approved"]').textContent(), '1')

    await page.keyboard.press('u')
    await item.waitFor()
    assert.equal(await page.locator('[data-count="pending"]').textContent(), '1', 'u undoes the approval')
    await page.keyboard.press('a')
    await item.waitFor({ state: 'detached' })

    const after = await t.site.db.selectFrom('comments').select(['status']).execute()
    assert.deepEqual(after.map((c) => c.status), ['approved'])
    // Pages may be cached for a minute (Cache-Control): another reader, with an empty cache, sees it now.
    const another = await newPage(t)
    await another.goto(article.path)
    assert.match((await another.textContent('.comments')) ?? '', /the detour added twenty minutes/)
  })

  test('a contributor can only submit for review, and readers do not see the piece', async (ctx) => {
    const t = await testSite(ctx)
    const contributor = await staffWithPassword(t, 'contributor')
    const page = await newPage(t)
    await signIn(page, contributor.email, contributor.password)
    await page.goto('/admin/articles/new')
    assert.equal(await page.getByRole('button', { name: 'Publish' }).count(), 0)
    assert.equal(await page.getByRole('button', { name: 'Schedule' }).count(), 0)
    await page.getByLabel('Title').fill('Allotment waiting list grows')
    await page.getByLabel('Body').fill('Two hundred names and counting.')
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await page.getByText('Submitted for review').waitFor()
    const res = await t.get('/api/v1/articles')
    assert.equal(((await res.json()) as { total: number }).total, 0)
  })
})
