import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Service insights (`@golden-path/plugin-service-insights-backend`). */
  serviceInsights?: {
    /**
     * When the stored insights are brought up to date with the catalog. One replica at a time runs it. Default:
     * every 30 seconds, first run at startup, timeout 15 minutes.
     */
    refresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    snapshots?: {
      /**
       * How long daily roll-up snapshots (the compliance trends) are kept, e.g. `{ days: 365 }` or an ISO duration
       * (`P1Y`). Default 90 days. `/trends` answers at most this many days.
       */
      retention?: HumanDuration | string;
    };
    /** Where the runtime check finds each environment among the Kubernetes plugin's clusters. */
    kubernetes?: {
      /**
       * Environment → names of the clusters (as configured for `@backstage/plugin-kubernetes-backend`) that serve
       * it, e.g. `{ prod: [prod-eu-1, prod-us-1] }`. Default: a cluster serves the environment of the same name.
       */
      environmentClusters?: { [environment: string]: string[] };
    };
  };
}
