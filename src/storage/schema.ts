/**
 * @module The database's tables as TypeScript types, one interface a table. Each table belongs
 * to one domain module (named above it); only that module's store file queries it.
 *
 * Times are ISO-8601 UTC strings (`2026-11-25T06:00:00.000Z`) on both engines: they sort
 * correctly as text and read back identically from SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely'

/** accounts/ */
export interface UsersTable {
  id: Generated<number>
  email: string
  display_name: string
  slug: string
  role: 'administrator' | 'editor' | 'author' | 'contributor'
  bio: string
  password_hash: string | null
  created_at: string
}

/** articles/ */
export interface ArticlesTable {
  id: Generated<number>
  slug: string
  title: string
  standfirst: string
  body_markdown: string
  body_html: string
  status: 'draft' | 'scheduled' | 'published'
  published_at: string | null
  updated_at: string
  created_at: string
  canonical_url: string | null
  /** 1 open, 0 closed by the editor. */
  comments_open: number
}

/** articles/: every slug an article has had, so old links redirect. */
export interface ArticleSlugsTable {
  slug: string
  article_id: number
}

/** articles/ */
export interface ArticleAuthorsTable {
  article_id: number
  user_id: number
  position: number
}

/** articles/: categories (nested) and tags. */
export interface TermsTable {
  id: Generated<number>
  taxonomy: 'category' | 'tag'
  slug: string
  name: string
  parent_id: number | null
  description: string
}

/** articles/ */
export interface ArticleTermsTable {
  article_id: number
  term_id: number
}

/** articles/: "Original reporting: CNN". */
export interface CreditsTable {
  id: Generated<number>
  article_id: number
  position: number
  name: string
  url: string | null
  role: string
}

/** settings/: one row a setting, the value as JSON. */
export interface SettingsTable {
  key: string
  value: string
}

/** comments/ */
export interface CommentsTable {
  id: Generated<number>
  article_id: number
  parent_id: number | null
  author_name: string
  author_email: string
  author_url: string
  author_ip: string | null
  user_agent: string | null
  content_markdown: string
  content_html: string
  status: 'pending' | 'approved' | 'spam' | 'trash'
  /** JSON array of the moderation reasons, in the order the rules gave them. */
  reasons: string
  spam_score: number | null
  notify_replies: number
  created_at: string
}

/** spam-filter/: keys of the Akismet-compatible API, stored as SHA-256 hashes. */
export interface AkismetKeysTable {
  id: Generated<number>
  key_hash: string
  site_url: string
  created_at: string
}

/** spam-filter/: every decision the filter learned from, as a hashed feature vector (no text). */
export interface SpamTrainingLogTable {
  id: Generated<number>
  /** `site` for the site's own comments, `key:N` for an Akismet key's site. */
  scope: string
  label: 'spam' | 'ham'
  vector: string
  created_at: string
  /** A hash of the reported text (case and spacing ignored): the same report teaches once. Null in entries logged before it. */
  fingerprint: string | null
}

/**
 * spam-filter/: who vouched for each reputation count: a hash of the reported sender (for
 * domains) or of the reported text (for an IP or address). A count grows only with a new witness.
 */
export interface SpamReputationWitnessesTable {
  scope: string
  kind: SpamReputationTable['kind']
  key_hash: string
  label: 'spam' | 'ham'
  witness: string
}

/** spam-filter/: an Akismet key's calls per month and site (the `blog` it names), as `/1.2/key-sites` reports them. */
export interface AkismetUsageTable {
  key_id: number
  /** `YYYY-MM`, UTC */
  month: string
  site: string
  api_calls: number
  spam: number
  ham: number
  missed_spam: number
  false_positives: number
}

/** spam-filter/: spam and ham counts per hashed IP, e-mail address or domain. */
export interface SpamReputationTable {
  scope: string
  kind: 'ip' | 'email' | 'url_domain' | 'link_domain'
  key_hash: string
  spam: number
  ham: number
}

/** comments/: who changed a comment's status, when, from what to what. */
export interface CommentModerationLogTable {
  id: Generated<number>
  comment_id: number
  /** `user:N`, `akismet`, `system` … */
  actor: string
  from_status: string
  to_status: string
  at: string
}

/** comments/: fixed-window counters shared by every app process. */
export interface RateLimitWindowsTable {
  bucket: string
  window_start: number
  hits: number
}

/** accounts/: bearer tokens for the admin API, stored as SHA-256 hashes. */
export interface ApiTokensTable {
  id: Generated<number>
  token_hash: string
  user_id: number
  created_at: string
}

/** privacy/: export and erasure requests awaiting or past confirmation by e-mail. */
export interface PrivacyRequestsTable {
  id: Generated<number>
  email: string
  kind: 'export' | 'erase'
  token_hash: string
  created_at: string
  completed_at: string | null
}

export interface Database {
  comment_moderation_log: CommentModerationLogTable
  rate_limit_windows: RateLimitWindowsTable
  api_tokens: ApiTokensTable
  privacy_requests: PrivacyRequestsTable
  akismet_keys: AkismetKeysTable
  spam_training_log: SpamTrainingLogTable
  spam_reputation: SpamReputationTable
  spam_reputation_witnesses: SpamReputationWitnessesTable
  akismet_usage: AkismetUsageTable
  users: UsersTable
  articles: ArticlesTable
  article_slugs: ArticleSlugsTable
  article_authors: ArticleAuthorsTable
  terms: TermsTable
  article_terms: ArticleTermsTable
  credits: CreditsTable
  settings: SettingsTable
  comments: CommentsTable
}
