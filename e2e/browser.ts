/**
 * Debian's Chromium driven by playwright-core, with the flags this machine needs (no sandbox as
 * root, no background networking: the network is closed), and axe-core's accessibility checks.
 */
import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'
import { after, before } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Where screenshots go (git-ignored; CI keeps them as artifacts). */
export const ARTIFACTS = path.resolve(process.env.BROADSHEET_ARTIFACTS ?? 'artifacts/screenshots')

/** Why the browser tests cannot run here, if they cannot: only outside CI, where CI installs Chromium. */
export function browserMissing(): string | undefined {
  if (fs.existsSync(CHROMIUM)) return undefined
  const reason = `${CHROMIUM} is not installed (apt-get install chromium)`
  if (process.env.CI) throw new Error(`the browser tests must run in CI: ${reason}`)
  return reason
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: { target: string[] }[]
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run())
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n')
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const file = path.join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/**
 * For a test file: why its browser tests are skipped (printed), if they are, and the browser,
 * launched before its tests and closed after them.
 * @example const chrome = useBrowser(); describe('…', { skip: chrome.missing }, () => { … chrome.browser.newContext() … })
 */
export function useBrowser(): { readonly missing: string | undefined; readonly browser: Browser } {
  const missing = browserMissing()
  if (missing) console.log(`# skipping the browser tests: ${missing}`)
  let browser: Browser | undefined
  before(async () => {
    if (!missing) browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })
  return {
    missing,
    get browser() {
      if (!browser) throw new Error('the browser is not running')
      return browser
    },
  }
}
