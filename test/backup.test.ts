/**
 * Backups under write load, on each engine, with real processes: `broadsheet serve` (a child
 * process) takes a steady flood of comments over HTTP while `broadsheet backup FILE` (another
 * child process) copies the site; `broadsheet restore FILE` puts the copy into a fresh data folder
 * and an empty database. Every comment acknowledged before the backup started must be there, the
 * restored database must pass its integrity check, and the images must be back, byte for byte,
 * and served. Restoring over a site without --force, and restoring a truncated or corrupted file,
 * are refused with exit 1 and one line, and change nothing.
 *
 * On PostgreSQL the copy is `pg_dump --format=custom` and `pg_restore` (Debian's
 * postgresql-client). pg_dump refuses a server newer than itself: when the installed client's
 * major version is older than the server's, the test checks that `broadsheet backup` says so in
 * one line with exit 1, and skips the rest with a printed reason (in CI it fails instead).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test, type TestContext } from 'node:test'
import pg from 'pg'
import { loadConfig } from '../src/config/config.ts'
import { mediaFolderOf } from '../src/media/media-storage.ts'
import { openStorage } from '../src/storage/database.ts'
import { integrityProblems } from '../src/storage/integrity.ts'
import { runCli, spawnCli, type CliResult } from './support/cli.ts'
import { DIALECTS, POSTGRES_ADMIN_URL, type Dialect } from './support/dialects.ts'
import { jpegWithGps } from './support/images.ts'
import { listedArticles, processSite, type ProcessSite } from './support/process-site.ts'
import { startServerProcess, type ServerProcess } from './support/server-process.ts'
import { createPostgresDatabase, type TestDatabase } from './support/test-site.ts'
import { adminApi, floodComments } from './support/traffic.ts'

const WRITERS = 4
const LABEL = 'Backup under load'

/** The major version of the installed pg_dump and of the server; undefined where one cannot be read. */
async function postgresVersions(): Promise<{ client: number | undefined; server: number | undefined }> {
  const out = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' })
  const client = out.status === 0 ? Number(/\(PostgreSQL\)\s+(\d+)/.exec(out.stdout)?.[1]) || undefined : undefined
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await admin.connect()
  try {
    const { rows } = await admin.query<{ v: string }>("select current_setting('server_version_num') as v")
    return { client, server: Math.floor(Number(rows[0]!.v) / 10_000) }
  } finally {
    await admin.end()
  }
}

/** Fails in CI, where the tools must be right; elsewhere skips with the reason printed. */
function cannotRun(ctx: TestContext, reason: string): void {
  if (process.env.CI) assert.fail(reason)
  console.log(`# SKIPPING the rest of this PostgreSQL backup test: ${reason}`)
  ctx.skip(reason)
}

/** What the CLI promises on failure: exit 1 and one line on stderr. */
function assertRefused(result: CliResult, pattern: RegExp, what: string): void {
  assert.equal(result.code, 1, `${what}: exit code ${result.code}; stderr: ${result.stderr}`)
  const lines = result.stderr.trim().split('\n')
  assert.equal(lines.length, 1, `${what}: one line on stderr, not ${JSON.stringify(result.stderr)}`)
  assert.match(lines[0]!, pattern, `${what}: the line says why`)
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/** The image files of a data folder, by name, with a hash of their bytes. */
function mediaOf(dataDir: string): Map<string, string> {
  const folder = mediaFolderOf(dataDir)
  if (!fs.existsSync(folder)) return new Map()
  return new Map(fs.readdirSync(folder).sort().map((name) => [name, sha256(path.join(folder, name))]))
}

/** A fresh data folder and an empty database (SQLite: no file yet; PostgreSQL: a `createdb`), for the restore. */
async function emptySite(dialect: Dialect): Promise<{ env: Record<string, string>; dataDir: string; remove(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-restored-'))
  const database: TestDatabase = dialect === 'postgres' ? await createPostgresDatabase() : { url: `sqlite:${path.join(dataDir, 'broadsheet.db')}`, drop: async () => {} }
  return {
    env: { BROADSHEET_DATA: dataDir, BROADSHEET_DEMO: '0', DATABASE_URL: database.url, BROADSHEET_URL: 'http://news.test' },
    dataDir,
    async remove() {
      await database.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** What a site holds, read from its database: the flood's comments, the integrity check, counts that must not change. */
async function inspect(dialect: Dialect, env: Record<string, string>): Promise<{ comments: Set<string>; integrity: string[]; articles: number; users: number }> {
  const config = loadConfig(env)
  if (dialect === 'postgres' && config.database.kind === 'postgres') {
    const client = new pg.Client({ connectionString: config.database.url })
    await client.connect()
    await client.query('create extension if not exists amcheck').finally(() => client.end())
  }
  const storage = await openStorage(config.database)
  try {
    const { db } = storage
    const stored = await db.selectFrom('comments').select('content_markdown').where('content_markdown', 'like', `${LABEL}%`).execute()
    const count = async (table: 'articles' | 'users') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    return { comments: new Set(stored.map((c) => c.content_markdown)), integrity: await integrityProblems(db, storage.capabilities), articles: await count('articles'), users: await count('users') }
  } finally {
    await storage.close()
  }
}

for (const dialect of DIALECTS) {
  test(`on ${dialect}, a backup taken while comments pour in restores every comment acknowledged before it, and the images`, async (ctx) => {
    if (dialect === 'postgres') {
      const { client, server } = await postgresVersions()
      ctx.diagnostic(`pg_dump ${client ?? 'not installed'}, server ${server}`)
      if (client === undefined) return cannotRun(ctx, 'pg_dump is not installed (Debian: apt-get install postgresql-client)')
      if (client < server!) {
        // pg_dump cannot read a newer server: the backup must say so, not write a bad file.
        const site = await processSite(dialect)
        try {
          const file = path.join(site.dataDir, 'refused.tar.gz')
          assertRefused(await spawnCli(['backup', file], site.env), /pg_dump failed .*version mismatch/i, 'a backup with an older pg_dump')
          assert.equal(fs.existsSync(file), false, 'no backup file is left behind')
        } finally {
          await site.remove()
        }
        return cannotRun(ctx, `pg_dump ${client} is older than the server (${server}); install postgresql-client-${server}`)
      }
    }

    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-backup-'))
    const site: ProcessSite = await processSite(dialect)
    const restored = await emptySite(dialect)
    let server: ServerProcess | undefined
    try {
      // An image, added as a newsroom adds one, so the media folder has files to carry.
      const photo = path.join(work, 'quay.jpg')
      fs.writeFileSync(photo, await jpegWithGps(1200, 800))
      const added = await runCli(['media', 'add', photo, '--alt', 'The quay at high tide'], site.env)
      assert.equal(added.code, 0, added.stderr)
      const imageUrl = /https?:\/\/\S+\/media\/\S+/.exec(added.stdout)?.[0]
      assert.ok(imageUrl, `media add printed the image's URL: ${added.stdout}`)
      const media = mediaOf(site.dataDir)
      assert.ok(media.size > 0, 'the image and its variants are in the media folder')

      server = await startServerProcess(site.env)
      const raised = await adminApi(server.url, site.token, 'PATCH', '/api/v1/admin/settings', { commentRateLimitPerMinute: 100_000 })
      assert.equal(raised.status, 200, `raising the comment rate limit answered ${raised.status}`)
      const articles = await listedArticles(server.url)
      const flood = floodComments(server.url, articles.map((a) => a.id), { writers: WRITERS, label: LABEL })
      await flood.flowing
      await new Promise((r) => setTimeout(r, 1000))

      // What was acknowledged before the backup started is what the backup owes.
      const owed = [...flood.acknowledged]
      const file = path.join(work, 'site.tar.gz')
      const started = Date.now()
      const backup = await spawnCli(['backup', file], site.env)
      const backupMs = Date.now() - started
      const duringBackup = flood.acknowledged.length - owed.length
      await new Promise((r) => setTimeout(r, 300))
      await flood.stop()
      await server.stop()
      server = undefined
      assert.equal(backup.code, 0, `broadsheet backup failed: ${backup.stderr}`)
      assert.match(backup.stdout, /^backup written: .*\(.*database, \d+ image files, [\d.]+ MB\)\n$/, 'the backup says what it wrote')
      ctx.diagnostic(
        `${dialect}: ${owed.length} comments acknowledged before the backup started, ${duringBackup} while it ran (${backupMs} ms), ` +
          `${flood.acknowledged.length} in all; ${(fs.statSync(file).size / 1024).toFixed(0)} KB`,
      )

      // Into a fresh folder and an empty database.
      const restore = await spawnCli(['restore', file], restored.env)
      assert.equal(restore.code, 0, `broadsheet restore failed: ${restore.stderr}`)
      assert.match(restore.stdout, /^restored .*, taken .* \(.* database, \d+ image files\)\n$/, 'the restore says what it restored')
      const found = await inspect(dialect, restored.env)
      assert.deepEqual(found.integrity, [], `the restored ${dialect} database checks clean`)
      const missing = owed.filter((c) => !found.comments.has(c))
      assert.deepEqual(missing, [], `every comment acknowledged before the backup started is in the restored site (${owed.length} owed)`)
      const extra = [...found.comments].filter((c) => !flood.acknowledged.includes(c)).length
      assert.ok(extra <= WRITERS, `at most one comment per writer was in flight when the server stopped, stored without an answer (found ${extra})`)
      assert.deepEqual(mediaOf(restored.dataDir), media, 'every image file is back, byte for byte')
      ctx.diagnostic(`${dialect}: ${found.comments.size} of the flood's comments in the restored site; ${owed.length - missing.length} of ${owed.length} owed; ${media.size} image files back`)

      // The restored site runs: it lists the articles and serves the image.
      server = await startServerProcess(restored.env)
      const relisted = await listedArticles(server.url)
      assert.deepEqual(relisted.map((a) => a.id).sort(), articles.map((a) => a.id).sort(), 'the restored site lists the same articles')
      const image = await fetch(server.url + new URL(imageUrl).pathname)
      assert.equal(image.status, 200, 'the restored site serves the image')
      await server.stop()
      server = undefined

      // Over a site that is there, without --force: refused, nothing touched.
      const before = await inspect(dialect, restored.env)
      assertRefused(await spawnCli(['restore', file], restored.env), /already holds a site.*--force/, 'a restore over a site without --force')

      // A truncated file and a corrupted one, even with --force: refused with a clear line, nothing lost.
      const truncated = path.join(work, 'truncated.tar.gz')
      const bytes = fs.readFileSync(file)
      fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)))
      assertRefused(await spawnCli(['restore', truncated, '--force'], restored.env), /is not a Broadsheet backup: it cannot be read as a gzipped tar archive/, 'a truncated backup')
      const corrupted = path.join(work, 'corrupted.tar.gz')
      const flipped = Buffer.from(bytes)
      for (let i = Math.floor(flipped.length / 3); i < flipped.length - 16; i += 997) flipped[i] = flipped[i]! ^ 0xff
      fs.writeFileSync(corrupted, flipped)
      assertRefused(await spawnCli(['restore', corrupted, '--force'], restored.env), /is not a Broadsheet backup/, 'a corrupted backup')
      const notBackup = path.join(work, 'notes.txt')
      fs.writeFileSync(notBackup, 'minutes of the council meeting\n')
      assertRefused(await spawnCli(['restore', notBackup, '--force'], restored.env), /is not a Broadsheet backup/, 'a file that is no backup at all')

      const after = await inspect(dialect, restored.env)
      assert.deepEqual(after.integrity, [], 'the site still checks clean after the refused restores')
      assert.deepEqual([...after.comments].sort(), [...before.comments].sort(), 'the refused restores lost no comment')
      assert.equal(after.articles, before.articles, 'the refused restores lost no article')
      assert.equal(after.users, before.users, 'the refused restores lost no user')
      assert.deepEqual(mediaOf(restored.dataDir), media, 'the refused restores left the images as they were')

      // With --force, the good file replaces the site that is there.
      const forced = await spawnCli(['restore', file, '--force'], restored.env)
      assert.equal(forced.code, 0, `restore --force failed: ${forced.stderr}`)
      assert.match(forced.stdout, /replacing the site that was there/, 'the forced restore says it replaced a site')
      const replaced = await inspect(dialect, restored.env)
      assert.deepEqual(replaced.integrity, [], 'the site checks clean after the forced restore')
      assert.deepEqual([...replaced.comments].sort(), [...before.comments].sort(), 'the forced restore holds the same comments')
    } finally {
      await server?.kill()
      await restored.remove()
      await site.remove()
      fs.rmSync(work, { recursive: true, force: true })
    }
  })
}
