import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { readBody, requestId, send } from '../http.ts';
import type { EmulatedService } from '../service.ts';
import { element, XML_DECLARATION } from '../s3/xml.ts';
import { createChangeSet, deleteChangeSet, describeChangeSet, executeChangeSet, listChangeSets } from './change-set-actions.ts';
import { cfnError, isCfnError, statusOf, type CfnError } from './errors.ts';
import { QueryParams } from './query.ts';
import { deleteStack, describeStackEvents, describeStackResources, describeStacks, getTemplate, listStackResources, listStacks, validateTemplate } from './stack-actions.ts';
import { CloudFormationState } from './state.ts';

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** Far above the 51,200-byte inline template limit, so that limit is reported, not this one. */
const MAX_BODY_BYTES = 1024 * 1024;

type Action = (state: CloudFormationState, ctx: EmulatorContext, q: QueryParams) => string | CfnError;

const ACTIONS: Readonly<Record<string, Action>> = {
  CreateChangeSet: createChangeSet,
  DescribeChangeSet: (s, _c, q) => describeChangeSet(s, q),
  ExecuteChangeSet: executeChangeSet,
  DeleteChangeSet: (s, _c, q) => deleteChangeSet(s, q),
  ListChangeSets: (s, _c, q) => listChangeSets(s, q),
  DescribeStacks: (s, _c, q) => describeStacks(s, q),
  ListStacks: (s, _c, q) => listStacks(s, q),
  DescribeStackEvents: (s, _c, q) => describeStackEvents(s, q),
  DescribeStackResources: (s, _c, q) => describeStackResources(s, q),
  ListStackResources: (s, _c, q) => listStackResources(s, q),
  DeleteStack: deleteStack,
  GetTemplate: (s, _c, q) => getTemplate(s, q),
  ValidateTemplate: (_s, _c, q) => validateTemplate(q),
};

function sendError(res: ServerResponse, id: string, error: CfnError): void {
  const body = `${XML_DECLARATION}<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type>${element('Code', error.code)}${element('Message', error.message)}</Error>${element('RequestId', id)}</ErrorResponse>`;
  send(res, statusOf(error.code), { 'content-type': 'text/xml', 'x-amzn-requestid': id }, body);
}

/**
 * The emulator's CloudFormation: the query protocol (form-encoded POST, XML answers) over change
 * sets and stacks whose S3 buckets really exist in the emulator's S3.
 */
export function createCloudFormationService(ctx: EmulatorContext): EmulatedService {
  const state = new CloudFormationState(ctx);
  return {
    async handle(req: IncomingMessage, res: ServerResponse) {
      const id = requestId();
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === 'too-large') return sendError(res, id, cfnError('ValidationError', `Request body larger than ${MAX_BODY_BYTES} bytes`));
      const q = new QueryParams(body.toString('utf8'));
      const actionName = q.get('Action');
      if (!actionName) return sendError(res, id, cfnError('MissingAction', 'Missing Action'));
      const action = ACTIONS[actionName];
      if (!action) return sendError(res, id, cfnError('InvalidAction', `Could not find operation ${actionName} for version 2010-05-15`));
      state.advance();
      const result = action(state, ctx, q);
      if (isCfnError(result)) return sendError(res, id, result);
      const xml = `${XML_DECLARATION}<${actionName}Response xmlns="${NS}"><${actionName}Result>${result}</${actionName}Result><ResponseMetadata>${element('RequestId', id)}</ResponseMetadata></${actionName}Response>`;
      send(res, 200, { 'content-type': 'text/xml', 'x-amzn-requestid': id }, xml);
    },
    async close() {
      state.close();
    },
  };
}
