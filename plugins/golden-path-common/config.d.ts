export interface Config {
  /**
   * The golden-path policy: one place for the rules that the scaffolder actions, the backend and the UI all apply.
   * Every key is optional; missing keys take the defaults stated below. Read it with `readGoldenPathPolicy`, which
   * also checks it and names the key and rule of any mistake.
   */
  goldenPath?: {
    /**
     * Cost-allocation tags every service must carry. Each tag is written to the catalog entity, Kubernetes labels,
     * OpenTelemetry resource attributes and cloud tags, so all of it is visible to the UI.
     * @deepVisibility frontend
     */
    costTags?: {
      /**
       * Tags every service must set. Tag names are lowercase kebab-case.
       * Default: `[team, cost-center, environment, product]`.
       * @visibility frontend
       */
      required?: string[];
      /**
       * What values a tag accepts, by tag name: a regular expression that must match the whole value (for example
       * `'^CC-[0-9]{4}$'`), or a list of allowed values. A rule for a tag that is not required makes an optional
       * tag, checked only when set. Values must also be valid Kubernetes label values.
       * Default: `{ cost-center: '^CC-[0-9]{4}$', environment: [dev, staging, prod] }`.
       * @visibility frontend
       */
      rules?: { [tag: string]: string | string[] };
      /**
       * Where a tag is written, by tag name, overriding the defaults for the keys given. A tag listed only here is
       * an optional tag without a rule.
       * @visibility frontend
       */
      keys?: {
        [tag: string]: {
          /**
           * Label on the catalog entity, in `metadata.labels`. Default: `golden-path.io/<tag>`.
           * @visibility frontend
           */
          catalogLabel?: string;
          /**
           * Label on Kubernetes namespaces and pod templates. Defaults: `team`, `cost-center`, `env` for
           * environment, `app.kubernetes.io/part-of` for product, otherwise the tag name.
           * @visibility frontend
           */
          k8sLabel?: string;
          /**
           * OpenTelemetry resource attribute. Defaults: `team`, `deployment.environment.name` for environment,
           * `service.namespace` for product, otherwise the tag name with `-` replaced by `_` (`cost_center`).
           * @visibility frontend
           */
          otelAttribute?: string;
          /**
           * Cloud resource tag key (AWS tag, GCP label, Azure tag). Default: the tag name.
           * @visibility frontend
           */
          cloudTag?: string;
        };
      };
    };
    /** How generated services export traces, and where people look at them. */
    tracing?: {
      /**
       * The OTLP/HTTP endpoint generated services export to (`OTEL_EXPORTER_OTLP_ENDPOINT`).
       * Default: `http://otel-collector.observability:4318`.
       */
      otlpEndpoint?: string;
      /**
       * The sampler generated services use. Default: `parentbased_traceidratio` with ratio 0.1.
       */
      sampler?: {
        /** The sampler, named as in `OTEL_TRACES_SAMPLER`. Default: `parentbased_traceidratio`. */
        type?:
          | 'always_on'
          | 'always_off'
          | 'traceidratio'
          | 'parentbased_always_on'
          | 'parentbased_always_off'
          | 'parentbased_traceidratio';
        /**
         * The share of traces to keep, 0 to 1 (`OTEL_TRACES_SAMPLER_ARG`). Required for the two `traceidratio`
         * samplers when `type` is set, and not allowed for the others.
         */
        ratio?: number;
      };
      /**
       * How generated services export metrics (HTTP server and job durations, runtime metrics): over OTLP to
       * `otlpEndpoint`, with the same resource attributes (service name, cost tags) as their traces.
       */
      metrics?: {
        /**
         * Seconds between two metric exports (`OTEL_METRIC_EXPORT_INTERVAL`), a whole number from 1 to 3600.
         * Default: 60, the OpenTelemetry default.
         */
        exportIntervalSeconds?: number;
      };
      /**
       * Where people look at traces; the UI shows one link per entry, in this order.
       * Default: one Jaeger UI at `http://localhost:16686`. An empty list shows no trace links.
       * @deepVisibility frontend
       */
      links?: Array<
        | {
            /**
             * A Jaeger UI.
             * @visibility frontend
             */
            type: 'jaeger';
            /**
             * Where the Jaeger UI is served, an http(s) URL without credentials.
             * @visibility frontend
             */
            baseUrl: string;
            /**
             * Link text. Default: `Jaeger`.
             * @visibility frontend
             */
            title?: string;
          }
        | {
            /**
             * Grafana Explore on a Tempo data source (Grafana 10 or later).
             * @visibility frontend
             */
            type: 'grafana-tempo';
            /**
             * Where Grafana is served, an http(s) URL without credentials.
             * @visibility frontend
             */
            baseUrl: string;
            /**
             * The uid of the Tempo data source.
             * @visibility frontend
             */
            datasourceUid: string;
            /**
             * The Grafana organisation. Default: the user's current one.
             * @visibility frontend
             */
            orgId?: number;
            /**
             * Link text. Default: `Grafana Tempo`.
             * @visibility frontend
             */
            title?: string;
          }
        | {
            /**
             * Honeycomb.
             * @visibility frontend
             */
            type: 'honeycomb';
            /**
             * The team slug, the first path segment of Honeycomb URLs.
             * @visibility frontend
             */
            team: string;
            /**
             * The Honeycomb environment. Default: the deployment environment the link is for; with none, the
             * Honeycomb Classic URL form.
             * @visibility frontend
             */
            environment?: string;
            /**
             * The dataset. Default: the service name, which is how Honeycomb names OpenTelemetry datasets.
             * @visibility frontend
             */
            dataset?: string;
            /**
             * `us` (ui.honeycomb.io) or `eu` (ui.eu1.honeycomb.io). Default: `us`.
             * @visibility frontend
             */
            region?: 'us' | 'eu';
            /**
             * Link text. Default: `Honeycomb`.
             * @visibility frontend
             */
            title?: string;
          }
        | {
            /**
             * Datadog APM.
             * @visibility frontend
             */
            type: 'datadog';
            /**
             * The Datadog site host name, e.g. `datadoghq.com`, `datadoghq.eu`, `us5.datadoghq.com`.
             * @visibility frontend
             */
            site: string;
            /**
             * Link text. Default: `Datadog APM`.
             * @visibility frontend
             */
            title?: string;
          }
      >;
    };
    /** The GitHub organisation that holds the teams; used for CODEOWNERS team handles. */
    github?: {
      /**
       * Organisation name, e.g. `acme`: a group `team-payments` becomes `@acme/team-payments` in CODEOWNERS (a
       * group's `github.com/team-slug` annotation wins). Without it and without that annotation, no CODEOWNERS is
       * written, since a bare `@team` is a user handle to GitHub.
       */
      org?: string;
    };
    /** Where generated services' secrets live and how they reach the pods (External Secrets Operator). */
    secrets?: {
      /**
       * The secret manager. `local` means files under `./.secrets` for development and a fake store in clusters.
       * Default: `local`.
       */
      provider?:
        | 'local'
        | 'vault'
        | 'aws-secrets-manager'
        | 'gcp-secret-manager';
      /** The External Secrets Operator store that generated ExternalSecrets reference. */
      store?: {
        /** Default: `ClusterSecretStore`. */
        kind?: 'ClusterSecretStore' | 'SecretStore';
        /** A Kubernetes object name. Default: `platform-secrets`. */
        name?: string;
      };
      /**
       * Where each secret lives in the secret manager. Placeholders: `{environment}`, `{component}`, `{key}`; the
       * last two are required so that components never share a secret. Default: `{environment}/{component}/{key}`.
       */
      pathPattern?: string;
    };
    /**
     * Chaos Mesh experiments that services opt in to (the templates' "Chaos experiments" checkbox). When a service
     * opts in, only this environment's overlay gets them: a pod kill every hour and a network delay toward each
     * dependency (the OpenTelemetry collector, NATS for workers) every hour at half past, on weekdays inside the
     * business hours, selecting only the service's own pods.
     */
    chaos?: {
      /** Services may opt in. Off: a template run that opts in is refused, naming this key. Default: `false`. */
      enabled?: boolean;
      /** The environment that runs the experiments; not the last (production) one. Default: `staging`. */
      environment?: string;
      /** IANA time zone of the business hours. Default: `UTC`. */
      timezone?: string;
      /** Weekday hours in which experiments start and end. Default: `{ start: 10, end: 16 }`. */
      businessHours?: {
        /** First hour (0-23). */
        start?: number;
        /** Hour the experiments are over by (after start, at most 24). */
        end?: number;
      };
      /** The network delay experiment. */
      networkDelay?: {
        /** Added latency, in milliseconds such as `200ms`. Default: `200ms`. */
        latency?: string;
        /** How long each delay lasts, 1 to 29 minutes. Default: `10`. */
        durationMinutes?: number;
      };
    };
    /** How generated services are deployed. */
    deploy?: {
      /** The GitOps tool the templates generate for. Default: `flux` (the only one today). */
      gitops?: 'flux';
      /**
       * The environments every service is deployed to, in promotion order; each must pass the `environment` cost-tag
       * rule. The UI offers them when choosing trace links. Default: `[dev, staging, prod]`.
       * @visibility frontend
       */
      environments?: string[];
      /** Default replica bounds of generated services, for environments `autoscaling.environments` does not list. */
      hpa?: {
        /** Minimum replicas, 1 or more. Default: 2. */
        min?: number;
        /** Maximum replicas, at least `min`. Default: 10. */
        max?: number;
      };
      /**
       * The container registry and path CI pushes images to, e.g. `ghcr.io/acme`; a service's image is
       * `<registry>/<name>`. Written as image references spell it: no scheme (`https://`), spaces, tag or trailing
       * slash. No default: without it, templates must pass an image to golden-path:deploy.
       */
      registry?: string;
      /**
       * Name of the `kubernetes.io/dockerconfigjson` Secret that pods (in the app's namespace) and Flux's image
       * scanning (in `flux-system`) use for a private registry. The platform provides it in every cluster.
       * Default: none (public registry, or node credentials).
       */
      imagePullSecret?: string;
      /** How generated services scale, per environment, and when the bounds are raised. */
      autoscaling?: {
        /**
         * `keda` writes a KEDA ScaledObject (cpu trigger, a cron trigger per peak window and, for workers, the
         * NATS JetStream consumer lag); `hpa` a plain HorizontalPodAutoscaler for clusters without KEDA (no peak
         * windows). Default: `keda`.
         */
        engine?: 'keda' | 'hpa';
        /**
         * Replica bounds on ordinary days by environment name, e.g. `{ dev: { min: 1, max: 2 }, prod: { min: 3,
         * max: 20 } }`. Keys must be deploy environments; missing values take `hpa`.
         */
        environments?: {
          [environment: string]: {
            /** Minimum replicas, 1 or more. Default: `hpa.min`. */
            min?: number;
            /** Maximum replicas, at least `min`. Default: `hpa.max`. */
            max?: number;
          };
        };
        /**
         * Times when traffic is known to be far above normal (sales, campaigns, month-end): declared once, applied
         * to every generated service. Needs the `keda` engine.
         */
        peakWindows?: Array<{
          /** Lowercase letters, digits and hyphens; names the KEDA cron trigger. */
          name: string;
          /** When the window opens and closes, as 5-field cron expressions (e.g. `0 6 28-31 * *`). Or use `dates`. */
          schedule?: {
            start: string;
            end: string;
          };
          /** Days of the year the window covers, both included, as `MM-DD` (e.g. `11-27` to `11-30`); every year. */
          dates?: {
            from: string;
            to: string;
          };
          /** IANA time zone of the schedule. Default: `UTC`. */
          timezone?: string;
          /** Environments the window applies to. Default: all deploy environments. */
          environments?: string[];
          /** Replicas kept running during the window, 1 or more. */
          min: number;
          /** Replicas the service may scale up to during the window, at least `min`. */
          max: number;
        }>;
      };
    };
  };
}
