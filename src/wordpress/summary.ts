/** @module An import's summary as the lines the CLI prints: counts per kind, what was skipped and why. */
import type { ImportSummary } from './wxr-import.ts'

/**
 * @example summaryLines(summary) // ['posts: 39 created, 0 updated, 0 unchanged', …]
 */
export function summaryLines(summary: ImportSummary): string[] {
  const verb = summary.dryRun ? 'would be ' : ''
  const lines = [summary.dryRun ? 'dry run: nothing was written; this is what the import would do' : 'import finished']
  for (const [kind, t] of Object.entries(summary.counts)) {
    lines.push(`${kind}: ${t.created} ${verb}created, ${t.updated} ${verb}updated, ${t.unchanged} unchanged`)
  }
  if (summary.featuredImages) lines.push(`featured images: ${summary.featuredImages} (kept in the import map with their attachments)`)
  if (summary.derivedDates) lines.push(`dates derived (no post_date_gmt): ${summary.derivedDates}`)
  if (summary.learned) lines.push(`spam filter learned from: ${summary.learned} comments`)
  for (const [reason, n] of summary.skipped) lines.push(`skipped ${n}: ${reason}`)
  if (summary.shortcodes.size > 0) {
    lines.push(`kept as text (shortcodes and dynamic blocks): ${[...summary.shortcodes].map(([name, n]) => `[${name}] ×${n}`).join(', ')}`)
  }
  return lines
}
