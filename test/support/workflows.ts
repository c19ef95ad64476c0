/** The promotion chain of .github/workflows/deploy.yml, checked against the environments that exist. */

/** A job of deploy.yml, as far as the check reads it. */
export interface DeployJob {
  readonly needs?: string | readonly string[];
  readonly uses?: string;
  readonly with?: Record<string, string>;
}

const needsOf = (job: DeployJob): readonly string[] =>
  job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : job.needs;

/**
 * What is wrong with the deploy jobs for these environments, one message each: an environment without a
 * job (named, with the fix), a job for an environment that does not exist, a chain that is not one line
 * (one first job, each other job needing exactly one, none needed twice), production deployed first.
 */
export function deployJobProblems(
  jobs: Readonly<Record<string, DeployJob>>,
  environments: readonly { readonly name: string; readonly production: boolean }[],
): string[] {
  const problems: string[] = [];
  const deployed = new Map(Object.entries(jobs).map(([id, job]) => [job.with?.environment ?? id, id]));
  for (const { name } of environments) {
    if (!deployed.has(name))
      problems.push(
        `environment "${name}" has no deploy job in .github/workflows/deploy.yml: add one that uses ` +
          `./.github/workflows/deploy-environment.yml with environment: ${name} and needs the environment deployed before it`,
      );
  }
  for (const [environment, id] of deployed) {
    if (!environments.some((e) => e.name === environment))
      problems.push(`deploy job "${id}" deploys "${environment}", which has no file in environments/`);
  }
  const first = Object.keys(jobs).filter((id) => needsOf(jobs[id]).length === 0);
  if (first.length !== 1)
    problems.push(`the chain must start with exactly one job; jobs without needs: ${first.join(", ")}`);
  for (const [id, job] of Object.entries(jobs)) {
    if (needsOf(job).length > 1)
      problems.push(`deploy job "${id}" needs ${needsOf(job).join(", ")}: one predecessor only`);
  }
  const needed = Object.values(jobs).flatMap(needsOf);
  for (const id of new Set(needed)) {
    if (needed.filter((n) => n === id).length > 1)
      problems.push(`deploy job "${id}" is needed by more than one job`);
  }
  for (const id of first) {
    const environment = jobs[id].with?.environment ?? id;
    if (environments.find((e) => e.name === environment)?.production)
      problems.push(`production environment "${environment}" is deployed first: promote something to it`);
  }
  return problems;
}
