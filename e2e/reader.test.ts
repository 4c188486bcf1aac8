/**
 * Reader pages in a real browser at a phone's width (390 px) and a desktop's (1280 px): the front
 * page, an article with an image and comments, and the privacy page fit the screen (no
 * horizontal overflow), do not shift as images load (layout shift measured by the browser), and
 * pass axe-core with no serious or critical violation. Screenshots are saved for each.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { jpegWithGps } from '../test/support/images.ts'
import { testSite, type TestSite } from '../test/support/test-site.ts'
import { describeViolations, screenshot, seriousViolations, useBrowser } from './browser.ts'

const chrome = useBrowser()

/** A small site: a lead story with an image and approved comments, and a few more stories in two sections. */
async function newsSite(t: TestSite) {
  const image = await t.site.services.media.add(await jpegWithGps(1600, 900), { alt: 'The harbour wall at low tide', caption: 'The repaired wall.', credit: 'Jane Roe / Agency' })
  const lead = await t.factories.article({ title: 'Harbour wall repaired after the winter storms', standfirst: 'Work finished two weeks early.', categories: ['Local'], imageId: image.id })
  for (const [title, category] of [['Ferry timetable changes in May', 'Local'], ['Library opens on Sundays', 'Culture'], ['Market square to be pedestrianised', 'Local'], ['Choir wins regional prize', 'Culture']] as const) {
    await t.factories.article({ title, categories: [category], standfirst: `${title}: what it means for residents.` })
  }
  const first = await t.factories.heldComment({ article: lead, content: 'Good to see the wall fixed before the spring tides.' })
  const editor = await t.factories.moderator()
  await t.api(`/api/v1/admin/comments/${first.id}`, { method: 'PATCH', token: editor.token, body: { status: 'approved' } })
  return { lead }
}

describe('reader pages in a browser', { skip: chrome.missing }, () => {
  for (const width of [390, 1280]) {
    test(`at ${width} px the front page, an article with an image and comments, and the privacy page fit, hold still and pass axe`, async (ctx) => {
      const t = await testSite(ctx)
      const { lead } = await newsSite(t)
      const context = await chrome.browser.newContext({ baseURL: t.url, viewport: { width, height: 900 } })
      ctx.after(() => context.close())
      const page = await context.newPage()
      await page.addInitScript(() => {
        ;(globalThis as unknown as { __shift: number }).__shift = 0
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!entry.hadRecentInput) (globalThis as unknown as { __shift: number }).__shift += entry.value
        }).observe({ type: 'layout-shift', buffered: true })
      })
      for (const [name, path] of [['front-page', '/'], ['article', lead.path], ['privacy', '/privacy/']] as const) {
        await page.goto(path, { waitUntil: 'load' })
        await page.waitForTimeout(300)
        const { scrollWidth, innerWidth, shift } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, shift: (globalThis as unknown as { __shift: number }).__shift }))
        assert.ok(scrollWidth <= innerWidth, `${name} at ${width} px overflows: ${scrollWidth} px of content in ${innerWidth} px`)
        assert.ok(shift < 0.01, `${name} at ${width} px shifts as it loads (cumulative layout shift ${shift.toFixed(3)})`)
        const violations = await seriousViolations(page)
        assert.equal(violations.length, 0, `${name} at ${width} px:\n${describeViolations(violations)}`)
        await screenshot(page, `${name}-${width}`)
      }
    })
  }
})
