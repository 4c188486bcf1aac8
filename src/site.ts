/**
 * @module The composition root: opens storage, brings the schema up to date, builds each domain
 * module's service from its dependencies, seeds the demo on a new database, and hands the
 * services to the web server and the CLI.
 */
import { accountsService, type AccountsService } from './accounts/accounts.ts'
import { akismetService, REPORTS_PER_HOUR, type AkismetService } from './akismet/akismet.ts'
import { articlesService, type Article, type ArticlesService } from './articles/articles.ts'
import { observeChanges } from './articles/article-changes.ts'
import { articleDesk, type ArticleDesk } from './articles/desk.ts'
import { editorialService, type EditorialService } from './articles/editorial.ts'
import { sourceNotes } from './articles/source-notes.ts'
import { CommentWriter } from './comments/comment-writer.ts'
import { commentsService, type CommentsService } from './comments/comments.ts'
import type { Config } from './config/config.ts'
import { seedDemo } from './demo/demo.ts'
import { localDiskStorage, mediaFolderOf } from './media/media-storage.ts'
import { mediaAttachments } from './wordpress/media-attachments.ts'
import { mediaService, type MediaService } from './media/media.ts'
import { commentNotifier } from './notifications/comment-notifier.ts'
import { smtpMailer } from './notifications/mailer.ts'
import { privacyService, type PrivacyService } from './privacy/personal-data.ts'
import { rateLimiter } from './rate-limit/rate-limit.ts'
import { searchIndex, searchService, type SearchService } from './search/search.ts'
import { settingsService, type SettingsService, type SettingsWarning } from './settings/settings.ts'
import { thresholdsOf } from './settings/spam-thresholds.ts'
import { createAkismetKey, findAkismetKey } from './spam-filter/akismet-keys.ts'
import { akismetUsage } from './spam-filter/akismet-usage.ts'
import { webSubPublisher } from './feeds/websub.ts'
import { defaultCommonFeatures, defaultModel } from './spam-filter/default-model.ts'
import { SpamFilter } from './spam-filter/spam-filter.ts'
import { wordpressService, type WordpressService } from './wordpress/wordpress.ts'
import { migrateToLatest, openStorage, type DB, type Storage } from './storage/database.ts'
import { commentLocation } from './web/comment-location.ts'
import { adminComment, articleUrl as articleUrlOf, commentConfirmationLink, feedsWithStory, publicBaseUrl } from './web/urls.ts'

/** Every domain module's service: what routes and commands call. */
export interface Services {
  readonly settings: SettingsService
  readonly accounts: AccountsService
  readonly articles: ArticlesService
  /** The newsroom's side of the articles: every state, filters, saving with the user's rights checked. */
  readonly desk: ArticleDesk
  /** The newsroom's operations on articles, checked against each user's role (admin API and UI). */
  readonly editorial: EditorialService
  readonly comments: CommentsService
  readonly privacy: PrivacyService
  readonly search: SearchService
  readonly akismet: AkismetService
  /** Images: uploads with responsive variants, remote images, their files. */
  readonly media: MediaService
  /** WordPress (WXR) import and export, Disqus import. */
  readonly wordpress: WordpressService
  /** Whether the database answers reads and takes writes (and if not, why), and which engine it is. */
  readonly health: { check(): Promise<HealthReport>; answers(): Promise<boolean> }
}

export interface HealthReport {
  /** Reads answer and writes are taken. */
  readonly ok: boolean
  /** What failed, in the database's words, when something did. */
  readonly problem?: string
  readonly engine: Storage['capabilities']['engine']
  readonly reads: 'ok' | 'failing'
  readonly writes: 'ok' | 'failing'
}

export interface Site {
  readonly config: Config
  readonly storage: Storage
  /** The database itself, for maintenance commands, benchmarks and tests; routes use `services`. */
  readonly db: DB
  readonly services: Services
  /** The clock every service reads. */
  now(): Date
  /** Public base URL: the site setting, else BROADSHEET_URL, without a trailing slash. */
  baseUrl(): Promise<string>
  /** Where failures of work no response waits for (notifications) are reported from now on. */
  reportBackgroundErrorsTo(report: (error: unknown) => void): void
  /** Where warnings about the site's own state (a stored setting that is not valid) go from now on. */
  reportWarningsTo(report: SettingsWarning): void
  /** Waits for background work, then closes the database. */
  close(): Promise<void>
}

export interface OpenOptions {
  /** Apply migrations (the CLI's read-only commands may skip it). Default true. */
  readonly migrate?: boolean
  /** Seed the demo on an empty database when the config asks for it. Default true. */
  readonly seed?: boolean
  readonly log?: (line: string) => void
  /** The clock every service reads (tests move it). */
  readonly now?: () => Date
}

/**
 * @example
 * const site = await openSite(loadConfig(process.env))
 * const app = await buildServer(site)
 */
export async function openSite(config: Config, options: OpenOptions = {}): Promise<Site> {
  const storage = await openStorage(config.database)
  const now = options.now ?? (() => new Date())
  const pending = new Set<Promise<void>>()
  const background = (task: () => Promise<void>, onError: (error: unknown) => void) => {
    const running = task().catch(onError)
    pending.add(running)
    void running.finally(() => pending.delete(running))
  }
  let reportBackground = (error: unknown) => {
    process.stderr.write(`background work failed: ${(error as Error).message}\n`)
  }

  let reportWarning: SettingsWarning = (message) => process.stderr.write(`${message}\n`)

  const { db } = storage
  const settings = settingsService(db, (message, detail) => reportWarning(message, detail))
  const baseUrl = async () => publicBaseUrl(await settings.read(), config.baseUrl)
  // Notifications are only ever about published articles: they have a URL.
  const articleUrl = async (article: Article) => articleUrlOf(await baseUrl(), await settings.read(), article) ?? (await baseUrl())
  const mailer = smtpMailer(config.smtpUrl, `Broadsheet <noreply@${new URL(config.baseUrl).hostname}>`)
  const search = searchIndex(storage.capabilities, settings)
  const limiter = rateLimiter(storage.counters)
  const accounts = accountsService({
    db,
    now,
    limiter,
    mailer,
    siteTitle: async () => (await settings.read()).title,
    background: (task) => background(task, (error) => reportBackground(error)),
  })
  const media = mediaService({ db, storage: localDiskStorage(mediaFolderOf(config.dataDir)), now })
  const websub = webSubPublisher(config.websubHub)
  // A story readers have seen changed (published, updated, corrected, withdrawn): its feeds are named to the WebSub hub.
  // Without a hub nothing listens, so the service is used as it is (observing costs a read on corrections and removals).
  const stored = articlesService(db, now, search, { exists: async (id) => (await media.byId(id)) !== undefined })
  const articles = !websub.hub
    ? stored
    : observeChanges(stored, ({ article }) => {
        if (article.kind !== 'post' || !article.publishedAt || article.publishedAt > now()) return
        background(async () => websub.ping(feedsWithStory(await baseUrl(), article)), (error) => reportBackground(error))
      })
  const filter = new SpamFilter(db, defaultModel, defaultCommonFeatures)
  const comments = commentsService({
    db,
    limiter,
    writer: new CommentWriter(db, storage.commitOffLoop),
    filter,
    notifier: commentNotifier({
      moderators: accounts.moderatorEmails,
      mailer,
      articleUrl,
      commentUrl: async (article, id) => commentLocation(comments, await settings.read(), await articleUrl(article), id),
      siteTitle: async () => (await settings.read()).title,
      queueUrl: async (id) => (await baseUrl()) + adminComment(id),
      confirmationUrl: async (token) => commentConfirmationLink(await baseUrl(), token),
    }),
    settings,
    articles,
    now,
    background: (task) => background(task, (error) => reportBackground(error)),
  })
  const editorial = editorialService({ articles, notes: sourceNotes(db, config.secretKey), now })
  const services: Services = {
    settings,
    accounts,
    articles,
    editorial,
    desk: articleDesk(db, articles, editorial, now),
    comments,
    privacy: privacyService({ db, comments, filter, mailer, limiter, accounts, settings, now }),
    search: searchService({ db, capabilities: storage.capabilities, articles, settings, now }),
    akismet: akismetService({
      findKey: (key) => findAkismetKey(db, key),
      createKey: (siteUrl) => createAkismetKey(db, siteUrl, now()),
      filter,
      thresholds: async () => thresholdsOf(await settings.read()),
      usage: akismetUsage(db),
      now,
      countReport: (key) =>
        limiter.take({ bucket: `akismet-report:${key.id}`, max: REPORTS_PER_HOUR, windowSeconds: 3600 }, now(), (s) => `This key has sent ${REPORTS_PER_HOUR} reports this hour; try again in ${s} s.`),
    }),
    media,
    // Imported images become media records (served by the site when --uploads has their files).
    wordpress: wordpressService({ db, search, settings, filter, now, baseUrl, articles, attachments: mediaAttachments(media) }),
    health: {
      async check() {
        const engine = storage.capabilities.engine
        const reads = await storage.ping()
        if (!reads.ok) return { ok: false, problem: reads.problem, engine, reads: 'failing', writes: 'failing' }
        const writes = await storage.probeWrite()
        return writes.ok ? { ok: true, engine, reads: 'ok', writes: 'ok' } : { ok: false, problem: writes.problem, engine, reads: 'ok', writes: 'failing' }
      },
      answers: async () => (await storage.ping()).ok,
    },
  }

  try {
    if (options.migrate !== false) await migrateToLatest(db)
    if (options.seed !== false && config.demo) await seedDemo(services, options.log ?? (() => {}))
  } catch (error) {
    await storage.close()
    throw error
  }
  return {
    config,
    storage,
    db,
    services,
    now,
    baseUrl,
    reportBackgroundErrorsTo(report) {
      reportBackground = report
    },
    reportWarningsTo(report) {
      reportWarning = report
    },
    async close() {
      await Promise.allSettled(pending)
      await storage.close()
    },
  }
}
