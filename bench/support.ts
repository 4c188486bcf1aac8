/** Shared pieces of the benchmarks: a server in its own process, and autocannon runs. */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import autocannon from 'autocannon'
import { sql, type Kysely } from 'kysely'
import { startServerProcess, waitFor, type ServerProcess } from '../test/support/server-process.ts'

export const root = path.resolve(import.meta.dirname, '..')

export type Server = ServerProcess

/** Starts `broadsheet serve` on a free port and waits until /healthz answers (see test/support/server-process.ts). */
export function startServer(env: Record<string, string>): Promise<Server> {
  return startServerProcess(env)
}

/** Runs node with these arguments, killed when the benchmark exits, once `readyUrl` answers. */
export async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  process.on('exit', () => child.kill('SIGKILL'))
  await waitFor(readyUrl)
  return child
}

export function run(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon(options)
}

const ADMIN_URL = process.env.BROADSHEET_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A new PostgreSQL database for a benchmark, and how to drop it. */
export interface BenchDatabase {
  readonly url: string
  readonly name: string
  drop(): Promise<void>
}

/**
 * Makes database `broadsheet_bench_LABEL_PID` on the server the tests use; undefined (with a
 * printed line) when no server answers there, so the benchmark goes on with SQLite alone.
 */
export async function benchDatabase(label: string): Promise<BenchDatabase | undefined> {
  const { default: pg } = await import('pg')
  const name = `broadsheet_bench_${label}_${process.pid}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  try {
    await admin.connect()
  } catch (error) {
    console.log(`postgres: skipped, ${ADMIN_URL} does not answer (${(error as Error).message})`)
    return undefined
  }
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

/** The median milliseconds of `runs` calls of `fn`, after ten to warm up. */
export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10; i++) await fn()
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn()
    ms.push(performance.now() - t0)
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!
}

/**
 * The engine's plan of a compiled query, on one line: EXPLAIN with the values inlined, enough to
 * see which index is read and whether rows are skipped (PostgreSQL's with ANALYZE and BUFFERS).
 */
export async function queryPlan(engine: string, db: Kysely<any>, compiled: { sql: string; parameters: readonly unknown[] }): Promise<string> {
  let i = 0
  const inlined = compiled.sql.replace(/\$\d+|\?/g, () => {
    const v = compiled.parameters[i++]
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`
  })
  if (engine === 'sqlite') return (await sql.raw<{ detail: string }>(`explain query plan ${inlined}`).execute(db)).rows.map((r) => r.detail).join('; ')
  return (await sql.raw<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off, timing off) ${inlined}`).execute(db)).rows.map((r) => r['QUERY PLAN'].trim()).join(' | ')
}

/** The middle value of several runs' figures. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
}

/** Several runs' figures as `min / median / max` (one run: its figure). */
export function spread(xs: readonly number[], digits = 0): string {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 1 ? s[0]!.toFixed(digits) : `${s[0]!.toFixed(digits)} / ${median(s).toFixed(digits)} / ${s.at(-1)!.toFixed(digits)}`
}
