/**
 * What a page costs as the archive grows: every kind of reader page and API list, served by the
 * real server (`broadsheet serve`, a child process) over the demo site and over a big archive
 * (`bench:seed`: 100,000 stories and 1,000,000 comments by default), in CPU time per request of
 * the server process (and, on PostgreSQL, of the database's own processes serving it), read from
 * the kernel's account (/proc) over a few hundred requests. Also: how long the first start on the
 * big database takes to answer /healthz.
 *
 *   npm run bench:scale [-- --engine sqlite|postgres --articles 100000 --comments 1000000 --requests 300]
 *
 * Target (issue 16): every page within 20% of its cost on the demo site.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { startServerProcess, type ServerProcess } from '../test/support/server-process.ts'
import { root } from './support.ts'

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    articles: { type: 'string', default: '100000' },
    comments: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '300' },
  },
})
const REQUESTS = Number(args.requests)
const ADMIN_URL = process.env.BROADSHEET_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const TICK_MS = 1000 / 100 // USER_HZ on Linux

interface Site {
  env: Record<string, string>
  database?: string
  remove(): Promise<void>
}

async function makeSite(label: string): Promise<Site> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `broadsheet-bench-scale-${label}-`))
  if (args.engine !== 'postgres') return { env: { BROADSHEET_DATA: dir }, remove: async () => fs.rmSync(dir, { recursive: true, force: true }) }
  const name = `broadsheet_bench_scale_${label}_${process.pid}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    env: { BROADSHEET_DATA: dir, DATABASE_URL: url.toString() },
    database: name,
    async remove() {
      const c = new pg.Client({ connectionString: ADMIN_URL })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Clock ticks of CPU (user + system) a process has used. */
function cpuTicks(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0 // a backend that has gone
  }
}

/** The database's server processes for this site, to count their CPU too. */
async function backends(database: string | undefined): Promise<number[]> {
  if (!database) return []
  const c = new pg.Client({ connectionString: ADMIN_URL })
  await c.connect()
  const { rows } = await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database])
  await c.end()
  return rows.map((r) => r.pid)
}

interface Cost {
  status: number
  bytes: number
  appMs: number
  dbMs: number
}

/** CPU per request for `pathname`, over REQUESTS requests four at a time, after ten to warm up. */
async function cost(server: ServerProcess, database: string | undefined, pathname: string): Promise<Cost> {
  let status = 0
  let bytes = 0
  const get = async () => {
    const response = await fetch(server.url + pathname, { redirect: 'manual' })
    status = response.status
    bytes = (await response.arrayBuffer()).byteLength
  }
  for (let i = 0; i < 10; i++) await get()
  const pids = await backends(database)
  const app0 = cpuTicks(server.process.pid!)
  const db0 = pids.map(cpuTicks)
  let sent = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (sent++ < REQUESTS) await get()
    }),
  )
  const appMs = ((cpuTicks(server.process.pid!) - app0) * TICK_MS) / REQUESTS
  const dbMs = (pids.reduce((sum, pid, i) => sum + cpuTicks(pid) - db0[i]!, 0) * TICK_MS) / REQUESTS
  return { status, bytes, appMs, dbMs }
}

/** The pages to price on a site: the same kinds on both, at the places each site has. */
async function pagesOf(server: ServerProcess, deep: number): Promise<[string, string][]> {
  const list = (await (await fetch(`${server.url}/api/v1/articles`)).json()) as { articles: { url: string; comment_count: number }[] }
  const typical = list.articles.find((a) => a.comment_count > 0 && a.comment_count < 100) ?? list.articles[0]!
  const [category = '', tag = '', author = ''] = await Promise.all(['category', 'tag', 'author'].map((kind) => linkOf(server, typical.url, kind)))
  return [
    ['front page', '/'],
    [`page ${deep}`, `/page/${deep}/`],
    ['article page', new URL(typical.url).pathname],
    ['category page', category],
    ['tag page', tag],
    ['author page', author],
    ['search', '/search?q=people+council'],
    ['API list', '/api/v1/articles'],
    [`API list page ${deep}`, `/api/v1/articles?page=${deep}`],
    ['RSS feed', '/feed/'],
    ['sitemap index', '/sitemap.xml'],
    ['news sitemap', '/news-sitemap.xml'],
  ]
}

async function linkOf(server: ServerProcess, articleUrl: string, kind: string): Promise<string> {
  const html = await (await fetch(server.url + new URL(articleUrl).pathname)).text()
  const m = new RegExp(`href="(?:https?://[^/"]+)?(/${kind}/[^"/]+/)"`).exec(html)
  return m?.[1] ?? `/${kind}/missing/`
}

const small = await makeSite('small')
const big = await makeSite('big')
try {
  console.log(`bench:scale on ${args.engine}: the demo site beside ${Number(args.articles).toLocaleString('en')} articles / ${Number(args.comments).toLocaleString('en')} comments; CPU per request over ${REQUESTS} requests; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/seed.ts'), '--articles', args.articles!, '--comments', args.comments!], { env: { ...process.env, ...big.env }, stdio: 'inherit' })
  if (seeded.status !== 0) throw new Error('bench:seed failed')

  const t0 = performance.now()
  const bigServer = await startServerProcess({ ...big.env, BROADSHEET_DEMO: '0' }, 600_000)
  const firstStart = performance.now() - t0
  const smallServer = await startServerProcess({ ...small.env, BROADSHEET_DEMO: '1' })
  console.log(`first start on the big database: /healthz answered after ${(firstStart / 1000).toFixed(2)} s (target 2 s)`)
  const smallPages = await pagesOf(smallServer, 2)
  const bigPages = await pagesOf(bigServer, 500)
  console.log(`\n| page | demo site: CPU ms/req | big archive: CPU ms/req | ratio | status (demo, big), big KiB |`)
  console.log('| --- | --- | --- | --- | --- |')
  for (let i = 0; i < smallPages.length; i++) {
    const [label, smallPath] = smallPages[i]!
    const [bigLabel, bigPath] = bigPages[i]!
    const s = await cost(smallServer, small.database, smallPath)
    const b = await cost(bigServer, big.database, bigPath)
    const total = (c: Cost) => c.appMs + c.dbMs
    const shown = (c: Cost) => (args.engine === 'postgres' ? `${total(c).toFixed(2)} (app ${c.appMs.toFixed(2)} + db ${c.dbMs.toFixed(2)})` : c.appMs.toFixed(2))
    const name = label === bigLabel ? label : `${label} / ${bigLabel}`
    console.log(`| ${name} | ${shown(s)} | ${shown(b)} | ×${(total(b) / Math.max(total(s), 0.01)).toFixed(2)} | ${s.status}, ${b.status}, ${(b.bytes / 1024).toFixed(1)} |`)
  }
  console.log(`\nload average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  await bigServer.stop()
  await smallServer.stop()
} finally {
  await small.remove()
  await big.remove()
}
