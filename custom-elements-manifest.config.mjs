// The Custom Elements Manifest (dist/custom-elements.json, named by "customElements" in package.json):
// generated at build from the doc tags of components/ (@summary, @event, @csspart, @cssproperty),
// so IDEs complete <parley-chat> attributes and events. rollup.config.mjs runs it after the bundles.
// The plugin below also writes dist/vscode.html-custom-data.json from it, for VS Code's
// "html.customData" setting (VS Code does not read the manifest itself).
import { readFileSync, writeFileSync } from 'node:fs';

/** `'a' | 'b'` -> the values VS Code offers; other types (aliases, string) offer none. */
const valuesOf = (type = '') =>
  /^('[^']*'\s*\|\s*)*'[^']*'$/.test(type.trim()) ? type.split('|').map((v) => ({ name: v.trim().slice(1, -1) })) : [];

const vscodeCustomData = () => ({
  name: 'vscode-html-custom-data',
  packageLinkPhase({ customElementsManifest }) {
    // A type alias of the components (`type ParleyPosition = 'bottom-right' | ...`) stands for its union.
    const sources = customElementsManifest.modules.map((module) => readFileSync(module.path, 'utf8')).join('\n');
    const resolve = (type = '') =>
      new RegExp(`\\btype ${type.replace(/\W/g, '')} =\\s*([^;]+);`).exec(sources)?.[1]?.trim() ?? type;
    const tags = customElementsManifest.modules
      .flatMap((module) => module.declarations ?? [])
      .filter((declaration) => declaration.customElement && declaration.tagName)
      .map((element) => ({
        name: element.tagName,
        description: [element.summary, element.description].filter(Boolean).join('\n\n'),
        attributes: (element.attributes ?? []).map((attribute) => ({
          name: attribute.name,
          description: attribute.description ?? '',
          values: valuesOf(resolve(attribute.type?.text)),
        })),
      }));
    writeFileSync('dist/vscode.html-custom-data.json', JSON.stringify({ version: 1.1, tags }, null, 2) + '\n');
  },
});

export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/**/*.d.ts', 'components/react.ts', 'components/script-tag.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names dist/custom-elements.json itself: the analyzer must not rewrite it at each build.
  packagejson: false,
  plugins: [vscodeCustomData()],
};
