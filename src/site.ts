/**
 * @module The composition root: opens storage, brings the schema up to date, seeds the demo on a
 * new database, and hands the pieces to the web server and the CLI.
 */
import type { Config } from './config/config.ts'
import { migrateToLatest, openStorage, type DB, type Storage } from './storage/database.ts'
import { seedDemo } from './demo/demo.ts'
import { defaultModel } from './spam-filter/default-model.ts'
import { SpamFilter } from './spam-filter/spam-filter.ts'
import { smtpMailer, type Mailer } from './notifications/mailer.ts'
import { commentNotifier } from './notifications/comment-notifier.ts'
import type { CommentNotifier } from './comments/comments.ts'
import { CommentWriter } from './comments/comment-writer.ts'
import { readSettings } from './settings/settings.ts'
import { articlePath } from './articles/permalinks.ts'
import type { Article } from './articles/articles.ts'

export interface Site {
  readonly config: Config
  readonly storage: Storage
  readonly db: DB
  readonly spamFilter: SpamFilter
  readonly mailer: Mailer
  readonly commentWriter: CommentWriter
  readonly notifier: CommentNotifier
  /** The public base URL: the site setting, else BROADSHEET_URL, without a trailing slash. */
  baseUrl(): Promise<string>
  /** Absolute URL of a published article. */
  articleUrl(article: Article): Promise<string>
  /** Starts work no response waits for; its errors go to `onError`, and `close` waits for it. */
  background(task: () => Promise<void>, onError: (error: unknown) => void): void
  close(): Promise<void>
}

export interface OpenOptions {
  /** Apply migrations (the CLI's read-only commands may skip it). Default true. */
  readonly migrate?: boolean
  /** Seed the demo on an empty database when the config asks for it. Default true. */
  readonly seed?: boolean
  readonly log?: (line: string) => void
}

/**
 * @example
 * const site = await openSite(loadConfig(process.env))
 * const app = await buildServer(site)
 */
export async function openSite(config: Config, options: OpenOptions = {}): Promise<Site> {
  const storage = await openStorage(config.database)
  try {
    if (options.migrate !== false) await migrateToLatest(storage.db)
    if (options.seed !== false && config.demo) await seedDemo(storage.db, options.log ?? (() => {}))
  } catch (error) {
    await storage.close()
    throw error
  }
  const db = storage.db
  const baseUrl = async () => ((await readSettings(db)).baseUrl ?? config.baseUrl).replace(/\/+$/, '')
  const articleUrl = async (article: Article) => {
    const settings = await readSettings(db)
    return (await baseUrl()) + articlePath(settings.permalinkStructure, { ...article, publishedAt: article.publishedAt ?? new Date(0) })
  }
  const mailer = smtpMailer(config.smtpUrl, `Broadsheet <noreply@${new URL(config.baseUrl).hostname}>`)
  const notifier = commentNotifier({ db, mailer, articleUrl, siteTitle: async () => (await readSettings(db)).title })
  const pending = new Set<Promise<void>>()
  return {
    config,
    storage,
    db,
    spamFilter: new SpamFilter(db, defaultModel),
    mailer,
    notifier,
    commentWriter: new CommentWriter(db),
    baseUrl,
    articleUrl,
    background(task, onError) {
      const running = task().catch(onError)
      pending.add(running)
      void running.finally(() => pending.delete(running))
    },
    async close() {
      await Promise.allSettled(pending)
      await storage.close()
    },
  }
}
