#!/usr/bin/env node
// The `oxibase` command. Oxibase ships TypeScript sources and relies on Node's built-in type
// stripping (on by default from Node 22.18), so this launcher only checks the Node version and
// hands over to src/cli/main.ts. Kept to syntax any Node can parse, so that an old Node gets the
// message below instead of a syntax error.
var parts = process.versions.node.split('.');
var major = Number(parts[0]);
var minor = Number(parts[1]);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    'oxibase needs Node.js 22.18 or newer (it runs its TypeScript sources directly); this is Node ' +
    process.versions.node + '.\n' +
    'Run it through npm, which brings the Node 24 this project installs:\n' +
    '  npx oxibase ...        or        npm run oxibase -- ...\n');
  process.exit(1);
}
import('../src/cli/main.ts').then(function (cli) {
  return cli.runCli(process.argv.slice(2));
}).then(function (status) {
  process.exitCode = status;
}, function (error) {
  process.stderr.write('oxibase: ' + (error && error.stack ? error.stack : String(error)) + '\n');
  process.exitCode = 1;
});
