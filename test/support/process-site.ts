/**
 * @module A site for a server in its own process (`broadsheet serve`): its database and data
 * folder, three published articles and an administrator's API token, made with the real command.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runCli } from './cli.ts'
import type { Dialect } from './dialects.ts'
import { migratedDatabase } from './test-site.ts'

export interface ProcessSite {
  /** BROADSHEET_DATA, DATABASE_URL and the rest, for `broadsheet` commands and `startServerProcess`. */
  readonly env: Record<string, string>
  readonly dataDir: string
  /** DATABASE_URL. */
  readonly databaseUrl: string
  /** An administrator's bearer token. */
  readonly token: string
  /** Drops the database and removes the data folder. */
  remove(): Promise<void>
}

export const SEEDED_HEADLINES = ['Library opening hours cut', 'Ferry timetable changes in spring', 'New crossing for the school road'] as const

/** A new site of this engine; with `seed` (the default), three articles and an administrator. */
export async function processSite(dialect: Dialect, options: { seed?: boolean } = {}): Promise<ProcessSite> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-process-'))
  const database = await migratedDatabase(dialect, dataDir)
  const env = { BROADSHEET_DATA: dataDir, BROADSHEET_DEMO: '0', DATABASE_URL: database.url, BROADSHEET_URL: 'http://news.test' }
  const remove = async () => {
    await database.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    const token = options.seed === false ? '' : await seed(dataDir, env)
    return { env, dataDir, databaseUrl: database.url, token, remove }
  } catch (error) {
    await remove()
    throw error
  }
}

async function seed(dir: string, env: Record<string, string>): Promise<string> {
  for (const [i, title] of SEEDED_HEADLINES.entries()) {
    const file = path.join(dir, `story-${i}.md`)
    const date = new Date(Date.now() - (i + 1) * 86_400_000).toISOString()
    fs.writeFileSync(file, `---\ntitle: ${title}\ndate: ${date}\nauthor: Desk Reporter\nstatus: published\n---\nThe council decided on Thursday. Readers have views.\n`)
    const published = await runCli(['publish', file], env)
    assert.equal(published.code, 0, published.stderr)
    fs.rmSync(file)
  }
  const added = await runCli(['user', 'add', '--email', 'editor@example.org', '--name', 'Duty Editor', '--role', 'administrator'], env)
  assert.equal(added.code, 0, added.stderr)
  const token = await runCli(['token', 'create', '--email', 'editor@example.org'], env)
  assert.equal(token.code, 0, token.stderr)
  return token.stdout.trim()
}

/** The published articles as the public API lists them: id and permalink path. */
export async function listedArticles(base: string): Promise<{ id: number; path: string; comment_count: number }[]> {
  const listed = (await (await fetch(`${base}/api/v1/articles`)).json()) as { articles: { id: number; url: string; comment_count: number }[] }
  return listed.articles.map((a) => ({ id: a.id, path: new URL(a.url).pathname, comment_count: a.comment_count }))
}
