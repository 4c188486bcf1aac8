/**
 * @module Group commit for new comments: the comments that arrive while the disk is busy with
 * one commit are written together in the next, so that each still waits for its own durable
 * commit but a burst shares the cost of the flush to disk.
 */
import type { DB, Storage } from '../storage/database.ts'
import { insertComment, insertCommentQuery, type NewCommentRow } from './comment-store.ts'

interface Pending {
  readonly row: NewCommentRow
  resolve(id: number): void
  reject(error: unknown): void
}

export class CommentWriter {
  readonly #db: DB
  readonly #commitOffLoop: Storage['commitOffLoop']
  #queue: Pending[] = []
  #flushing = false

  /** With `commitOffLoop` (SQLite), the event loop serves other requests while a batch reaches the disk. */
  constructor(db: DB, commitOffLoop?: Storage['commitOffLoop']) {
    this.#db = db
    this.#commitOffLoop = commitOffLoop
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
      const written = this.#write(batch)
      // Off the loop, a batch commits at once and waits for the disk on its own: the next batch
      // need not wait for it. Otherwise the wait for the disk is what gathers the next batch.
      if (!this.#commitOffLoop) await written
    }
    this.#flushing = false
  }

  async #write(batch: readonly Pending[]): Promise<void> {
    try {
      const ids = await this.#insertAll(batch.map((p) => p.row))
      batch.forEach((p, i) => p.resolve(ids[i]!))
    } catch {
      // One bad row (its article deleted meanwhile, say) must not fail the others: one by one.
      for (const p of batch) await insertComment(this.#db, p.row).then(p.resolve, p.reject)
    }
  }

  /** The rows' ids, once their one transaction is durable. */
  async #insertAll(rows: readonly NewCommentRow[]): Promise<number[]> {
    if (this.#commitOffLoop) {
      const answers = await this.#commitOffLoop(rows.map((row) => insertCommentQuery(this.#db, row).compile()))
      return answers.map((rows) => (rows[0] as { id: number }).id)
    }
    return this.#db.transaction().execute(async (trx) => {
      const out: number[] = []
      for (const row of rows) out.push(await insertComment(trx, row))
      return out
    })
  }
}
