import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { DEFAULT_THRESHOLDS, LinearModel } from '../src/spam/index.ts'
import { appendLogEntry } from '../src/spam-filter/spam-filter-store.ts'
import { SITE_SCOPE, SpamFilter } from '../src/spam-filter/spam-filter.ts'
import { migrateToLatest, openStorage } from '../src/storage/database.ts'

test('a learning-log entry made for another feature size is skipped, and the rest still learn', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-spam-filter-'))
  const storage = await openStorage({ kind: 'sqlite', file: path.join(dir, 'site.db') })
  try {
    await migrateToLatest(storage.db)
    // Logged by the version with 2^20 features (no size prefix): "ham", on the bias alone. Were
    // it replayed, every comment would lean to ham.
    const old = `${Buffer.from(new Uint32Array([0]).buffer).toString('base64')}.${Buffer.from(new Float32Array([1]).buffer).toString('base64')}`
    await appendLogEntry(storage.db, SITE_SCOPE, 'ham', old, new Date().toISOString())
    const filter = new SpamFilter(storage.db, () => new LinearModel())
    const sample = { comment_content: 'An ordinary remark about the council budget' }
    assert.equal((await filter.check(SITE_SCOPE, sample, {}, DEFAULT_THRESHOLDS)).verdict, 'spam', 'the old entry was not replayed: an empty model scores 0.5, which is spam')
    await filter.learn(SITE_SCOPE, sample, 'ham')
    assert.equal((await filter.check(SITE_SCOPE, sample, {}, DEFAULT_THRESHOLDS)).verdict, 'pass')
  } finally {
    await storage.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
