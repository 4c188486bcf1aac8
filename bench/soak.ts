/**
 * The soak: the real server (`broadsheet serve`, a child process) under a mixed load for some
 * minutes, then a table of what it answered and how much memory it held, minute by minute.
 *
 * The crowd, all over loopback HTTP at once:
 * - readers: the front page, deeper pages, articles, sections, search;
 * - commenters: fetch an article's form, wait, post it (as a browser does);
 * - spam bots: link-stuffed comments through the JSON API, and the form with its honeypot filled;
 * - a moderator: reads the queue through the admin API and approves or marks spam;
 * - a feed reader: polls the feeds with If-None-Match, as feed readers do.
 *
 * It passes when nothing answered 5xx (or cut a connection) and the server's resident memory at
 * the end is within 10% of what it was after the warm-up (the first minute, or the first fifth).
 *
 *   npm run soak [-- --minutes 10 --engine sqlite|postgres]
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { startServerProcess } from '../test/support/server-process.ts'
import { listedArticles, processSite } from '../test/support/process-site.ts'
import { adminApi, fetchCommentForm, postCommentForm, postCommentJson } from '../test/support/traffic.ts'
import type { Dialect } from '../test/support/dialects.ts'

const { values: args } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, engine: { type: 'string', default: 'sqlite' } } })
const MINUTES = Number(args.minutes)
if (!(MINUTES > 0)) throw new Error('--minutes must be a positive number')
const engine = args.engine as Dialect
if (engine !== 'sqlite' && engine !== 'postgres') throw new Error('--engine must be sqlite or postgres')

const site = await processSite(engine)
const server = await startServerProcess({ ...site.env, LOG_LEVEL: 'warn' })
const base = server.url
process.on('exit', () => void server.kill())

// A newsroom's worth of stories to read, with sections and tags, made through the admin API.
const sections = ['news', 'sport', 'business', 'culture']
for (let i = 0; i < 40; i++) {
  const response = await adminApi(base, site.token, 'POST', '/api/v1/admin/articles', {
    title: `Soak story ${i}: the council's budget, line by line`,
    standfirst: 'What the vote means for the libraries, the buses and the parks.',
    body: 'The council met on Thursday and voted on the budget. '.repeat(60),
    status: 'published',
    categories: [sections[i % sections.length]],
    tags: [`ward-${i % 7}`],
  })
  if (response.status >= 300) throw new Error(`could not make a story: ${response.status} ${await response.text()}`)
}
// Commenters here share one address (loopback); the per-address limit is a test of its own.
const settings = await adminApi(base, site.token, 'PATCH', '/api/v1/admin/settings', { commentRateLimitPerMinute: 100000 })
if (settings.status !== 200) throw new Error(`could not change the settings: ${settings.status} ${await settings.text()}`)
const articles = await listedArticles(base)

interface Minute {
  requests: number
  byClass: Record<string, number>
  failures: number
}
const minutes: Minute[] = []
const current = (): Minute => {
  const index = Math.min(Math.floor((Date.now() - started) / 60_000), MINUTES - 1)
  while (minutes.length <= index) minutes.push({ requests: 0, byClass: {}, failures: 0 })
  return minutes[index]!
}
const fivexx: string[] = []
function count(what: string, status: number): void {
  const minute = current()
  minute.requests++
  const key = `${Math.floor(status / 100)}xx`
  minute.byClass[key] = (minute.byClass[key] ?? 0) + 1
  if (status >= 500 && fivexx.length < 20) fivexx.push(`${status} ${what}`)
  if (status >= 400 && status < 500) refused.set(`${status} ${what.replace(/\d+/g, 'N')}`, (refused.get(`${status} ${what.replace(/\d+/g, 'N')}`) ?? 0) + 1)
}
/** The 4xx answers by what was asked: the spam bots' refusals are expected, a reader's 404 is not. */
const refused = new Map<string, number>()
async function request(what: string, send: () => Promise<Response>): Promise<Response | undefined> {
  try {
    const response = await send()
    count(what, response.status)
    return response
  } catch (error) {
    current().failures++
    if (fivexx.length < 20) fivexx.push(`no answer ${what}: ${(error as Error).message}`)
    return undefined
  }
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const started = Date.now()
const ends = started + MINUTES * 60_000
const running = () => Date.now() < ends

async function reader(): Promise<void> {
  const paths = () => [...articles.map((a) => a.path), '/', '/page/2/', `/category/${pick(sections)}/`, `/tag/ward-${Math.floor(Math.random() * 7)}/`, `/search?q=${pick(['budget', 'council libraries', 'parks', 'ferry'])}`]
  while (running()) {
    const path = pick(paths())
    const response = await request(`GET ${path}`, () => fetch(base + path))
    await response?.arrayBuffer()
    await pause(5)
  }
}

async function commenter(n: number): Promise<void> {
  let posted = 0
  while (running()) {
    const article = pick(articles)
    const form = await fetchCommentForm(base, article.path).catch(() => undefined)
    if (!form) {
      current().failures++
      continue
    }
    count(`GET ${article.path}`, 200)
    await pause(1_000)
    const fields = { author: `Reader ${n}`, email: `reader${n}@example.org`, content: `Comment ${++posted} from reader ${n}: the parks budget was cut twice in five years, and nobody asked us.` }
    const response = await request('POST /comments', () => postCommentForm(base, form, fields))
    await response?.arrayBuffer()
  }
}

async function spamBot(n: number): Promise<void> {
  let sent = 0
  while (running()) {
    const article = pick(articles)
    const spam = { author: 'Cheap Pills', email: `bot${n}-${++sent}@spam.example`, url: 'http://pills.example/', content: `BUY NOW http://pills.example/a http://pills.example/b http://pills.example/c cheap viagra casino ${sent}` }
    const response = await request('POST comment API (spam)', () => postCommentJson(base, article.id, spam))
    await response?.arrayBuffer()
    const form = await fetchCommentForm(base, article.path).catch(() => undefined)
    if (form?.honeypot) {
      const filled = await request('POST /comments (honeypot)', () => postCommentForm(base, form, { author: 'Bot', email: `hp${n}-${sent}@spam.example`, content: 'great post', [form.honeypot!]: 'http://pills.example/' }))
      await filled?.arrayBuffer()
    }
    await pause(300)
  }
}

async function moderator(): Promise<void> {
  while (running()) {
    const queue = await request('GET admin queue', () => adminApi(base, site.token, 'GET', '/api/v1/admin/comments?status=pending'))
    const held = queue?.status === 200 ? ((await queue.json()) as { comments: { id: number; content_html?: string }[] }).comments : []
    for (const comment of held.slice(0, 10)) {
      const text = comment.content_html ?? ''
      const status = /pills|viagra|casino/i.test(text) ? 'spam' : 'approved'
      const response = await request(`PATCH comment ${status}`, () => adminApi(base, site.token, 'PATCH', `/api/v1/admin/comments/${comment.id}`, { status }))
      await response?.arrayBuffer()
    }
    await pause(2_000)
  }
}

async function feedReader(): Promise<void> {
  const etags = new Map<string, string>()
  while (running()) {
    for (const path of ['/feed/', '/feed/atom/', '/feed.json', '/comments/feed/', `${pick(articles).path}feed/`, '/sitemap.xml', '/news-sitemap.xml']) {
      const etag = etags.get(path)
      const response = await request(`GET ${path}`, () => fetch(base + path, { headers: etag ? { 'if-none-match': etag } : {} }))
      await response?.arrayBuffer()
      const next = response?.headers.get('etag')
      if (next) etags.set(path, next)
    }
    await pause(1_000)
  }
}

/** The server's resident memory in MiB, from the kernel's own account of it. */
function residentMiB(): number {
  const status = fs.readFileSync(`/proc/${server.process.pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}
const memory: number[] = []
const sampler = setInterval(() => {
  const index = Math.floor((Date.now() - started) / 60_000)
  if (index < MINUTES) memory[index] = residentMiB()
}, 5_000)

console.log(`soak: ${MINUTES} min on ${engine}, ${articles.length} stories; readers 4, commenters 3, spam bots 2, a moderator, a feed reader`)
await Promise.all([reader(), reader(), reader(), reader(), commenter(1), commenter(2), commenter(3), spamBot(1), spamBot(2), moderator(), feedReader()])
clearInterval(sampler)
memory[MINUTES - 1] = residentMiB()

const classes = ['2xx', '3xx', '4xx', '5xx']
console.log(`\n| minute | requests | ${classes.join(' | ')} | no answer | resident MiB |`)
console.log(`| --- | --- | ${classes.map(() => '---').join(' | ')} | --- | --- |`)
minutes.forEach((m, i) => console.log(`| ${i + 1} | ${m.requests} | ${classes.map((c) => m.byClass[c] ?? 0).join(' | ')} | ${m.failures} | ${(memory[i] ?? 0).toFixed(1)} |`))
const total5xx = minutes.reduce((sum, m) => sum + (m.byClass['5xx'] ?? 0) + m.failures, 0)
const warm = memory[Math.max(0, Math.ceil(MINUTES / 5) - 1)] ?? memory[0]!
const last = memory[MINUTES - 1]!
const growth = ((last - warm) / warm) * 100
console.log(`\n4xx by request: ${[...refused].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(', ') || 'none'}`)
console.log(`5xx or no answer: ${total5xx}${fivexx.length ? ` (first: ${fivexx.slice(0, 5).join('; ')})` : ''}`)
console.log(`resident memory after warm-up ${warm.toFixed(1)} MiB, at the end ${last.toFixed(1)} MiB: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%`)
console.log(`load average at the end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`)
await server.stop()
await site.remove()
const ok = total5xx === 0 && growth < 10
console.log(ok ? 'soak passed' : 'soak FAILED')
process.exit(ok ? 0 : 1)
