/** Stack statuses this emulator reaches (a subset of CloudFormation's closed set). */
export type StackStatus =
  | 'REVIEW_IN_PROGRESS'
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_COMPLETE'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED';

export type ResourceStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED'
  | 'DELETE_SKIPPED';

export type ChangeSetStatus = 'CREATE_PENDING' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'FAILED';
export type ExecutionStatus = 'UNAVAILABLE' | 'AVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'EXECUTE_FAILED' | 'OBSOLETE';
export type ChangeSetType = 'CREATE' | 'UPDATE';
export type ChangeAction = 'Add' | 'Modify' | 'Remove';
export type Replacement = 'True' | 'False' | 'Conditional';
export type RequiresRecreation = 'Never' | 'Conditionally' | 'Always';

/** JSON as it appears in templates and resolved properties. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Parameter {
  readonly key: string;
  readonly value: string;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** A resource as deployed (or as planned by a change set): everything already resolved. */
export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly properties: { readonly [key: string]: Json };
  /** Fn::GetAtt values by attribute name. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly deletionPolicy: 'Delete' | 'Retain';
  /** Logical ids this resource references: it is created after them and deleted before them. */
  readonly dependsOn: readonly string[];
}

export interface PropertyDetail {
  readonly name: string;
  readonly requiresRecreation: RequiresRecreation;
}

/** One row of a change set. Invariant: `replacement` and `details` are set for Modify only. */
export interface ResourceChange {
  readonly action: ChangeAction;
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  readonly replacement?: Replacement;
  readonly details?: readonly PropertyDetail[];
}

export interface Output {
  readonly key: string;
  readonly value: string;
  readonly description?: string;
  readonly exportName?: string;
}

/**
 * What executing a change set produces: the full desired set of resources (physical ids and
 * attributes decided at planning time, so execution cannot diverge from what was reviewed).
 */
export interface StackPlan {
  readonly resources: readonly DeployedResource[];
  readonly outputs: readonly Output[];
  readonly changes: readonly ResourceChange[];
}

export interface ChangeSetRecord {
  readonly changeSetId: string;
  readonly changeSetName: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly type: ChangeSetType;
  status: ChangeSetStatus;
  statusReason?: string;
  executionStatus: ExecutionStatus;
  readonly creationTime: number;
  /** When the pending change set is computed (creation time + the stack phase duration). */
  readonly readyAt: number;
  readonly description?: string;
  readonly templateBody: string;
  readonly parameters: readonly Parameter[];
  readonly noEcho: readonly string[];
  readonly tags: readonly Tag[];
  readonly capabilities: readonly string[];
  plan?: StackPlan;
}

export interface StackEvent {
  readonly eventId: string;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  readonly timestamp: number;
  readonly status: StackStatus | ResourceStatus;
  readonly reason?: string;
}

/** A pending lifecycle step, applied when `at` has passed (survives restarts). */
export interface PendingOperation {
  readonly kind: 'execute' | 'delete';
  readonly at: number;
  readonly changeSetId?: string;
  /** DeleteStack's RetainResources. */
  readonly retain?: readonly string[];
}

/**
 * One stack. Invariants: `stackId` is an ARN unique forever; at most one stack that is not
 * DELETE_COMPLETE has a given name; `resources` are those that exist right now.
 */
export interface StackRecord {
  readonly stackId: string;
  readonly stackName: string;
  status: StackStatus;
  statusReason?: string;
  readonly creationTime: number;
  lastUpdatedTime?: number;
  deletionTime?: number;
  description?: string;
  templateBody?: string;
  parameters: readonly Parameter[];
  /** Parameters declared NoEcho: their values are masked in DescribeStacks. */
  noEcho: readonly string[];
  tags: readonly Tag[];
  capabilities: readonly string[];
  resources: DeployedResource[];
  outputs: readonly Output[];
  events: StackEvent[];
  pending?: PendingOperation;
}
