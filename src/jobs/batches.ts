/**
 * @module Sweeps in bounded batches: each batch is one transaction over at most `batchSize` rows,
 * and the event loop is given back between batches, so requests are answered while a sweep runs.
 */

/** One batch of a sweep: changes up to `limit` rows and answers how many it changed. */
export type SweepStep = (limit: number) => Promise<number>

export interface BatchOptions {
  /** Rows a batch (a transaction) changes at most. */
  readonly batchSize: number
  /** Called after each batch with the rows it changed; false stops the sweep (the lease was lost). */
  readonly between?: (changed: number) => Promise<boolean> | boolean
}

export interface SweepResult {
  /** Rows changed in all. */
  readonly changed: number
  /** Batches that changed rows: each one transaction (a last look that finds nothing changes nothing and is not counted). */
  readonly batches: number
}

/** Gives the event loop a turn: waiting requests and timers run before the next batch. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Runs `step` until a batch changes fewer rows than `batchSize` (nothing is left): N rows in
 * batches of B take ceil(N/B) transactions (and, when B divides N, one more look that finds nothing).
 * @example
 * const { changed } = await inBatches((limit) => store.dropUserAgents(db, limit), { batchSize: 1000 })
 */
export async function inBatches(step: SweepStep, options: BatchOptions): Promise<SweepResult> {
  let changed = 0
  let batches = 0
  for (;;) {
    const n = await step(options.batchSize)
    if (n > 0) batches++
    changed += n
    if (n < options.batchSize) return { changed, batches }
    if (options.between && !(await options.between(n))) return { changed, batches }
    await yieldToRequests()
  }
}
