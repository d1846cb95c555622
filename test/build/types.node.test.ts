/**
 * The published typings of `parley-chat/elements` (dist/esm/elements.d.ts, built by rollup) let a
 * TSX app use `<parley-chat>` with its attributes and events, and type `addEventListener`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const elementsDts = join(root, 'dist/esm/elements.d.ts');
const reactDts = join(root, 'dist/esm/react.d.ts');

/** Type errors of a TSX app; `dir` decides which node_modules it sees (a temp dir sees none). */
function typeErrors(source: string, dir = mkdtempSync(join(tmpdir(), 'parley-types-')), react = false): string[] {
  const file = join(dir, 'app.tsx');
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    jsx: react ? ts.JsxEmit.ReactJSX : ts.JsxEmit.Preserve,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    baseUrl: root,
    paths: { 'parley-chat/elements': [elementsDts], 'parley-chat/react': [reactDts] },
    typeRoots: [join(root, 'node_modules/@types')],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('TSX accepts <parley-chat> attributes and typed events, and addEventListener is typed', () => {
  assert.ok(
    existsSync(elementsDts),
    'dist/esm/elements.d.ts is missing: build first with npx rollup -c rollup.config.mjs',
  );
  const errors = typeErrors(`
    import { ParleyChat } from 'parley-chat/elements';
    declare const JSXFactory: unknown; void JSXFactory;
    const ids: (string | null)[] = [];
    const view = <parley-chat api-url="https://chat.example.com" bot-name="CRM Assistant" position="bottom-left" theme="dark"
      session="memory" onparley-conversation-change={(e) => ids.push(e.detail.conversationId)} />;
    void view;
    const el = document.querySelector('parley-chat');
    el?.addEventListener('parley-message', (e) => console.log(e.detail.message.text));
    el?.addEventListener('parley-connection-change', (e) => console.log(e.detail.state));
    const chat: ParleyChat | null = el;
    chat?.open();
    const status: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'fallback' | 'offline' | 'closed' | undefined = chat?.connectionState;
    void status;
  `);
  assert.deepEqual(errors, []);
  const wrong = typeErrors(`
    import 'parley-chat/elements';
    const view = <parley-chat position="middle" />;
    void view;
  `);
  assert.ok(
    wrong.some((m) => /middle/.test(m)),
    `a wrong position is rejected: ${wrong.join('; ')}`,
  );
});

test('TSX accepts <ParleyChat> from parley-chat/react with the seed EnhancedChatBot props, and rejects a wrong position', () => {
  assert.ok(existsSync(reactDts), 'dist/esm/react.d.ts is missing: build first with npx rollup -c rollup.config.mjs');
  // Inside the repository, so the app sees React's types as a React app does.
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, '.tmp', 'react-types-'));
  try {
    const errors = typeErrors(
      `
      import { useRef } from 'react';
      import { ParleyChat, EnhancedChatBot, type ParleyChatElement } from 'parley-chat/react';
      export function App() {
        const ref = useRef<ParleyChatElement>(null);
        const ids: (string | null)[] = [];
        return (
          <>
            <ParleyChat ref={ref} apiUrl="https://chat.example.com" botName="My Bot" position="bottom-right"
              onConversationChange={(id) => ids.push(id)} onParleyMessage={(e) => console.log(e.detail.message.text)} />
            <EnhancedChatBot botName="My Bot" position="bottom-left" onConversationChange={(id) => console.log('New conversation:', id)} />
          </>
        );
      }
    `,
      dir,
      true,
    );
    assert.deepEqual(errors, []);
    const wrong = typeErrors(
      `
      import { ParleyChat } from 'parley-chat/react';
      export const view = <ParleyChat position="middle" />;
    `,
      dir,
      true,
    );
    assert.ok(
      wrong.some((m) => /middle/.test(m)),
      `a wrong position is rejected: ${wrong.join('; ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
