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
  /** Set when an administrator turns the account off: no sign-in, no token. */
  disabled_at: Generated<string | null>
}

/** articles/ */
export interface ArticlesTable {
  id: Generated<number>
  slug: string
  title: string
  standfirst: string
  body_markdown: string
  body_html: string
  /** `pending` (submitted for review) and `private` are never shown to readers. */
  status: 'draft' | 'pending' | 'private' | 'scheduled' | 'published'
  /** `post` (in listings and feeds) or `page` (answers at `/SLUG/`, in no listing). */
  kind: Generated<'post' | 'page'>
  /** 1: shown first on the front page (WordPress's sticky posts). */
  sticky: Generated<number>
  published_at: string | null
  updated_at: string
  created_at: string
  canonical_url: string | null
  /** 1 open, 0 closed by the editor. */
  comments_open: number
  /** How many times it was saved: the number of its newest revision (0 for articles older than revisions). */
  revision: Generated<number>
  /** The featured image (media/), if any. */
  image_id: Generated<number | null>
}

/** articles/: one row a save, so that any two can be compared and any one restored. */
export interface ArticleRevisionsTable {
  id: Generated<number>
  article_id: number
  /** 1 for the first save, then 2, 3 … (the article's `revision` after that save). */
  number: number
  title: string
  standfirst: string
  body_markdown: string
  slug: string
  status: string
  published_at: string | null
  canonical_url: string | null
  /** JSON: bylines `[{id, name}]`. */
  authors: string
  /** JSON: category names. */
  categories: string
  /** JSON: tag names. */
  tags: string
  /** JSON: credits `[{name, role, url?}]`. */
  credits: string
  saved_by_id: number | null
  /** Kept as it was then, so the history still reads right when the user is renamed or gone. */
  saved_by_name: string
  saved_at: string
}

/** articles/: dated corrections to published articles, shown to readers. */
export interface ArticleCorrectionsTable {
  id: Generated<number>
  article_id: number
  body_markdown: string
  body_html: string
  added_by_id: number | null
  published_at: string
}

/** articles/: private notes on sources, sealed with AES-256-GCM (never shown to readers). */
export interface ArticleSourceNotesTable {
  id: Generated<number>
  article_id: number
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url; bound to the article id. */
  sealed: string
  written_by_id: number | null
  written_at: string
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
  /** SHA-256 of `content_markdown` (base64url), for the duplicate check; null on comments made before it existed until the retention job fills it in. */
  content_hash: Generated<string | null>
}

/** privacy/: what the retention job keeps on each comment (apart from the comment's own fields, which writers fill in). */
export interface CommentRetentionColumns {
  /** 1 once the retention job has anonymised `author_ip` (so it never looks at the comment again). */
  ip_anonymised: Generated<number>
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
  /** What the token is for, as its maker named it ("WordPress plugin"). */
  label: Generated<string>
  last_used_at: string | null
  revoked_at: string | null
  /** After this the token opens nothing; every token has one (a null would open nothing either). */
  expires_at: string | null
}

/** accounts/: signed-in browsers, by the SHA-256 of the cookie's value. */
export interface SessionsTable {
  id_hash: string
  user_id: number
  created_at: string
  last_seen_at: string
  expires_at: string
}

/** accounts/: single-use links (the first administrator's set-up, password resets), stored as SHA-256 hashes. */
export interface AccountLinksTable {
  token_hash: string
  kind: 'setup' | 'password_reset'
  user_id: number | null
  created_at: string
  expires_at: string
  used_at: string | null
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

/** articles/: old addresses (an imported site's permalinks, `/?p=ID` …) → an article or a path; 301s. */
export interface RedirectsTable {
  /** The old path with its query if it matters (`/?p=12`), no host. */
  path: string
  article_id: number | null
  target_path: string | null
  /** `import` (a WordPress import) or `editor`. */
  origin: Generated<string>
}

/** wordpress/: what each imported WordPress item became here, and a fingerprint of it for re-imports. */
export interface WordpressItemsTable {
  /** `article` (post or page), `attachment`, `comment`, `term`, `author`. */
  kind: string
  /** The WordPress id (`12`), or its GUID when the file has no id. */
  wp_key: string
  local_id: number | null
  /** A hash of the item as imported: a re-import with the same fingerprint changes nothing. */
  fingerprint: string
  /** JSON: what has no home of its own yet (attachments: url, parent, title, caption, alt). */
  data: Generated<string>
}

/** The health check's write probe: one row, rewritten by each check. */
export interface HealthProbeTable {
  probe: string
  checked_at: string
}

/** jobs/: who runs a background job now, until when (one process at a time across all hosts). */
export interface JobLeasesTable {
  name: string
  holder: string
  expires_at: string
}

/** articles/: one entry per list an article is listed in (the site, its sticky stories, a term, an author), in page order. */
export interface ArticleListingsTable {
  list_kind: 'site' | 'sticky' | 'unsticky' | 'term' | 'author'
  /** The term's or author's id; 0 for the site-wide lists. */
  list_id: number
  published_at: string
  article_id: number
  sticky: number
  /** Place in the list by (published_at, article_id), 1 for the oldest, with no gaps. */
  position: Generated<number>
}

/** articles/: how many entries each list has (future-dated ones included), kept with the entries. */
export interface ArticleListingCountsTable {
  list_kind: ArticleListingsTable['list_kind']
  list_id: number
  n: number
}

/** Written by triggers (migration 018) in the transaction of each change readers' pages show; read by every process's page cache. */
export interface InvalidationsTable {
  seq: Generated<number>
  /** `article:ID`, `front`, `feeds`, `term:ID`, `author:ID` or `all`. */
  tag: string
  recorded_at: Generated<string>
}

export interface Database {
  invalidations: InvalidationsTable
  article_listings: ArticleListingsTable
  article_listing_counts: ArticleListingCountsTable
  job_leases: JobLeasesTable
  health_probe: HealthProbeTable
  media: MediaTable
  redirects: RedirectsTable
  wordpress_items: WordpressItemsTable
  comment_moderation_log: CommentModerationLogTable
  rate_limit_windows: RateLimitWindowsTable
  api_tokens: ApiTokensTable
  sessions: SessionsTable
  account_links: AccountLinksTable
  privacy_requests: PrivacyRequestsTable
  akismet_keys: AkismetKeysTable
  spam_training_log: SpamTrainingLogTable
  spam_reputation: SpamReputationTable
  spam_reputation_witnesses: SpamReputationWitnessesTable
  akismet_usage: AkismetUsageTable
  users: UsersTable
  articles: ArticlesTable
  article_revisions: ArticleRevisionsTable
  article_corrections: ArticleCorrectionsTable
  article_source_notes: ArticleSourceNotesTable
  article_slugs: ArticleSlugsTable
  article_authors: ArticleAuthorsTable
  terms: TermsTable
  article_terms: ArticleTermsTable
  credits: CreditsTable
  settings: SettingsTable
  comments: CommentsTable & CommentRetentionColumns
}
