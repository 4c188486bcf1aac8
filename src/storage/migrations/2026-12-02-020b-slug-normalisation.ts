/**
 * Data: stored slugs re-normalised to the rule slugs are now made and read by (NFC, no modifier
 * letters such as ʻ ʼ ˈ, no tatweel). Before it, slugs were made in NFKD, so Korean was stored
 * as loose jamo, and a modifier letter could be kept; the routes now read addresses in NFC and
 * refuse modifier letters, so such a slug named a page no link could reach.
 *
 * Only slugs that break the rule change. An article keeps its old slug among its former ones
 * (`article_slugs`), so its old permalink still redirects; an old term or author address is read
 * by the routes into the new slug. A new slug that another row already has gets `-2`, `-3` ….
 * The rule is written out here, as it was when this ran: later changes to slugs do not move it.
 */
import type { Kysely } from 'kysely'

const modifierLettersRe = /[\u02b0-\u02ff\ua700-\ua71f\u0640]/g
const emojiGlueRe = /[\u200d\ufe0e\ufe0f]/g
const strayMarksRe = /(^|-)\p{M}+/gu
const repeatedHyphensRe = /-{2,}/g
const edgeHyphensRe = /^-+|-+$/g

function normalised(slug: string): string {
  return slug.normalize('NFC').replace(modifierLettersRe, '').replace(emojiGlueRe, '').replace(strayMarksRe, '$1').replace(repeatedHyphensRe, '-').replace(edgeHyphensRe, '')
}

interface SlugRow {
  id: number
  slug: string
}

/**
 * The new slug for each row whose slug breaks the rule: free among the rows' slugs and
 * `formerOwners` (slug → the row it leads to), or one that already leads to the row itself.
 */
function renames(rows: SlugRow[], fallback: (id: number) => string, formerOwners = new Map<string, number>()): Map<number, string> {
  const owners = new Map(formerOwners)
  for (const r of rows) owners.set(r.slug, r.id)
  const free = (slug: string, id: number) => (owners.get(slug) ?? id) === id
  const out = new Map<number, string>()
  for (const row of rows) {
    const base = normalised(row.slug) || fallback(row.id)
    if (base === row.slug) continue
    let candidate = base
    for (let n = 2; !free(candidate, row.id); n++) candidate = `${base}-${n}`
    owners.set(candidate, row.id)
    out.set(row.id, candidate)
  }
  return out
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const taxonomy of ['category', 'tag']) {
    const rows: SlugRow[] = await db.selectFrom('terms').select(['id', 'slug']).where('taxonomy', '=', taxonomy).execute()
    for (const [id, slug] of renames(rows, (id) => `${taxonomy}-${id}`)) await db.updateTable('terms').set({ slug }).where('id', '=', id).execute()
  }

  const users: SlugRow[] = await db.selectFrom('users').select(['id', 'slug']).execute()
  for (const [id, slug] of renames(users, (id) => `author-${id}`)) await db.updateTable('users').set({ slug }).where('id', '=', id).execute()

  // A new slug must not be one that already leads to another article (a former slug of it).
  const articles: SlugRow[] = await db.selectFrom('articles').select(['id', 'slug']).execute()
  const former: SlugRow[] = await db.selectFrom('article_slugs').select(['article_id as id', 'slug']).execute()
  const formerOwners = new Map(former.map((f) => [f.slug, f.id]))
  for (const [id, slug] of renames(articles, (id) => `article-${id}`, formerOwners)) {
    await db.updateTable('articles').set({ slug }).where('id', '=', id).execute()
    if (!formerOwners.has(slug)) await db.insertInto('article_slugs').values({ slug, article_id: id }).execute()
    formerOwners.set(slug, id)
  }
  // A former slug in the old form still redirects once read as the routes now read it.
  for (const f of former) {
    const slug = normalised(f.slug)
    if (!slug || formerOwners.has(slug)) continue
    await db.insertInto('article_slugs').values({ slug, article_id: f.id }).execute()
    formerOwners.set(slug, f.id)
  }
}

/** The old forms cannot be rebuilt; the normalised slugs work under either rule's routes but NFD's. */
export async function down(): Promise<void> {}
