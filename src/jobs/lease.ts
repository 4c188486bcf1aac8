/**
 * @module Runs a background job in one process at a time across every app process and host: a
 * lease row in the database with an expiry (the same on SQLite and PostgreSQL). A process that
 * dies holding the lease stops renewing it, and another takes over once it has expired.
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import type { DB } from '../storage/database.ts'
import * as store from './lease-store.ts'

/** This process's name in lease rows: host, process id and a random part (a restarted process is someone new). */
export const THIS_PROCESS = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`

let runs = 0

/** How long a lease lasts without renewal: a holder that stops renewing is presumed gone after this. */
export const LEASE_MS = 120_000

export interface Lease {
  /** Extends the lease; false when it was lost (expired and taken by another process): stop then. */
  renew(): Promise<boolean>
}

export interface LeaseOptions {
  /** Who asks (default: this process, and which of its runs: two runs in one process exclude each other too). */
  readonly holder?: string
  readonly now?: () => Date
  readonly leaseMs?: number
}

/**
 * Runs `work` while holding the job's lease and answers what it returned, or `undefined` when
 * another process holds the lease (it is doing the job now).
 * @example
 * const result = await withLease(db, 'retention', async (lease) => sweep({ between: () => lease.renew() }))
 * if (result === undefined) log('another process is running the retention job')
 */
export async function withLease<T>(db: DB, name: string, work: (lease: Lease) => Promise<T>, options: LeaseOptions = {}): Promise<T | undefined> {
  const holder = options.holder ?? `${THIS_PROCESS}:${++runs}`
  const now = options.now ?? (() => new Date())
  const leaseMs = options.leaseMs ?? LEASE_MS
  const until = () => new Date(now().getTime() + leaseMs).toISOString()
  if (!(await store.takeLease(db, name, holder, now().toISOString(), until()))) return undefined
  try {
    return await work({ renew: () => store.renewLease(db, name, holder, until()) })
  } finally {
    await store.releaseLease(db, name, holder, now().toISOString())
  }
}
