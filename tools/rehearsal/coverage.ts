/**
 * Which environments `npm test` rehearses. Each rehearsal costs minutes (an emulator and three Terraform
 * runs), so the suite rehearses the fewest environments that together apply every resource type any
 * environment would apply: a copied environment adds no type and adds no rehearsal, while an environment
 * with a resource type no other one has is rehearsed too. `npm run rehearse -- <env>` rehearses any
 * environment by name.
 */
import { type StackResource, selectTargets } from "./stack";

/** One environment's synthesized stack, as the choice needs it. */
export interface CandidateStack {
  readonly name: string;
  readonly production: boolean;
  readonly resources: readonly StackResource[];
}

export interface RehearsalChoice {
  /** The environments to rehearse, in the order they were chosen. */
  readonly environments: readonly string[];
  /** Per chosen environment, the resource types it is the first to cover. */
  readonly covers: Readonly<Record<string, readonly string[]>>;
  /** Every resource type some environment applies in a rehearsal. */
  readonly types: readonly string[];
}

/** The resource types a rehearsal of this stack would apply (the emulator's targets). */
export function rehearsedTypes(resources: readonly StackResource[]): Set<string> {
  const { targets } = selectTargets(resources);
  return new Set(targets.map((address) => address.split(".")[0]));
}

/**
 * Greedy cover of the applied resource types: repeatedly the environment that adds the most types not yet
 * covered; on a tie a production environment first (it is the one that must not fail), then the smaller
 * stack (faster), then the name.
 */
export function chooseRehearsals(stacks: readonly CandidateStack[]): RehearsalChoice {
  const typesOf = new Map(stacks.map((s) => [s.name, rehearsedTypes(s.resources)]));
  const all = new Set([...typesOf.values()].flatMap((t) => [...t]));
  const uncovered = new Set(all);
  const environments: string[] = [];
  const covers: Record<string, string[]> = {};
  while (uncovered.size > 0) {
    const ranked = stacks
      .filter((s) => !environments.includes(s.name))
      .map((s) => ({ stack: s, adds: [...(typesOf.get(s.name) ?? [])].filter((t) => uncovered.has(t)) }))
      .filter((c) => c.adds.length > 0)
      .sort(
        (a, b) =>
          b.adds.length - a.adds.length ||
          Number(b.stack.production) - Number(a.stack.production) ||
          a.stack.resources.length - b.stack.resources.length ||
          a.stack.name.localeCompare(b.stack.name),
      );
    const best = ranked[0];
    if (best === undefined) break;
    environments.push(best.stack.name);
    covers[best.stack.name] = best.adds.sort();
    for (const type of best.adds) uncovered.delete(type);
  }
  return { environments, covers, types: [...all].sort() };
}
