/** @module The spam engine's thresholds as the site has set them. */
import type { Thresholds } from '../spam/index.ts'
import type { SiteSettings } from './schema.ts'

export function thresholdsOf(settings: SiteSettings): Thresholds {
  return { discard: settings.spamDiscardThreshold, spam: settings.spamThreshold, hold: settings.spamHoldThreshold }
}
