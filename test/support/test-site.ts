/**
 * @module A real site for tests: a fresh SQLite file in a temporary folder, or a fresh
 * PostgreSQL database, migrated, with the real services and the real HTTP server listening on
 * loopback, and factories that make the data a test needs.
 *
 * A test owns its site: `const t = await testSite(ctx, { dialect })` inside the test, and the
 * site is closed and its database dropped when that test ends (the node:test context's `after`).
 * New databases are copies of a migrated template made once per test process, so a site costs
 * what copying a database costs, not what migrating one does.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { after, type TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import type { Article, SavedArticle } from '../../src/articles/articles.ts'
import { articlePath } from '../../src/articles/permalinks.ts'
import type { Role } from '../../src/accounts/authors.ts'
import type { ArticleInput } from '../../src/articles/schema.ts'
import { loadConfig } from '../../src/config/config.ts'
import { applyRetention, type RetentionOptions, type RetentionResult } from '../../src/privacy/retention.ts'
import { readSettings, updateSettings, type SiteSettings } from '../../src/settings/settings.ts'
import { openSite, type Site } from '../../src/site.ts'
import { migrateToLatest, openStorage, type Storage } from '../../src/storage/database.ts'
import { buildServer, type ServerOptions } from '../../src/web/server.ts'
import { commentIdFrom, postForm } from './comments.ts'
import { POSTGRES_ADMIN_URL, type Dialect } from './dialects.ts'
import { bindFactories, type Commenter, type Factories, type TestArticle } from './factories.ts'

export interface TestSite {
  readonly site: Site
  readonly dialect: Dialect
  readonly dataDir: string
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly app: FastifyInstance
  /** What the site runs on: the environment it was opened with (DATABASE_URL included). */
  readonly env: Readonly<Record<string, string>>
  /** The clock the server uses; tests may set it. */
  now: Date
  /** Data made to order for this site: articles, commenters, staff, comments. */
  readonly factories: Factories
  publish(input: Partial<ArticleInput> & { title: string; id?: number }): Promise<SavedArticle>
  settings(changes: Partial<SiteSettings>): Promise<SiteSettings>
  /** The permalink path of a published article under the default structure. */
  pathOf(article: Article): string
  /** A new user with this role and an admin API token for them. */
  staffToken(role: Role): Promise<string>
  get(pathname: string, init?: RequestInit): Promise<Response>
  /** A JSON request to the API, with a bearer token when one is given; an object body is sent as JSON. */
  api(pathname: string, init?: ApiInit): Promise<Response>
  /** Posts the article's comment form as a reader's browser does (see support/comments.ts). */
  comment(article: TestArticle, fields?: CommentFields): Promise<PostedByForm>
  /** Looks into the database for what no HTTP answer shows. */
  readonly stored: StoredFacts
  /** Runs the site's background jobs now, on the site's clock. */
  readonly jobs: { retention(options?: RetentionOptions): Promise<RetentionResult> }
  close(): Promise<void>
}

/** The comment form's fields a test may set; `as` fills in the commenter's name, e-mail and website. */
export interface CommentFields {
  /** With `trust` (an approved commenter's), their browser's trust cookie is sent too. */
  readonly as?: Commenter & { readonly trust?: string }
  readonly author?: string
  readonly email?: string
  readonly url?: string
  readonly content?: string
  readonly parent_id?: string
  readonly remember?: string
  readonly notify_replies?: string
}

export interface ApiInit extends Omit<RequestInit, 'body'> {
  readonly token?: string
  readonly body?: unknown
}

/** A comment posted through the form: the 303's target says whether it shows at once. */
export interface PostedByForm {
  readonly response: Response
  /** `approved`: shown at once (the redirect names it); `held`: "awaiting moderation" (pending, spam or trash). */
  readonly status: 'approved' | 'held' | 'refused'
  /** The comment's id when the redirect names it (approved comments). */
  readonly id: number | undefined
}

export interface StoredFacts {
  /** How many spam-reputation entries of this kind the site keeps. */
  reputationEntries(kind: 'ip' | 'email' | 'url_domain' | 'link_domain'): Promise<number>
  /** The stored IP address and user agent of a comment. */
  commentTraces(id: number): Promise<{ author_ip: string | null; user_agent: string | null }>
}

export interface TestSiteOptions {
  readonly dialect?: Dialect
  readonly env?: Record<string, string>
  /** The server's options (its log, its timeouts); silent logs and default timeouts otherwise. */
  readonly server?: ServerOptions
}

/**
 * Starts a site with an empty, migrated database of the given engine and its server on a free port.
 * Given the test's context, the site is closed when the test ends; without it, call `close()`.
 * @example
 * test('a returning commenter is approved at once', async (ctx) => {
 *   const t = await testSite(ctx, { dialect })
 *   const article = await t.factories.article()
 * })
 */
export async function testSite(options?: TestSiteOptions): Promise<TestSite>
export async function testSite(context: TestContext, options?: TestSiteOptions): Promise<TestSite>
export async function testSite(first: TestContext | TestSiteOptions = {}, second: TestSiteOptions = {}): Promise<TestSite> {
  const context = isTestContext(first) ? first : undefined
  const options = isTestContext(first) ? second : first
  const t = await startSite(options)
  context?.after(() => t.close())
  return t
}

function isTestContext(value: unknown): value is TestContext {
  return typeof value === 'object' && value !== null && typeof (value as TestContext).after === 'function' && typeof (value as TestContext).diagnostic === 'function'
}

async function startSite(options: TestSiteOptions): Promise<TestSite> {
  const dialect = options.dialect ?? 'sqlite'
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-test-'))
  const database = await migratedDatabase(dialect, dataDir)
  const env = {
    BROADSHEET_DATA: dataDir,
    BROADSHEET_DEMO: '0',
    PORT: '0',
    BROADSHEET_URL: 'http://news.test',
    DATABASE_URL: database.url,
    // Off unless a test asks (or BROADSHEET_PAGE_CACHE_MB is set for the run): most tests write
    // through the services directly and read at once, which on PostgreSQL can come before the
    // notification of their change; test/page-cache.test.ts turns it on.
    BROADSHEET_PAGE_CACHE_MB: process.env.BROADSHEET_PAGE_CACHE_MB ?? '0',
    ...options.env,
  }
  const state = { now: new Date() }
  const site = await openSite(loadConfig(env), { now: () => state.now })
  const app = await buildServer(site, { logLevel: 'silent', ...options.server })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  let closed = false
  const t: TestSite = {
    site,
    dialect,
    dataDir,
    url: address,
    app,
    env,
    get now() {
      return state.now
    },
    set now(value: Date) {
      state.now = value
    },
    factories: undefined as unknown as Factories,
    publish: (input) => site.services.articles.save({ body: 'A story.', ...input }, new Date(state.now.getTime() - 1000)),
    settings: (changes) => updateSettings(site.db, changes),
    staffToken: async (role) => (await t.factories.staff(role)).token,
    pathOf: (article) => articlePath('/%year%/%monthnum%/%day%/%postname%/', { ...article, publishedAt: article.publishedAt! }),
    get: (pathname, init) => fetch(address + pathname, { redirect: 'manual', ...init }),
    api: (pathname, { token, body, headers, ...init } = {}) =>
      fetch(address + pathname, {
        redirect: 'manual',
        ...init,
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...headers },
      }),
    async comment(article, { as, ...fields } = {}) {
      const response = await postForm(t, article.path, { ...(as && { author: as.author, email: as.email, url: as.url }), ...fields }, 45, as?.trust)
      const location = response.headers.get('location') ?? ''
      const id = commentIdFrom(location)
      const status = response.status !== 303 ? 'refused' : id !== undefined ? 'approved' : 'held'
      return { response, status, id }
    },
    stored: {
      async reputationEntries(kind) {
        const row = await site.db.selectFrom('spam_reputation').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', kind).executeTakeFirstOrThrow()
        return Number(row.n)
      },
      commentTraces: (id) => site.db.selectFrom('comments').select(['author_ip', 'user_agent']).where('id', '=', id).executeTakeFirstOrThrow(),
    },
    jobs: {
      retention: (options) => site.services.privacy.applyRetention(options),
    },
    async close() {
      if (closed) return
      closed = true
      await app.close()
      await site.close()
      await database.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  ;(t as { factories: Factories }).factories = bindFactories(t)
  return t
}

export interface TestDatabase {
  /** DATABASE_URL for it. */
  readonly url: string
  drop(): Promise<void>
}

/**
 * A new, migrated, empty database of this engine (an SQLite file in `dataDir`), copied from the
 * process's template, for a test that runs the site in a process of its own.
 */
export async function migratedDatabase(dialect: Dialect, dataDir: string): Promise<TestDatabase> {
  return dialect === 'postgres' ? postgresDatabaseFromTemplate() : sqliteDatabaseFromTemplate(dataDir)
}

// ---- SQLite: a migrated file made once per process, copied for each site. ----

let sqliteTemplate: string | undefined

async function makeSqliteTemplate(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-template-'))
  const file = path.join(dir, 'template.db')
  const storage = await openStorage({ kind: 'sqlite', file })
  await migrateToLatest(storage.db)
  await storage.close() // the last connection to close folds the WAL back into the file
  after(() => fs.rmSync(dir, { recursive: true, force: true }))
  return file
}

// The template is made at import (top-level await) so that its clean-up is a hook of the whole
// file, not of whichever test happened to need it first.
sqliteTemplate = await makeSqliteTemplate()

function sqliteDatabaseFromTemplate(dataDir: string): TestDatabase {
  const file = path.join(dataDir, 'broadsheet.db')
  fs.copyFileSync(sqliteTemplate!, file)
  return { url: `sqlite:${file}`, drop: async () => {} }
}

// ---- PostgreSQL: a migrated template database per process, `CREATE DATABASE … TEMPLATE` per site. ----

/**
 * Names carry the process id, so test files running at once (each in its own process) never
 * share a template, and a template or database left behind by a killed process can be told
 * from one still in use.
 */
const TEST_DATABASE_RE = /^broadsheet_(?:test|tmpl)_(\d+)_[0-9a-f]+$/
let postgresTemplate: Promise<string> | undefined

// Registered at import, so it is a hook of the whole file (registered inside a test, it would run
// when that test ended).
after(async () => {
  const name = await postgresTemplate?.catch(() => undefined)
  if (name) await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`))
})

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await admin.connect()
  try {
    return await work(admin)
  } finally {
    await admin.end().catch(() => {})
  }
}

function urlOf(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Drops test databases and templates whose process is gone (killed runs leave them behind). */
async function dropOrphans(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'broadsheet\\_%'`)
  for (const { datname } of rows) {
    const pid = Number(TEST_DATABASE_RE.exec(datname)?.[1])
    if (pid && pid !== process.pid && !processAlive(pid)) await admin.query(`drop database if exists ${datname} with (force)`).catch(() => {})
  }
}

function templateDatabase(): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `broadsheet_tmpl_${process.pid}_${randomBytes(4).toString('hex')}`
    await withAdmin(async (admin) => {
      await dropOrphans(admin)
      await admin.query(`create database ${name}`)
    })
    const storage = await openStorage({ kind: 'postgres', url: urlOf(name) })
    try {
      await migrateToLatest(storage.db)
    } finally {
      await storage.close()
    }
    return name
  })()
  return postgresTemplate
}

async function postgresDatabaseFromTemplate(): Promise<TestDatabase> {
  const template = await templateDatabase()
  const name = `broadsheet_test_${process.pid}_${randomBytes(4).toString('hex')}`
  await withAdmin(async (admin) => {
    // A connection to the template that has only just closed can linger for a moment.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`)
        return
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  })
  return { url: urlOf(name), drop: () => dropDatabase(name) }
}

/**
 * Drops a test database once the site's connections have gone. A pool's end() resolves before
 * its sockets have closed; forcing the drop at once would kill those backends mid-goodbye (and
 * the pool reports each as a closed idle connection), so force is only the last resort.
 */
async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (admin) => {
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        await admin.query(`drop database if exists ${name}`)
        return
      } catch (error) {
        if ((error as { code?: string }).code !== '55006') throw error
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
    await admin.query(`drop database if exists ${name} with (force)`)
  })
}

/** A fresh, empty (unmigrated) PostgreSQL database, for tests of the migrations themselves. */
/**
 * A new, empty (unmigrated) database of this engine, opened as the site opens one, closed and
 * removed when the test ends. `file`: the SQLite file's path inside a new folder.
 */
export async function freshStorage(ctx: TestContext, dialect: Dialect, file = 'site.db'): Promise<Storage> {
  if (dialect === 'postgres') {
    const database = await createPostgresDatabase()
    const storage = await openStorage({ kind: 'postgres', url: database.url })
    ctx.after(async () => {
      await storage.close()
      await database.drop()
    })
    return storage
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-storage-'))
  const storage = await openStorage({ kind: 'sqlite', file: path.join(dir, file) })
  ctx.after(async () => {
    await storage.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  return storage
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `broadsheet_test_${process.pid}_${randomBytes(4).toString('hex')}`
  await withAdmin((admin) => admin.query(`create database ${name}`))
  return { url: urlOf(name), drop: () => dropDatabase(name) }
}
