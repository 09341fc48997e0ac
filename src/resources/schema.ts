import { createHash } from 'node:crypto';
import { CreateSchemaCommand, DeleteSchemaCommand, DescribeSchemaCommand, type DatasetSchema } from '@aws-sdk/client-personalize';
import { canonicalJson } from '../manifest/avro.ts';
import { schemaAddress } from './addresses.ts';
import { isAlreadyExists, orUndefined } from './errors.ts';
import type { DesiredNode, KindContext, ObservedResource, ResourceKind } from './kind.ts';
import { signalOf } from './call-options.ts';
import { invalidate, listSchemas } from './personalize-lists.ts';

/**
 * The body as the manifest would send it (canonical JSON), so a schema made elsewhere with other
 * spacing or key order (the console's, adopted by `poc import`) hashes as its .avsc file does.
 * The bodies this tool sends are canonical already, so their hash is unchanged.
 */
export function canonicalBody(body: string): string {
  try {
    return canonicalJson(JSON.parse(body));
  } catch {
    return body;
  }
}

function fromSchema(address: string, schema: DatasetSchema): ObservedResource {
  const body = canonicalBody(schema.schema ?? '');
  return {
    address,
    kind: 'schema',
    name: schema.name ?? '',
    id: schema.schemaArn ?? '',
    status: 'ACTIVE',
    readiness: 'ready',
    properties: { sha256: createHash('sha256').update(body).digest('hex'), domain: schema.domain ?? null },
    tags: {},
  };
}

async function describe(ctx: KindContext, address: string, schemaArn: string): Promise<ObservedResource | undefined> {
  const out = await orUndefined(ctx.clients.personalize.send(new DescribeSchemaCommand({ schemaArn }), signalOf(ctx)));
  return out?.schema === undefined ? undefined : fromSchema(address, out.schema);
}

async function findByName(ctx: KindContext, node: DesiredNode): Promise<ObservedResource | undefined> {
  const summary = (await listSchemas(ctx)).find((s) => s.name === node.name);
  return summary?.schemaArn === undefined ? undefined : describe(ctx, node.address, summary.schemaArn);
}

/**
 * A versioned Avro schema, at `schema.<key>`, named `<poc>-<key>-<sha8>`. Schemas are immutable
 * and untagged: a changed schema is a new name (a create), and ownership is the name prefix.
 * Properties: `{sha256, domain}` where `sha256` hashes the canonical form of the live body,
 * which for the bodies this tool sends (`inputs.definition`) is the body exactly as sent. Observe: the shared ListSchemas plus
 * one DescribeSchema.
 */
export const schemaKind: ResourceKind = {
  kind: 'schema',
  fields: {
    sha256: { update: 'replace' },
    domain: { update: 'replace' },
  },
  deleteOrder: 70,
  supportsTags: false,
  parents: [],
  observeAfter: [],

  observe: findByName,

  async listOwned(ctx) {
    const prefix = `${ctx.pocName}-`;
    return (await listSchemas(ctx))
      .filter((s) => s.name?.startsWith(prefix) === true && s.schemaArn !== undefined)
      .map((s) => ({
        address: schemaAddress((s.name ?? '').slice(prefix.length)),
        kind: 'schema' as const,
        name: s.name ?? '',
        id: s.schemaArn ?? '',
        status: 'ACTIVE',
        readiness: 'ready' as const,
        properties: { domain: s.domain ?? null },
        tags: {},
      }));
  },

  async create(ctx, node) {
    const definition = node.inputs?.['definition'];
    if (definition === undefined) throw new Error(`schema node ${node.address} has no inputs.definition`);
    const domain = node.properties['domain'];
    try {
      const out = await ctx.clients.personalize.send(
        new CreateSchemaCommand({ name: node.name, schema: definition, ...(typeof domain === 'string' ? { domain: domain as 'ECOMMERCE' | 'VIDEO_ON_DEMAND' } : {}) }),
        signalOf(ctx),
      );
      invalidate.schemas(ctx);
      const created = out.schemaArn === undefined ? undefined : await describe(ctx, node.address, out.schemaArn);
      if (created !== undefined) return created;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      invalidate.schemas(ctx);
    }
    const adopted = await findByName(ctx, node);
    if (adopted === undefined) throw new Error(`schema ${node.name} was created but cannot be found`);
    return adopted;
  },

  async delete(ctx, observed) {
    await ctx.clients.personalize.send(new DeleteSchemaCommand({ schemaArn: observed.id }), signalOf(ctx));
    invalidate.schemas(ctx);
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id),
};
