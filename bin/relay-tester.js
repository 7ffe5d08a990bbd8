#!/usr/bin/env node
// Entry point of the `relay-tester` command; the code is compiled to dist/ by `npm install` (prepare).
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
