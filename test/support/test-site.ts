/**
 * @module A real site for tests: a fresh SQLite file in a temporary folder, or a fresh
 * PostgreSQL database, migrated, with the real services and (optionally) the real HTTP server
 * listening on loopback.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { saveArticle, type Article } from '../../src/articles/articles.ts'
import { articlePath } from '../../src/articles/permalinks.ts'
import { addUser, createApiToken } from '../../src/accounts/users.ts'
import type { Role } from '../../src/accounts/authors.ts'
import type { ArticleInput } from '../../src/articles/schema.ts'
import { loadConfig } from '../../src/config/config.ts'
import { updateSettings, type SiteSettings } from '../../src/settings/settings.ts'
import { openSite, type Site } from '../../src/site.ts'
import { buildServer } from '../../src/web/server.ts'
import { POSTGRES_ADMIN_URL, type Dialect } from './dialects.ts'

export interface TestSite {
  readonly site: Site
  readonly dialect: Dialect
  readonly dataDir: string
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly app: FastifyInstance
  /** The clock the server uses; tests may set it. */
  now: Date
  publish(input: Partial<ArticleInput> & { title: string }): ReturnType<typeof saveArticle>
  settings(changes: Partial<SiteSettings>): Promise<SiteSettings>
  /** The permalink path of a published article under the default structure. */
  pathOf(article: Article): string
  /** A new user with this role and an admin API token for them. */
  staffToken(role: Role): Promise<string>
  get(pathname: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

export interface TestSiteOptions {
  readonly dialect?: Dialect
  readonly env?: Record<string, string>
}

/** Starts a site with an empty database of the given engine and its server on a free port. */
export async function testSite(options: TestSiteOptions = {}): Promise<TestSite> {
  const dialect = options.dialect ?? 'sqlite'
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-test-'))
  const pgDatabase = dialect === 'postgres' ? await createPostgresDatabase() : undefined
  const config = loadConfig({
    BROADSHEET_DATA: dataDir,
    BROADSHEET_DEMO: '0',
    PORT: '0',
    BROADSHEET_URL: 'http://news.test',
    ...(pgDatabase && { DATABASE_URL: pgDatabase.url }),
    ...options.env,
  })
  const state = { now: new Date() }
  const site = await openSite(config, { now: () => state.now })
  const app = await buildServer(site, { logLevel: 'silent' })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const test: TestSite = {
    site,
    dialect,
    dataDir,
    url: address,
    app,
    get now() {
      return state.now
    },
    set now(value: Date) {
      state.now = value
    },
    publish: (input) => saveArticle(site.db, { body: 'A story.', ...input }, new Date(state.now.getTime() - 1000)),
    settings: (changes) => updateSettings(site.db, changes),
    async staffToken(role) {
      const email = `${role}-${randomBytes(3).toString('hex')}@news.test`
      await addUser(site.db, { email, name: `${role} ${email.slice(-14, -10)}`, role })
      return createApiToken(site.db, email)
    },
    pathOf: (article) => articlePath('/%year%/%monthnum%/%day%/%postname%/', { ...article, publishedAt: article.publishedAt! }),
    get: (pathname, init) => fetch(address + pathname, { redirect: 'manual', ...init }),
    async close() {
      await app.close()
      await site.close()
      if (pgDatabase) await pgDatabase.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return test
}

/** A fresh, empty PostgreSQL database for one test site. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `broadsheet_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
