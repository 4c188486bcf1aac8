/** @module `broadsheet import wordpress`, `broadsheet export wordpress` and `broadsheet import disqus`. */
import fs from 'node:fs'
import cliProgress from 'cli-progress'
import { Invalid } from '../errors.ts'
import type { Config } from '../config/config.ts'
import { openSite } from '../site.ts'
import { summaryLines } from '../wordpress/summary.ts'
import type { ImportProgress } from '../wordpress/wxr-import.ts'

export interface ImportWordpressOptions {
  readonly dryRun?: boolean
  readonly uploads?: string
  readonly learn?: boolean
}

export async function importWordpressCommand(config: Config, file: string, options: ImportWordpressOptions): Promise<void> {
  if (options.uploads !== undefined && !fs.statSync(options.uploads, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Invalid(`--uploads ${options.uploads}: not a folder`)
  }
  const site = await openSite(config, { seed: false })
  const progress = progressReporter()
  try {
    const summary = await site.services.wordpress.importWxr(file, {
      ...(options.dryRun && { dryRun: true }),
      ...(options.uploads && { uploadsDir: options.uploads }),
      ...(options.learn && { learn: true }),
      onProgress: progress.update,
    })
    progress.stop()
    for (const line of summaryLines(summary)) process.stdout.write(`${line}\n`)
  } finally {
    progress.stop()
    await site.close()
  }
}

/**
 * A bar on a terminal (items, bytes, rate, time left); plain lines, every 5 seconds or so, when
 * the output goes to a file or a pipe.
 */
export function progressReporter(): { update(p: ImportProgress): void; stop(): void } {
  if (!process.stderr.isTTY) {
    let last = Date.now()
    return {
      update(p) {
        if (Date.now() - last < 5000) return
        last = Date.now()
        process.stderr.write(`read ${p.items} records, ${mb(p.bytes)} of ${mb(p.totalBytes)}\n`)
      },
      stop() {},
    }
  }
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {items} records | {done} of {size} | {rate}/s | {eta_formatted} left', stream: process.stderr, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  const t0 = Date.now()
  return {
    update(p) {
      const values = { items: p.items, done: mb(p.bytes), size: mb(p.totalBytes), rate: Math.round(p.items / Math.max(0.001, (Date.now() - t0) / 1000)) }
      if (!started) {
        bar.start(Math.max(1, p.totalBytes), p.bytes, values)
        started = true
      } else bar.update(p.bytes, values)
    },
    stop() {
      if (started) bar.stop()
      started = false
    },
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`
}

export async function exportWordpressCommand(config: Config, file: string): Promise<void> {
  const site = await openSite(config, { seed: false })
  try {
    const started = Date.now()
    const s = await site.services.wordpress.exportWxr(file)
    process.stdout.write(
      `wrote ${file} (WXR 1.2): ${s.posts} posts, ${s.pages} pages, ${s.comments} comments, ${s.categories} categories, ${s.tags} tags, ${s.authors} authors in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    )
  } finally {
    await site.close()
  }
}

export async function importDisqusCommand(config: Config, file: string, options: { dryRun?: boolean }): Promise<void> {
  const site = await openSite(config, { seed: false })
  try {
    const s = await site.services.wordpress.importDisqus(file, options.dryRun ? { dryRun: true } : {})
    const verb = s.dryRun ? 'would be ' : ''
    const lines = [
      s.dryRun ? 'dry run: nothing was written; this is what the import would do' : 'import finished',
      `threads: ${s.threads} (${s.unmatchedThreads} match no article here)`,
      `comments: ${s.comments.created} ${verb}created, ${s.comments.updated} ${verb}updated, ${s.comments.unchanged} unchanged`,
      `in the moderation queue: ${s.byStatus.pending}; spam: ${s.byStatus.spam}; deleted on Disqus (trash): ${s.byStatus.trash}`,
      ...[...s.skipped].map(([reason, n]) => `skipped ${n}: ${reason}`),
    ]
    for (const line of lines) process.stdout.write(`${line}\n`)
  } finally {
    await site.close()
  }
}
