#!/usr/bin/env node
// The `oxibase` command. Runs the compiled build (dist/, made by `npm install` or `npm run build`)
// when it exists, so any maintained Node works; otherwise runs the TypeScript sources with Node's
// built-in type stripping, which needs Node 22.18+ (the project brings Node 24 for npm scripts).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
const useBuilt = existsSync(built);
const [major, minor] = process.versions.node.split('.').map(Number);
if (!useBuilt && (major < 22 || (major === 22 && minor < 18))) {
  process.stderr.write(
    `oxibase needs Node.js 22.18 or newer to run from source; this is Node ${process.versions.node}.\n` +
    'Build it first (npm run build), or run it through npm, which brings the Node 24 this project installs:\n' +
    '  npx oxibase ...        or        npm run oxibase -- ...\n');
  process.exit(1);
}
try {
  const cli = await import(useBuilt ? built.href : new URL('../src/cli/main.ts', import.meta.url).href);
  process.exitCode = await cli.runCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`oxibase: ${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
}
