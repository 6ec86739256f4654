import { CostTagFinding } from './costTags';
import { TraceLink } from './traceLinks';

// The service-insights API contract, shared by the backend that computes it and the UI that shows it.

/** The fields the service list can be sorted by. */
export const SERVICE_SORT_FIELDS = [
  'name',
  'owner',
  'system',
  'lifecycle',
  'compliance',
  'costCenter',
] as const;

/** One of {@link SERVICE_SORT_FIELDS}. */
export type ServiceSortField = (typeof SERVICE_SORT_FIELDS)[number];

/** Compliance filter values: the three states, plus `noncompliant` for "missing or invalid tags". */
export const COMPLIANCE_FILTERS = [
  'compliant',
  'noncompliant',
  'missing-tags',
  'invalid-tags',
] as const;

/** One of {@link COMPLIANCE_FILTERS}. */
export type ComplianceFilter = (typeof COMPLIANCE_FILTERS)[number];

/** Whether a component carries every required cost tag with a valid value. */
export type ComplianceState = 'compliant' | 'missing-tags' | 'invalid-tags';

/** A group in an owner's parent chain, nearest first (team → department). */
export interface GroupSummary {
  ref: string;
  displayName?: string;
}

export interface OwnerInsight {
  /** The entity ref in `spec.owner`, normalised (e.g. `group:default/team-payments`). */
  ref: string;
  /** False when no Group or User with that ref exists in the catalog: a problem to show, not to hide. */
  resolved: boolean;
  kind?: string;
  displayName?: string;
  email?: string;
  /** Chat channel from the component's or else the owner's `golden-path.io/chat-channel` annotation. */
  chatChannel?: string;
  /** The owner's parents, nearest first. */
  parents: GroupSummary[];
}

export interface ServiceInsight {
  entityRef: string;
  name: string;
  namespace: string;
  title?: string;
  description?: string;
  type?: string;
  lifecycle?: string;
  owner: OwnerInsight;
  system?: string;
  domain?: string;
  /** One finding per policy tag, as `validateCostTags` returns them. */
  costTags: CostTagFinding[];
  compliance: ComplianceState;
  /** Tracing: the OTel service name (undefined when the component has no tracing annotation) and links per backend. */
  tracing: { serviceName?: string; links: TraceLink[] };
  /** Template provenance, when the component was generated from a template. */
  template?: { ref: string; version?: string };
}

export interface ServiceListResponse {
  items: ServiceInsight[];
  totalItems: number;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** One row of a roll-up: counts and shares (0..1) for a team or a cost center. */
export interface RollupRow {
  key: string;
  title: string;
  services: number;
  fullyTagged: number;
  fullyTaggedShare: number;
  traced: number;
  tracedShare: number;
  unresolvedOwner: number;
}

export interface RollupsResponse {
  byTeam: RollupRow[];
  byCostCenter: RollupRow[];
  totals: RollupRow;
}

/** The values the dashboard's filters offer. */
export interface FilterOptionsResponse {
  teams: Array<GroupSummary & { parent?: string }>;
  costCenters: string[];
  environments: string[];
  lifecycles: string[];
  types: string[];
}

/** One day of a compliance trend: the roll-up numbers as they were that day. */
export interface TrendPoint {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  services: number;
  fullyTagged: number;
  fullyTaggedShare: number;
  traced: number;
  tracedShare: number;
  unresolvedOwner: number;
}

/** Daily snapshots of one roll-up row (all services, one owning team, or one cost center), oldest first. */
export interface TrendResponse {
  scope: 'total' | 'team' | 'costCenter';
  key: string;
  /** The row's title on the latest day it appears (a team's display name). */
  title: string;
  /** How many days back were asked for. */
  days: number;
  points: TrendPoint[];
}
