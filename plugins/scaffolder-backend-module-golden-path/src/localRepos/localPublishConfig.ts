import { Config } from '@backstage/config';
import { resolve as resolvePath } from 'node:path';

/** Where golden-path:publish:local writes repositories; undefined when local publishing is not configured. */
export function readLocalPublishRoot(config: Config): string | undefined {
  const rootDirectory = config.getOptionalString(
    'goldenPath.publish.local.rootDirectory',
  );
  return rootDirectory ? resolvePath(rootDirectory) : undefined;
}
