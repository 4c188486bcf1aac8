// A node:test reporter that prints one JSON line per test (not per suite): its name, its suites,
// and whether it ran, passed or was skipped. run-each-alone.mjs reads it.
export default async function* listTests(source) {
  const stack = []
  for await (const event of source) {
    if (event.type === 'test:start') stack[event.data.nesting] = event.data.name
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.details?.type !== 'suite') {
      const { file, name, nesting, skip } = event.data
      yield `${JSON.stringify({ file, name, suites: stack.slice(0, nesting), ok: event.type === 'test:pass', skipped: skip !== undefined && skip !== false })}\n`
    }
  }
}
