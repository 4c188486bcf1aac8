import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { loadConfig } from '../src/config/config.ts'
import { openSite } from '../src/site.ts'
import { buildServer } from '../src/web/server.ts'

const root = path.resolve(import.meta.dirname, '..')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-cli-'))
after(() => fs.rmSync(dir, { recursive: true, force: true }))

function broadsheet(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/broadsheet.js'), ...args], {
    env: { ...process.env, BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0', BROADSHEET_URL: 'https://news.example.org', ...env },
    encoding: 'utf8',
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
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
  const result = broadsheet(['publish', write('story.md', story)])
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

test('publishing the same slug again updates the story', () => {
  const result = broadsheet(['publish', write('story2.md', story.replace('stretched thin', 'stretched very thin'))])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /updated the existing article/)
})

test('bad front matter exits 1 with one line naming the field, and writes nothing', () => {
  for (const [fm, field] of [
    ['standfirst: no title here', 'title'],
    ['title: Bad date\ndate: 31/31/2022', 'date'],
    ['title: Bad status\nstatus: live', 'status'],
    ['title: Bad credit\ncredits:\n  - role: Photo', 'credits.0.name'],
  ] as const) {
    const result = broadsheet(['publish', write('bad.md', `---\n${fm}\n---\nBody\n`)])
    assert.equal(result.code, 1, fm)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    assert.match(result.stderr, new RegExp(`^broadsheet: ${field.replace('.', '\\.')}: `), result.stderr)
  }
  const listing = broadsheet(['publish', write('ok.md', '---\ntitle: Only one more\n---\nBody\n')])
  assert.equal(listing.code, 0)
})

test('a database that cannot be opened exits 1 with one line naming it', () => {
  const result = broadsheet(['migrate'], { DATABASE_URL: `sqlite:${path.join(dir, 'story.md', 'x.db')}` })
  assert.equal(result.code, 1)
  assert.match(result.stderr, /^broadsheet: cannot open SQLite database .*story\.md\/x\.db/)
  assert.equal(result.stderr.trim().split('\n').length, 1)
  const badUrl = broadsheet(['migrate'], { DATABASE_URL: 'mysql://db/news' })
  assert.equal(badUrl.code, 1)
  assert.match(badUrl.stderr, /^broadsheet: DATABASE_URL: /)
})

test('bad usage exits 2', () => {
  assert.equal(broadsheet(['publish']).code, 2)
  assert.equal(broadsheet(['no-such-command']).code, 2)
  assert.equal(broadsheet(['--help']).code, 0)
})
