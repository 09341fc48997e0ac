import type { BaseContext } from '../../src/apply/observe.ts';
import type { KindRegistry } from '../../src/plan/kind-registry.ts';
import type {
  DeletionSemantics,
  DesiredNode,
  FieldSpec,
  KindContext,
  KindName,
  ObservedResource,
  Props,
  ResourceKind,
} from '../../src/resources/kind.ts';

/** A resource in the fake account. `polls` counts refreshes since its last transition. */
interface FakeRecord {
  kind: KindName;
  address: string;
  name: string;
  id: string;
  status: string;
  properties: Props;
  tags: Record<string, string>;
  parents: string[];
  failureReason?: string;
  polls: number;
  /** Kinds without a delete (jobs) go away with their parent instead of blocking its delete. */
  goesWithParent?: boolean;
}

class ServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface FakeCloudOptions {
  /** Milliseconds each call takes. */
  readonly latencyMs?: number;
  /** Refreshes a resource stays pending (or deleting) before it settles. */
  readonly settleAfterPolls?: number;
}

/**
 * An in-memory account behind fake kinds: status lifecycles (CREATE PENDING -> ACTIVE, DELETE
 * PENDING -> gone), parents that must exist to create and block deletion, tags, injectable
 * latency, failed creations and create races. It counts calls and in-flight mutations.
 */
export class FakeCloud {
  readonly records = new Map<string, FakeRecord>();
  readonly calls: string[] = [];
  /** Names whose creation ends in CREATE FAILED with this reason. */
  readonly failCreate = new Map<string, string>();
  /** Names whose create call throws this error (an SDK-level failure). */
  readonly throwOnCreate = new Map<string, string>();
  /** Names that another run creates just before ours: our create meets ResourceAlreadyExistsException. */
  readonly racingCreates = new Set<string>();
  latencyMs: number;
  settleAfterPolls: number;
  inFlight = 0;
  maxInFlight = 0;
  private seq = 0;

  constructor(options: FakeCloudOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.settleAfterPolls = options.settleAfterPolls ?? 1;
  }

  key(kind: KindName, name: string): string {
    return `${kind}/${name}`;
  }

  /** Puts a resource straight into the account (made outside this tool, or by an earlier run). */
  seed(r: { kind: KindName; address: string; name: string; properties?: Props; tags?: Record<string, string>; status?: string; failureReason?: string }): FakeRecord {
    const rec: FakeRecord = {
      kind: r.kind,
      address: r.address,
      name: r.name,
      id: `arn:fake:${r.kind}/${r.name}/${(this.seq += 1)}`,
      status: r.status ?? 'ACTIVE',
      properties: { ...(r.properties ?? {}) },
      tags: { ...(r.tags ?? {}) },
      parents: [],
      polls: 0,
      ...(r.failureReason === undefined ? {} : { failureReason: r.failureReason }),
    };
    this.records.set(this.key(r.kind, r.name), rec);
    return rec;
  }

  find(kind: KindName, name: string): FakeRecord | undefined {
    return this.records.get(this.key(kind, name));
  }

  async mutate<T>(label: string, fn: () => T): Promise<T> {
    this.calls.push(label);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await delay(this.latencyMs);
      return fn();
    } finally {
      this.inFlight -= 1;
    }
  }

  async read<T>(label: string, fn: () => T): Promise<T> {
    this.calls.push(label);
    await delay(this.latencyMs);
    return fn();
  }

  nextId(kind: KindName, name: string): string {
    return `arn:fake:${kind}/${name}/${(this.seq += 1)}`;
  }
}

function delay(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms));
}

function readinessOf(status: string): ObservedResource['readiness'] {
  if (status === 'ACTIVE') return 'ready';
  if (status.endsWith('FAILED')) return 'failed';
  if (status.startsWith('DELETE')) return 'deleting';
  return 'pending';
}

function toObserved(rec: FakeRecord): ObservedResource {
  return {
    address: rec.address,
    kind: rec.kind,
    name: rec.name,
    id: rec.id,
    status: rec.status,
    readiness: readinessOf(rec.status),
    properties: { ...rec.properties },
    tags: { ...rec.tags },
    ...(rec.failureReason === undefined ? {} : { failureReason: rec.failureReason }),
  };
}

export interface FakeKindSpec {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly deleteOrder: number;
  readonly supportsTags: boolean;
  readonly deletion?: DeletionSemantics;
  readonly updatable?: boolean;
}

/** A ResourceKind over the fake cloud; knows nothing of any particular kind's meaning. */
export function fakeKind(cloud: FakeCloud, kind: KindName, spec: FakeKindSpec): ResourceKind {
  const refresh = async (_ctx: KindContext, observed: ObservedResource): Promise<ObservedResource | undefined> =>
    cloud.read(`refresh ${observed.address}`, () => {
      const rec = [...cloud.records.values()].find((r) => r.id === observed.id);
      if (rec === undefined) return undefined;
      rec.polls += 1;
      if (rec.polls >= cloud.settleAfterPolls) {
        if (rec.status.startsWith('DELETE')) {
          cloud.records.delete(cloud.key(rec.kind, rec.name));
          for (const [key, child] of cloud.records) if (child.goesWithParent === true && child.parents.includes(rec.id)) cloud.records.delete(key);
          return undefined;
        }
        if (rec.status.endsWith('PENDING') || rec.status.endsWith('IN_PROGRESS')) {
          const reason = cloud.failCreate.get(rec.name);
          rec.status = reason === undefined ? 'ACTIVE' : 'CREATE FAILED';
          if (reason !== undefined) rec.failureReason = reason;
        }
      }
      return toObserved(rec);
    });
  const base: ResourceKind = {
    kind,
    fields: spec.fields,
    deleteOrder: spec.deleteOrder,
    supportsTags: spec.supportsTags,
    ...(spec.deletion === undefined ? {} : { deletion: spec.deletion }),
    observe: (_ctx, node) =>
      cloud.read(`observe ${node.address}`, () => {
        const rec = cloud.find(kind, node.name);
        return rec === undefined ? undefined : toObserved(rec);
      }),
    listOwned: (ctx) =>
      cloud.read(`list ${kind}`, () => [...cloud.records.values()].filter((r) => r.kind === kind && r.tags['poc:name'] === ctx.pocName).map(toObserved)),
    create: (ctx, node: DesiredNode) =>
      cloud.mutate(`create ${node.address}`, () => {
        const thrown = cloud.throwOnCreate.get(node.name);
        if (thrown !== undefined) throw new ServiceError('LimitExceededException', thrown);
        if (cloud.racingCreates.delete(node.name)) {
          const raced = cloud.seed({ kind, address: node.address, name: node.name, properties: node.properties, tags: spec.supportsTags ? { ...ctx.ownerTags } : {}, status: 'CREATE PENDING' });
          raced.polls = 0;
        }
        if (cloud.find(kind, node.name) !== undefined) throw new ServiceError('ResourceAlreadyExistsException', `${node.name} already exists`);
        const parents = node.dependsOn.map((d) => {
          const parent = ctx.resolve(d);
          if (parent === undefined) throw new ServiceError('ResourceNotFoundException', `parent ${d} of ${node.address} not found`);
          return parent.id;
        });
        const rec: FakeRecord = {
          kind,
          address: node.address,
          name: node.name,
          id: cloud.nextId(kind, node.name),
          status: 'CREATE PENDING',
          properties: { ...node.properties },
          tags: spec.supportsTags ? { ...ctx.ownerTags } : {},
          parents,
          polls: 0,
          ...(spec.deletion === 'none' ? { goesWithParent: true } : {}),
        };
        cloud.records.set(cloud.key(kind, node.name), rec);
        return toObserved(rec);
      }),
    delete: (_ctx, observed) =>
      cloud.mutate(`delete ${observed.address}`, () => {
        const rec = [...cloud.records.values()].find((r) => r.id === observed.id);
        if (rec === undefined) throw new ServiceError('ResourceNotFoundException', `${observed.id} not found`);
        const child = [...cloud.records.values()].find((r) => r.parents.includes(rec.id) && r.goesWithParent !== true);
        if (child !== undefined) throw new ServiceError('ResourceInUseException', `${rec.name} is still used by ${child.name}`);
        rec.status = 'DELETE PENDING';
        rec.polls = 0;
      }),
    refresh,
  };
  if (spec.updatable !== true) return base;
  return {
    ...base,
    update: (ctx, node, observed, fields) =>
      cloud.mutate(`update ${node.address} ${fields.join(',')}`, () => {
        const rec = [...cloud.records.values()].find((r) => r.id === observed.id);
        if (rec === undefined) throw new ServiceError('ResourceNotFoundException', `${observed.id} not found`);
        for (const f of fields) {
          if (f === 'tags') rec.tags = { ...rec.tags, ...ctx.ownerTags };
          else if (node.properties[f] !== undefined) rec.properties[f] = node.properties[f];
        }
        rec.status = 'UPDATE PENDING';
        rec.polls = 0;
        return toObserved(rec);
      }),
  };
}

export const OWNER_TAGS = { 'poc:name': 'demo', 'poc:managed-by': 'personalize-poc' } as const;

/**
 * The fake world used across tests, shaped like the real one without depending on it:
 * a group whose domain forces replacement, a schema without tags, a dataset whose schema change
 * is in place only when the live side says it is compatible, an import that cannot be deleted
 * and whose data hash makes a new job, and an environment with a sensitive field.
 */
export function fakeRegistry(cloud: FakeCloud): KindRegistry {
  return {
    environment: fakeKind(cloud, 'environment', {
      fields: { bucket: { update: 'replace' }, retention: { update: 'in-place' }, secret: { update: 'in-place', sensitive: true } },
      deleteOrder: 60,
      supportsTags: true,
      updatable: true,
    }),
    datasetGroup: fakeKind(cloud, 'datasetGroup', { fields: { domain: { update: 'replace' } }, deleteOrder: 40, supportsTags: true, updatable: true }),
    schema: fakeKind(cloud, 'schema', { fields: { schema: { update: 'replace' } }, deleteOrder: 50, supportsTags: false }),
    dataset: fakeKind(cloud, 'dataset', {
      fields: {
        datasetType: { update: 'replace' },
        schema: { update: (_desired, observed) => (observed['schemaCompatible'] === true ? 'in-place' : 'replace') },
      },
      deleteOrder: 30,
      supportsTags: true,
      updatable: true,
    }),
    datasetImport: fakeKind(cloud, 'datasetImport', {
      fields: { dataHash: { update: 'create-only', content: 'data' }, importMode: { update: 'create-only' } },
      deleteOrder: 10,
      supportsTags: true,
      deletion: 'none',
      updatable: true,
    }),
  };
}

export function fakeContext(overrides: Partial<BaseContext> = {}): BaseContext {
  return {
    // The fake kinds never touch SDK clients.
    clients: {} as BaseContext['clients'],
    pocName: 'demo',
    region: 'us-east-1',
    ownerTags: OWNER_TAGS,
    cache: new Map(),
    ...overrides,
  };
}
