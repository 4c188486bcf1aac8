/**
 * Property tests (fast-check): what must hold for every input, not just the ones we thought of.
 * - The Markdown + sanitizer pipeline of articles and comments never lets out script, an event
 *   handler, a script or data URL, or a style sheet or frame, from arbitrary text and from a
 *   grammar of hostile fragments; the output is judged on htmlparser2's parse tree.
 * - The WXR and Disqus readers, the front-matter parser and the Akismet parameters never throw
 *   anything but the project's own DomainError, whatever they are given.
 * - No route answers 500 (or not at all) to a generated request over real HTTP.
 * Each property has a number of runs and a time budget: on a machine busy with other work it stops
 * at its budget and says how many runs it made, so the file stays under a minute. FC_SEED replays
 * a failure; FC_RUNS_FACTOR multiplies runs and budgets for a longer search.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test, type TestContext } from 'node:test'
import fc from 'fast-check'
import { Parser } from 'htmlparser2'
import { parseArticleFile } from '../src/articles/front-matter.ts'
import { renderArticleBody, sanitizeArticleHtml } from '../src/articles/markdown.ts'
import { keyFrom } from '../src/akismet/akismet.ts'
import { renderCommentText } from '../src/comments/comment-markdown.ts'
import { DomainError } from '../src/errors.ts'
import { isOnThisSite, sanitizeCommentHtml, VIDEO_HOSTS } from '../src/text/embed-policy.ts'
import { readWxr } from '../src/wordpress/wxr.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'
import { fetchCommentForm } from './support/traffic.ts'

const FACTOR = Number(process.env.FC_RUNS_FACTOR) || 1
const runs = (n: number) => Math.max(1, Math.round(n * FACTOR))
const seed = process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}

/**
 * Checks a property `numRuns` times, or fewer when its time budget runs out first (a machine
 * shared with other work), and says so then: the file stays within its minute, and the output
 * shows how much was proved.
 */
async function holds<Ts extends [unknown, ...unknown[]]>(ctx: TestContext, property: fc.IRawProperty<Ts>, { numRuns, budgetSeconds }: { numRuns: number; budgetSeconds: number }): Promise<void> {
  const details = await fc.check(property, { numRuns, interruptAfterTimeLimit: budgetSeconds * 1000 * FACTOR, ...seed })
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'the property failed')
  if (details.interrupted) ctx.diagnostic(`stopped after ${details.numRuns} of ${numRuns} runs: the ${budgetSeconds} s budget ran out`)
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-properties-'))
after(() => fs.rmSync(scratch, { recursive: true, force: true }))

// ---------------------------------------------------------------------------------------------
// The judge: what in a fragment of stored HTML could run script, load a style sheet or a frame.
// ---------------------------------------------------------------------------------------------

/** Elements that must never come out of the sanitizer at all. */
const FORBIDDEN_TAGS = new Set(['script', 'style', 'object', 'embed', 'applet', 'base', 'link', 'meta', 'frame', 'frameset', 'form', 'svg', 'math', 'template'])
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'cite'])

/**
 * The scheme a browser would read in an attribute value (htmlparser2 has decoded its entities):
 * it strips leading and trailing C0 controls and spaces, and removes tabs and newlines anywhere.
 */
function schemeOf(value: string): string | undefined {
  const cleaned = value.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '')
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase()
}

const SCRIPT_SCHEMES = new Set(['javascript', 'vbscript', 'data'])

function hostOf(address: string): string | undefined {
  try {
    return new URL(address.trim()).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

/**
 * What in `fragment` breaks the embed policy, as a list a failing test prints: forbidden elements,
 * on* attributes, style attributes, script/data URLs (srcset candidates too), frames from hosts not
 * listed, and (articles) images from another host.
 */
function policyBreaches(fragment: string, kind: 'article' | 'comment'): string[] {
  const found: string[] = []
  const parser = new Parser({
    onopentag(name, attributes) {
      if (FORBIDDEN_TAGS.has(name)) found.push(`<${name}>`)
      if (name === 'iframe' && !VIDEO_HOSTS.includes(hostOf(attributes.src ?? '') ?? '')) found.push(`<iframe src=${attributes.src ?? ''}>`)
      for (const [attribute, value] of Object.entries(attributes)) {
        if (/^on/i.test(attribute)) found.push(`<${name} ${attribute}>`)
        if (attribute === 'style') found.push(`<${name} style>`)
        const addresses = attribute === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : URL_ATTRIBUTES.has(attribute) ? [value] : []
        for (const address of addresses) {
          const scheme = schemeOf(address)
          if (scheme && SCRIPT_SCHEMES.has(scheme)) found.push(`<${name} ${attribute}=${address.slice(0, 40)}>`)
          if (kind === 'article' && (name === 'img' || name === 'source') && (attribute === 'src' || attribute === 'srcset') && !isOnThisSite(address)) {
            found.push(`<${name} ${attribute}=${address.slice(0, 40)}> loads from another host`)
          }
        }
      }
    },
  })
  parser.write(fragment)
  parser.end()
  return found
}

// ---------------------------------------------------------------------------------------------
// Hostile input: a grammar of the fragments XSS filters are known to trip on.
// ---------------------------------------------------------------------------------------------

/** Mixed case, as filters matching lower case miss it. */
const anyCase = (word: string) => fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((ups) => [...word].map((c, i) => (ups[i] ? c.toUpperCase() : c)).join(''))

/** A character written as itself, a decimal or hex entity (with or without `;`, zero-padded), or percent-encoded. */
const encodedChar = (c: string) =>
  fc.constantFrom(
    c,
    `&#${c.charCodeAt(0)};`,
    `&#x${c.charCodeAt(0).toString(16)};`,
    `&#0000${c.charCodeAt(0)}`,
    `&#X${c.charCodeAt(0).toString(16).toUpperCase()}`,
    `%${c.charCodeAt(0).toString(16)}`,
  )

/** A word with each character encoded its own way, and sometimes a tab, newline or NUL slipped in. */
const encodedWord = (word: string) =>
  fc.tuple(...[...word].map((c) => fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constant(c) }, encodedChar(c)), fc.constantFrom('', '', '', '', '\t', '\n', '&#9;', '&Tab;', '&NewLine;', '\0')))).map((parts) =>
    parts.map(([a, b]) => a + b).join(''),
  )

const schemeWord = fc.oneof(anyCase('javascript'), anyCase('vbscript'), anyCase('data'), encodedWord('javascript'), encodedWord('data'), fc.constantFrom('livescript', 'mocha', 'jar'))
const payload = fc.constantFrom('alert(1)', 'alert`1`', 'text/html,<script>alert(1)</script>', 'image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+', 'text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', '//%0aalert(1)')

/** A URL a hostile writer would try: a script or data scheme however written, another host, or an ordinary one. */
const hostileUrl = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('', ' ', '\x01', '\t', '&#32;', '%20'), schemeWord, fc.constantFrom(':', '&#58;', '&colon;', '&#x3a;', '%3a'), payload).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.constantFrom('//evil.example/x.js', '/\\evil.example/a.png', '\\\\evil.example\\a.png', 'https://evil.example/a.png', 'http://evil.example/a.png', 'https:evil.example/a.png', '///evil.example/a.png') },
  { weight: 1, arbitrary: fc.constantFrom('/media/ab12.jpg', 'photo.jpg', 'https://www.youtube.com/embed/x', 'https://player.vimeo.com/video/1', 'mailto:desk@example.org', '#top') },
)

const EVENT_HANDLERS = ['onload', 'onerror', 'onclick', 'onmouseover', 'onfocus', 'onbegin', 'ontoggle', 'onanimationstart', 'onpointerenter', 'onauxclick']
const eventName = fc.oneof(fc.constantFrom(...EVENT_HANDLERS).chain(anyCase), fc.stringMatching(/^on[a-z]{1,12}$/))
const quote = fc.constantFrom('"', "'", '', '`')
const separator = fc.constantFrom(' ', '/', '\t', '\n', ' /', '\f', '  ')

const attribute = fc.oneof(
  fc.tuple(separator, eventName, quote, payload).map(([s, n, q, p]) => `${s}${n}=${q}${p}${q}`),
  fc.tuple(separator, fc.constantFrom('href', 'src', 'srcset', 'xlink:href', 'formaction', 'action', 'data', 'poster', 'background', 'HREF', 'SrC'), quote, hostileUrl).map(([s, n, q, u]) => `${s}${n}=${q}${u}${q}`),
  fc.tuple(separator, quote).map(([s, q]) => `${s}style=${q}background:url(javascript:alert(1));x:expression(alert(1))${q}`),
  fc.tuple(separator, fc.constantFrom('id', 'title', 'alt', 'lang', 'class', 'name'), quote, fc.string({ maxLength: 12 })).map(([s, n, q, v]) => `${s}${n}=${q}${v}${q}`),
)

const TAGS = ['script', 'img', 'a', 'iframe', 'svg', 'style', 'math', 'object', 'embed', 'base', 'form', 'input', 'button', 'details', 'video', 'audio', 'source', 'picture', 'textarea', 'noscript', 'title', 'xmp', 'plaintext', 'template', 'body', 'frameset', 'link', 'meta', 'div', 'p', 'table', 'select', 'option', 'annotation-xml', 'foreignObject', 'animate', 'set', 'use']
/** Tags the policies keep come up more often: a handler or URL slipped onto one of those is the likeliest leak. */
const KEPT_TAGS = ['a', 'img', 'p', 'div', 'details', 'picture', 'source', 'table', 'td', 'blockquote', 'code', 'figure', 'span', 'h2']
const tagName = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...KEPT_TAGS) }, { weight: 3, arbitrary: fc.constantFrom(...TAGS) }).chain(anyCase)

const openTag = fc.tuple(tagName, fc.array(attribute, { maxLength: 4 }), fc.constantFrom('>', ' >', '/>', '', '\n>')).map(([t, a, end]) => `<${t}${a.join('')}${end}`)
const closeTag = tagName.map((t) => `</${t}>`)

/** Markdown that makes links and images: inline, reference, autolink, nested in emphasis and brackets. */
const markdownLink = fc.oneof(
  fc.tuple(fc.string({ maxLength: 8 }), hostileUrl).map(([text, url]) => `[${text}](${url})`),
  fc.tuple(fc.string({ maxLength: 8 }), hostileUrl).map(([text, url]) => `![${text}](${url} "t")`),
  fc.tuple(fc.string({ maxLength: 8 }), hostileUrl).map(([text, url]) => `[${text}][r]\n\n[r]: ${url}\n`),
  hostileUrl.map((url) => `<${url}>`),
  fc.tuple(hostileUrl, hostileUrl).map(([a, b]) => `[![x](${a})](${b})`),
  fc.tuple(hostileUrl).map(([a]) => `**[_x_](${a})**`),
  fc.tuple(hostileUrl).map(([a]) => `[[x](${a})](${a})`),
  hostileUrl.map((url) => `[x](<${url}>)`),
)

const filler = fc.constantFrom(
  '<!--', '-->', '<![CDATA[', ']]>', '<?xml ?>', '<!DOCTYPE html>', '&lt;', '&amp;lt;', '&#60;', '\\<', '`', '```', '\n\n', '    ', '> ', '* ', '1. ', '<', '>', '"', "'", '=', '</', '\u2028', '\uFEFF', '\u0000',
  '<scr<script>ipt>', '</scr</script>ipt>', '<<script>>', '<img src=x onerror=alert(1)//', '<svg><script>alert(1)</script>', '<math><mi><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<a href="java\tscript:alert(1)">x</a>', '<a href="&#x6A;avascript:alert(1)">x</a>',
)

const hostileDocument = fc.array(fc.oneof(openTag, closeTag, markdownLink, filler, fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 24 }).map((parts) => parts.join(''))

/** Arbitrary text: any code points (lone surrogates too), and printable ASCII where markup lives. */
const arbitraryText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary-ascii', maxLength: 300 }), fc.string({ maxLength: 300 }))

describe('the Markdown and sanitizer pipeline lets out no script, handler, script URL, style sheet or frame', () => {
  const pipelines: readonly [string, 'article' | 'comment', (input: string) => string][] = [
    ['an article body (Markdown with raw HTML)', 'article', renderArticleBody],
    ['imported or edited article HTML', 'article', sanitizeArticleHtml],
    ['a comment (Markdown)', 'comment', renderCommentText],
    ['comment HTML (imports)', 'comment', sanitizeCommentHtml],
  ]
  for (const [what, kind, render] of pipelines) {
    test(`${what}, from arbitrary text`, async (ctx) => {
      await holds(
        ctx,
        fc.property(arbitraryText, (input) => {
          assert.deepEqual(policyBreaches(render(input), kind), [], `rendered from ${JSON.stringify(input)}`)
        }),
        { numRuns: runs(300), budgetSeconds: 1 },
      )
    })
    test(`${what}, from hostile fragments`, async (ctx) => {
      await holds(
        ctx,
        fc.property(hostileDocument, (input) => {
          const output = render(input)
          assert.deepEqual(policyBreaches(output, kind), [], `rendered from ${JSON.stringify(input)}:\n${output}`)
        }),
        { numRuns: runs(1000), budgetSeconds: 2 },
      )
    })
  }

  test('the judge itself sees what it must (else the properties above prove nothing)', () => {
    const caught = (html: string) => policyBreaches(html, 'article').length > 0
    for (const bad of ['<p onclick="x">', '<a href=" &#x6A;ava\tscript:alert(1)">', '<img src="data:image/svg+xml,x">', '<iframe src="https://evil.example/">', '<style>', '<img src="https://evil.example/a.png">', '<img srcset="/a.jpg 1x, //evil.example/b.jpg 2x">', '<a href="VBScript:x">']) {
      assert.ok(caught(bad), `the judge misses ${bad}`)
    }
    for (const good of ['<a href="https://example.org/">x</a>', '<img src="/media/ab12.jpg" alt="Quay">', '<p>javascript:alert(1) as text</p>']) assert.ok(!caught(good), `the judge wrongly flags ${good}`)
  })
})

// ---------------------------------------------------------------------------------------------
// Readers of imported files and client parameters: a result, or the project's own error.
// ---------------------------------------------------------------------------------------------

/** Runs `work`; any error it throws must be a DomainError with a message a person can read. */
async function resultOrDomainError(work: () => unknown | Promise<unknown>, input: string): Promise<'result' | 'refused'> {
  try {
    await work()
    return 'result'
  } catch (error) {
    assert.ok(error instanceof DomainError, `threw ${(error as Error)?.name}: ${(error as Error)?.message} (not a DomainError) on ${JSON.stringify(input).slice(0, 400)}`)
    assert.ok(error.message.trim().length > 0 && !error.message.includes('\n'), `an unclear message: ${JSON.stringify(error.message)}`)
    return 'refused'
  }
}

let fileSeq = 0
function scratchFile(text: string): string {
  const file = path.join(scratch, `input-${++fileSeq}.xml`)
  fs.writeFileSync(file, text)
  return file
}

const WXR_ELEMENTS = ['rss', 'channel', 'item', 'title', 'link', 'wp:wxr_version', 'wp:author', 'wp:author_login', 'wp:category', 'wp:cat_name', 'wp:term', 'wp:term_taxonomy', 'wp:tag', 'content:encoded', 'wp:post_id', 'wp:post_date', 'wp:post_type', 'wp:status', 'wp:postmeta', 'wp:meta_key', 'wp:meta_value', 'wp:comment', 'wp:comment_id', 'wp:comment_parent', 'wp:comment_content', 'wp:comment_approved', 'category', 'dc:creator', 'undeclared:thing']
const WXR_OPENING = '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
const DISQUS_ELEMENTS = ['disqus', 'thread', 'post', 'link', 'title', 'message', 'createdAt', 'isDeleted', 'isSpam', 'author', 'name', 'email', 'username', 'parent', 'ipAddress', 'id', 'forum', 'category']
const DISQUS_OPENING = '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'

/** XML in the shape of exports, broken in the ways real files break: cut short, mis-nested, odd entities, DTDs, wrong namespaces. */
function exportLike(elements: readonly string[], namespaces: string): fc.Arbitrary<string> {
  const element = fc.constantFrom(...elements)
  const piece = fc.oneof(
    fc.tuple(element, fc.string({ maxLength: 20 })).map(([e, t]) => `<${e}>${t}</${e}>`),
    fc.tuple(element, fc.string({ maxLength: 20 })).map(([e, t]) => `<${e}><![CDATA[${t}]]></${e}>`),
    element.map((e) => `<${e}>`),
    element.map((e) => `</${e}>`),
    element.map((e) => `<${e} dsq:id="${e.length}" domain="post_tag" nicename="x"/>`),
    fc.constantFrom('&amp;', '&bogus;', '&#0;', '&#xD800;', '&#1114112;', '<!DOCTYPE rss [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', '<!DOCTYPE x SYSTEM "file:///etc/passwd">', '&b;', '<?xml version="1.0"?>', ']]>', '<!--', '-->', '\uFFFE', '\u0000', '<a:b:c>', '<x xmlns:wp="">'),
    fc.string({ maxLength: 10 }),
  )
  return fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 30 }), fc.boolean()).map(([open, pieces, close]) => `${open ? `<?xml version="1.0" encoding="UTF-8"?>\n${namespaces}` : ''}${pieces.join('')}${close ? '</channel></rss>' : ''}`)
}

/** Text as an XML writer escapes it (so the document stays well-formed unless the text has characters XML forbids). */
const xmlText = fc.string({ maxLength: 40 }).map((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'))
const wxrDate = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19).replace('T', ' ')), fc.constantFrom('0000-00-00 00:00:00', '', '2026-02-30 25:61:61'), xmlText)

/** A well-formed WXR file with arbitrary values in its fields. */
const wellFormedWxr = fc
  .tuple(xmlText, fc.array(fc.tuple(xmlText, xmlText, fc.string({ maxLength: 60 }), wxrDate, fc.constantFrom('post', 'page', 'attachment', 'nav_menu_item', ''), fc.constantFrom('publish', 'draft', 'future', 'trash', ''), fc.array(fc.tuple(xmlText, xmlText, fc.constantFrom('1', '0', 'spam', 'trash', '')), { maxLength: 3 })), { maxLength: 4 }))
  .map(([site, items]) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n${WXR_OPENING}<title>${site}</title><wp:wxr_version>1.2</wp:wxr_version>` +
    items
      .map(([title, slug, content, date, type, status, comments]) =>
        `<item><title>${title}</title><wp:post_name>${slug}</wp:post_name><content:encoded><![CDATA[${content.replace(/]]>/g, '')}]]></content:encoded><wp:post_date>${date}</wp:post_date><wp:post_date_gmt>${date}</wp:post_date_gmt><wp:post_type>${type}</wp:post_type><wp:status>${status}</wp:status><category domain="post_tag" nicename="${slug}">${title}</category>` +
        comments.map(([author, text, approved], i) => `<wp:comment><wp:comment_id>${i + 1}</wp:comment_id><wp:comment_author>${author}</wp:comment_author><wp:comment_content>${text}</wp:comment_content><wp:comment_approved>${approved}</wp:comment_approved><wp:comment_parent>${i}</wp:comment_parent></wp:comment>`).join('') +
        '</item>',
      )
      .join('') +
    '</channel></rss>',
  )

/** A well-formed Disqus export with arbitrary values, its threads pointing here or elsewhere. */
const wellFormedDisqus = fc
  .array(fc.tuple(fc.constantFrom('http://news.test/', 'http://news.test/nope/', 'https://elsewhere.example/2026/12/01/x/', 'not a url', ''), fc.array(fc.tuple(xmlText, xmlText, xmlText, fc.constantFrom('true', 'false', ''), fc.constantFrom('true', 'false'), fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), xmlText), fc.nat(5)), { maxLength: 3 })), { maxLength: 3 })
  .map((threads) =>
    `<?xml version="1.0" encoding="utf-8"?>\n${DISQUS_OPENING}` +
    threads.map(([link], t) => `<thread dsq:id="t${t}"><link>${link}</link></thread>`).join('') +
    threads
      .flatMap(([, posts], t) => posts.map(([message, name, email, deleted, spam, created, parent], p) => `<post dsq:id="p${t}-${p}"><thread dsq:id="t${t}"/>${parent ? `<parent dsq:id="p${t}-${parent}"/>` : ''}<message>${message}</message><createdAt>${created}</createdAt><isDeleted>${deleted}</isDeleted><isSpam>${spam}</isSpam><author><name>${name}</name><email>${email}</email></author><ipAddress>${name}</ipAddress></post>`))
      .join('') +
    '</disqus>',
  )


describe('readers of imported files and client parameters throw nothing but a DomainError', () => {
  test('the WXR reader', async (ctx) => {
    const outcomes = { result: 0, refused: 0 }
    await holds(
      ctx,
      fc.asyncProperty(fc.oneof(arbitraryText, exportLike(WXR_ELEMENTS, WXR_OPENING), wellFormedWxr), async (text) => {
        const file = scratchFile(text)
        outcomes[await resultOrDomainError(async () => {
          for await (const record of readWxr(file)) void record
        }, text)]++
        fs.rmSync(file)
      }),
      { numRuns: runs(400), budgetSeconds: 2 },
    )
    assert.ok(outcomes.result > 0 && outcomes.refused > 0, `both outcomes were tried: ${JSON.stringify(outcomes)}`)
  })

  test('the front-matter parser of publish files', async (ctx) => {
    const yamlValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('[', '{', '!!binary x', '&a [*a]', '*a', '!!js/function "x"', '2026-13-45', 'null', '~', '- a\n- b', '{file: x}', 'media:0', 'media:99999999999999999', '"\\u0000"', '| \n  x', '? x', '!!timestamp 2026-99-99'), fc.jsonValue().map((v) => JSON.stringify(v)))
    const FIELDS = ['title', 'slug', 'standfirst', 'author', 'authors', 'date', 'tags', 'categories', 'credits', 'canonical_url', 'status', 'comments', 'image', 'unknown', 'image.file']
    const frontMatter = fc.tuple(fc.array(fc.tuple(fc.constantFrom(...FIELDS), yamlValue), { maxLength: 8 }), fc.string({ maxLength: 30 }), fc.constantFrom('---\n', '---\r\n', '--- \n', '---', ''), fc.constantFrom('\n---\n', '\r\n---\r\n', '\n---', '\n--', ''))
      .map(([fields, body, open, close]) => `${open}${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}${close}${body}`)
    // Files that are close to right: a title and well-formed fields, some values off.
    const nearlyRight = fc.tuple(fc.string({ maxLength: 30 }), fc.array(fc.tuple(fc.constantFrom(...FIELDS), yamlValue), { maxLength: 4 }), fc.string({ maxLength: 60 }))
      .map(([title, fields, body]) => `---\ntitle: ${JSON.stringify(title)}\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n${body}`)
    const outcomes = { result: 0, refused: 0 }
    await holds(
      ctx,
      fc.asyncProperty(fc.oneof(arbitraryText, frontMatter, nearlyRight), async (text) => {
        outcomes[await resultOrDomainError(() => parseArticleFile(text), text)]++
      }),
      { numRuns: runs(1000), budgetSeconds: 1.5 },
    )
    assert.ok(outcomes.result > 0 && outcomes.refused > 0, `both outcomes were tried: ${JSON.stringify(outcomes)}`)
  })

  test('the Akismet key taken from parameters or the host name', async (ctx) => {
    await holds(
      ctx,
      fc.property(fc.dictionary(fc.constantFrom('api_key', 'key', 'blog'), fc.anything()), fc.option(fc.string({ unit: 'binary', maxLength: 60 })), (params, host) => {
        const key = keyFrom(params, host ?? undefined)
        assert.ok(key === undefined || typeof key === 'string', `keyFrom gave ${typeof key}`)
      }),
      { numRuns: runs(1000), budgetSeconds: 0.5 },
    )
  })

  for (const dialect of DIALECTS) {
    test(`the Disqus reader and the Akismet parameters, on ${dialect}`, async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.factories.article({ title: 'Council publishes the bridge figures' })
      const key = await t.factories.akismetKey()
      const disqus = { result: 0, refused: 0 }
      await holds(
        ctx,
        fc.asyncProperty(fc.oneof(arbitraryText, exportLike(DISQUS_ELEMENTS, DISQUS_OPENING), wellFormedDisqus), async (text) => {
          const file = scratchFile(text)
          disqus[await resultOrDomainError(() => t.site.services.wordpress.importDisqus(file, { dryRun: true }), text)]++
          fs.rmSync(file)
        }),
        { numRuns: runs(dialect === 'sqlite' ? 100 : 30), budgetSeconds: 2 },
      )
      assert.ok(disqus.result > 0 && disqus.refused > 0, `both outcomes were tried: ${JSON.stringify(disqus)}`)

      const AKISMET_FIELDS = ['api_key', 'blog', 'user_ip', 'user_agent', 'referrer', 'permalink', 'comment_type', 'comment_author', 'comment_author_email', 'comment_author_url', 'comment_content', 'comment_date_gmt', 'comment_post_modified_gmt', 'blog_lang', 'user_role', 'is_test', 'honeypot_field_name', 'debug', 'POST_ak_js', 'POST_ak_hp_textarea', 'month', 'order', 'limit', 'offset', 'filter', 'format', '__proto__', 'constructor', 'toString']
      const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(key, '1', 'true', '1e400', '-1', 'NaN', '9999-99', '2026-12', 'csv', String(Date.now()), 'administrator', 'api_key'), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.anything({ maxDepth: 2 }))
      const params = fc.dictionary(fc.oneof(fc.constantFrom(...AKISMET_FIELDS), fc.string({ maxLength: 10 })), value, { maxKeys: 12 }).map((p) => ({ api_key: key, blog: 'https://blog.example.org/', ...p }))
      const call = fc.constantFrom('verifyKey', 'commentCheck', 'spam', 'ham', 'usageLimit', 'keySites')
      const host = fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.constant(`${key}.rest.akismet.com`)))
      const akismet = t.site.services.akismet
      await holds(
        ctx,
        fc.asyncProperty(call, params, host, async (which, p, h) => {
          const hostName = h ?? undefined
          const input = JSON.stringify({ which, p, h })
          await resultOrDomainError(async () => {
            const answer =
              which === 'spam' || which === 'ham' ? await akismet.submit(which, p, hostName) : await akismet[which](p, hostName)
            assert.ok(answer.status < 500, `${which} answered ${answer.status} to ${input}`)
            assert.equal(typeof answer.body, 'string')
          }, input)
        }),
        { numRuns: runs(dialect === 'sqlite' ? 200 : 60), budgetSeconds: 2 },
      )
    })
  }
})

// ---------------------------------------------------------------------------------------------
// No 500 to any generated request, over real HTTP.
// ---------------------------------------------------------------------------------------------

interface GeneratedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

/**
 * Sends one request with node's own client (fetch refuses some of what a hostile client sends),
 * on a connection of its own, so that a connection closed without an answer is this request's
 * doing, not a race with a kept-alive one. Resolves with the status, or 0 for no answer in 15 s.
 */
function send(base: string, request: GeneratedRequest): Promise<number> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    // The status counts once it has come: what follows on a connection about to close (Node's own
    // answer to a malformed request line carries a body even to HEAD) is not this request's answer.
    const req = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent: false, timeout: 15_000 }, (res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
      res.on('error', () => {})
    })
    req.on('timeout', () => {
      req.destroy()
      resolve(0)
    })
    req.on('error', reject)
    req.end(request.body)
  })
}

/** Every route family a client can reach: reader pages, feeds, comment form, JSON APIs, the admin API and pages, Akismet, search, privacy. */
const PATHS = [
  '/', '/page/{n}/', '/{year}/{month}/{day}/{slug}/', '/{slug}/', '/category/{slug}/', '/tag/{slug}/', '/author/{slug}/', '/search', '/', '/privacy/', '/reuse/', '/corrections/',
  '/feed/', '/feed/atom/', '/feed.json', '/comments/feed/', '/category/{slug}/feed/', '/sitemap.xml', '/news-sitemap.xml', '/sitemap-articles-{n}.xml', '/robots.txt', '/.well-known/tdmrep.json',
  '/comments', '/comments/confirm', '/privacy/requests', '/privacy/confirm',
  '/api/v1/articles', '/api/v1/articles/{slug}', '/api/v1/articles/{id}/comments',
  '/api/v1/admin/articles', '/api/v1/admin/articles/{id}', '/api/v1/admin/articles/{id}/revisions', '/api/v1/admin/articles/{id}/publish', '/api/v1/admin/articles/{id}/schedule', '/api/v1/admin/articles/{id}/corrections',
  '/api/v1/admin/comments', '/api/v1/admin/comments/{id}', '/api/v1/admin/comments/bulk', '/api/v1/admin/comments/{id}/history', '/api/v1/admin/settings', '/api/v1/admin/media', '/api/v1/admin/privacy/export', '/api/v1/admin/privacy/erase',
  '/admin/', '/admin/login', '/admin/setup', '/admin/articles', '/admin/articles/new', '/admin/articles/{id}', '/admin/comments', '/admin/settings', '/admin/users', '/admin/password-reset/{slug}',
  '/1.1/verify-key', '/1.1/comment-check', '/1.1/submit-spam', '/1.1/submit-ham', '/1.2/usage-limit', '/1.2/key-sites', '/media/{slug}', '/healthz', '/readyz',
]

/** A path segment as a client may send it: a number (of any size or sign), a word, or percent-encoded junk. */
const segment = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom('1', '2', '0', '-1', '1e3', '99999999999999999999', '0x10', '1.5', 'NaN', '..', '%2e%2e', '%00', '%ff', '%', '%%', '%c0%af', 'null', 'undefined', '__proto__', '\u00e9', '%E3%83%8B%E3%83%A5', 'a'.repeat(300)),
  fc.stringMatching(/^[a-z0-9-]{1,20}$/),
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => encodeURIComponent(s)),
)

const queryKey = fc.oneof(fc.constantFrom('page', 'q', 's', 'p', 'limit', 'offset', 'status', 'token', 'comment', 'preview', 'replytocom', 'api_key', 'month', 'order', 'format', 'next', 'feed', 'cat', 'tag', 'author'), fc.stringMatching(/^[a-z_[\]]{1,8}$/))
const queryValue = fc.oneof(segment, fc.string({ maxLength: 20 }).map(encodeURIComponent), fc.constant(''))
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}` : ''))

const FIELDS = [
  'article_id', 'parent_id', 'author', 'email', 'url', 'content', 'remember', 'notify_replies', 'token', 'address', 'kind', 'q',
  'title', 'body', 'standfirst', 'slug', 'status', 'base_revision', 'tags', 'categories', 'credits', 'authors', 'canonical_url', 'comments_open', 'published_at', 'ids', 'action', 'text',
  'language', 'timezone', 'timeZone', 'permalinkStructure', 'commentRateLimitPerMinute', 'copyrightHolder', 'spamThresholds', 'tagline', 'ipRetentionDays', 'email_address',
  'api_key', 'blog', 'comment_content', 'comment_author', 'user_ip', '__proto__', 'constructor',
]
const fieldValue = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), { maxLength: 3 }), fc.constantFrom('xx-invalid-locale-<>', 'Mars/Olympus', '/%bogus%/', 'approved', 'spam', 'published', 'draft', '1', 'a'.repeat(70_000)))
const fields = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), fieldValue, { maxKeys: 8 })

type BodyKind = 'json' | 'form' | 'raw' | 'none'

/** A body and the content-type it claims (not always the one it has). */
const body = fc.oneof(
  fields.map((f) => ['json', JSON.stringify(f)] as const),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ['json', JSON.stringify(v)] as const),
  fields.map((f) => ['form', new URLSearchParams(Object.entries(f).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()] as const),
  fc.constantFrom('{', '{"a":', '[1,2', '\u0000', 'a=%zz&b', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', 'x'.repeat(5000), '--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nnot an image\r\n--b--').map((raw) => ['raw', raw] as const),
  fc.constant(['none', undefined] as const),
)

const contentType = (kind: BodyKind) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(kind === 'json' ? 'application/json' : kind === 'form' ? 'application/x-www-form-urlencoded' : '') },
    { weight: 1, arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=b', 'multipart/form-data', 'text/plain', 'application/xml', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded; charset=ebcdic', '*/*', ';;;', 'image/jpeg') },
  )

/** Printable header values (node's client refuses control characters) of many kinds. */
const headerValue = fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))

function requests(tokens: { admin: string; author: string }, article: { id: number; slug: string; path: string }, slugs: readonly string[], hidden: Record<string, string>): fc.Arbitrary<GeneratedRequest> {
  const filledPath = fc.tuple(fc.constantFrom(...PATHS, article.path), segment, segment, fc.nat(9).map((n) => n < 6), fc.constantFrom(...slugs)).map(([template, a, b, real, slug]) =>
    template
      .replace('{n}', real ? '1' : a)
      .replace('{id}', real ? String(article.id) : a)
      .replace('{slug}', real ? slug : b)
      .replace('{year}', real ? '2026' : a)
      .replace('{month}', real ? '12' : b)
      .replace('{day}', a),
  )
  const authorization = fc.option(fc.oneof(fc.constant(`Bearer ${tokens.admin}`), fc.constant(`Bearer ${tokens.author}`), fc.constant(`bearer ${tokens.admin}`), headerValue.map((v) => `Bearer ${v}`), headerValue.map((v) => `Basic ${v}`), headerValue), { nil: undefined })
  const extraHeaders = fc.dictionary(fc.constantFrom('cookie', 'x-forwarded-for', 'forwarded', 'accept', 'accept-language', 'if-none-match', 'if-modified-since', 'range', 'origin', 'referer', 'user-agent', 'accept-encoding', 'x-http-method-override'), headerValue, { maxKeys: 3 })
  return fc
    .tuple(fc.constantFrom('GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'PATCH', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'), filledPath, query, body, authorization, extraHeaders, fc.boolean())
    .chain(([method, p, q, [kind, payload], auth, extra, withForm]) =>
      contentType(kind).map((type) => {
        // Half the comment-form posts carry the form's real hidden fields, so they reach the service.
        const sent = p === '/comments' && kind === 'form' && withForm ? `${new URLSearchParams(hidden).toString()}&${payload}` : payload
        const headers: Record<string, string> = { ...extra, ...(type && { 'content-type': type }), ...(auth && { authorization: auth }) }
        if (sent !== undefined && method !== 'GET' && method !== 'HEAD') headers['content-length'] = String(Buffer.byteLength(sent))
        return { method, path: p + q, headers, body: method === 'GET' || method === 'HEAD' ? undefined : sent }
      }),
    )
}

for (const dialect of DIALECTS) {
  test(`no generated request gets a 500 or no answer, on ${dialect}`, async (ctx) => {
    const t = await testSite(ctx, { dialect })
    await t.settings({ commentRateLimitPerMinute: 100_000 })
    const published = await t.factories.article({ title: 'Ferry timetable changes in spring', categories: ['Local'], tags: ['Ferries'], authors: ['Desk Reporter'] })
    await t.factories.comment({ article: published, status: 'approved' })
    const tokens = { admin: await t.staffToken('administrator'), author: await t.staffToken('author') }
    const form = await fetchCommentForm(t.url, published.path)
    const statuses = new Map<number, number>()
    let cases = 0
    await holds(
      ctx,
      fc.asyncProperty(requests(tokens, published, [published.slug, 'local', 'ferries', 'desk-reporter'], form.hidden), async (request) => {
        const status = await send(t.url, request)
        cases++
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        assert.ok(status > 0, `no answer in 15 s to ${request.method} ${request.path}`)
        assert.ok(status < 500, `${request.method} ${request.path} answered ${status}; headers ${JSON.stringify(request.headers)}; body ${JSON.stringify(request.body)?.slice(0, 600)}`)
      }),
      { numRuns: runs(dialect === 'sqlite' ? 1500 : 800), budgetSeconds: 7 },
    )
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ')
    ctx.diagnostic(`${dialect}: ${cases} generated requests; statuses ${histogram}`)
  })
}
