/**
 * @module Turns headlines and names into URL slugs, and reads the slug in an address the same
 * way, so every link the site prints leads back to its page in any script.
 *
 * A slug is in NFC (the form browsers and keyboards send), lower case, words joined by hyphens.
 * Latin, Greek and Cyrillic accents are dropped (`café` → `cafe`, as WordPress does); the marks
 * other scripts need are kept on their letters (Devanagari vowel signs, Arabic harakat, kana's
 * dakuten: `ピ` stays `ピ`, not `ヒ` and a stray mark). Modifier letters that stand for an
 * apostrophe or a stress (`ʻ ʼ ˈ`) are dropped, as is Arabic's tatweel; those that belong to a
 * word (`ー` in `ニュース`, `々`) are kept. Emoji are kept, without their presentation selectors.
 */

/** Latin, Greek and Cyrillic accents, once decomposed; other scripts' marks live elsewhere. */
const latinAccentsRe = /[\u0300-\u036f]/g
/** Spacing modifier letters (ʰ ʻ ʼ ˈ ˌ …), modifier tone letters and Arabic's tatweel: not part of a word's spelling. */
const modifierLettersRe = /[\u02b0-\u02ff\ua700-\ua71f\u0640]/g
/** Emoji joiners and presentation selectors: dropped, so `❤` and `❤️` are one slug. */
const emojiGlueRe = /[\u200d\ufe0e\ufe0f]/g
/** © and ® are pictographs to Unicode, but a symbol in a name, like `&`. */
const notEmojiRe = /[\u00a9\u00ae]/g
const notSlugCharsRe = /[^\p{L}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]+/gu
/** Marks left with no letter to sit on (after a hyphen, or first). */
const strayMarksRe = /(^|-)\p{M}+/gu
const repeatedHyphensRe = /-{2,}/g
const edgeHyphensRe = /^-+|-+$/g

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * A lower-case, hyphenated slug in NFC; letters outside ASCII are kept (WordPress does too).
 * It is at most `maxLength` UTF-16 units, cut between whole characters (never inside an emoji
 * or between a letter and its mark); '' when the text has no letter, digit or emoji.
 * @example slugify('Russia sends inmates to the front — again') // 'russia-sends-inmates-to-the-front-again'
 * @example slugify('ニュース') // 'ニュース'
 */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(latinAccentsRe, '')
    .normalize('NFC')
    .replace(modifierLettersRe, '')
    .replace(emojiGlueRe, '')
    .replace(notEmojiRe, '-')
    .replace(notSlugCharsRe, '-')
    .replace(strayMarksRe, '$1')
    .replace(repeatedHyphensRe, '-')
    .replace(edgeHyphensRe, '')
  return cutAtCharacter(slug, maxLength).replace(edgeHyphensRe, '')
}

function cutAtCharacter(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  let out = ''
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > maxLength) break
    out += segment
  }
  return out
}

const slugStartRe = /^[\p{Ll}\p{Lo}\p{Lm}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]/u
const slugCharsRe = /^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}-]*$/u
const notInSlugRe = /[\u00a9\u00ae]/

/**
 * Whether a string can be used as a slug as it stands: what `slugify` could have made (NFC, no
 * upper case, no modifier letters, single hyphens between words), and so what `readSlug` reads
 * an address of it back into: a valid slug is always reachable.
 */
export function isValidSlug(slug: string): boolean {
  return slug.length <= 200 && slugStartRe.test(slug) && slugCharsRe.test(slug) && !notInSlugRe.test(slug) && readSlug(slug) === slug
}

/**
 * The slug an address names, as the site stores it: typed in another normal form (NFD, as some
 * systems send file names and pasted text) or with a modifier letter an old link carried, it
 * still names the same page. The same rule re-normalised the stored slugs (migration 020b).
 * @example readSlug('\u30d2\u309a') // 'ピ' (NFD kana, as a Mac may send it)
 */
export function readSlug(fromAddress: string): string {
  return fromAddress
    .normalize('NFC')
    .replace(modifierLettersRe, '')
    .replace(emojiGlueRe, '')
    .replace(strayMarksRe, '$1')
    .replace(repeatedHyphensRe, '-')
    .replace(edgeHyphensRe, '')
}
