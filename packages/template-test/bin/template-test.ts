#!/usr/bin/env node
// Entry point of `template-test` (and `yarn template-test`); see src/cli.ts for the flags.
import { main } from '../src/cli.ts';

main(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    process.stderr.write(`template-test: ${error?.stack ?? error}\n`);
    process.exit(2);
  },
);
