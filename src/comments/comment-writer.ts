/**
 * @module Group commit for new comments: the comments that arrive while the disk is busy with
 * one commit are written together in the next, so that each still waits for its own durable
 * commit but a burst shares the cost of the flush to disk.
 */
import type { DB } from '../storage/database.ts'
import { insertComment, type NewCommentRow } from './comment-store.ts'

interface Pending {
  readonly row: NewCommentRow
  resolve(id: number): void
  reject(error: unknown): void
}

export class CommentWriter {
  readonly #db: DB
  #queue: Pending[] = []
  #flushing = false

  constructor(db: DB) {
    this.#db = db
  }

  /** Resolves with the comment's id once its transaction has committed. */
  insert(row: NewCommentRow): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ row, resolve, reject })
      if (!this.#flushing) {
        this.#flushing = true
        setImmediate(() => void this.#flush())
      }
    })
  }

  async #flush(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue
      this.#queue = []
      try {
        const ids = await this.#db.transaction().execute(async (trx) => {
          const out: number[] = []
          for (const p of batch) out.push(await insertComment(trx, p.row))
          return out
        })
        batch.forEach((p, i) => p.resolve(ids[i]!))
      } catch {
        // One bad row (its article deleted meanwhile, say) must not fail the others: one by one.
        for (const p of batch) await insertComment(this.#db, p.row).then(p.resolve, p.reject)
      }
    }
    this.#flushing = false
  }
}
