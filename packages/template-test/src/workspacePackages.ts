// The monorepo's own packages ship TypeScript sources as CommonJS with extensionless imports, which Node cannot
// load natively: they are loaded through Backstage's Node transform, the one `backstage-cli package start` uses.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('@backstage/cli-node/config/nodeTransform.cjs');

export const goldenPathCommon =
  require('@golden-path/common') as typeof import('@golden-path/common');
export { require as requireWorkspace };
