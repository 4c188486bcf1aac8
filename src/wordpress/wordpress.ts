/** @module The wordpress module's service: moving a site in from WordPress (and Disqus) and out again as WXR. */
import type { ArticlesService } from '../articles/articles.ts'
import { importDisqus, type DisqusSummary } from './disqus-import.ts'
import type { SearchIndex } from '../search/search.ts'
import type { SettingsService } from '../settings/settings.ts'
import type { SpamFilter } from '../spam-filter/spam-filter.ts'
import type { DB } from '../storage/database.ts'
import { exportWordpress, type ExportSummary } from './wxr-export.ts'
import { importWordpress, type AttachmentSink, type ImportOptions, type ImportSummary } from './wxr-import.ts'

export interface WordpressDeps {
  readonly db: DB
  readonly search: SearchIndex
  readonly settings: SettingsService
  readonly filter: SpamFilter
  readonly now: () => Date
  /** Where a Disqus thread's URL leads. */
  readonly articles: Pick<ArticlesService, 'publishedBySlug' | 'publishedPage' | 'redirectFor'>
  /** The site's public base URL (links in an export). */
  readonly baseUrl: () => Promise<string>
  /** Where attachments go (default: kept in the import map; the seam for media/). */
  readonly attachments?: AttachmentSink
}

export interface WordpressService {
  /** Imports a WXR file (see `importWordpress`). */
  importWxr(file: string, options?: ImportOptions): Promise<ImportSummary>
  /** Imports the comments of a Disqus export into the moderation queue (see `importDisqus`). */
  importDisqus(file: string, options?: { dryRun?: boolean }): Promise<DisqusSummary>
  /** Writes the whole site to a WXR 1.2 file (see `exportWordpress`). */
  exportWxr(file: string): Promise<ExportSummary>
}

/** @example const summary = await wordpressService(deps).importWxr('export.xml', { dryRun: true }) */
export function wordpressService(deps: WordpressDeps): WordpressService {
  return {
    importWxr: (file, options) => importWordpress(deps, file, options),
    exportWxr: (file) => exportWordpress(deps, file),
    importDisqus: (file, options) => importDisqus(deps, deps.articles, file, options),
  }
}
