import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { LocalRepoUrlReader } from './LocalRepoUrlReader';
import { readLocalPublishRoot } from './localPublishConfig';

/**
 * Lets every plugin's UrlReader (the catalog's above all) read repositories published by
 * golden-path:publish:local. Adds no reader when local publishing is not configured.
 *
 * @public
 */
export const localRepoUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: { config: coreServices.rootConfig },
  async factory({ config }) {
    return ({ treeResponseFactory }) => {
      const root = readLocalPublishRoot(config);
      if (!root) {
        return [];
      }
      const reader = new LocalRepoUrlReader(root, treeResponseFactory);
      return [{ reader, predicate: url => reader.handles(url) }];
    };
  },
});
