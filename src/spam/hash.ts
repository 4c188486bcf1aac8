/** @module A fast 32-bit string hash (MurmurHash3's mixing) for the hashed feature space. */

/** Hashes a string's UTF-16 code units with a seed; stable across runs and platforms. */
export function hashString(text: string, seed = 0x9747b28c): number {
  return hashSlice(text, 0, text.length, seed)
}

/** One step of the hash: mixes a 16-bit code unit into the running state. */
function mixIn(h: number, codeUnit: number): number {
  let k = Math.imul(codeUnit, 0xcc9e2d51)
  k = (k << 15) | (k >>> 17)
  k = Math.imul(k, 0x1b873593)
  h ^= k
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

/** The last step: folds in the length and avalanches the bits. */
function finalize(h: number, length: number): number {
  h ^= length
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A hash of an ordered pair of hashes (word pairs without building the string). */
export function pairHash(a: number, b: number): number {
  return finalize(mixIn(mixIn(0x2545f491, a & 0xffff) ^ (a >>> 16), b & 0xffff) ^ (b >>> 16), 2)
}

/** Hashes `text.slice(start, end)` without making the substring (character n-grams are most of the work). */
export function hashSlice(text: string, start: number, end: number, seed: number): number {
  let h = seed >>> 0
  for (let i = start; i < end; i++) h = mixIn(h, text.charCodeAt(i))
  return finalize(h, end - start)
}

/** A small deterministic PRNG (mulberry32), so that training is reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
