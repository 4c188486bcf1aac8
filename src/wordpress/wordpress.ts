/** @module The wordpress module's service: moving a site in from WordPress (and Disqus) and out again as WXR. */
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
  /** The site's public base URL (links in an export). */
  readonly baseUrl: () => Promise<string>
  /** Where attachments go (default: kept in the import map; the seam for media/). */
  readonly attachments?: AttachmentSink
}

export interface WordpressService {
  /** Imports a WXR file (see `importWordpress`). */
  importWxr(file: string, options?: ImportOptions): Promise<ImportSummary>
  /** Writes the whole site to a WXR 1.2 file (see `exportWordpress`). */
  exportWxr(file: string): Promise<ExportSummary>
}

/** @example const summary = await wordpressService(deps).importWxr('export.xml', { dryRun: true }) */
export function wordpressService(deps: WordpressDeps): WordpressService {
  return {
    importWxr: (file, options) => importWordpress(deps, file, options),
    exportWxr: (file) => exportWordpress(deps, file),
  }
}
