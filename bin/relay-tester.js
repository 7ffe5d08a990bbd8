#!/usr/bin/env node
// Entry point of the `relay-tester` command. The package ships dist/ built; in a clone, `npm install` builds it (prepare).
// npm only warns when Node is older than package.json's engines; an old Node would then fail somewhere inside with
// a stack trace. Say it up front instead, before loading anything (hence the dynamic import). Exit status 78
// (sysexits EX_CONFIG), so that no script mistakes it for a verdict (run's 1 means a case failed).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `relay-tester needs Node.js 20.19 or later (22 or 24 LTS recommended); this is Node.js ${process.versions.node}. ` +
      'Install a current Node.js from your distribution or nodejs.org, then run relay-tester again.\n',
  );
  process.exit(78);
}

import('../dist/main/cli/main.js')
  .then(({ main }) => main(process.argv.slice(2)))
  .then(
    (status) => {
      process.exitCode = status;
    },
    (error) => {
      process.stderr.write(`relay-tester: internal error: ${error?.stack ?? error}\n`);
      process.exitCode = 70;
    },
  );
