/**
 * @module Factories bound to one test site: each makes a thing a test needs, with defaults that
 * do not collide with anything else the test makes, and returns what the test needs to use it.
 * They are the only place tests reach past HTTP into the domain (saveArticle, addUser,
 * createApiToken, insertComment, createAkismetKey): when those move, only this file follows.
 */
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Article } from '../../src/articles/articles.ts'
import type { ArticleInput } from '../../src/articles/schema.ts'
import type { Role } from '../../src/accounts/authors.ts'
import { addUser, createApiToken } from '../../src/accounts/users.ts'
import { insertArticle } from '../../src/articles/article-store.ts'
import { searchIndex } from '../../src/search/search.ts'
import { insertComment } from '../../src/comments/comment-store.ts'
import { renderCommentText } from '../../src/comments/comment-markdown.ts'
import { issueTrustToken, TRUST_COOKIE, TRUST_SECRET } from '../../src/comments/commenter-trust.ts'
import { siteSecret } from '../../src/settings/secrets.ts'
import { createAkismetKey } from '../../src/spam-filter/akismet-keys.ts'
import { COMMENTER_COOKIE, encodeCommenter } from '../../src/web/commenter-cookie.ts'
import type { ImageDetails, MediaRecord } from '../../src/media/media.ts'
import { jpegWithGps } from './images.ts'
import type { TestSite } from './test-site.ts'

const DAY_MS = 86_400_000

/** A published (or draft, or scheduled) article as a test uses it. */
export interface TestArticle {
  readonly id: number
  readonly slug: string
  readonly title: string
  /** Its permalink path under the default structure, e.g. /2026/11/22/flood-barrier-holds/ */
  readonly path: string
  readonly article: Article
}

export type ArticleOptions = Partial<ArticleInput> & {
  /** Published this many days before the site's clock (default 1); ignored when publishedAt is given. */
  readonly daysAgo?: number
}

/** Someone who comments: what they type into the form. Nothing is stored by making one. */
export interface Commenter {
  readonly author: string
  readonly email: string
  readonly url: string
}

export interface ApprovedCommenter extends Commenter {
  /** Their first comment, which a moderator approved. */
  readonly firstCommentId: number
  /** `broadsheet_commenter=…` for a Cookie header, when `remember` was asked for. */
  readonly cookie: string | undefined
  /**
   * `broadsheet_trust=…`: the signed proof, set in their browser with their first comment, that
   * they wrote it. `t.comment(article, { as })` sends it; without it they are a stranger.
   */
  readonly trust: string
}

export interface StaffUser {
  readonly id: number
  readonly email: string
  readonly name: string
  readonly role: Role
  /** A bearer token for the admin API. */
  readonly token: string
}

/** A story of an archive stored in bulk (see `Factories.archive`). */
export interface ArchivedStory {
  /** Its id, when the test places it: an imported archive's ids can be far apart. */
  readonly id?: number
  readonly title: string
  readonly standfirst?: string
  /** Plain text, stored as one paragraph. */
  readonly body: string
  readonly publishedAt: Date
}

export type StoredCommentStatus = 'pending' | 'approved' | 'spam' | 'trash'

export interface CommentOptions {
  readonly article: TestArticle
  readonly by?: Commenter
  readonly content?: string
  readonly status?: StoredCommentStatus
  /** The comment replied to. */
  readonly parent?: { readonly id: number }
  /** Default: the site's clock. */
  readonly createdAt?: Date
  readonly ip?: string | null
  readonly userAgent?: string | null
  readonly reasons?: readonly string[]
  readonly notifyReplies?: boolean
}

export interface StoredComment {
  readonly id: number
  readonly articleId: number
  readonly status: StoredCommentStatus
  readonly by: Commenter
  readonly content: string
}

export interface Factories {
  /** An article, published a day before the site's clock unless told otherwise (`commentsOpen: false`, `status: 'draft'`, `daysAgo`…). */
  article(options?: ArticleOptions): Promise<TestArticle>
  /**
   * Published stories by the hundred, stored the way an import stores them (the rows and their
   * search entries, in one transaction; no revisions, listings or bylines), so that a search test
   * can have an archive larger than one ranked window in a second. Returns their ids.
   */
  archive(stories: readonly ArchivedStory[]): Promise<number[]>
  /** A commenter with a name and address no one else in the test has. */
  commenter(overrides?: Partial<Commenter>): Commenter
  /**
   * A commenter whose first comment a moderator has approved (over the admin API), so the
   * site knows them; with `remember`, the cookie the form sets for those who tick the box.
   */
  approvedCommenter(options?: Partial<Commenter> & { article?: TestArticle; remember?: boolean }): Promise<ApprovedCommenter>
  /** A staff user of this role with an admin API token. */
  staff(role: Role, overrides?: { email?: string; name?: string }): Promise<StaffUser>
  /** The site's moderator (an editor), made on first use and the same one after. */
  moderator(): Promise<StaffUser>
  /** A comment stored as it is (default: approved, from the site's clock, IP 203.0.113.7). */
  comment(options: CommentOptions): Promise<StoredComment>
  /** A comment held for moderation as a first-time commenter's is. */
  heldComment(options: Omit<CommentOptions, 'status' | 'reasons'>): Promise<StoredComment>
  /** A key for the Akismet-compatible API, for the given site URL. */
  akismetKey(siteUrl?: string): Promise<string>
  /** An image added through the media service (a generated JPEG, 2000×1200 unless told). */
  image(options?: Partial<ImageDetails> & { width?: number; height?: number }): Promise<MediaRecord>
}

/** Factories that make their data on this site. */
export function bindFactories(t: TestSite): Factories {
  let serial = 0
  const next = () => `${++serial}-${randomBytes(2).toString('hex')}`
  let moderator: Promise<StaffUser> | undefined

  const factories: Factories = {
    async article(options = {}) {
      const { daysAgo = 1, ...input } = options
      const n = next()
      const publishedAt = input.publishedAt === undefined ? new Date(t.now.getTime() - daysAgo * DAY_MS) : input.publishedAt
      const { article } = await t.publish({ title: `Story ${n}`, body: `The story numbered ${n}.`, ...input, publishedAt })
      return { id: article.id, slug: article.slug, title: article.title, path: article.publishedAt ? t.pathOf(article) : `/?p=${article.id}`, article }
    },

    async archive(stories) {
      const index = await searchIndex(t.site.storage.capabilities, t.site.services.settings).indexer()
      const ids = await t.site.db.transaction().execute(async (trx) => {
        const made: number[] = []
        for (const story of stories) {
          const at = story.publishedAt.toISOString()
          const bodyHtml = `<p>${story.body.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`
          const row = { slug: `archived-${next()}`, title: story.title, standfirst: story.standfirst ?? '', body_markdown: story.body, body_html: bodyHtml }
          const id = await insertArticle(trx, {
            ...(story.id !== undefined && { id: story.id }),
            ...row,
            status: 'published',
            published_at: at,
            updated_at: at,
            created_at: at,
            canonical_url: null,
            comments_open: 1,
          })
          await index(trx, { id, title: row.title, standfirst: row.standfirst, bodyHtml })
          made.push(id)
        }
        return made
      })
      // Ids given by hand leave PostgreSQL's sequence behind; the site's next article must not collide with them.
      if (t.dialect === 'postgres') await sql`select setval(pg_get_serial_sequence('articles', 'id'), (select max(id) from articles))`.execute(t.site.db)
      return ids
    },

    commenter(overrides = {}) {
      const n = next()
      return { author: `Reader ${n}`, email: `reader-${n}@example.org`, url: '', ...overrides }
    },

    async approvedCommenter(options = {}) {
      const { article: given, remember, ...overrides } = options
      const by = factories.commenter(overrides)
      const article = given ?? (await factories.article())
      const first = await factories.heldComment({ article, by, content: `A first comment from ${by.author}.` })
      const editor = await factories.moderator()
      const approved = await t.api(`/api/v1/admin/comments/${first.id}`, { method: 'PATCH', token: editor.token, body: { status: 'approved' } })
      if (approved.status !== 200) throw new Error(`approvedCommenter: the moderator could not approve the first comment (${approved.status}: ${await approved.text()})`)
      const trust = `${TRUST_COOKIE}=${issueTrustToken(await siteSecret(t.site.db, TRUST_SECRET), first.id, by.email)}`
      return { ...by, firstCommentId: first.id, cookie: remember ? `${COMMENTER_COOKIE}=${encodeCommenter(by)}` : undefined, trust }
    },

    async staff(role, overrides = {}) {
      const n = next()
      const email = overrides.email ?? `${role}-${n}@news.test`
      const name = overrides.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${n}`
      const user = await addUser(t.site.db, { email, name, role })
      return { id: user.id, email: user.email, name, role, token: (await createApiToken(t.site.db, email)).token }
    },

    moderator() {
      moderator ??= factories.staff('editor')
      return moderator
    },

    async comment(options) {
      const by = options.by ?? factories.commenter()
      const content = options.content ?? `A comment numbered ${next()}.`
      const status = options.status ?? 'approved'
      const id = await insertComment(t.site.db, {
        article_id: options.article.id,
        parent_id: options.parent?.id ?? null,
        author_name: by.author,
        author_email: by.email.toLowerCase(),
        author_url: by.url,
        author_ip: options.ip === undefined ? '203.0.113.7' : options.ip,
        user_agent: options.userAgent ?? null,
        content_markdown: content,
        content_html: renderCommentText(content),
        status,
        reasons: JSON.stringify(options.reasons ?? []),
        spam_score: 0.1,
        notify_replies: options.notifyReplies ? 1 : 0,
        created_at: (options.createdAt ?? t.now).toISOString(),
      })
      return { id, articleId: options.article.id, status, by, content }
    },

    heldComment(options) {
      return factories.comment({ ...options, status: 'pending', reasons: ['first comment from this e-mail address'] })
    },

    async image({ width = 2000, height = 1200, ...details } = {}) {
      return t.site.services.media.add(await jpegWithGps(width, height), { alt: `Picture ${next()}`, ...details })
    },

    async akismetKey(siteUrl = 'https://blog.example.org/') {
      return (await createAkismetKey(t.site.db, siteUrl)).key
    },
  }
  return factories
}
