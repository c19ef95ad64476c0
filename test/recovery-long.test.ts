/**
 * The long variant of test/recovery.test.ts, run by `npm run test:recovery` (not by `npm test`): every
 * environment in environments/, with everything the emulator can take applied, interrupted at every
 * interruption point its stack reaches, killed (SIGKILL) and stopped gracefully (one SIGINT) in turn; and
 * per environment a CI-style plain re-run before recovery. Each time: `recover --delete-orphans`, one
 * apply, exit 0, an empty next plan, nothing duplicated or orphaned in the emulator, and recover then
 * finds nothing. Then, per environment, the two drifts a plain plan misses: the plan shows the inline
 * policy added to the Connect role and the apply removes it; the audit reports the broker-group rule.
 * Each scenario has its own emulator; two run at a time; every step is bounded.
 * RECOVERY_ONLY=<regex> (matched against the scenario names, and "drift in <env>") runs a subset.
 */
import { join } from "node:path";
import { resolveEnvironment } from "../stacks/defaults";
import type { AuditResult } from "../tools/audit/security-groups";
import type { Drift } from "../tools/rehearsal/drift";
import { motoAvailable } from "../tools/rehearsal/emulator";
import type { StackJson } from "../tools/rehearsal/stack";
import { terraformVersion, writeCliConfig } from "../tools/terraform";
import {
  type ApplyOutcome,
  CREATED_BY,
  EmulatedDeploy,
  INTERRUPTION_POINTS,
  type InterruptionPoint,
  pointsFor,
  type StopMode,
  withClusterStandIn,
  within,
} from "./support/interrupted-deploy";
import { ENVIRONMENTS, synthJson } from "./support/synth";

const buildDir = join(__dirname, "..", ".build", "recovery-long");
const PARALLEL = 2;

interface Scenario {
  readonly id: string;
  readonly env: string;
  readonly point: InterruptionPoint;
  readonly mode: StopMode;
  /** Apply once more without recovery first, as a CI retry would. */
  readonly plainRerun: boolean;
}

interface Outcome {
  interrupted?: ApplyOutcome;
  rerun?: ApplyOutcome;
  recovered: string[];
  final?: ApplyOutcome;
  replan?: unknown[];
  untracked?: string[];
  leftAfter?: { imports: number; orphans: number; exitCode: number };
  error?: string;
  seconds?: number;
}

/** Every environment at every point its emulatable stack reaches; modes alternate across points and environments. */
function scenarios(): Scenario[] {
  return Object.keys(ENVIRONMENTS).flatMap((env, e) => {
    const resolved = resolveEnvironment(ENVIRONMENTS[env]);
    const stack = withClusterStandIn(synthJson(ENVIRONMENTS[env]) as unknown as StackJson, resolved);
    // the targets only decide which points apply; each scenario builds its own deploy
    const targets = Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => `${type}.${name}`),
    );
    const points = pointsFor(targets.filter((t) => !t.startsWith("aws_msk")));
    return [
      ...points.map((point, i) => ({
        id: `${env} ${(i + e) % 2 === 0 ? "kill" : "graceful"} at ${point.name}`,
        env,
        point,
        mode: ((i + e) % 2 === 0 ? "kill" : "graceful") as StopMode,
        plainRerun: false,
      })),
      {
        id: `${env} graceful at ${INTERRUPTION_POINTS[0].name}, then a plain re-run`,
        env,
        point: points[0],
        mode: "graceful" as StopMode,
        plainRerun: true,
      },
    ];
  });
}

/** RECOVERY_ONLY=<regex> runs only the scenarios whose id matches (e.g. "prod kill"). */
const only = process.env.RECOVERY_ONLY ? new RegExp(process.env.RECOVERY_ONLY) : undefined;
const all = scenarios().filter((s) => !only || only.test(s.id));
const outcomes = new Map<string, Outcome>();

async function runScenario(s: Scenario, index: number, cliConfigFile: string): Promise<Outcome> {
  const outcome: Outcome = { recovered: [] };
  const started = Date.now();
  const env = resolveEnvironment(ENVIRONMENTS[s.env]);
  const stack = withClusterStandIn(synthJson(ENVIRONMENTS[s.env]) as unknown as StackJson, env);
  let deploy: EmulatedDeploy | undefined;
  try {
    deploy = await within(
      180,
      "starting the emulator",
      EmulatedDeploy.start(env, stack, join(buildDir, `${index}-${s.env}`), cliConfigFile),
    );
    const d = deploy;
    outcome.interrupted = await d.apply(
      { point: pointsFor(d.targets).find((p) => p.name === s.point.name) ?? s.point, mode: s.mode },
      600,
    );
    if (s.plainRerun) outcome.rerun = await d.apply(undefined, 900);
    const first = await within(600, "recover --delete-orphans", d.recover(true));
    outcome.recovered = [
      ...first.reconciliation.imports.map((i) => i.object.type),
      ...first.reconciliation.orphans.map((o) => o.object.type),
    ];
    outcome.final = await d.apply(undefined, 900);
    // Orphans something adopted still used before the apply are free now.
    await within(600, "recover --delete-orphans", d.recover(true));
    outcome.replan = await within(600, "re-plan", d.replan());
    outcome.untracked = await within(300, "inventory", d.untracked());
    const last = await within(600, "recover", d.recover());
    outcome.leftAfter = {
      imports: last.reconciliation.imports.length,
      orphans: last.reconciliation.orphans.length,
      exitCode: last.exitCode,
    };
  } catch (error) {
    outcome.error = (error as Error).message;
  } finally {
    await deploy?.stop();
    outcome.seconds = (Date.now() - started) / 1000;
  }
  return outcome;
}

beforeAll(async () => {
  terraformVersion();
  motoAvailable();
  const cliConfigFile = writeCliConfig(buildDir);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const index = next++;
      const s = all[index];
      const outcome = await runScenario(s, index, cliConfigFile);
      outcomes.set(s.id, outcome);
      console.log(
        `${s.id}: ${outcome.error ? `ERROR ${outcome.error}` : "done"} in ${outcome.seconds?.toFixed(0)} s`,
      );
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}, 4 * 3600_000);

(only ? it.skip : it)(
  "covers every environment, both stop modes and every interruption point of each stack",
  () => {
    expect(new Set(all.map((s) => s.env))).toEqual(new Set(Object.keys(ENVIRONMENTS)));
    expect(new Set(all.map((s) => s.mode))).toEqual(new Set(["kill", "graceful"]));
    for (const env of Object.keys(ENVIRONMENTS))
      expect(all.filter((s) => s.env === env && !s.plainRerun).length).toBeGreaterThanOrEqual(4);
  },
);

/** describe.each, except that an empty table (RECOVERY_ONLY matching nothing) is no block instead of an error. */
function eachOf<T>(table: readonly T[], title: (item: T) => string, block: (item: T) => void): void {
  if (table.length > 0)
    describe.each(table.map((item) => [title(item), item] as const))("%s", (_title, item) => block(item));
}

eachOf(
  all,
  (s) => s.id,
  (s) => {
    const id = s.id;
    const o = () => outcomes.get(id) ?? { recovered: [] };

    it("interrupted the apply while the held creates were in flight", () => {
      expect(o().error).toBeUndefined();
      expect(o().interrupted?.stopped).toBe(s.mode);
      expect(o().interrupted?.held.length).toBeGreaterThan(0);
    });

    it("recover found every create the interrupt lost", () => {
      const held = [...new Set((o().interrupted?.held ?? []).map((h) => CREATED_BY[h]))];
      expect(o().recovered).toEqual(expect.arrayContaining(held));
    });

    it("then one apply exits 0 and the next plan is empty", () => {
      expect(o().final?.ok).toBe(true);
      expect(o().replan).toEqual([]);
    });

    it("leaves nothing duplicated or orphaned, and recover then finds nothing", () => {
      expect(o().untracked).toEqual([]);
      expect(o().leftAfter).toEqual({ imports: 0, orphans: 0, exitCode: 0 });
    });
  },
);

/** The drifts a plain plan misses, in every environment with everything applied: plan, repair, audit. */
const driftEnvironments = Object.keys(ENVIRONMENTS).filter((name) => !only || only.test(`drift in ${name}`));
eachOf(
  driftEnvironments,
  (name) => `drift a plain plan cannot see, in ${name}`,
  (name) => {
    const result: {
      applied?: ApplyOutcome;
      clean?: AuditResult;
      drift?: Drift[];
      repaired?: ApplyOutcome;
      policies?: string[];
      audit?: AuditResult;
      error?: string;
    } = {};

    beforeAll(async () => {
      const env = resolveEnvironment(ENVIRONMENTS[name]);
      const stack = withClusterStandIn(synthJson(ENVIRONMENTS[name]) as unknown as StackJson, env);
      let d: EmulatedDeploy | undefined;
      try {
        d = await within(
          180,
          "starting the emulator",
          EmulatedDeploy.start(env, stack, join(buildDir, `drift-${name}`), writeCliConfig(buildDir)),
        );
        result.applied = await d.apply(undefined, 900);
        result.clean = await within(300, "audit", d.audit());
        await d.addInvisibleDrift();
        result.drift = await within(600, "re-plan", d.replan());
        result.repaired = await d.apply(undefined, 600);
        result.policies = await d.connectRolePolicies();
        result.audit = await within(300, "audit", d.audit());
      } catch (error) {
        result.error = (error as Error).message;
      } finally {
        await d?.stop();
      }
    }, 3600_000);

    it("shows the inline policy added to the Connect role in the plan, and the apply removes it", () => {
      expect(result.error).toBeUndefined();
      expect(result.applied?.ok).toBe(true);
      expect(result.drift?.map((d) => [d.address.replace(/_[0-9A-F]{8}$/, ""), d.attributes])).toEqual([
        ["aws_iam_role_policies_exclusive.connect_execution-role_policies-exclusive", ["policy_names"]],
      ]);
      expect(result.repaired?.ok).toBe(true);
      expect(result.policies).toEqual(["s3-sink"]);
    });

    it("leaves the plan silent about 0.0.0.0/0 on 9098 in the broker group, and the audit reports it", () => {
      expect(result.clean?.findings).toEqual([]);
      expect(
        result.audit?.findings.map((f) => [f.address.replace(/_[0-9A-F]{8}$/, ""), f.rule, f.internet]),
      ).toEqual([["aws_security_group.security-groups_broker", "ingress tcp 9098 from 0.0.0.0/0", true]]);
    });
  },
);
