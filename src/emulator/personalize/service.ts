import type { EmulatorContext } from '../context.ts';
import type { EmulatedService } from '../service.ts';
import { personalizeArn } from './arn.ts';
import { campaignsModule } from './campaigns.ts';
import { personalizeDir } from './data-store.ts';
import { datasetGroupsModule } from './dataset-groups.ts';
import { datasetsModule } from './datasets.ts';
import { batchInferenceJobsModule } from './batch-inference-jobs.ts';
import { batchSegmentJobsModule } from './batch-segment-jobs.ts';
import { metricAttributionsModule } from './metric-attributions.ts';
import { eventTrackersModule } from './event-trackers.ts';
import { filtersModule } from './filters.ts';
import { PersonalizeError } from './errors.ts';
import { importJobsModule } from './import-jobs.ts';
import { LifecycleEngine, type KindHooks } from './lifecycle.ts';
import { Input, type KindModule, type Operation, type ServiceState } from './operation.ts';
import { operationOf, readJsonObject, sendError, sendResult } from './protocol.ts';
import { recipesModule } from './recipes.ts';
import { recommendersModule, recommenderUpdatesModule } from './recommenders.ts';
import { schemasModule } from './schemas.ts';
import { solutionVersionsModule } from './solution-versions.ts';
import { solutionsModule } from './solutions.ts';
import { Store } from './store.ts';
import { tagsModule } from './tags.ts';
import { validateInput } from './validate.ts';

/** Every resource kind the emulator knows; a new kind is one more module here. */
const MODULES: readonly KindModule[] = [
  datasetGroupsModule,
  schemasModule,
  datasetsModule,
  importJobsModule,
  recipesModule,
  solutionsModule,
  solutionVersionsModule,
  recommendersModule,
  recommenderUpdatesModule,
  batchInferenceJobsModule,
  batchSegmentJobsModule,
  metricAttributionsModule,
  campaignsModule,
  filtersModule,
  eventTrackersModule,
  tagsModule,
];

/**
 * The Personalize control plane (awsJson1_1). State lives in `<stateDir>/personalize/`; on start it
 * is reloaded and unfinished lifecycles continue from their persisted deadlines (an import that
 * was running starts its work again).
 */
export function createPersonalizeService(ctx: EmulatorContext): EmulatedService {
  const store = Store.load(personalizeDir(ctx.stateDir));
  const hooks = new Map<string, KindHooks>();
  const operations = new Map<string, Operation>();
  const lifecycle = new LifecycleEngine(store, () => ctx.now(), hooks);
  const state: ServiceState = { ctx, store, lifecycle, arn: (suffix) => personalizeArn(ctx.region, ctx.accountId, suffix) };
  for (const module of MODULES) {
    if (module.hooks !== undefined) hooks.set(module.kind, module.hooks(state));
    for (const [name, operation] of Object.entries(module.operations)) operations.set(name, operation);
  }
  lifecycle.tick();

  return {
    async handle(req, res) {
      try {
        const name = operationOf(req);
        const operation = operations.get(name);
        if (operation === undefined) throw new PersonalizeError('UnknownOperationException', `Unknown operation ${name}.`);
        const body = await readJsonObject(req);
        validateInput(operation.input, body);
        lifecycle.tick();
        sendResult(res, operation.run(state, new Input(body)));
      } catch (err) {
        if (!(err instanceof PersonalizeError)) throw err;
        sendError(res, err);
      }
    },
    async close() {
      for (const kind of hooks.values()) kind.close?.();
      await lifecycle.close();
    },
  };
}
