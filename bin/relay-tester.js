#!/usr/bin/env node
// Entry point of the `relay-tester` command. The package ships dist/ built; in a clone, `npm install` builds it (prepare).
import { main } from '../dist/main/cli/main.js';

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(`relay-tester: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 70;
  },
);
