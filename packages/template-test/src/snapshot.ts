// Golden files: the rendered tree compared file by file with a committed copy, differences as unified diffs.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { requireWorkspace as require } from './workspacePackages.ts';
import type { CheckResult, Workspace } from './checks/types.ts';

const { createTwoFilesPatch } = require('diff') as {
  createTwoFilesPatch(
    oldName: string,
    newName: string,
    oldText: string,
    newText: string,
    oldHeader: string,
    newHeader: string,
    options: { context: number },
  ): string;
};
const RULE = 'the rendered repository matches the committed snapshot';

function listTree(root: string, dir = root): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory()
      ? listTree(root, join(dir, e.name))
      : [relative(root, join(dir, e.name))],
  );
}

export function compareSnapshot(
  ws: Workspace,
  snapshotDir: string,
  update: boolean,
): CheckResult[] {
  if (update) {
    rmSync(snapshotDir, { recursive: true, force: true });
    for (const file of ws.files) {
      mkdirSync(dirname(join(snapshotDir, file)), { recursive: true });
      writeFileSync(join(snapshotDir, file), readFileSync(join(ws.dir, file)));
    }
    return [
      {
        check: 'snapshot',
        rule: RULE,
        verdict: 'pass',
        message: `wrote ${ws.files.length} files to ${snapshotDir}`,
      },
    ];
  }
  if (!existsSync(snapshotDir)) {
    return [
      {
        check: 'snapshot',
        rule: RULE,
        verdict: 'fail',
        message: `no snapshot at ${snapshotDir}: run with --update to write it`,
      },
    ];
  }
  const expected = new Set(listTree(snapshotDir));
  const results: CheckResult[] = [];
  for (const file of ws.files) {
    if (!expected.has(file)) {
      results.push({
        check: 'snapshot',
        rule: RULE,
        verdict: 'fail',
        file,
        message: 'new file, not in the snapshot',
      });
      continue;
    }
    expected.delete(file);
    const before = readFileSync(join(snapshotDir, file), 'utf8');
    const after = readFileSync(join(ws.dir, file), 'utf8');
    if (before !== after) {
      const patch = createTwoFilesPatch(
        `snapshot/${file}`,
        `rendered/${file}`,
        before,
        after,
        '',
        '',
        { context: 2 },
      );
      results.push({
        check: 'snapshot',
        rule: RULE,
        verdict: 'fail',
        file,
        message: `differs from the snapshot:\n${patch
          .split('\n')
          .slice(2)
          .join('\n')}`,
      });
    }
  }
  for (const file of expected) {
    results.push({
      check: 'snapshot',
      rule: RULE,
      verdict: 'fail',
      file,
      message: 'in the snapshot, no longer rendered',
    });
  }
  return results.length
    ? results
    : [{ check: 'snapshot', rule: RULE, verdict: 'pass' }];
}
