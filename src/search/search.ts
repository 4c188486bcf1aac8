/**
 * @module The search service: full-text search of published articles, ranked (headline first,
 * then standfirst, then body), with highlighted snippets, kept current whenever an article is
 * saved. Any text is a safe query: what is not a word is ignored, never a syntax error.
 */
import type { ArticlesService, PublishedArticle } from '../articles/articles.ts'
import type { SettingsService } from '../settings/settings.ts'
import type { DB, StorageCapabilities } from '../storage/database.ts'
import { htmlToText } from '../text/plain-text.ts'
import { MARK_END, MARK_START, searchStore, type SearchStore } from './search-store.ts'

/** What a snippet is made of: plain text, some of it the words that matched. */
export type SnippetPart = { readonly text: string; readonly matched: boolean }

export interface SearchResults {
  readonly query: string
  readonly results: readonly { readonly article: PublishedArticle; readonly snippet: readonly SnippetPart[] }[]
  /** Matches among the newest ranked ones (see RANKED_WINDOW). */
  readonly total: number
  /** Older matches exist beyond those. */
  readonly more: boolean
  readonly page: number
  readonly pages: number
}

/** Writes an article into the index through the caller's transaction. */
export type Indexer = (q: DB, article: { id: number; title: string; standfirst: string; bodyHtml: string }) => Promise<void>

export interface SearchIndex {
  /** An indexer for the site's language as it is now; get it before opening the transaction. */
  indexer(): Promise<Indexer>
  /** Takes a deleted article out of the index, through the caller's transaction. */
  remove(q: DB, articleId: number): Promise<void>
}

export interface SearchService {
  search(terms: string, page: number, perPage: number): Promise<SearchResults>
}

/** At most this many words of a query count. */
const MAX_TERMS = 12
const wordRe = /[\p{L}\p{N}]+/gu

export function searchIndex(capabilities: StorageCapabilities, settings: SettingsService): SearchIndex {
  const store = searchStore(capabilities)
  return {
    async indexer() {
      const language = textSearchConfig((await settings.read()).language)
      return (q, a) => store.put(q, { id: a.id, title: a.title, standfirst: a.standfirst, body: htmlToText(a.bodyHtml) }, language)
    },
    remove: (q, articleId) => store.remove(q, articleId),
  }
}

export interface SearchDeps {
  readonly db: DB
  readonly capabilities: StorageCapabilities
  readonly articles: ArticlesService
  readonly settings: SettingsService
  readonly now: () => Date
}

/** @example const found = await searchService(deps).search('flood barrier', 1, 10) */
export function searchService(deps: SearchDeps): SearchService {
  const store: SearchStore = searchStore(deps.capabilities)
  return {
    async search(terms, page, perPage) {
      const words = (terms.match(wordRe) ?? []).slice(0, MAX_TERMS)
      if (words.length === 0) return { query: terms, results: [], total: 0, more: false, page, pages: 1 }
      const query = deps.capabilities.fullText === 'fts5' ? fts5Query(words) : words.join(' ')
      const language = textSearchConfig((await deps.settings.read()).language)
      const { hits, total, more } = await store.find(deps.db, query, language, deps.now().toISOString(), perPage, (page - 1) * perPage)
      const articles = await deps.articles.publishedByIds(hits.map((h) => h.id))
      const results = hits.flatMap((h) => {
        const article = articles.find((a) => a.id === h.id)
        return article ? [{ article, snippet: snippetParts(h.snippet) }] : []
      })
      return { query: terms, results, total, more, page, pages: Math.max(1, Math.ceil(total / perPage)) }
    },
  }
}

/** Every word must appear (stemmed by the index's tokenizer); each is quoted, so no word is syntax. */
function fts5Query(words: readonly string[]): string {
  return words.map((w) => `"${w}"`).join(' ')
}

function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = []
  for (const [i, piece] of marked.split(new RegExp(`[${MARK_START}${MARK_END}]`)).entries()) {
    if (piece) parts.push({ text: piece, matched: i % 2 === 1 })
  }
  return parts
}

/** PostgreSQL's text search configuration for a locale (stemming in the site's language), else 'simple'. */
export function textSearchConfig(locale: string): string {
  const configs: Record<string, string> = {
    ar: 'arabic', da: 'danish', de: 'german', el: 'greek', en: 'english', es: 'spanish', fi: 'finnish', fr: 'french', hu: 'hungarian',
    id: 'indonesian', it: 'italian', lt: 'lithuanian', nb: 'norwegian', nl: 'dutch', nn: 'norwegian', no: 'norwegian', pt: 'portuguese',
    ro: 'romanian', ru: 'russian', sv: 'swedish', tr: 'turkish',
  }
  return configs[locale.toLowerCase().split('-')[0]!] ?? 'simple'
}
