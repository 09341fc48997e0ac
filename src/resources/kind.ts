import type { Clients } from '../aws/clients.ts';
import type { SourceLocation } from '../diagnostics/index.ts';

/**
 * Resource kinds the reconciler manages. Later issues add solution, solutionVersion, campaign,
 * filter, eventTracker, batch jobs, recommender and metricAttribution; the plan, apply and drift
 * engines never switch on this union, they go through {@link ResourceKind}.
 */
export type KindName =
  | 'environment'
  | 'schema'
  | 'datasetGroup'
  | 'dataset'
  | 'dataUpload'
  | 'datasetImport'
  | 'solution'
  | 'solutionVersion'
  | 'recommender'
  | 'campaign'
  | 'filter'
  | 'eventTracker'
  | 'batchInferenceJob'
  | 'batchSegmentJob'
  | 'batchResults'
  | 'metricAttribution';

/** A JSON value: desired and observed properties are plain data so plans can be saved and diffed. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Props = { [field: string]: Json };

/**
 * How a change to a field is applied.
 * - `in-place`: the kind's `update` can change it without replacement.
 * - `replace`: the service cannot change it; a change deletes and re-creates the resource.
 * - `create-only`: a new resource (or job) is made and the old one is left as it is
 *   (an import job for new data, a new versioned schema).
 */
export type UpdateSemantics = 'in-place' | 'replace' | 'create-only';

export interface FieldSpec {
  /**
   * A constant, or a pure function of both sides when the service's rule depends on the values
   * (UpdateDataset accepts a new schema only for Items/Users and only if it is compatible; the
   * kind's `observe` puts what the decision needs into the observed properties).
   */
  readonly update: UpdateSemantics | ((desired: Props, observed: Props) => UpdateSemantics);
  /** Never printed in plans or logs (filter expressions, for instance). */
  readonly sensitive?: boolean;
  /**
   * `data`: the field is a content hash of data files (an import's data hash), so a difference
   * is reported as `data-changed` in plans and drift rather than as an edited field.
   */
  readonly content?: 'data';
}

/**
 * Whether the service can delete a resource of this kind. `none` (import jobs, solution versions):
 * replacing one creates a new one and leaves the old in place, and pruning can only report it.
 * Absent means `supported`.
 */
export type DeletionSemantics = 'supported' | 'none';

/**
 * A service quota on resources in progress (PENDING or IN_PROGRESS) per region: imports (5),
 * trainings (20), batch jobs (5). The apply executor queues creates of a class at its limit.
 */
export type QuotaClass = 'import' | 'training' | 'batch';

/** Why an action bills, so reviewers see cost before approving. */
export type CostMark = 'training' | 'provisioned-tps' | 'batch-job' | 'automatic-training' | 'data-import' | 'storage';

/**
 * One resource as the manifest wants it. Invariants: `address` is unique in the graph and stable
 * across runs (it is what plans, journals and humans refer to); `name` is the AWS name,
 * deterministic from the manifest (`<poc-name>-...`, at most 63 characters, checked at validate
 * time); `properties` hold only fields declared in the kind's `fields`; references to other
 * resources are by their AWS *name*, never by ARN, so the desired graph needs no account id.
 */
export interface DesiredNode {
  readonly address: string;
  readonly kind: KindName;
  readonly name: string;
  readonly properties: Props;
  /** Addresses this node needs to exist (and be ready) before it can be created or updated. */
  readonly dependsOn: readonly string[];
  /** Where in poc.yaml the node was declared, for plans and errors. */
  readonly source?: SourceLocation & { readonly path?: string };
  readonly protect?: boolean;
  readonly cost?: readonly CostMark[];
  /**
   * What the kind's `create` reads that is not compared with the live resource and not shown as
   * a field: the absolute path of a data file (`file`, machine-specific), a schema's body
   * (`definition`, identified by the `sha256` property). Never part of a plan's field diffs.
   */
  readonly inputs?: Readonly<Record<string, string>>;
}

/** The lifecycle state the reconciler cares about, mapped from each service's status strings. */
export type Readiness = 'ready' | 'pending' | 'failed' | 'deleting';

/**
 * One resource as it is in the account. `properties` use the same field names and the same
 * normalisation (names, not ARNs) as {@link DesiredNode.properties}, so diffing is generic.
 */
export interface ObservedResource {
  readonly address: string;
  readonly kind: KindName;
  readonly name: string;
  /** ARN, stack id or S3 URI: what the service identifies it by. */
  readonly id: string;
  readonly status: string;
  readonly readiness: Readiness;
  readonly failureReason?: string;
  readonly properties: Props;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * What a person needs from the resource beyond its status, shown beside it in apply's "what
   * exists now" list (an event tracker's tracking id, for PutEvents). Never compared or diffed.
   */
  readonly note?: string;
}

/** Everything a kind's calls need: SDK clients and the POC's identity. */
export interface KindContext {
  readonly clients: Clients;
  readonly pocName: string;
  readonly region: string;
  /** Tags every created resource carries (`poc:name`, `poc:managed-by`), where the kind supports tags. */
  readonly ownerTags: Readonly<Record<string, string>>;
  /**
   * Per-run memo shared by every kind, so one List call serves all the resources it covers
   * (plan makes at most about two calls per managed resource plus pagination).
   */
  readonly cache: Map<string, Promise<unknown>>;
  /**
   * The dataset groups poc.yaml declares, AWS name to graph address. A group adopted by `poc import`
   * keeps its console name, so the `<poc>-` prefix alone would not find it: a declared group that
   * carries our tags is owned too, and so is what lies below it. Absent: no group is declared.
   */
  readonly declaredGroups?: ReadonlyMap<string, string>;
  /** Resolves a dependency's observed state (its ARN, outputs) after it has been created. */
  resolve(address: string): ObservedResource | undefined;
  readonly signal?: AbortSignal;
}

/** Extra detail a kind can attach to a planned change (the environment's change set rows). */
export interface ChangeDetail {
  readonly title: string;
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/**
 * One resource kind: its fields and their update semantics, and the calls that observe, create,
 * update and delete it. A kind lives in one file under `src/resources/`; the diff and apply
 * engines stay generic over this interface.
 */
export interface ResourceKind {
  readonly kind: KindName;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Lower runs first when destroying everything (the service's safe delete order). */
  readonly deleteOrder: number;
  /** See {@link DeletionSemantics}; absent means `supported`. */
  readonly deletion?: DeletionSemantics;
  /**
   * Whether the service tags this kind (schemas and metric attributions have no tags). When it
   * does, missing or changed ownership tags plan an in-place `update` of the field `tags`.
   */
  readonly supportsTags: boolean;
  /**
   * The kinds among a node's dependencies without which it cannot exist (a dataset's group, an
   * import's dataset): when one of those is absent, so is the node (see `observeAfter` for who
   * finds that out), and no Describe is spent on it. Other dependencies are needed to create or
   * update it, not to find it: a dataset whose new schema is not created yet still exists with its old one, and an import
   * whose new data is not uploaded yet still has its old job. Absent: every dependency counts.
   */
  readonly parents?: readonly KindName[];
  /**
   * The dependency kinds whose observation `observe` reads through `ctx.resolve` (the upload reads
   * the environment's bucket): observe starts once those are read and no sooner. `[]`: the kind
   * finds its parents by itself from the shared, memoised List calls (ARN arithmetic on the
   * group's ARN), so every such node is observed at once and plan time is a few round trips
   * whatever the depth of the graph; it must then return undefined when a parent is missing, and
   * observe also enforces `parents` once everything is read. Absent: it waits for every
   * dependency, and a node with an absent parent is absent without a call.
   */
  readonly observeAfter?: readonly KindName[];
  /** The quota a create of this kind counts against until it is ready; absent: none. */
  readonly quota?: QuotaClass;
  /** Reads the live resource for a desired node; undefined when it does not exist (or is gone). */
  observe(ctx: KindContext, node: DesiredNode): Promise<ObservedResource | undefined>;
  /** Every resource of this kind that carries this POC's ownership tag, for drift and prune. */
  listOwned(ctx: KindContext): Promise<ObservedResource[]>;
  create(ctx: KindContext, node: DesiredNode): Promise<ObservedResource>;
  /** Absent when every field is `replace` or `create-only`. */
  update?(ctx: KindContext, node: DesiredNode, observed: ObservedResource, fields: readonly string[]): Promise<ObservedResource>;
  /** Starts the delete; the executor then observes until the resource is gone. */
  delete(ctx: KindContext, observed: ObservedResource): Promise<void>;
  /** Re-reads a resource by its id, for waiting; undefined once it is gone. */
  refresh(ctx: KindContext, observed: ObservedResource): Promise<ObservedResource | undefined>;
  /** Optional extra plan detail (CloudFormation change set rows for the environment). */
  describeChange?(ctx: KindContext, node: DesiredNode, observed: ObservedResource | undefined): Promise<ChangeDetail | undefined>;
}
