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
  /** The featured image (media/), if any. */
  image_id: Generated<number | null>
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
  /** Order as the editor gave them: the first category is the story's primary section. */
  position: Generated<number>
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

/** media/: an image with its responsive variants, or a pointer to a remote one. */
export interface MediaTable {
  id: Generated<number>
  alt: string
  caption: string
  credit: string
  width: number | null
  height: number | null
  /** JSON array of `{width, height, format, key}`. */
  variants: string
  remote_url: string | null
  original_name: string
  content_hash: string | null
  uploaded_by: number | null
  created_at: string
}

export interface Database {
  media: MediaTable
  comment_moderation_log: CommentModerationLogTable
  rate_limit_windows: RateLimitWindowsTable
  api_tokens: ApiTokensTable
  privacy_requests: PrivacyRequestsTable
  akismet_keys: AkismetKeysTable
  spam_training_log: SpamTrainingLogTable
  spam_reputation: SpamReputationTable
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
