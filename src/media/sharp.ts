/**
 * @module sharp, loaded at the first image (not at every start) and set for a server process:
 * libvips's operation cache off (each image is made once and its files kept on disk; the cache
 * only held up to 50 MB of decoded pixels per process for nothing).
 */
import type { default as Sharp } from 'sharp'

let loaded: Promise<typeof Sharp> | undefined

/** The sharp function, set up once. */
export function loadSharp(): Promise<typeof Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false)
    return sharp
  })
  return loaded
}
