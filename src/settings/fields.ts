/** @module The settings as a form sees them: each one's kind, choices and words, read off the schema itself. */
import type { z } from 'zod'
import { SettingsSchema, type SettingKey } from './schema.ts'

export type FieldKind = 'text' | 'longtext' | 'url' | 'number' | 'boolean' | 'choice' | 'lines'

export interface SettingField {
  readonly key: SettingKey
  readonly kind: FieldKind
  readonly label: string
  readonly hint?: string
  readonly choices?: readonly string[]
  readonly nullable: boolean
}

/** Labels and hints in the newsroom's words; a setting without one is labelled from its name. */
const words: Partial<Record<string, { label: string; hint?: string; kind?: FieldKind }>> = {
  title: { label: 'Site title' },
  tagline: { label: 'Tagline' },
  baseUrl: { label: 'Public address', hint: 'e.g. https://news.example.org; empty uses BROADSHEET_URL.' },
  copyrightHolder: { label: 'Copyright holder' },
  reusePolicy: { label: 'Reuse policy', hint: 'Shown under every article and on /reuse/. Paragraphs split on blank lines.', kind: 'longtext' },
  permalinkStructure: { label: 'Permalink structure', hint: 'WordPress structure tags, e.g. /%year%/%monthnum%/%day%/%postname%/' },
  postsPerPage: { label: 'Stories per page' },
  textAndDataMining: { label: 'Text and data mining', hint: 'Reserved: /.well-known/tdmrep.json tells crawlers (AI training, say) they need permission.' },
  feedContent: { label: 'Feeds carry', hint: 'The full text, or only the standfirst.' },
  feedItems: { label: 'Items in each feed' },
  language: { label: 'Language', hint: 'A language tag such as en-GB or fr-FR.' },
  commentThreadDepth: { label: 'Reply depth', hint: 'How deep replies may nest.' },
  pageComments: { label: 'Break comments into pages' },
  commentsPerPage: { label: 'Top-level comments a page', hint: 'Each with all its replies.' },
  defaultCommentsPage: { label: 'The article shows the comment page of the', hint: 'newest: the last page; oldest: the first.' },
  commentOrder: { label: 'Comments on each page', hint: 'asc: older at the top; desc: newer at the top.' },
  closeCommentsAfterDays: { label: 'Close comments after (days)', hint: '0 keeps them open.' },
  holdAfterLinks: { label: 'Hold comments with more links than' },
  holdFirstTimeCommenters: { label: 'Hold first-time commenters until one of their comments is approved' },
  disallowedKeys: { label: 'Disallowed words, addresses and IPs', hint: 'One a line: a comment containing any of them goes to the trash.' },
  commentRateLimitPerMinute: { label: 'Comments per minute from one address' },
  ipRetentionDays: { label: 'Keep commenters’ IP addresses for (days)', hint: 'Then they are anonymised. The privacy page says so.' },
  keepUserAgents: { label: 'Keep commenters’ browser names (user agents) after the spam check' },
  spamDiscardThreshold: { label: 'Discard unseen at spam probability', hint: 'Near-certain spam only (0.5–1).' },
  spamThreshold: { label: 'Spam folder at spam probability' },
  spamHoldThreshold: { label: 'Hold for a moderator at spam probability' },
  erasure: { label: 'On an erasure request', hint: 'anonymise keeps the text as “Anonymous”; delete removes the comments.' },
}

function unwrap(schema: z.ZodType): { type: string; entries?: Record<string, string>; nullable: boolean } {
  let def = (schema as any)._zod.def
  let nullable = false
  while (def.innerType) {
    if (def.type === 'nullable') nullable = true
    def = def.innerType._zod.def
  }
  return { type: def.type, entries: def.entries, nullable }
}

const humanise = (key: string) => key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase())

export function settingFields(): SettingField[] {
  return Object.entries(SettingsSchema.shape).map(([key, schema]) => {
    const { type, entries, nullable } = unwrap(schema as z.ZodType)
    const w = words[key]
    const kind: FieldKind =
      w?.kind ?? (type === 'boolean' ? 'boolean' : type === 'number' ? 'number' : type === 'enum' ? 'choice' : type === 'array' ? 'lines' : key === 'baseUrl' ? 'url' : 'text')
    return { key: key as SettingKey, kind, label: w?.label ?? humanise(key), ...(w?.hint && { hint: w.hint }), ...(entries && { choices: Object.values(entries) }), nullable }
  })
}

/** The form's strings back into values the schema checks (it says what is wrong). */
export function fromForm(form: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of settingFields()) {
    const raw = form[f.key]
    if (f.kind === 'boolean') out[f.key] = raw === '1' || raw === 'on'
    else if (raw === undefined) continue
    else if (f.kind === 'number') out[f.key] = raw.trim() === '' ? Number.NaN : Number(raw)
    else if (f.kind === 'lines') out[f.key] = raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
    else if (f.nullable && raw.trim() === '') out[f.key] = null
    else out[f.key] = f.kind === 'longtext' ? raw.replace(/\r\n/g, '\n') : raw.trim()
  }
  return out
}
