/**
 * Pull the plug under load, on each engine: the real server (`broadsheet serve`, a child process)
 * takes a flood of comments (JSON API and form), an editor's saves and a moderator's approvals
 * through the admin API, and a WordPress import runs beside it (`broadsheet import wordpress`);
 * at a random moment both are killed with SIGKILL. Then every write the client saw acknowledged
 * (201, 303, 200, exit 0) must be in the database, the import must be all there or not at all,
 * the database must pass its integrity check, and the restarted server must count the comments
 * it shows as the database does. CRASH_ROUNDS sets the rounds per engine (default 3).
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { writeWxr } from '../bench/wxr-generator.ts'
import { loadConfig } from '../src/config/config.ts'
import { openStorage } from '../src/storage/database.ts'
import { integrityProblems } from '../src/storage/integrity.ts'
import { spawnCli } from './support/cli.ts'
import { DIALECTS, type Dialect } from './support/dialects.ts'
import { startServerProcess, type ServerProcess } from './support/server-process.ts'
import { listedArticles, processSite, SEEDED_HEADLINES } from './support/process-site.ts'
import { adminApi, fetchCommentForm, floodComments, postCommentForm } from './support/traffic.ts'

const ROUNDS = Number(process.env.CRASH_ROUNDS) || 3
/** The WordPress export imported during each round: small enough to finish within a round, big enough to be cut short sometimes. */
const IMPORTED_POSTS = 60
const IMPORTED_COMMENTS = 300
const JSON_COMMENTERS = 6
const FORM_COMMENTERS = 2

interface Acknowledged {
  /** The unique text of every comment answered 201 or 303. */
  readonly comments: string[]
  /** Comment ids a moderator's PATCH answered 200 for, with status approved. */
  readonly approved: number[]
  /** Revision number → the headline saved in it, for every save answered 200. */
  readonly edits: Map<number, string>
}

interface RoundReport {
  readonly acknowledged: number
  readonly found: number
  readonly unacknowledgedButStored: number
  readonly importFinished: boolean
  readonly importedPosts: number
}

const wxrDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-crash-wxr-'))
const wxrFile = path.join(wxrDir, 'site.xml')
writeWxr(wxrFile, IMPORTED_POSTS, IMPORTED_COMMENTS)
process.on('exit', () => fs.rmSync(wxrDir, { recursive: true, force: true }))

for (const dialect of DIALECTS) {
  test(`on ${dialect}, every write acknowledged before a SIGKILL is there after it (${ROUNDS} rounds)`, async (t) => {
    for (let round = 1; round <= ROUNDS; round++) {
      const report = await crashRound(dialect, round)
      t.diagnostic(
        `${dialect} round ${round}: ${report.acknowledged} acknowledged writes, ${report.found} found after the kill` +
          ` (+${report.unacknowledgedButStored} in flight when it came, stored without an answer);` +
          ` import ${report.importFinished ? 'finished' : 'killed'}, ${report.importedPosts} of ${IMPORTED_POSTS} posts there`,
      )
    }
  })
}

async function crashRound(dialect: Dialect, round: number): Promise<RoundReport> {
  const site = await processSite(dialect)
  const { env, token } = site
  let server: ServerProcess | undefined
  try {
    server = await startServerProcess(env)
    const base = server.url
    const raised = await adminApi(base, token, 'PATCH', '/api/v1/admin/settings', { commentRateLimitPerMinute: 100_000 })
    assert.equal(raised.status, 200, `raising the comment rate limit answered ${raised.status}`)
    const targets = await listedArticles(base)
    assert.equal(targets.length, SEEDED_HEADLINES.length, 'the seeded articles are listed')

    const acked: Acknowledged = { comments: [], approved: [], edits: new Map() }
    const pendingIds: number[] = []
    let stopped = false
    const keepGoing = async (work: () => Promise<void>) => {
      while (!stopped) {
        try {
          await work()
        } catch {
          // A request cut off by the kill: not acknowledged, so nothing is owed.
        }
      }
    }
    const label = `Crash round ${round}`
    const flood = floodComments(base, targets.map((a) => a.id), { writers: JSON_COMMENTERS, label, onPosted: (c) => c.status === 'pending' && pendingIds.push(c.id) })
    let formSeq = 0
    const formCommenter = (w: number) =>
      keepGoing(async () => {
        const n = ++formSeq
        const form = await fetchCommentForm(base, targets[n % targets.length]!.path)
        const content = `${label}: form comment number ${n}; the council should publish the figures.`
        const response = await postCommentForm(base, form, { author: `Form Reader ${w}`, email: `form${w}-${n}@example.org`, url: '', content })
        if (response.status === 303) acked.comments.push(content)
      })
    const edited = targets.find((a) => a.path.includes('library-opening-hours-cut'))!
    const editor = async () => {
      const opened = await adminApi(base, token, 'GET', `/api/v1/admin/articles/${edited.id}`)
      let revision = ((await opened.json()) as { revision: number }).revision
      let k = 0
      await keepGoing(async () => {
        const title = `${SEEDED_HEADLINES[0]}, version ${++k}`
        const response = await adminApi(base, token, 'PATCH', `/api/v1/admin/articles/${edited.id}`, { base_revision: revision, title })
        if (response.status !== 200) return
        revision = ((await response.json()) as { revision: number }).revision
        acked.edits.set(revision, title)
      })
    }
    const moderator = () =>
      keepGoing(async () => {
        const id = pendingIds.shift()
        if (id === undefined) return void (await new Promise((r) => setTimeout(r, 20)))
        const response = await adminApi(base, token, 'PATCH', `/api/v1/admin/comments/${id}`, { status: 'approved' })
        if (response.status === 200) acked.approved.push(id)
      })

    const importer = new AbortController()
    const importing = new Promise((r) => setTimeout(r, Math.random() * 1000)).then(() =>
      spawnCli(['import', 'wordpress', wxrFile], { ...env, LOG_LEVEL: 'warn' }, undefined, importer.signal),
    )
    const crowd = [...Array.from({ length: FORM_COMMENTERS }, (_, w) => formCommenter(w)), editor(), moderator()]
    // The plug is pulled at a moment nobody chose: 1 to 4 s after the first comment went through.
    await withinSeconds(30, flood.flowing, () => `no comment was acknowledged in 30 s:\n${server!.errors()}`)
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * 3000))
    stopped = true
    importer.abort()
    await server.kill()
    await Promise.all([flood.stop(), ...crowd])
    acked.comments.push(...flood.acknowledged)
    const imported = await importing
    const importFinished = imported.code === 0

    const found = await inspect(dialect, env, site.databaseUrl, acked)
    assert.deepEqual(found.integrity, [], `the ${dialect} database checks clean after the kill`)
    assert.deepEqual(found.missingComments, [], `every acknowledged comment is there (${acked.comments.length} acknowledged)`)
    assert.deepEqual(found.notApproved, [], 'every acknowledged approval is there')
    assert.deepEqual(found.missingEdits, [], 'every acknowledged save of the article is among its revisions')
    assert.equal(found.articleRevision, found.newestRevision, "the article's revision number is its newest revision's")
    assert.ok(found.articleRevision >= Math.max(0, ...acked.edits.keys()), 'the article is at least at the last acknowledged save')
    if (importFinished) assert.equal(found.importedPosts, IMPORTED_POSTS, 'an import that finished left all its posts')
    else assert.ok(found.importedPosts === 0 || found.importedPosts === IMPORTED_POSTS, `a killed import left all or none of its posts, not ${found.importedPosts}`)
    assert.ok(found.importedComments === 0 || found.importedComments === IMPORTED_COMMENTS, `the import's comments are all there or none: ${found.importedComments}`)

    // The site comes back, and shows as many comments as the database holds.
    server = await startServerProcess(env)
    const listed = await listedArticles(server.url)
    for (const article of targets) {
      const shown = listed.find((a) => a.id === article.id)?.comment_count
      assert.equal(shown, found.approvedPerArticle.get(article.id) ?? 0, `article ${article.id} shows the approved comments the database holds`)
    }
    assert.ok(acked.comments.length > 0, 'the flood got comments through before the kill')
    const lost = found.missingComments.length + found.notApproved.length + found.missingEdits.length
    const acknowledged = acked.comments.length + acked.approved.length + acked.edits.size + (importFinished ? 1 : 0)
    return { acknowledged, found: acknowledged - lost, unacknowledgedButStored: found.storedComments - acked.comments.length, importFinished, importedPosts: found.importedPosts }
  } finally {
    await server?.kill()
    await site.remove()
  }
}

interface Inspection {
  readonly integrity: string[]
  readonly missingComments: string[]
  readonly storedComments: number
  readonly notApproved: number[]
  readonly missingEdits: string[]
  readonly articleRevision: number
  readonly newestRevision: number
  readonly importedPosts: number
  readonly importedComments: number
  readonly approvedPerArticle: Map<number, number>
}

/** Opens the database as the crash left it and reads what a reader or the editor was promised. */
async function inspect(dialect: Dialect, env: Record<string, string>, url: string, acked: Acknowledged): Promise<Inspection> {
  if (dialect === 'postgres') await withClient(url, (c) => c.query('create extension if not exists amcheck'))
  const storage = await openStorage(loadConfig(env).database)
  try {
    const { db } = storage
    const integrity = await integrityProblems(db, storage.capabilities)
    const stored = await db.selectFrom('comments').select(['id', 'status', 'content_markdown']).where('content_markdown', 'like', 'Crash round %').execute()
    const texts = new Set(stored.map((c) => c.content_markdown))
    const statusOf = new Map(stored.map((c) => [c.id, c.status]))
    const edited = await db.selectFrom('articles').select(['id', 'revision']).where('title', 'like', `${SEEDED_HEADLINES[0]}%`).executeTakeFirstOrThrow()
    const revisions = await db.selectFrom('article_revisions').select(['number', 'title']).where('article_id', '=', edited.id).execute()
    const saved = new Map(revisions.map((r) => [r.number, r.title]))
    const importedPosts = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('slug', 'like', 'story-%').executeTakeFirstOrThrow()
    const importedComments = await db
      .selectFrom('comments')
      .innerJoin('articles', 'articles.id', 'comments.article_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('articles.slug', 'like', 'story-%')
      .executeTakeFirstOrThrow()
    const approved = await db.selectFrom('comments').select(['article_id', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'approved').groupBy('article_id').execute()
    return {
      integrity,
      missingComments: acked.comments.filter((c) => !texts.has(c)),
      storedComments: stored.length,
      notApproved: acked.approved.filter((id) => statusOf.get(id) !== 'approved'),
      missingEdits: [...acked.edits].filter(([n, title]) => saved.get(n) !== title).map(([n, title]) => `revision ${n}: ${title}`),
      articleRevision: Number(edited.revision),
      newestRevision: Math.max(0, ...revisions.map((r) => Number(r.number))),
      importedPosts: Number(importedPosts.n),
      importedComments: Number(importedComments.n),
      approvedPerArticle: new Map(approved.map((r) => [Number(r.article_id), Number(r.n)])),
    }
  } finally {
    await storage.close()
  }
}

/** `work`, or a failure saying `why` when it takes longer than `seconds`. */
async function withinSeconds<T>(seconds: number, work: Promise<T>, why: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why())), seconds * 1000)))
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}
