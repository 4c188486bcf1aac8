/** @module Every migration, by name; names sort in the order they run. */
import type { Migration } from 'kysely'
import * as foundation from './2026-11-25-001-foundation.ts'
import * as articleDatesIndex from './2026-11-25-002-article-dates-index.ts'
import * as spamFilter from './2026-11-25-003-spam-filter.ts'
import * as commentsModeration from './2026-11-25-004-comments-moderation-privacy.ts'
import * as commentLookups from './2026-11-25-005-comment-lookups.ts'
import * as articleSearch from './2026-12-02-006-article-search.ts'
import * as articleSearchBackfill from './2026-12-02-007-article-search-backfill.ts'
import * as sessions from './2026-12-02-008-sessions.ts'
import * as editorial from './2026-12-02-012-editorial.ts'
import * as media from './2026-12-02-009-media.ts'
import * as wordpress from './2026-12-02-010-wordpress.ts'
import * as spamLearning from './2026-12-02-011-spam-learning.ts'
import * as akismetUsage from './2026-12-02-011b-akismet-usage.ts'
import * as healthProbe from './2026-12-02-013-health-probe.ts'
import * as sweeps from './2026-12-02-015-sweeps.ts'
import * as articleListings from './2026-12-02-016-article-listings.ts'
import * as listingPositions from './2026-12-02-017-listing-positions.ts'
import * as commentPages from './2026-12-02-017b-comment-pages.ts'
import * as invalidations from './2026-12-02-018-invalidations.ts'
import * as searchAndSitemapReads from './2026-12-02-019-search-and-sitemap-reads.ts'
import * as apiTokenExpiry from './2026-12-02-020-api-token-expiry.ts'
import * as slugNormalisation from './2026-12-02-020b-slug-normalisation.ts'
import * as commentTextHashes from './2026-12-03-022-comment-text-hashes.ts'

export const migrations: Record<string, Migration> = {
  '2026-11-25-001-foundation': foundation,
  '2026-11-25-002-article-dates-index': articleDatesIndex,
  '2026-11-25-003-spam-filter': spamFilter,
  '2026-11-25-004-comments-moderation-privacy': commentsModeration,
  '2026-11-25-005-comment-lookups': commentLookups,
  '2026-12-02-006-article-search': articleSearch,
  '2026-12-02-007-article-search-backfill': articleSearchBackfill,
  '2026-12-02-008-sessions': sessions,
  '2026-12-02-012-editorial': editorial,
  '2026-12-02-009-media': media,
  '2026-12-02-010-wordpress': wordpress,
  '2026-12-02-011-spam-learning': spamLearning,
  '2026-12-02-011b-akismet-usage': akismetUsage,
  '2026-12-02-013-health-probe': healthProbe,
  '2026-12-02-015-sweeps': sweeps,
  '2026-12-02-016-article-listings': articleListings,
  '2026-12-02-017-listing-positions': listingPositions,
  '2026-12-02-017b-comment-pages': commentPages,
  '2026-12-02-018-invalidations': invalidations,
  '2026-12-02-019-search-and-sitemap-reads': searchAndSitemapReads,
  '2026-12-02-020-api-token-expiry': apiTokenExpiry,
  '2026-12-02-020b-slug-normalisation': slugNormalisation,
  '2026-12-03-022-comment-text-hashes': commentTextHashes,
}
