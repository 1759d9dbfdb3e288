#!/usr/bin/env node
// `npx srp …` has to work in a fresh clone right after `npm ci`, before anything is built. So: run the
// compiled CLI when `npm run build` has produced one, and otherwise the TypeScript source through tsx
// (a devDependency, imported from here so it resolves from this package, not the caller's directory).
// A dist/ left from an older build wins over newer sources: rebuild, or delete dist/, after editing src/.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/srp.js', import.meta.url);
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/cli/srp.ts', import.meta.url).href);
}
await cli.run();
