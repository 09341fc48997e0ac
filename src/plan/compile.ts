import type { SourceLocation } from '../diagnostics/index.ts';
import { awsName, dataObjectKey, datasetName, groupAwsName, importJobName, schemaName } from '../manifest/naming.ts';
import { DATASET_KEYS } from '../manifest/types.ts';
import type { DatasetGroupSpec, DatasetKey, DatasetSpec, Manifest } from '../manifest/types.ts';
import { environmentTemplate, PARAM_KMS_KEY_ARN, PARAM_POC_NAME } from '../resources/environment-template.ts';
import { datasetAddress, ENVIRONMENT_ADDRESS as ENVIRONMENT, groupAddress, importAddress, schemaAddress, uploadAddress } from '../resources/addresses.ts';
import type { DesiredNode, Props } from '../resources/kind.ts';
import { schemaFieldsJson } from '../resources/schema-compatibility.ts';
import { protectedIf, type DesiredGraph } from './graph.ts';
import { solutionNodes } from './compile-solutions.ts';
import { servingNodes } from './compile-serving.ts';
import { recommenderNodes } from './compile-recommenders.ts';
import { batchNodes } from './compile-batch.ts';

/** What compiling needs besides the manifest: content hashes computed by the data stage. */
export interface CompileInputs {
  /** Absolute data file path -> sha256 hex of its bytes. Every dataset's `data` must be present. */
  readonly dataHashes: ReadonlyMap<string, string>;
}


/**
 * The desired graph of poc.yaml: the environment, one node per schema, dataset group, dataset,
 * distinct data object and import, with references by AWS name and dependencies by address.
 * Pure (no I/O, no clock): the same manifest and hashes give the same graph. Nodes come in
 * declaration order: environment, schemas, then per group its datasets, uploads and imports.
 * Throws when a dataset's data hash is missing, which is a wiring bug, not a user error.
 */
export function compileDesiredGraph(manifest: Manifest, inputs: CompileInputs): DesiredGraph {
  const nodes: DesiredNode[] = [environmentNode(manifest)];
  for (const [key, spec] of Object.entries(manifest.schemas)) {
    nodes.push({
      address: schemaAddress(key),
      kind: 'schema',
      name: awsName(spec.name, schemaName(manifest.name, key, spec.sha256)),
      properties: { sha256: spec.sha256, domain: spec.domain ?? null },
      dependsOn: [],
      source: located(manifest, ['schemas', key]),
      inputs: { definition: spec.canonical },
    });
  }
  const uploads = new Map<string, string>();
  for (const [groupKey, group] of Object.entries(manifest.datasetGroups)) {
    nodes.push(groupNode(manifest, groupKey, group));
    const dataShas: Partial<Record<DatasetKey, string>> = {};
    for (const key of DATASET_KEYS) {
      const dataset = group.datasets[key];
      if (dataset === undefined) continue;
      const sha = inputs.dataHashes.get(dataset.data);
      if (sha === undefined) throw new Error(`compileDesiredGraph: no sha256 for ${dataset.data}`);
      dataShas[key] = sha;
      nodes.push(datasetNode(manifest, groupKey, group, dataset));
      const objectKey = dataObjectKey(manifest.name, sha, dataset.data);
      let upload = uploads.get(objectKey);
      if (upload === undefined) {
        upload = uploadAddress(dataset.dataAsWritten);
        uploads.set(objectKey, upload);
        nodes.push({
          address: upload,
          kind: 'dataUpload',
          name: objectKey,
          properties: { sha256: sha },
          dependsOn: [ENVIRONMENT],
          source: located(manifest, ['datasetGroups', groupKey, 'datasets', key, 'data']),
          cost: ['storage'],
          // An adopted object holding these bytes stands for the upload (see data-upload.ts).
          inputs: { file: dataset.data, ...(dataset.importedFrom === undefined ? {} : { adoptedFrom: dataset.importedFrom }) },
        });
      }
      nodes.push({
        address: importAddress(groupKey, key),
        kind: 'datasetImport',
        name: importJobName(manifest.name, groupKey, key, sha),
        properties: { dataset: awsName(dataset.name, datasetName(manifest.name, groupKey, key)), dataSha256: sha, importMode: dataset.importMode },
        dependsOn: [datasetAddress(groupKey, key), upload, ENVIRONMENT],
        source: located(manifest, ['datasetGroups', groupKey, 'datasets', key, 'data']),
        cost: ['data-import'],
        // Where the dataset lives whatever its name, and the adopted job's source (see dataset-import.ts).
        inputs: { datasetGroup: groupAwsName(manifest.name, group), datasetType: dataset.type, ...(dataset.importedFrom === undefined ? {} : { adoptedFrom: dataset.importedFrom, file: dataset.data }) },
      });
    }
    nodes.push(...solutionNodes(manifest, groupKey, group, dataShas));
    nodes.push(...servingNodes(manifest, groupKey, group, nodes));
    nodes.push(...recommenderNodes(manifest, groupKey, group));
    nodes.push(...batchNodes(manifest, groupKey, group, nodes));
  }
  return { nodes };
}

function located(manifest: Manifest, path: readonly (string | number)[]): SourceLocation & { path: string } {
  return { ...manifest.source.locate(path), path: path.join('.') };
}

function environmentNode(manifest: Manifest): DesiredNode {
  const env = manifest.environment;
  if (env.mode === 'existing') {
    return {
      address: ENVIRONMENT,
      kind: 'environment',
      name: env.bucket,
      properties: { mode: 'existing', bucket: env.bucket, roleArn: env.roleArn },
      dependsOn: [],
      source: located(manifest, ['environment', 'existing']),
    };
  }
  const kms = env.kmsKeyArn !== undefined;
  const parameters: Props = { [PARAM_POC_NAME]: manifest.name };
  if (env.kmsKeyArn !== undefined) parameters[PARAM_KMS_KEY_ARN] = env.kmsKeyArn;
  return {
    address: ENVIRONMENT,
    kind: 'environment',
    name: env.stackName,
    properties: { mode: 'stack', template: environmentTemplate({ kms }).sha256, parameters },
    dependsOn: [],
    source: located(manifest, ['environment']),
    cost: ['storage'],
  };
}

function groupNode(manifest: Manifest, groupKey: string, group: DatasetGroupSpec): DesiredNode {
  const kmsKeyArn = group.kmsKeyArn ?? (manifest.environment.mode === 'stack' ? (manifest.environment.kmsKeyArn ?? null) : null);
  return {
    address: groupAddress(groupKey),
    kind: 'datasetGroup',
    name: groupAwsName(manifest.name, group),
    properties: { domain: group.domain ?? null, kmsKeyArn },
    // With a KMS key the service also needs the environment's role to use it.
    dependsOn: kmsKeyArn === null ? [] : [ENVIRONMENT],
    source: { ...group.at, path: `datasetGroups.${groupKey}` },
    ...protectedIf(group.protect),
  };
}

function datasetNode(manifest: Manifest, groupKey: string, group: DatasetGroupSpec, dataset: DatasetSpec): DesiredNode {
  const schema = manifest.schemas[dataset.schema];
  if (schema === undefined) throw new Error(`compileDesiredGraph: dataset ${groupKey}.${dataset.key} names unknown schema ${dataset.schema}`);
  return {
    address: datasetAddress(groupKey, dataset.key),
    kind: 'dataset',
    name: awsName(dataset.name, datasetName(manifest.name, groupKey, dataset.key)),
    properties: {
      datasetType: dataset.type,
      datasetGroup: groupAwsName(manifest.name, group),
      schema: awsName(schema.name, schemaName(manifest.name, dataset.schema, schema.sha256)),
      schemaFields: schemaFieldsJson(schema.avro.fields),
    },
    dependsOn: [groupAddress(groupKey), schemaAddress(dataset.schema)],
    source: { ...dataset.at, path: `datasetGroups.${groupKey}.datasets.${dataset.key}` },
    ...protectedIf(group.protect),
  };
}
