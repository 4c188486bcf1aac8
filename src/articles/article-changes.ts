/**
 * @module Changes readers may notice: an articles service that tells a listener about each
 * article after a save, restore, correction, removal or scheduled publication has committed,
 * so that work outside the articles module (WebSub pings) follows every route that changes one.
 */
import type { Article, ArticlesService } from './articles.ts'

/** What changed: the article as it now is, or as it was just before its removal. */
export interface ArticleChange {
  readonly article: Article
  readonly removed: boolean
}

/**
 * @example const articles = observeChanges(articlesService(db, now), (change) => pingHub(change.article))
 */
export function observeChanges(service: ArticlesService, listener: (change: ArticleChange) => void): ArticlesService {
  const changed = (article: Article, removed = false) => listener({ article, removed })
  return {
    ...service,
    save: async (input, at, by) => {
      const saved = await service.save(input, at, by)
      changed(saved.article)
      return saved
    },
    restore: async (article, number, by, baseRevision) => {
      const saved = await service.restore(article, number, by, baseRevision)
      changed(saved.article)
      return saved
    },
    correct: async (id, input, by) => {
      const correction = await service.correct(id, input, by)
      const article = await service.byId(id)
      if (article) changed(article)
      return correction
    },
    remove: async (id) => {
      const before = await service.byId(id)
      const removed = await service.remove(id)
      if (removed && before) changed(before, true)
      return removed
    },
    publishDue: async () => {
      const published = await service.publishDue()
      for (const article of published) changed(article)
      return published
    },
  }
}
