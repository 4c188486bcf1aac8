// Slow clients cannot hold the server: 200 connections trickling a request body a byte at a time,
// and 50 more trickling their headers, are closed by the request and header timeouts, and while
// they are open /healthz and pages still answer. The timeouts are shortened here (the defaults,
// 15 s for headers and 120 s for a request, are in src/web/hardening.ts) to keep the test short.
import assert from 'node:assert/strict'
import net from 'node:net'
import { describe, test } from 'node:test'
import { testSite } from './support/test-site.ts'

const TRICKLING_BODIES = 200
const TRICKLING_HEADERS = 50

interface Trickler {
  /** What the server sent back before it closed the connection (a 408, or nothing). */
  readonly answer: Promise<string>
  stop(): void
}

/** A client that sends `head` at once (if any), then `drip` one byte every `everyMs` until the server closes. */
function trickle(port: number, head: string, drip: string, everyMs: number): Trickler {
  const socket = net.connect(port, '127.0.0.1')
  let received = ''
  let timer: NodeJS.Timeout | undefined
  socket.setEncoding('latin1')
  socket.on('data', (s: string) => (received += s))
  socket.on('error', () => {})
  const answer = new Promise<string>((resolve) => socket.once('close', () => resolve(received)))
  socket.once('connect', () => {
    if (head) socket.write(head)
    let i = 0
    timer = setInterval(() => {
      if (socket.destroyed) return clearInterval(timer)
      socket.write(drip[i++ % drip.length]!)
    }, everyMs)
  })
  void answer.finally(() => clearInterval(timer))
  return { answer, stop: () => socket.destroy() }
}

describe('slow clients', () => {
  test(`${TRICKLING_BODIES} trickled bodies and ${TRICKLING_HEADERS} trickled headers are cut off by the timeouts, and the site answers meanwhile`, { timeout: 60_000 }, async (ctx) => {
    const t = await testSite(ctx, { server: { timeouts: { headers: 1500, request: 3000, idle: 2500, checkEvery: 250 } } })
    const article = await t.factories.article()
    const port = Number(new URL(t.url).port)
    const bodyHead = 'POST /comments HTTP/1.1\r\nHost: news.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n'
    const tricklers: Trickler[] = []
    ctx.after(() => tricklers.forEach((c) => c.stop()))
    for (let i = 0; i < TRICKLING_BODIES; i++) tricklers.push(trickle(port, bodyHead, 'content=aaaaaaaaaaaaaa', 200))
    for (let i = 0; i < TRICKLING_HEADERS; i++) tricklers.push(trickle(port, '', 'GET / HTTP/1.1\r\nHost: news.test\r\nX-Slow: ' + 'z'.repeat(10_000), 200))
    await new Promise((resolve) => setTimeout(resolve, 500)) // all of them connected and dribbling

    const open = await new Promise<number>((resolve, reject) => t.app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))))
    assert.ok(open >= TRICKLING_BODIES, `the slow clients are connected (${open} connections)`)
    const health = await fetch(`${t.url}/healthz`)
    assert.equal(health.status, 200, '/healthz answers while the slow clients hold their connections')
    assert.equal((await fetch(`${t.url}${article.path}`)).status, 200, 'an article page answers too')

    const answers = await Promise.all(tricklers.map((c) => c.answer))
    // Every one was closed by the server (the test's own timeout would fail it otherwise); none got anything but a 408.
    for (const answer of answers) assert.ok(answer === '' || answer.startsWith('HTTP/1.1 408'), `a slow client was answered ${JSON.stringify(answer.slice(0, 40))}`)
    assert.ok(answers.filter((a) => a.startsWith('HTTP/1.1 408')).length >= TRICKLING_BODIES, 'the trickled bodies are told 408 Request Timeout')
    const left = await new Promise<number>((resolve, reject) => t.app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))))
    assert.ok(left < 5, `the server holds no slow connection afterwards (${left} open)`)
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200)
    const comments = await t.site.db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(comments.n), 0, 'no trickled comment was half taken')
  })
})
