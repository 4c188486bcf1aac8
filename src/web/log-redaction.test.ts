import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadConfig } from '../config/config.ts'
import { openSite } from '../site.ts'
import { buildServer } from './server.ts'
import { redactHost, redactUrl } from './log-redaction.ts'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'

test('tokens and keys in query strings never reach the request log', async () => {
  assert.equal(redactUrl('/privacy/confirm?token=abc123&x=1'), '/privacy/confirm?token=[redacted]&x=1')
  assert.equal(redactUrl('/1.1/comment-check?api_key=k&blog=b'), '/1.1/comment-check?api_key=[redacted]&blog=b')
  assert.equal(redactUrl('/admin/setup?token=abc'), '/admin/setup?token=[redacted]')
  assert.equal(redactUrl('/admin/password-reset/abcDEF_-123'), '/admin/password-reset/[redacted]')
  assert.equal(redactHost('0123abcd.rest.akismet.com', '/1.1/comment-check'), '[redacted].rest.akismet.com')
  assert.equal(redactHost('0123abcd.localhost:8080', '/1.2/key-sites'), '[redacted].localhost:8080')
  assert.equal(redactHost('127.0.0.1:3000', '/1.1/verify-key'), '127.0.0.1:3000', 'an address names no key')
  assert.equal(redactHost('news.example.org', '/2026/12/02/story/'), 'news.example.org', 'other paths keep their host')

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-logs-'))
  const site = await openSite(loadConfig({ BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0' }))
  const lines: string[] = []
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done() } })
  const app = await buildServer(site, { logLevel: 'info', logStream: stream })
  try {
    await app.inject('/privacy/confirm?token=SECRET-TOKEN-VALUE')
    const log = lines.join('')
    assert.match(log, /"url":"\/privacy\/confirm\?token=\[redacted\]"/)
    assert.doesNotMatch(log, /SECRET-TOKEN-VALUE/)
  } finally {
    await app.close()
    await site.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
