/**
 * The golden-path policy in one place, shared by scaffolder actions, backend plugins and the UI: cost-tag rules and
 * where each tag is written, annotation keys, trace-link builders and name rules.
 * Isomorphic: no Node-only imports, so it runs in the browser as well.
 *
 * @packageDocumentation
 */

/** Component name rule. */
export * from './componentName';
/** The form pages every golden-path template shares, built from the policy's rules. */
export * from './templateForm';
/** Owner reference rule. */
export * from './ownerRef';
/** The `goldenPath` policy: types, defaults and the app-config reader. */
export * from './policy';
/** Image registry and autoscaling (per-environment bounds, peak windows) of `goldenPath.deploy`. */
export {
  AUTOSCALING_ENGINES,
  cronProblem,
  type AutoscalingEngine,
  type AutoscalingPolicy,
  type PeakWindow,
  type ReplicaBounds,
} from './deployPolicy';
/** Opt-in Chaos Mesh experiments (`goldenPath.chaos`). */
export { DEFAULT_CHAOS_POLICY, type ChaosPolicy } from './chaosPolicy';
/** Cost-tag rules and the keys each tag is written under. */
export {
  COST_TAG_CATALOG_LABEL_PREFIX,
  costTagRuleText,
  defaultCostTagKeys,
  satisfiesCostTagRule,
} from './costTagPolicy';
export type {
  CostTagKeys,
  CostTagPolicy,
  CostTagRule,
  CostTagsPolicy,
} from './costTagPolicy';
/** Cost-tag validation, fix hints and projection into catalog, Kubernetes, OpenTelemetry and cloud keys. */
export * from './costTags';
/** `OTEL_RESOURCE_ATTRIBUTES` formatting and parsing. */
export * from './otelResourceAttributes';
/** Annotation and label keys, and readers for entity annotations. */
export * from './annotations';
/** Secrets path patterns. */
export * from './secretsPath';
/** Which declared secrets exist in the secret manager (the service-insights secrets route). */
export * from './secretsStatus';
/** Trace ids, including the Datadog form. */
export * from './traceIds';
/** Trace-link builders for Jaeger, Grafana Tempo, Honeycomb and Datadog. */
export * from './traceLinks';
/** Owners of a trace: the services in it mapped to catalog components (service-insights `/traces/{id}/owners`). */
export * from './traceOwners';
/** Trace links for a catalog entity. */
export * from './entityTraceLinks';
/** Link safety: only http(s) URLs become links. */
export { baseUrlProblem, safeHttpUrl } from './safeHttpUrl';

export * from './serviceInsights';
/** The service-insights request contract: filters, sort, page, their query parameters and catalog projections. */
export * from './serviceInsightsQuery';
export * from './serviceInsightsFields';
/** One component's insight: owner, cost-tag compliance, tracing and provenance. */
export * from './summarizeService';

export * from './runtimeDrift';
