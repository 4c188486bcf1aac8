import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { loadConfig } from '../src/config/config.ts'
import { openSite } from '../src/site.ts'
import { buildServer } from '../src/web/server.ts'
import { BIN, runCli, spawnCli } from './support/cli.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-cli-'))
after(() => fs.rmSync(dir, { recursive: true, force: true }))

const siteEnv = { BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0', BROADSHEET_URL: 'https://news.example.org' }
/** The command in this process, on this file's data folder. */
const broadsheet = (args: string[], env: Record<string, string> = {}) => runCli(args, { ...siteEnv, ...env })
/** The real binary in a child process, on this file's data folder. */
const broadsheetProcess = (args: string[], env: Record<string, string> = {}) => spawnCli(args, { ...siteEnv, ...env })

/** A port nothing listens on just now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function write(name: string, text: string): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

const lede = 'Promises of freedom and riches are made to convicts in cramped jail cells.'
const story = `---
title: Desperate Russia sending prison inmates to fight Ukraine
standfirst: The regular army is stretched thin.
date: 2022-08-08T09:00:00Z
author: Demo Desk
categories: [World]
tags: [Russia, Ukraine]
canonical_url: https://www.globaldefensecorp.com/2022/08/08/desperate-russia/
credits:
  - name: CNN
    role: Original reporting
    url: https://edition.cnn.com/
---
${lede}

Frantic phone calls ensue between relatives and inmates weighing the offer.

${lede}
`

test('publish prints the URL, warns about the repeated lede, and the page carries credit and canonical links', async () => {
  const result = await broadsheetProcess(['publish', write('story.md', story)])
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stdout, 'https://news.example.org/2022/08/08/desperate-russia-sending-prison-inmates-to-fight-ukraine/\n')
  assert.match(result.stderr, /warning: .*story\.md:18: this paragraph repeats the one at line 14/)

  const site = await openSite(loadConfig({ BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0', BROADSHEET_URL: 'https://news.example.org' }))
  const app = await buildServer(site, { logLevel: 'silent' })
  try {
    const res = await app.inject('/2022/08/08/desperate-russia-sending-prison-inmates-to-fight-ukraine/')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Original reporting: <a href="https:\/\/edition.cnn.com\/" rel="noopener">CNN<\/a>/)
    assert.match(res.body, /<link rel="canonical" href="https:\/\/www.globaldefensecorp.com\/2022\/08\/08\/desperate-russia\/">/)
  } finally {
    await app.close()
    await site.close()
  }
})

test('publishing the same slug again updates the story', async () => {
  const again = story.replace('title: Desperate Russia sending prison inmates to fight Ukraine', 'title: Second look at the prison recruits')
  const first = await broadsheet(['publish', write('story2.md', again)])
  assert.equal(first.code, 0, first.stderr)
  assert.doesNotMatch(first.stderr, /updated the existing article/)
  const result = await broadsheet(['publish', write('story2.md', again.replace('stretched thin', 'stretched very thin'))])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /updated the existing article/)
  assert.equal(result.stdout, first.stdout, 'the same URL')
})

test('bad front matter exits 1 with one line naming the field, and writes nothing', async () => {
  for (const [fm, field] of [
    ['standfirst: no title here', 'title'],
    ['title: Bad date\ndate: 31/31/2022', 'date'],
    ['title: Bad status\nstatus: live', 'status'],
    ['title: Bad credit\ncredits:\n  - role: Photo', 'credits.0.name'],
  ] as const) {
    const result = await broadsheet(['publish', write('bad.md', `---\n${fm}\n---\nBody\n`)])
    assert.equal(result.code, 1, fm)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    assert.match(result.stderr, new RegExp(`^broadsheet: ${field.replace('.', '\\.')}: `), result.stderr)
  }
  const listing = await broadsheet(['publish', write('ok.md', '---\ntitle: Only one more\n---\nBody\n')])
  assert.equal(listing.code, 0)
})

test('a database that cannot be opened exits 1 with one line naming it', async () => {
  write('story.md', story) // a file where the database's folder would have to be
  const result = await broadsheet(['migrate'], { DATABASE_URL: `sqlite:${path.join(dir, 'story.md', 'x.db')}` })
  assert.equal(result.code, 1)
  assert.match(result.stderr, /^broadsheet: cannot open SQLite database .*story\.md\/x\.db/)
  assert.equal(result.stderr.trim().split('\n').length, 1)
  const badUrl = await broadsheet(['migrate'], { DATABASE_URL: 'mysql://db/news' })
  assert.equal(badUrl.code, 1)
  assert.match(badUrl.stderr, /^broadsheet: DATABASE_URL: /)
})

test('bad usage exits 2', async () => {
  assert.equal((await broadsheet(['publish'])).code, 2)
  assert.equal((await broadsheet(['no-such-command'])).code, 2)
  assert.equal((await broadsheet(['--help'])).code, 0)
})

test('the real binary exits 0 with its help, 1 with one line for a failure, 2 for bad usage', async () => {
  write('story.md', story) // a file where the database's folder would have to be
  const [help, failure, usage] = await Promise.all([
    broadsheetProcess(['--help']),
    broadsheetProcess(['migrate'], { DATABASE_URL: `sqlite:${path.join(dir, 'story.md', 'x.db')}` }),
    broadsheetProcess(['no-such-command']),
  ])
  assert.equal(help.code, 0, help.stderr)
  for (const command of ['serve', 'migrate', 'publish', 'user', 'token', 'akismet-key', 'spam']) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'), command)
  assert.equal(failure.code, 1)
  assert.match(failure.stderr, /^broadsheet: cannot open SQLite database .*story\.md\/x\.db[^\n]*\n$/)
  assert.equal(usage.code, 2)
  assert.match(usage.stderr, /unknown command 'no-such-command'/)
})

test('the real binary serves the site (npm start), is ready, and on SIGTERM turns /readyz to 503 for its grace period, then stops cleanly', async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-serve-'))
  const port = await freePort()
  const env = { ...process.env, BROADSHEET_DATA: data, PORT: String(port), LOG_LEVEL: 'warn', BROADSHEET_SHUTDOWN_GRACE: '3' }
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s))
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  try {
    let front: Response | undefined
    for (let waited = 0; !front && waited < 30_000; waited += 50) {
      if (child.exitCode !== null) break
      front = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined)
      if (!front) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.ok(front, `no answer on port ${port}: ${output}`)
    assert.equal(front.status, 200)
    assert.match(await front.text(), /New flood barrier holds/, 'the front page lists the demo stories')
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200)
    assert.match(output, new RegExp(`Broadsheet is running at http://127\\.0\\.0\\.1:${port}/`))
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
    assert.equal(ready.status, 200)
    assert.deepEqual(await ready.json(), { status: 'ready' })
    child.kill('SIGTERM')
    let draining: Response | undefined
    for (let tries = 0; tries < 100; tries++) {
      draining = await fetch(`http://127.0.0.1:${port}/readyz`)
      if (draining.status !== 200) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    assert.equal(draining?.status, 503, 'a load balancer is told to stop sending')
    assert.deepEqual(await draining!.json(), { status: 'shutting_down' })
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200, 'and requests still in its way are served')
  } finally {
    if (!child.killed) child.kill('SIGTERM')
    assert.equal(await exited, 0, output)
    fs.rmSync(data, { recursive: true, force: true })
  }
})

test('the binary never runs a stale build: after an edit to src/ it rebuilds, and when it cannot build it runs src/ through tsx', async () => {
  // A copy of the project, so that editing its src/ cannot disturb other tests.
  const root = path.resolve(import.meta.dirname, '..')
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-build-'))
  try {
    for (const part of ['bin', 'scripts', 'src', 'package.json', 'tsconfig.json']) fs.cpSync(path.join(root, part), path.join(copy, part), { recursive: true })
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'))
    const help = () => spawnCli(['--help'], {}, path.join(copy, 'bin/broadsheet.js'))
    const retitle = (title: string) => {
      const file = path.join(copy, 'src/cli/main.ts')
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\.description\('[^']*'\)/, `.description('${title}')`))
    }

    const first = await help()
    assert.equal(first.code, 0, first.stderr)
    assert.ok(fs.existsSync(path.join(copy, 'build/cli/main.js')), 'the first run builds')

    retitle('Edited since the build')
    const edited = await help()
    assert.equal(edited.code, 0, edited.stderr)
    assert.match(edited.stdout, /Edited since the build/)
    assert.match(fs.readFileSync(path.join(copy, 'build/cli/main.js'), 'utf8'), /Edited since the build/, 'it rebuilt')

    fs.writeFileSync(path.join(copy, 'scripts/build.mjs'), "throw new Error('cannot build here')\n")
    retitle('Edited again, not buildable')
    const fallback = await help()
    assert.equal(fallback.code, 0, fallback.stderr)
    assert.match(fallback.stdout, /Edited again, not buildable/, 'tsx ran the edited source')
    assert.doesNotMatch(fs.readFileSync(path.join(copy, 'build/cli/main.js'), 'utf8'), /Edited again/)
  } finally {
    fs.rmSync(copy, { recursive: true, force: true })
  }
})
