import type { IdDictionary } from './id-dictionary.ts';
import { topK } from './top-k.ts';
import type { Model, ModelFamily, RecipeName, Recommendation } from './types.ts';

/** The arrays and settings that make up a trained model, for serialization. */
export interface ModelState {
  readonly family: ModelFamily;
  readonly recipe: RecipeName;
  readonly users: readonly string[];
  readonly items: readonly string[];
  readonly settings: Readonly<Record<string, number>>;
  readonly arrays: Readonly<Record<string, Float32Array | Float64Array | Int32Array>>;
}

/**
 * Shared behaviour of every model: id translation, popularity fallback for cold users and items,
 * exclusion and ranking. A family supplies dense scores over the catalogue (or undefined when it
 * has nothing to say, which means popularity).
 */
export abstract class ScoringModel implements Model {
  abstract readonly family: ModelFamily;

  constructor(
    readonly recipe: RecipeName,
    protected readonly users: IdDictionary,
    protected readonly items: IdDictionary,
    /** Interaction count per item in the training data: the fallback and the tie-break. */
    protected readonly popularity: Float64Array,
  ) {}

  protected abstract userScores(user: number): Float64Array | undefined;
  protected abstract itemScores(item: number): Float64Array | undefined;
  abstract state(): ModelState;

  recommend(userId: string, k: number, exclude?: ReadonlySet<string>): Recommendation[] {
    const user = this.users.indexOf(userId);
    const scores = (user < 0 ? undefined : this.userScores(user)) ?? this.popularity;
    return this.pick(scores, k, this.skipper(exclude));
  }

  relatedItems(itemId: string, k: number, exclude?: ReadonlySet<string>): Recommendation[] {
    const item = this.items.indexOf(itemId);
    const scores = (item < 0 ? undefined : this.itemScores(item)) ?? this.popularity;
    const skipExcluded = this.skipper(exclude);
    return this.pick(scores, k, (i) => i === item || (skipExcluded?.(i) ?? false));
  }

  rank(userId: string, itemIds: readonly string[]): Recommendation[] {
    const user = this.users.indexOf(userId);
    const scores = (user < 0 ? undefined : this.userScores(user)) ?? this.popularity;
    const known: { id: string; index: number; order: number }[] = [];
    const unknown: Recommendation[] = [];
    itemIds.forEach((id, order) => {
      const index = this.items.indexOf(id);
      const score = index < 0 ? NaN : (scores[index] as number);
      if (Number.isFinite(score)) known.push({ id, index, order });
      else unknown.push({ itemId: id, score: 0 });
    });
    known.sort((a, b) => (scores[b.index] as number) - (scores[a.index] as number) || (this.popularity[b.index] as number) - (this.popularity[a.index] as number) || a.order - b.order);
    return [...known.map((k) => ({ itemId: k.id, score: scores[k.index] as number })), ...unknown];
  }

  /** Item indices of the top k, for evaluation without id translation. */
  topIndices(user: number, k: number): number[] {
    const scores = this.userScores(user) ?? this.popularity;
    return topK(scores, this.popularity, k);
  }

  private skipper(exclude: ReadonlySet<string> | undefined): ((i: number) => boolean) | undefined {
    if (exclude === undefined || exclude.size === 0) return undefined;
    const indices = new Set<number>();
    for (const id of exclude) {
      const i = this.items.indexOf(id);
      if (i >= 0) indices.add(i);
    }
    return (i) => indices.has(i);
  }

  private pick(scores: ArrayLike<number>, k: number, skip: ((i: number) => boolean) | undefined): Recommendation[] {
    return topK(scores, this.popularity, k, skip).map((i) => ({ itemId: this.items.idOf(i), score: scores[i] as number }));
  }
}
