import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { ConfigError, loadConfig } from './config.ts'

test('with no environment the site runs on SQLite in ./data at 127.0.0.1:3000', () => {
  const config = loadConfig({})
  assert.equal(config.port, 3000)
  assert.equal(config.host, '127.0.0.1')
  assert.deepEqual(config.database, { kind: 'sqlite', file: path.resolve('data/broadsheet.db') })
  assert.equal(config.demo, true)
  assert.equal(config.baseUrl, 'http://127.0.0.1:3000')
})

test('DATABASE_URL chooses PostgreSQL or another SQLite file', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/news' }).database.kind, 'postgres')
  assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.db' }).database, { kind: 'sqlite', file: '/tmp/x.db' })
})

test('a malformed DATABASE_URL stops start-up with one line naming it, password hidden', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'mysql://root:secret@db/news' }),
    (e: Error) => e instanceof ConfigError && /^DATABASE_URL: /.test(e.message) && !e.message.includes('secret') && !e.message.includes('\n'),
  )
})

test('a bad PORT or BROADSHEET_URL is named in the error', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /^ConfigError: PORT: /)
  assert.throws(() => loadConfig({ BROADSHEET_URL: 'ftp://x' }), /BROADSHEET_URL: must be an http\(s\) URL/)
  assert.throws(() => loadConfig({ BROADSHEET_DEMO: 'maybe' }), /BROADSHEET_DEMO/)
})

test('the configuration cannot be changed once loaded', () => {
  const config = loadConfig({ PORT: '8080', BROADSHEET_URL: 'https://news.example.org/' })
  assert.equal(config.baseUrl, 'https://news.example.org')
  assert.throws(() => {
    ;(config as { port: number }).port = 1
  }, TypeError)
})

test('TRUST_PROXY takes a hop count or proxy addresses; anything else stops start-up naming it', () => {
  assert.deepEqual(loadConfig({}).trustProxy, { kind: 'none' })
  assert.deepEqual(loadConfig({ TRUST_PROXY: '1' }).trustProxy, { kind: 'hops', hops: 1 })
  assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::1' }).trustProxy, { kind: 'addresses', addresses: ['loopback', '10.0.0.0/8', '2001:db8::1'] })
  for (const bad of ['true', '*', '0', '11', '10.0.0.0/33', 'proxy.example.org']) {
    assert.throws(() => loadConfig({ TRUST_PROXY: bad }), (e: Error) => e instanceof ConfigError && e.message.startsWith('TRUST_PROXY: ') && !e.message.includes('\n'), bad)
  }
})
