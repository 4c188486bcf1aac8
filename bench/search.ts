/**
 * Search latency over a large archive: 100,000 published articles (bodies of ~250 words made from
 * the vocabulary of the real e-mails in ../shared/data/spam/spamassassin.jsonl, ham only), on SQLite
 * and, when a server answers, PostgreSQL. Queries of one to three words drawn from the same
 * vocabulary go through the search service (index lookup, ranking, snippets, the articles shown);
 * the reference is loading one article by id through the same service, in the same run.
 *
 * On a shared machine wall times follow the load, so each round also gives the CPU time spent per
 * query: by this process (the service, the driver) and, for PostgreSQL on this machine, by the
 * server's backends of the benchmark's database (from /proc), which other work does not inflate.
 *
 *   npm run bench:search [-- --articles 100000 --queries 400 --rounds 3 --engines sqlite,postgres]
 *   npm run bench:search -- --engines postgres --keep           keeps the seeded database and names it
 *   npm run bench:search -- --engines postgres --database URL   measures a kept one again (migrated first), no seeding
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { insertArticle } from '../src/articles/article-store.ts'
import { loadConfig } from '../src/config/config.ts'
import { searchStore } from '../src/search/search-store.ts'
import { textSearchConfig } from '../src/search/search.ts'
import { openSite, type Site } from '../src/site.ts'
import { random, vocabulary } from './archive.ts'
import { benchDatabase } from './support.ts'

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '3' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    keep: { type: 'boolean', default: false },
    database: { type: 'string' },
  },
})
const ARTICLES = Number(args.articles)
const QUERIES = Number(args.queries)
const ROUNDS = Number(args.rounds)
const ADMIN_URL = process.env.BROADSHEET_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

async function seed(site: Site, words: string[]): Promise<number> {
  const pick = random(42)
  const word = () => words[Math.floor(pick() * words.length)]!
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ')
  const store = searchStore(site.storage.capabilities)
  const language = textSearchConfig('en-GB')
  const start = Date.parse('2015-01-01T06:00:00Z')
  let firstId = 0
  for (let done = 0; done < ARTICLES; ) {
    await site.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1000 && done < ARTICLES; i++, done++) {
        const title = sentence(7)
        const standfirst = sentence(20)
        const body = Array.from({ length: 5 }, () => sentence(50)).join(' ')
        const at = new Date(start + done * 3_000_000).toISOString()
        const id = await insertArticle(trx, {
          slug: `story-${done}`, title, standfirst, body_markdown: body, body_html: `<p>${body}</p>`, status: 'published',
          published_at: at, updated_at: at, created_at: at, canonical_url: null, comments_open: 1,
        })
        firstId ||= id
        await store.put(trx, { id, title, standfirst, body }, language)
      }
    })
    if (done % 20_000 === 0) process.stdout.write(`  ${done.toLocaleString('en')} articles\n`)
  }
  return firstId
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!
  return { min: s[0]!, median: at(0.5), p99: at(0.99), max: s.at(-1)! }
}
const fmt = (x: number) => x.toFixed(2).padStart(7)

/** CPU seconds used so far by the server processes serving `database`, or undefined when they are not on this machine. */
async function serverCpuSeconds(database: string | undefined): Promise<number | undefined> {
  if (!database) return undefined
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  try {
    const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database])
    let ticks = 0
    for (const { pid } of rows) {
      // Fields 14 and 15 of /proc/PID/stat (after the command name in parentheses): user and system time.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    }
    return ticks / clockTicks
  } catch {
    return undefined
  } finally {
    await admin.end()
  }
}
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

async function measure(engine: string, site: Site, words: string[], firstId: number, database?: string): Promise<void> {
  const pick = random(7)
  const queries = Array.from({ length: QUERIES }, () => Array.from({ length: 1 + Math.floor(pick() * 3) }, () => words[Math.floor(pick() * words.length)]!).join(' '))
  const ids = Array.from({ length: QUERIES }, () => firstId + Math.floor(pick() * ARTICLES))
  for (let round = 1; round <= ROUNDS; round++) {
    const searchMs: number[] = []
    let found = 0
    const serverBefore = await serverCpuSeconds(database)
    const cpuBefore = process.cpuUsage()
    for (const q of queries) {
      const t0 = performance.now()
      found += (await site.services.search.search(q, 1, 10)).total > 0 ? 1 : 0
      searchMs.push(performance.now() - t0)
    }
    const cpu = process.cpuUsage(cpuBefore)
    const serverAfter = await serverCpuSeconds(database)
    const lookupMs: number[] = []
    for (const id of ids) {
      const t0 = performance.now()
      await site.services.articles.byId(id)
      lookupMs.push(performance.now() - t0)
    }
    const s = stats(searchMs)
    const r = stats(lookupMs)
    console.log(
      `${engine} round ${round}: search ms min ${fmt(s.min)} median ${fmt(s.median)} p99 ${fmt(s.p99)} max ${fmt(s.max)}  (${found}/${QUERIES} queries found something)` +
        `\n${' '.repeat(engine.length)}          CPU ms per search: this process ${fmt((cpu.user + cpu.system) / 1000 / QUERIES)}` +
        (serverBefore !== undefined && serverAfter !== undefined ? `, PostgreSQL server ${fmt(((serverAfter - serverBefore) * 1000) / QUERIES)}` : '') +
        `  (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})` +
        `\n${' '.repeat(engine.length)}          article by id ms min ${fmt(r.min)} median ${fmt(r.median)} p99 ${fmt(r.p99)} max ${fmt(r.max)}  search/lookup median ${(s.median / r.median).toFixed(1)}x`,
    )
  }
}

const words = vocabulary()
console.log(`${ARTICLES.toLocaleString('en')} articles, ${QUERIES} queries of 1–3 words, ${ROUNDS} rounds; vocabulary ${new Set(words).size.toLocaleString('en')} words`)
for (const engine of args.engines.split(',')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-search-'))
  let dropDatabase = async () => {}
  const env: Record<string, string> = { BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0' }
  let database: string | undefined
  if (engine === 'postgres' && args.database) {
    env.DATABASE_URL = args.database
    database = new URL(args.database).pathname.slice(1)
  } else if (engine === 'postgres') {
    const made = await benchDatabase('search')
    if (!made) continue
    env.DATABASE_URL = made.url
    database = made.name
    if (args.keep) console.log(`postgres: keeping ${env.DATABASE_URL}`)
    dropDatabase = async () => {
      if (!args.keep) await made.drop()
    }
  }
  const site = await openSite(loadConfig(env))
  try {
    let firstId: number
    if (engine === 'postgres' && args.database) {
      firstId = Number((await sql<{ id: number }>`select min(id) as id from articles`.execute(site.db)).rows[0]?.id ?? 1)
      console.log(`${engine}: measuring ${database} as it is (first article ${firstId})`)
    } else {
      const t0 = performance.now()
      firstId = await seed(site, words)
      console.log(`${engine}: seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    }
    if (engine === 'postgres') await sql`analyze`.execute(site.db)
    await measure(engine, site, words, firstId, database)
  } finally {
    await site.close()
    await dropDatabase()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
