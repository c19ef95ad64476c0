/** The promotion chain of .github/workflows/deploy.yml, checked against the environments that exist. */

/** A job of deploy.yml, as far as the check reads it. */
export interface DeployJob {
  readonly needs?: string | readonly string[];
  readonly uses?: string;
  readonly with?: Record<string, string>;
}

const needsOf = (job: DeployJob): readonly string[] =>
  job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : job.needs;

/** An environment as the check reads it: its name, whether it is production, its client stacks' names. */
export interface DeployedEnvironment {
  readonly name: string;
  readonly production: boolean;
  /** `<env>-client-<name>` stacks synth makes for it (stacks/stack-names.ts). @default [] */
  readonly clientStacks?: readonly string[];
}

/**
 * What is wrong with the deploy jobs for these environments, one message each: an environment or client
 * stack without a job (named, with the fix), a job for a stack that does not exist, an environments' chain
 * that is not one line (one first job, each other job needing exactly one, none needed twice by another
 * environment), production deployed first, a client stack deployed before (or without) its environment.
 */
export function deployJobProblems(
  jobs: Readonly<Record<string, DeployJob>>,
  environments: readonly DeployedEnvironment[],
): string[] {
  const problems: string[] = [];
  const deployed = new Map(Object.entries(jobs).map(([id, job]) => [job.with?.environment ?? id, id]));
  const clientOf = new Map(
    environments.flatMap((e) => (e.clientStacks ?? []).map((stack) => [stack, e.name] as const)),
  );
  for (const { name } of environments) {
    if (!deployed.has(name))
      problems.push(
        `environment "${name}" has no deploy job in .github/workflows/deploy.yml: add one that uses ` +
          `./.github/workflows/deploy-environment.yml with environment: ${name} and needs the environment deployed before it`,
      );
  }
  for (const [stack, environment] of clientOf) {
    const id = deployed.get(stack);
    if (id === undefined)
      problems.push(
        `client stack "${stack}" has no deploy job in .github/workflows/deploy.yml: add one with environment: ` +
          `${stack} that needs the job of ${environment}`,
      );
    else if (needsOf(jobs[id]).join() !== (deployed.get(environment) ?? environment))
      problems.push(`deploy job "${id}" must need exactly the job of ${environment} (its cluster)`);
  }
  for (const [stack, id] of deployed) {
    if (!environments.some((e) => e.name === stack) && !clientOf.has(stack))
      problems.push(`deploy job "${id}" deploys "${stack}", which has no file in environments/`);
  }
  // The promotion chain: the environments' own jobs (client stacks hang off their environment).
  const chain = Object.fromEntries(
    Object.entries(jobs).filter(([id, job]) => !clientOf.has(job.with?.environment ?? id)),
  );
  const first = Object.keys(chain).filter((id) => needsOf(chain[id]).length === 0);
  if (first.length !== 1)
    problems.push(`the chain must start with exactly one job; jobs without needs: ${first.join(", ")}`);
  for (const [id, job] of Object.entries(chain)) {
    if (needsOf(job).length > 1)
      problems.push(`deploy job "${id}" needs ${needsOf(job).join(", ")}: one predecessor only`);
  }
  const needed = Object.values(chain).flatMap(needsOf);
  for (const id of new Set(needed)) {
    if (needed.filter((n) => n === id).length > 1)
      problems.push(`deploy job "${id}" is needed by more than one job`);
  }
  for (const id of first) {
    const environment = chain[id].with?.environment ?? id;
    if (environments.find((e) => e.name === environment)?.production)
      problems.push(`production environment "${environment}" is deployed first: promote something to it`);
  }
  return problems;
}
