// Runs every *.test.ts under src/ and test/ with node's test runner (through tsx).
// The files are listed here because Node 20 does not expand test globs itself.
//
// Files run as many at a time as there are cores (node's default is one less: one at a time on
// two cores), since much of their time is spent waiting on SQLite's and PostgreSQL's commits to
// disk rather than on a core. BROADSHEET_TEST_CONCURRENCY sets the number. More than the cores
// was tried (4 on 2): on a machine already busy, a file's start-up then waits long enough for
// test/support/dialects.ts's 2-second PostgreSQL probe to time out, and that file skips its
// PostgreSQL runs (fails them in CI).
//
// The two longest files start first, side by side, so that the short ones fill in beside them
// rather than a long one starting last: the injection test (some 1,500 comments written to
// SQLite and to PostgreSQL) and the spam CLI test (a retrain of the shipped model: CPU, no
// database). Then the files that never touch PostgreSQL, and those that do last, so that the
// injection test's PostgreSQL half shares the server with as few others as may be (beside other
// files on a busy machine it once took 81 s instead of 9).
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from './build.mjs'

/** Started first, side by side: the heaviest PostgreSQL writer and the longest file that uses no database server. */
const FIRST = ['test/injection.test.ts', 'test/spam-cli.test.ts']

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) find(full, out)
    else if (name.endsWith('.test.ts')) out.push(full)
  }
  return out
}

const only = process.argv.slice(2)
const usesPostgres = (file) => /support\/dialects\.ts|createPostgresDatabase/.test(readFileSync(file, 'utf8'))
const rank = (file) => {
  const first = FIRST.indexOf(file.split(path.sep).join('/'))
  return first !== -1 ? first : FIRST.length + (usesPostgres(file) ? 1 : 0)
}
const files = only.length ? only : ['src', 'test', 'e2e'].flatMap((d) => find(d)).sort().sort((a, b) => rank(a) - rank(b))
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}

// The CLI tests run bin/broadsheet.js, which runs build/: bring it up to date once here rather
// than in each of them. If it cannot be built, bin falls back to tsx and the tests still judge it.
try {
  await build()
} catch (error) {
  console.log(`# build/ not brought up to date (${error instanceof Error ? error.message.split('\n')[0] : error}); bin/broadsheet.js will use tsx`)
}

const concurrency = Number(process.env.BROADSHEET_TEST_CONCURRENCY) || Math.max(2, os.availableParallelism())
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { stdio: 'inherit' })
process.exit(result.status ?? 1)
