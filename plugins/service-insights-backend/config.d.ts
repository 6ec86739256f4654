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
    /**
     * Tracing backends whose query API the backend asks for a trace, to list the services in it and who owns them
     * (`GET /traces/{traceId}/owners`). Asked server-side only; the browser never talks to them.
     */
    traceQuery?: {
      /** Time limit per request to a backend, body included. Default 5 seconds. */
      timeout?: HumanDuration | string;
      /** A larger answer is abandoned while it streams in. Default 10485760 (10 MiB). */
      maxResponseBytes?: number;
      backends?: Array<{
        /** `jaeger`: Jaeger v2's `/api/v3/traces/{id}`; `tempo`: Grafana Tempo's `/api/traces/{id}`. */
        type: 'jaeger' | 'tempo';
        /** Shown in the UI and in errors. Default: "Jaeger" or "Grafana Tempo". */
        title?: string;
        /**
         * The query API's base URL, e.g. `http://jaeger-query:16686` or `http://tempo:3200`; http(s), without
         * credentials, query or fragment. Redirects are not followed (they would carry the headers elsewhere).
         */
        baseUrl: string;
        /**
         * Headers sent with every request to this backend only, e.g. `Authorization: Basic …` for Grafana Cloud
         * or `X-Scope-OrgID` for a multi-tenant Tempo.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      }>;
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
