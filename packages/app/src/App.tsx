import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';

// Other plugins (scaffolder, org, search, ...) are discovered from this package's dependencies (`app.packages: all`).
export default createApp({
  features: [catalogPlugin, navModule],
});
