/**
 * @module Illustrations for the demo stories, drawn here as SVG for the project (no photograph or
 * artwork from anywhere else) and turned into the site's images by the media module at seeding.
 */

export interface DemoImage {
  readonly svg: string
  readonly alt: string
  readonly caption: string
  readonly credit: string
}

const W = 1600
const H = 900

/** The river at night, held back by the panels of a demountable barrier along the quay. */
function floodBarrier(): string {
  const panels = Array.from({ length: 9 }, (_, i) => `<rect x="${120 + i * 150}" y="430" width="140" height="150" fill="#b9c3cc" stroke="#6f7a84" stroke-width="6"/><rect x="${185 + i * 150}" y="400" width="12" height="190" fill="#4d565e"/>`).join('')
  const rain = Array.from({ length: 90 }, (_, i) => {
    const x = (i * 197) % W
    const y = (i * 113) % 380
    return `<line x1="${x}" y1="${y}" x2="${x - 14}" y2="${y + 40}" stroke="#9fb4c7" stroke-width="3" opacity="0.5"/>`
  }).join('')
  const ripples = Array.from({ length: 14 }, (_, i) => `<path d="M${(i * 131) % W} ${640 + (i % 5) * 45} q 40 -14 80 0 t 80 0" stroke="#7fa3c2" stroke-width="5" fill="none" opacity="0.7"/>`).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1d2b3a"/><stop offset="1" stop-color="#41566b"/></linearGradient>
<linearGradient id="water" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3c5f80"/><stop offset="1" stop-color="#1f3850"/></linearGradient></defs>
<rect width="${W}" height="${H}" fill="url(#sky)"/>
<path d="M0 360 L160 300 L260 330 L420 250 L560 320 L700 280 L860 330 L1000 260 L1180 320 L1320 270 L1600 330 L1600 420 L0 420 Z" fill="#2a3a49"/>
<rect x="0" y="580" width="${W}" height="320" fill="url(#water)"/>
<rect x="0" y="400" width="${W}" height="30" fill="#5b5346"/>
<rect x="0" y="560" width="${W}" height="24" fill="#5b5346"/>
${panels}
${ripples}
<circle cx="1380" cy="120" r="46" fill="#e8e2c8" opacity="0.85"/>
${rain}
</svg>`
}

/** A branch library at dusk: lit windows, shelves of books, a bench and a tree. */
function branchLibrary(): string {
  const books = Array.from({ length: 3 }, (_, shelf) =>
    Array.from({ length: 26 }, (_, i) => {
      const colours = ['#a8432f', '#2f6d8a', '#d9a441', '#5c7f3b', '#7b4d8e', '#c9c1b0']
      const h = 60 + ((i * 37 + shelf * 11) % 30)
      return `<rect x="${520 + i * 22}" y="${480 + shelf * 100 - h}" width="18" height="${h}" fill="${colours[(i + shelf * 2) % colours.length]}"/>`
    }).join(''),
  ).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<rect width="${W}" height="${H}" fill="#f1d8b8"/>
<rect y="0" width="${W}" height="260" fill="#e9bf90"/>
<rect x="0" y="760" width="${W}" height="140" fill="#8c8578"/>
<polygon points="420,220 800,90 1180,220" fill="#7a3b2e"/>
<rect x="440" y="220" width="720" height="540" fill="#c98f5d" stroke="#7a4e2c" stroke-width="8"/>
<rect x="500" y="300" width="600" height="330" fill="#fff3cf" stroke="#7a4e2c" stroke-width="8"/>
<rect x="500" y="380" width="600" height="10" fill="#7a4e2c"/><rect x="500" y="480" width="600" height="10" fill="#7a4e2c"/><rect x="500" y="580" width="600" height="10" fill="#7a4e2c"/>
${books}
<rect x="740" y="650" width="120" height="110" fill="#4d3422"/>
<circle cx="1340" cy="520" r="150" fill="#5e8c4a"/><rect x="1325" y="600" width="30" height="170" fill="#5a3e28"/>
<rect x="160" y="700" width="200" height="18" fill="#5a3e28"/><rect x="175" y="718" width="14" height="42" fill="#5a3e28"/><rect x="331" y="718" width="14" height="42" fill="#5a3e28"/>
</svg>`
}

/** Illustrations by story slug. */
export const DEMO_IMAGES: Readonly<Record<string, () => DemoImage>> = {
  'flood-barrier-holds': () => ({
    svg: floodBarrier(),
    alt: 'Grey barrier panels along a quay hold back a high, dark river in the rain at night',
    caption: 'The demountable barrier on the town quay held the river 40 centimetres below its top.',
    credit: 'Illustration: Broadsheet demo',
  }),
  'council-keeps-branch-libraries-open': () => ({
    svg: branchLibrary(),
    alt: 'A small brick library with lit windows and shelves of coloured books, a tree and a bench outside',
    caption: 'All five branch libraries stay open under the budget.',
    credit: 'Illustration: Broadsheet demo',
  }),
}
