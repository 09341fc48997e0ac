/**
 * Input shapes declared as data, mirroring the constraints of the service's Smithy model
 * (lengths, patterns, ranges, enums, required). One generic validator (validate.ts) checks them,
 * so adding an operation is declaring its shape, not writing checks.
 */
export type Shape =
  | { readonly type: 'string'; readonly required?: boolean; readonly min?: number; readonly max?: number; readonly pattern?: string; readonly enum?: readonly string[] }
  | { readonly type: 'integer'; readonly required?: boolean; readonly min?: number; readonly max?: number }
  | { readonly type: 'double'; readonly required?: boolean; readonly min?: number; readonly max?: number }
  | { readonly type: 'boolean'; readonly required?: boolean }
  | { readonly type: 'list'; readonly required?: boolean; readonly min?: number; readonly max?: number; readonly member: Shape }
  | { readonly type: 'structure'; readonly required?: boolean; readonly members: Readonly<Record<string, Shape>> }
  | { readonly type: 'map'; readonly required?: boolean; readonly max?: number; readonly key: Shape; readonly value: Shape };

export type StructureShape = Extract<Shape, { type: 'structure' }>;

export function required<S extends Shape>(shape: S): S {
  return { ...shape, required: true };
}

export function structure(members: Record<string, Shape>): StructureShape {
  return { type: 'structure', members };
}

export const NAME: Shape = { type: 'string', min: 1, max: 63, pattern: '^[a-zA-Z0-9][a-zA-Z0-9\\-_]*' };
export const ARN: Shape = { type: 'string', max: 256, pattern: 'arn:([a-z\\d-]+):personalize:.*:.*:.+' };
export const ROLE_ARN: Shape = { type: 'string', max: 256, pattern: 'arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+' };
export const KMS_KEY_ARN: Shape = { type: 'string', max: 2048, pattern: 'arn:aws.*:kms:.*:[0-9]{12}:key/.*' };
export const S3_PATH: Shape = { type: 'string', max: 256, pattern: '(s3|http|https)://.+' };
export const DOMAIN: Shape = { type: 'string', enum: ['ECOMMERCE', 'VIDEO_ON_DEMAND'] };
export const TAG_KEY: Shape = { type: 'string', min: 1, max: 128 };
export const TAGS: Shape = {
  type: 'list',
  max: 200,
  member: structure({ tagKey: required(TAG_KEY), tagValue: required({ type: 'string', min: 0, max: 256 }) }),
};
export const MAX_RESULTS: Shape = { type: 'integer', min: 1, max: 100 };
export const NEXT_TOKEN: Shape = { type: 'string', max: 1500, pattern: '\\p{ASCII}{0,1500}' };
