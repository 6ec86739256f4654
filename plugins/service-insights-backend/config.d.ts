export interface Config {
  /** Service insights (card and dashboard). */
  serviceInsights?: {
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
