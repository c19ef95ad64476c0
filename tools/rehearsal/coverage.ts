/**
 * Which environments `npm test` rehearses. Each rehearsal costs minutes (an emulator and three Terraform
 * runs), so the suite rehearses the fewest environments that together apply every resource shape any
 * environment would apply. A shape is a resource type with the attribute paths it sets (values aside) and
 * its lifecycle settings (values included: prevent_destroy is what production adds): what the emulator and
 * the re-plan can trip over. A copied environment adds no shape and no rehearsal; an environment with a
 * resource or setting no other one has is rehearsed too. `npm run rehearse -- <env>` rehearses any
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
  /** Per chosen environment, the resource shapes it is the first to cover. */
  readonly covers: Readonly<Record<string, readonly string[]>>;
  /** Every resource shape some environment applies in a rehearsal. */
  readonly shapes: readonly string[];
}

/** Attribute paths a configuration sets (`rule[].expiration[].days`); lifecycle settings with their value. */
function attributePaths(value: unknown, prefix: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) attributePaths(item, `${prefix}[]`, into);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "//" || key === "tags") continue;
      attributePaths(item, prefix ? `${prefix}.${key}` : key, into);
    }
  } else {
    into.add(prefix.startsWith("lifecycle.") ? `${prefix}=${JSON.stringify(value)}` : prefix);
  }
}

/** The resource shapes a rehearsal of this stack would apply (the emulator's targets). */
export function rehearsedShapes(resources: readonly StackResource[]): Set<string> {
  const targets = new Set(selectTargets(resources).targets);
  const shapes = new Set<string>();
  for (const resource of resources) {
    if (!targets.has(resource.address)) continue;
    const paths = new Set<string>();
    attributePaths(resource.config, "", paths);
    shapes.add(`${resource.type}{${[...paths].sort().join(",")}}`);
  }
  return shapes;
}

/**
 * Greedy cover of the applied resource shapes: repeatedly the environment that adds the most shapes not
 * yet covered; on a tie a production environment first (it is the one that must not fail), then the
 * smaller stack (faster), then the name.
 */
export function chooseRehearsals(stacks: readonly CandidateStack[]): RehearsalChoice {
  const typesOf = new Map(stacks.map((s) => [s.name, rehearsedShapes(s.resources)]));
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
  return { environments, covers, shapes: [...all].sort() };
}
