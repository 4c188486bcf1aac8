/** @module `broadsheet serve`: run the site, in one process or several (WEB_CONCURRENCY). */
import cluster from 'node:cluster'
import type { Config } from '../config/config.ts'
import { openSite } from '../site.ts'
import { beginShutdown } from '../web/hardening.ts'
import { buildServer } from '../web/server.ts'
import { setupLink } from '../web/urls.ts'

export async function serveCommand(config: Config): Promise<void> {
  if (cluster.isPrimary) {
    // Migrations and the demo run once, before any worker serves a request.
    const site = await openSite(config, { log: (line) => process.stdout.write(`${line}\n`) })
    await printSetupLink(site)
    if (config.webConcurrency > 1) {
      await site.close()
      for (let i = 0; i < config.webConcurrency; i++) forkWorker()
      cluster.on('exit', (worker, code) => {
        if (code !== 0) process.stderr.write(`worker ${worker.process.pid} exited with ${code}; starting another\n`)
        forkWorker()
      })
      process.stdout.write(`Broadsheet is running at ${config.baseUrl}/ (${config.webConcurrency} processes)\n`)
      await new Promise(() => {})
    }
    await listen(site)
    process.stdout.write(`Broadsheet is running at ${config.baseUrl}/ (database: ${site.storage.describe})\n`)
    return
  }
  await listen(await openSite(config, { migrate: false, seed: false }))
}

/**
 * A worker process. glibc gives each thread that allocates (libvips's and libuv's) a heap of its
 * own and keeps what they free: two are enough for a server and keep it about 35–90 MB smaller
 * resident (measured: the soak 252 → 217 MiB; a fresh demo site 210 → 125 MiB). A value set by
 * the operator is kept.
 */
function forkWorker(): void {
  cluster.fork({ MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' })
}

/** On a site with no administrator yet, the one-time link to create the first (valid 7 days). */
async function printSetupLink(site: Awaited<ReturnType<typeof openSite>>): Promise<void> {
  if (!(await site.services.accounts.needsSetup())) return
  const link = setupLink(await site.baseUrl(), await site.services.accounts.createSetupToken())
  process.stdout.write(`This site has no administrator yet. Create the first one here (the link works once, for 7 days):\n  ${link}\n`)
}

async function listen(site: Awaited<ReturnType<typeof openSite>>): Promise<void> {
  const app = await buildServer(site)
  const stop = async () => {
    await app.close()
    await site.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  // An orchestrator's stop: /readyz turns 503 at once, the listener closes after the grace period
  // (load balancers take a check or two to notice), and requests in flight are finished.
  process.once('SIGTERM', () => {
    beginShutdown(app)
    setTimeout(stop, site.config.shutdownGraceSeconds * 1000)
  })
  await app.listen({ port: site.config.port, host: site.config.host })
  startRetentionJob(site, (line) => app.log.info(line), (error) => app.log.error({ err: error }, 'retention job failed'))
  startSchedulingJob(site, (line) => app.log.info(line), (error) => app.log.error({ err: error }, 'scheduling job failed'))
}

/** How often each process looks for scheduled articles that are due. */
const SCHEDULE_CHECK_MS = 15_000

/**
 * Every process runs it; the claim is one UPDATE, so each due article is published by exactly one
 * of them (readers see it on time regardless: a due scheduled article is already live).
 */
function startSchedulingJob(site: Awaited<ReturnType<typeof openSite>>, log: (line: string) => void, fail: (e: unknown) => void): void {
  const run = async () => {
    for (const article of await site.services.articles.publishDue()) log(`scheduled article ${article.id} ("${article.title}") is now published`)
  }
  run().catch(fail)
  setInterval(() => run().catch(fail), SCHEDULE_CHECK_MS).unref()
}

/**
 * Every process tries it hourly, after it listens; one at a time does the work (a lease in the
 * database), in batches that leave the event loop free for requests between them.
 */
function startRetentionJob(site: Awaited<ReturnType<typeof openSite>>, log: (line: string) => void, fail: (e: unknown) => void): void {
  const run = async () => {
    const r = await site.services.privacy.applyRetention()
    if (r.batches > 0) {
      log(`retention: ${r.ipsAnonymised} IP addresses anonymised, ${r.userAgentsDropped} user agents dropped, ${r.windowsForgotten} rate-limit windows, ${r.sessionsEnded} sessions and ${r.linksForgotten} links forgotten, ${r.textsHashed} comment texts hashed (${r.batches} batches)`)
    }
  }
  run().catch(fail)
  setInterval(() => run().catch(fail), 3600_000).unref()
}
