import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'fs-extra';
import { join } from 'node:path';
import YAML from 'yaml';

export const COMPONENT_CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  # a comment that must survive our edits
  description: Payments
spec:
  type: service
  lifecycle: experimental
  owner: group:default/team-payments
`;

/** A temporary task workspace plus helpers to run an action in it and read what it wrote. */
export function createWorkspaceFixture() {
  const mockDir = createMockDirectory();
  const workspacePath = () => mockDir.resolve('workspace');
  return {
    workspacePath,
    reset(files: Record<string, string> = {}) {
      mockDir.clear();
      mockDir.setContent({ workspace: files });
    },
    context(
      input: Record<string, unknown>,
      extra: Record<string, unknown> = {},
    ): any {
      return {
        ...createMockActionContext({
          input,
          workspacePath: workspacePath(),
        } as any),
        ...extra,
      };
    },
    read: (path: string) =>
      fs.readFileSync(join(workspacePath(), path), 'utf8'),
    exists: (path: string) => fs.existsSync(join(workspacePath(), path)),
    yaml: (path: string) =>
      YAML.parse(fs.readFileSync(join(workspacePath(), path), 'utf8')),
    /** Every file in the workspace with its content, for "running twice changes nothing" checks. */
    snapshot(): Record<string, string> {
      const root = workspacePath();
      return Object.fromEntries(
        (
          fs.readdirSync(root, {
            recursive: true,
            withFileTypes: true,
          }) as fs.Dirent[]
        )
          .filter(e => e.isFile())
          .map(e => join(e.parentPath, e.name))
          .sort()
          .map(p => [p.slice(root.length + 1), fs.readFileSync(p, 'utf8')]),
      );
    },
  };
}
