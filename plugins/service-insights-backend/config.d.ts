import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Service insights (`@golden-path/plugin-service-insights-backend`). */
  serviceInsights?: {
    /**
     * When the stored insights are brought up to date with the catalog. One replica at a time runs it. Default:
     * every 30 seconds, first run at startup, timeout 15 minutes.
     */
    refresh?: SchedulerServiceTaskScheduleDefinitionConfig;
  };
}
