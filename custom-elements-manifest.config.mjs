// The Custom Elements Manifest (dist/custom-elements.json, named by "customElements" in package.json):
// generated at build from the doc tags of components/ (@summary, @event, @csspart, @cssproperty),
// so IDEs complete <parley-chat> attributes and events. rollup.config.mjs runs it after the bundles.
export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/**/*.d.ts', 'components/react.ts', 'components/script-tag.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names dist/custom-elements.json itself: the analyzer must not rewrite it at each build.
  packagejson: false,
};
