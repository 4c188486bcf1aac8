/**
 * @module Which database engines the store tests run on. SQLite always; PostgreSQL when a server
 * answers (in CI it must: a missing server fails the run instead of skipping quietly).
 * Narrow with BROADSHEET_TEST_DIALECTS=sqlite or =postgres.
 */
import pg from 'pg'

export type Dialect = 'sqlite' | 'postgres'

export const POSTGRES_ADMIN_URL = process.env.BROADSHEET_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

async function postgresAnswers(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 15_000 })
  try {
    await client.connect()
    await client.query('select 1')
    return undefined
  } catch (error) {
    return (error as Error).message
  } finally {
    await client.end().catch(() => {})
  }
}

async function decideDialects(): Promise<Dialect[]> {
  const wanted = (process.env.BROADSHEET_TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as Dialect[]
  if (!wanted.includes('postgres')) return wanted
  const problem = await postgresAnswers()
  if (!problem) return wanted
  if (process.env.CI) throw new Error(`PostgreSQL tests are required in CI but ${POSTGRES_ADMIN_URL} does not answer: ${problem}`)
  console.log(`# SKIPPING the PostgreSQL runs of these tests: ${POSTGRES_ADMIN_URL} does not answer (${problem})`)
  return wanted.filter((d) => d !== 'postgres')
}

/** The engines to run each store test on, decided once per test file. */
export const DIALECTS: Dialect[] = await decideDialects()
