/**
 * @module A streaming XML reader for large exports (WXR, Disqus): it hands back one small element
 * tree at a time (an `<item>`, a `<wp:category>`, a `<post>`), so a file of hundreds of MB never
 * sits in memory. Namespaces are normalised to fixed prefixes (`wp:`, `excerpt:` …) whatever
 * version or scheme the file declares; malformed XML stops with its line and column.
 */
import fs from 'node:fs'
import { SaxesParser, type SaxesTagNS } from 'saxes'
import { Invalid } from '../errors.ts'

/** One element as read: its normalised name, attributes (by local or normalised name), text and children. */
export interface XmlNode {
  readonly name: string
  readonly attrs: Readonly<Record<string, string>>
  text: string
  readonly children: XmlNode[]
}

/** The file is not well-formed XML; `line` and `column` say where it broke. */
export class MalformedXml extends Invalid {
  override readonly name = 'MalformedXml'
  constructor(file: string, readonly line: number, readonly column: number, problem: string) {
    super(`${file}: malformed XML at line ${line}, column ${column}: ${problem}`, 'malformed_xml')
  }
}

export interface XmlStreamOptions {
  /** Namespace URI → the prefix it is known by here; a URI not recognised keeps the file's prefix. */
  readonly prefixFor: (uri: string) => string | undefined
  /** Whether the element at this path (normalised names from the root) is handed back whole. */
  readonly isRecord: (path: readonly string[]) => boolean
  /** Called with the bytes read so far, after each chunk. */
  readonly onBytes?: (bytesRead: number) => void
}

/** What the stream yields: a record's tree, with the names of the elements it sits in. */
export interface XmlRecord {
  readonly path: readonly string[]
  readonly node: XmlNode
}

/**
 * Reads `file` chunk by chunk and yields each record element as a tree once it closes.
 * The next chunk is read only when the caller asks for more, so slow writes hold the reading back.
 * @example
 * for await (const { node } of readXmlRecords('export.xml', { prefixFor, isRecord: (p) => p.at(-1) === 'item' })) …
 */
export async function* readXmlRecords(file: string, options: XmlStreamOptions): AsyncGenerator<XmlRecord> {
  let input: fs.ReadStream
  try {
    await fs.promises.access(file, fs.constants.R_OK)
    input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })
  } catch (error) {
    throw new Invalid(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'unreadable_file')
  }
  const parser = new SaxesParser({ xmlns: true, position: true })
  const ready: XmlRecord[] = []
  const path: string[] = []
  const open: XmlNode[] = []
  let recordDepth = -1

  const nameOf = (tag: { uri: string; prefix: string; local: string }) => {
    const prefix = tag.uri ? (options.prefixFor(tag.uri) ?? tag.prefix) : ''
    return prefix ? `${prefix}:${tag.local}` : tag.local
  }
  parser.on('opentag', (tag: SaxesTagNS) => {
    const name = nameOf(tag)
    path.push(name)
    if (recordDepth < 0 && options.isRecord(path)) recordDepth = path.length
    if (recordDepth < 0) return
    const attrs: Record<string, string> = {}
    for (const a of Object.values(tag.attributes)) {
      attrs[a.uri ? nameOf(a) : a.local] = a.value
    }
    const node: XmlNode = { name, attrs, text: '', children: [] }
    open.at(-1)?.children.push(node)
    open.push(node)
  })
  const addText = (text: string) => {
    const node = open.at(-1)
    if (node) node.text += text
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('closetag', () => {
    if (recordDepth >= 0) {
      const node = open.pop()!
      if (path.length === recordDepth) {
        ready.push({ path: path.slice(0, -1), node })
        recordDepth = -1
      }
    }
    path.pop()
  })

  const fail = (error: unknown): never => {
    const message = (error as Error).message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, '')
    throw new MalformedXml(file, parser.line, parser.column, message)
  }
  try {
    for await (const chunk of input) {
      try {
        parser.write(chunk as string)
      } catch (error) {
        fail(error)
      }
      options.onBytes?.(input.bytesRead)
      while (ready.length > 0) yield ready.shift()!
    }
    try {
      parser.close()
    } catch (error) {
      fail(error)
    }
    while (ready.length > 0) yield ready.shift()!
  } finally {
    input.destroy()
  }
}

/** The text of the first child of that name (trimmed), or '' when there is none. */
export function childText(node: XmlNode, name: string): string {
  return node.children.find((c) => c.name === name)?.text.trim() ?? ''
}

/** The untrimmed text of the first child of that name (content, where whitespace matters). */
export function childRaw(node: XmlNode, name: string): string {
  return node.children.find((c) => c.name === name)?.text ?? ''
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name)
}
