/**
 * WordPress import and export at newsroom scale: a generated WXR file of 10,000 posts and
 * 100,000 comments (threaded, mixed statuses, classic and block content, categories and tags)
 * in a temporary folder, imported into an empty SQLite site in a child process (so peak RSS is
 * the import's own: the real `broadsheet` command, RSS followed in /proc), then exported. Prints items/s, time and peak RSS, min/median/max over runs.
 * Targets: import < 60 s and < 300 MB peak RSS; export < 30 s.
 *
 *   npm run bench:import [-- --posts 10000 --comments 100000 --runs 1]
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { root } from './support.ts'

const { values: args } = parseArgs({
  options: {
    posts: { type: 'string', default: '10000' },
    comments: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '1' },
    /** Only write the generated file here (to profile an import by hand). */
    generate: { type: 'string' },
  },
})


async function parent(): Promise<void> {
  const posts = Number(args.posts)
  const comments = Number(args.comments)
  const runs = Number(args.runs)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-import-'))
  try {
    const file = path.join(tmp, 'generated.xml')
    const t0 = performance.now()
    writeWxr(file, posts, comments)
    const size = fs.statSync(file).size
    console.log(`generated ${posts} posts, ${comments} comments: ${(size / 1048576).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const imports: { seconds: number; rssMb: number; cpuSeconds: number }[] = []
    const exports: { seconds: number; rssMb: number; cpuSeconds: number }[] = []
    for (let run = 0; run < runs; run++) {
      const dir = path.join(tmp, `site-${run}`)
      fs.mkdirSync(dir)
      imports.push(await runChild('import', file, dir))
      exports.push(await runChild('export', path.join(dir, 'export.xml'), dir))
      fs.rmSync(dir, { recursive: true, force: true })
    }
    const items = posts + comments
    const line = (label: string, xs: number[], unit: string, digits = 1) => {
      const sorted = [...xs].sort((a, b) => a - b)
      console.log(`${label}: min ${sorted[0]!.toFixed(digits)} / median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(digits)} / max ${sorted.at(-1)!.toFixed(digits)} ${unit}`)
    }
    console.log(`runs: ${runs}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times stretch on a shared machine; CPU time does not)`)
    line('import time', imports.map((r) => r.seconds), 's')
    line('import CPU time', imports.map((r) => r.cpuSeconds), 's')
    line('import rate', imports.map((r) => items / r.seconds), 'items/s', 0)
    line('import peak RSS', imports.map((r) => r.rssMb), 'MB', 0)
    line('export time', exports.map((r) => r.seconds), 's')
    line('export CPU time', exports.map((r) => r.cpuSeconds), 's')
    line('export peak RSS', exports.map((r) => r.rssMb), 'MB', 0)
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

/**
 * Runs the real command (`bin/broadsheet.js import|export wordpress FILE`) on a fresh SQLite site
 * in `dir`, timing it and following its peak RSS (VmHWM) in /proc while it runs.
 */
function runChild(kind: 'import' | 'export', file: string, dir: string): Promise<{ seconds: number; rssMb: number; cpuSeconds: number }> {
  const env = { ...process.env, BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0', DATABASE_URL: `sqlite:${path.join(dir, 'broadsheet.db')}` }
  const t0 = performance.now()
  // Output is dropped: the progress lines would fill the benchmark's own.
  const command = spawn(process.execPath, [path.join(root, 'bin/broadsheet.js'), kind, 'wordpress', file], { env, stdio: 'ignore' })
  let peakKb = 0
  let cpuTicks = 0
  const watch = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${command.pid}/status`, 'utf8'))
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]))
      // utime and stime (fields 14 and 15, in clock ticks of 1/100 s): CPU the command used, whatever else the machine runs.
      const stat = fs.readFileSync(`/proc/${command.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      cpuTicks = Math.max(cpuTicks, Number(stat[11]) + Number(stat[12]))
    } catch {
      /* it has just ended */
    }
  }, 50)
  return new Promise((resolve, reject) => {
    command.on('error', reject)
    command.on('exit', (code) => {
      clearInterval(watch)
      if (code !== 0) reject(new Error(`broadsheet ${kind} wordpress exited with ${code}`))
      else resolve({ seconds: (performance.now() - t0) / 1000, rssMb: peakKb / 1024, cpuSeconds: cpuTicks / 100 })
    })
  })
}

/** A seeded generator, so every run reads the same file. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32)
}

const WORDS = 'harbour council river flood budget library school ferry weir market hospital road bridge election museum rail housing festival court police'.split(' ')

function sentence(rand: () => number, n: number): string {
  const words = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]!)
  return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.'
}

function writeWxr(file: string, posts: number, comments: number): void {
  const rand = random(14)
  const fd = fs.openSync(file, 'w')
  const write = (s: string) => fs.writeSync(fd, s)
  write(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench Gazette</title><link>https://bench.example</link><wp:wxr_version>1.2</wp:wxr_version>
`)
  for (let a = 1; a <= 20; a++) write(`<wp:author><wp:author_login>reporter${a}</wp:author_login><wp:author_email>reporter${a}@bench.example</wp:author_email><wp:author_display_name><![CDATA[Reporter ${a}]]></wp:author_display_name></wp:author>\n`)
  for (let c = 1; c <= 40; c++) write(`<wp:category><wp:term_id>${c}</wp:term_id><wp:category_nicename>section-${c}</wp:category_nicename><wp:category_parent>${c > 10 ? `section-${c % 10 + 1}` : ''}</wp:category_parent><wp:cat_name><![CDATA[Section ${c}]]></wp:cat_name></wp:category>\n`)
  let commentId = 0
  for (let p = 1; p <= posts; p++) {
    const date = new Date(Date.UTC(2015, 0, 1) + p * 3_600_000 * 7)
    const stamp = date.toISOString().slice(0, 19).replace('T', ' ')
    const paragraphs = Array.from({ length: 6 }, () => sentence(rand, 40))
    const body = p % 2 === 0 ? paragraphs.map((x) => `<!-- wp:paragraph -->\n<p>${x}</p>\n<!-- /wp:paragraph -->`).join('\n\n') : paragraphs.join('\n\n')
    const n = Math.floor((comments * p) / posts) - Math.floor((comments * (p - 1)) / posts)
    let xml = `<item><title><![CDATA[${sentence(rand, 8)}]]></title><link>https://bench.example/${stamp.slice(0, 10).replace(/-/g, '/')}/story-${p}/</link><dc:creator>reporter${1 + (p % 20)}</dc:creator><guid isPermaLink="false">https://bench.example/?p=${p}</guid><content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[${sentence(rand, 20)}]]></excerpt:encoded><wp:post_id>${p}</wp:post_id><wp:post_date>${stamp}</wp:post_date><wp:post_date_gmt>${stamp}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:post_name>story-${p}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="section-${1 + (p % 40)}"><![CDATA[Section ${1 + (p % 40)}]]></category><category domain="post_tag" nicename="tag-${p % 500}"><![CDATA[Tag ${p % 500}]]></category>\n`
    const first = commentId + 1
    for (let c = 0; c < n; c++) {
      commentId++
      const parent = c > 0 && rand() < 0.4 ? first + Math.floor(rand() * c) : 0
      const status = rand() < 0.85 ? '1' : rand() < 0.5 ? '0' : 'spam'
      const cdate = new Date(date.getTime() + (c + 1) * 60_000).toISOString().slice(0, 19).replace('T', ' ')
      xml += `<wp:comment><wp:comment_id>${commentId}</wp:comment_id><wp:comment_author><![CDATA[Reader ${commentId % 5000}]]></wp:comment_author><wp:comment_author_email>reader${commentId % 5000}@mail.example</wp:comment_author_email><wp:comment_author_IP>192.0.2.${commentId % 250}</wp:comment_author_IP><wp:comment_date>${cdate}</wp:comment_date><wp:comment_date_gmt>${cdate}</wp:comment_date_gmt><wp:comment_content><![CDATA[${sentence(rand, 25)}\n\n${sentence(rand, 10)}]]></wp:comment_content><wp:comment_approved>${status}</wp:comment_approved><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>\n`
    }
    write(`${xml}</item>\n`)
  }
  write('</channel>\n</rss>\n')
  fs.closeSync(fd)
}

// Last, so that every constant above is defined when the work starts.
if (args.generate) {
  writeWxr(args.generate, Number(args.posts), Number(args.comments))
} else {
  await parent()
}
