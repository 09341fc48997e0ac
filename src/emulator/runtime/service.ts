import type { EmulatorContext } from '../context.ts';
import { personalizeDir } from '../personalize/data-store.ts';
import { DATASET } from '../personalize/datasets.ts';
import { ModelCache } from '../personalize/serving-model.ts';
import type { EmulatedService } from '../service.ts';
import { sweepStreams } from './event-log.ts';
import { putEvents, putItems, putUsers } from './events.ts';
import { FilterDataCache } from './filter-data.ts';
import { Members } from './members.ts';
import { readJsonBody, RuntimeError, sendJson, sendRuntimeError } from './protocol.ts';
import { getPersonalizedRanking, getRecommendations, type RuntimeState } from './recommendations.ts';
import { StateView } from './state-view.ts';

type Handler = (rt: RuntimeState, m: Members) => Promise<object | undefined> | object | undefined;

const HANDLERS: Readonly<Record<string, Handler>> = {
  '/recommendations': getRecommendations,
  '/personalize-ranking': getPersonalizedRanking,
  '/events': putEvents,
  '/items': putItems,
  '/users': putUsers,
};

/**
 * Personalize Runtime (GetRecommendations, GetPersonalizedRanking) and Personalize Events
 * (PutEvents, PutItems, PutUsers), restJson1. Reads what the control plane saved; writes only the
 * streamed-records files beside the bulk data (event-log.ts).
 */
export function createRuntimeService(ctx: EmulatorContext): EmulatedService {
  const dir = personalizeDir(ctx.stateDir);
  const rt: RuntimeState = { dir, view: new StateView(dir), models: new ModelCache(dir), data: new FilterDataCache(dir), expressions: new Map() };
  // Events of a dataset deleted while the emulator was running go now, as its data files do.
  sweepStreams(dir, rt.view.list(DATASET));
  return {
    async handle(req, res) {
      try {
        const handler = HANDLERS[(req.url ?? '/').split('?')[0] ?? '/'];
        if (handler === undefined) throw new RuntimeError('UnknownOperationException', `No runtime operation at ${req.method ?? ''} ${req.url ?? ''}.`);
        const body = await readJsonBody(req);
        sendJson(res, await handler(rt, new Members(body)));
      } catch (err) {
        if (!(err instanceof RuntimeError)) throw err;
        sendRuntimeError(res, err);
      }
    },
    async close() {
      // Nothing runs in the background: every write finished before its answer.
    },
  };
}
