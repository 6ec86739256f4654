import { createRouteRef } from '@backstage/core-plugin-api';

/** The platform dashboard. A legacy route ref; `/alpha` converts it for the new frontend system. */
export const rootRouteRef = createRouteRef({ id: 'service-insights' });
