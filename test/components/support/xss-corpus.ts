/** Message texts that try to run script, load frames, inject style or carry dangerous URLs. */
export const XSS_CORPUS = [
  '<script>window.__xss = 1</script>',
  'text <script src="data:text/javascript,window.__xss=1"></script>',
  '<img src=x onerror="window.__xss = 1">',
  '<img src="x" onerror=window.__xss=1//',
  '[click](javascript:window.__xss=1)',
  '[click](JaVaScRiPt:window.__xss=1)',
  '[click](  javascript:window.__xss=1  )',
  '[click](<javascript:window.__xss=1>)',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html,<script>window.__xss=1</script>)',
  '[ref link][1]\n\n[1]: javascript:window.__xss=1',
  '<javascript:window.__xss=1>',
  '![img](javascript:window.__xss=1)',
  '![img](data:image/svg+xml,<svg onload=window.__xss=1>)',
  '![img](x" onerror="window.__xss=1)',
  '[![img](https://example.com/a.png)](javascript:window.__xss=1)',
  '<svg onload="window.__xss=1"><circle r="5"/></svg>',
  '<svg><script>window.__xss=1</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<style>:host { display: none }</style>',
  '<div style="background:url(javascript:window.__xss=1)">styled</div>',
  '<a href="javascript:window.__xss=1">html link</a>',
  '<form action="javascript:window.__xss=1"><button>go</button></form>',
  '<object data="javascript:window.__xss=1"></object>',
  '<embed src="javascript:window.__xss=1">',
  '<base href="javascript:/">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<details open ontoggle="window.__xss=1">x</details>',
  '<body onload="window.__xss=1">',
  '`<script>window.__xss=1</script>`',
  '```html\n<script>window.__xss=1</script>\n<iframe srcdoc="x"></iframe>\n```',
  '**<img src=x onerror=window.__xss=1>**',
  '- <script>window.__xss=1</script>\n- [x](javascript:window.__xss=1)',
  '| a | b |\n|---|---|\n| <img src=x onerror=window.__xss=1> | [x](javascript:window.__xss=1) |',
  '&lt;script&gt;window.__xss=1&lt;/script&gt;',
  '[x](&#106;avascript:window.__xss=1)',
  '[x](java&#x09;script:window.__xss=1)',
];

const FORBIDDEN_ELEMENTS =
  'script, iframe, frame, style, form, object, embed, base, meta, link, svg, math, template, input, textarea';
const ALLOWED_SCHEMES = ['http:', 'https:', 'mailto:', 'blob:'];

/** Every way `root` could carry active content rendered from a message; empty when inert. */
export function activeContentIn(root: ParentNode): string[] {
  const problems: string[] = [];
  for (const el of root.querySelectorAll(FORBIDDEN_ELEMENTS)) problems.push(`element <${el.localName}>`);
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name) || attr.name === 'style' || attr.name === 'srcdoc' || attr.name === 'formaction') {
        problems.push(`attribute ${attr.name} on <${el.localName}>`);
      }
    }
    for (const name of ['href', 'src', 'action', 'data', 'xlink:href']) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      const scheme = new URL(value, location.href).protocol;
      if (!ALLOWED_SCHEMES.includes(scheme) || (el.localName === 'img' && scheme === 'mailto:')) {
        problems.push(`${name}=${value} on <${el.localName}>`);
      }
    }
    if (el.localName === 'a' && el.getAttribute('rel') !== 'noopener noreferrer')
      problems.push('<a> without rel=noopener noreferrer');
  }
  return problems;
}

/** Two frames: long enough for an injected onerror/onload to have fired. */
export const twoFrames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
