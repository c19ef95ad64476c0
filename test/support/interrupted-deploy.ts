/**
 * Interrupted deploys against the local emulator, for test/recovery*.test.ts: the rehearsal's working
 * copy of a stack (emulatable resources, provider pointed at moto), applies that are stopped gracefully
 * (one SIGINT, as Ctrl-C or a CI cancel) or killed (SIGKILL, as a dead runner) at the moment chosen
 * creates are performed but not yet answered (tools/rehearsal/moto/held_responses.py), then recovery, the
 * next apply and an independent check of what the emulator holds. Every step is bounded.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { AuthorizeSecurityGroupIngressCommand, DescribeRouteTablesCommand } from "@aws-sdk/client-ec2";
import { ListRolePoliciesCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { topicManagerBundle } from "../../modules/topics/bundle";
import type { ResolvedEnvironment } from "../../stacks/defaults";
import { type AuditResult, auditSecurityGroups } from "../../tools/audit/security-groups";
import { forgetGone, refreshedState, showState, untaint } from "../../tools/deployed-state";
import { RESOURCE_KINDS } from "../../tools/recovery/reconcile";
import { type RecoverResult, recover } from "../../tools/recovery/recover";
import { type EmulatorClients, emulatorClients } from "../../tools/rehearsal/clients";
import { type Drift, driftOf } from "../../tools/rehearsal/drift";
import { type Emulator, startEmulator } from "../../tools/rehearsal/emulator";
import { functionCodeObjects, seedFunctionCode } from "../../tools/rehearsal/function-code";
import { type Inventory, inventory } from "../../tools/rehearsal/inventory";
import {
  endpointServices,
  type StackJson,
  type StackResource,
  selectTargets,
  serviceSupport,
  stackResources,
} from "../../tools/rehearsal/stack";
import type { AppliedState } from "../../tools/rehearsal/state";
import { emulatorEnv, resetWorkspace, writeWorkspace } from "../../tools/rehearsal/workspace";
import { type PlanJson, terraform } from "../../tools/terraform";

/** How an apply is stopped. */
export type StopMode = "graceful" | "kill";

/** A moment to stop an apply: these creates are performed, and their answers held back. */
export interface InterruptionPoint {
  readonly name: string;
  /** API operations held (the first call of each), e.g. CreateVpc. */
  readonly holds: readonly string[];
}

/** The resource type each held operation creates (a hold only applies where the stack has that type). */
export const CREATED_BY: Readonly<Record<string, string>> = {
  CreateRole: "aws_iam_role",
  CreateBucket: "aws_s3_bucket",
  CreateKey: "aws_kms_key",
  CreateAlias: "aws_kms_alias",
  CreateLogGroup: "aws_cloudwatch_log_group",
  CreateVpc: "aws_vpc",
  CreateSubnet: "aws_subnet",
  CreateSecurityGroup: "aws_security_group",
  CreateRouteTable: "aws_route_table",
  AssociateRouteTable: "aws_route_table_association",
  CreateInternetGateway: "aws_internet_gateway",
  AllocateAddress: "aws_eip",
  CreateNatGateway: "aws_nat_gateway",
  CreateRoute: "aws_route",
  CreateVpcEndpoint: "aws_vpc_endpoint",
  CreateFlowLogs: "aws_flow_log",
  AuthorizeSecurityGroupIngress: "aws_vpc_security_group_ingress_rule",
  AuthorizeSecurityGroupEgress: "aws_vpc_security_group_egress_rule",
};

/** The interruption points, early to late; each keeps only the holds the stack's emulatable part has. */
export const INTERRUPTION_POINTS: readonly InterruptionPoint[] = [
  { name: "first creates (role, bucket, key)", holds: ["CreateRole", "CreateBucket", "CreateKey"] },
  { name: "the VPC", holds: ["CreateVpc"] },
  {
    name: "inside the VPC (subnet, group, route table, log group)",
    holds: ["CreateSubnet", "CreateSecurityGroup", "CreateRouteTable", "CreateLogGroup"],
  },
  { name: "a NAT gateway", holds: ["CreateNatGateway"] },
  {
    name: "links (alias, rule, association, endpoint, flow log, route)",
    holds: [
      "CreateAlias",
      "AuthorizeSecurityGroupIngress",
      "AssociateRouteTable",
      "CreateVpcEndpoint",
      "CreateFlowLogs",
      "CreateRoute",
    ],
  },
];

/** The points that apply to a stack's emulatable resources, with the holds it can reach. */
export function pointsFor(targets: readonly string[]): InterruptionPoint[] {
  const types = new Set(targets.map((t) => t.split(".")[0]));
  return INTERRUPTION_POINTS.map((p) => ({
    ...p,
    holds: p.holds.filter((h) => types.has(CREATED_BY[h])),
  })).filter((p) => p.holds.length > 0);
}

/** Kinds recovery uses here: the types the emulator serves (MSK and Connect are plan-only). */
export const EMULATED_KINDS = RESOURCE_KINDS.filter((k) => {
  const support = serviceSupport(k.type);
  return support !== undefined && support.unsupported === undefined;
});

/**
 * The stack with a stand-in ARN for the MSK cluster inside IAM role policies, so that the Connect role's
 * inline policy (and its exclusive-policies resource) can be applied although the cluster cannot.
 */
export function withClusterStandIn(stack: StackJson, env: ResolvedEnvironment): StackJson {
  const standIn = `arn:aws:kafka:${env.region}:${env.accountId}:cluster/${env.prefix}/00000000-0000-0000-0000-000000000000-1`;
  const policies = stack.resource?.aws_iam_role_policy ?? {};
  const replaced = Object.fromEntries(
    Object.entries(policies).map(([name, config]) => [
      name,
      JSON.parse(
        JSON.stringify(config)
          .replace(/\$\{aws_msk_cluster\.[A-Za-z0-9_-]+\.arn\}/g, standIn)
          .replace(/\$\{aws_msk_cluster\.[A-Za-z0-9_-]+\.cluster_name\}/g, env.prefix)
          .replace(
            /\$\{aws_msk_cluster\.[A-Za-z0-9_-]+\.cluster_uuid\}/g,
            "00000000-0000-0000-0000-000000000000-1",
          ),
      ) as Record<string, unknown>,
    ]),
  );
  return { ...stack, resource: { ...stack.resource, aws_iam_role_policy: replaced } };
}

export interface ApplyOutcome {
  readonly ok: boolean;
  readonly output: string;
  /** Holds that happened before the stop. */
  readonly held: readonly string[];
  readonly stopped?: StopMode;
  readonly seconds: number;
}

/** The name of the inline policy `addInvisibleDrift` puts on the Connect role. */
export const HAND_MADE_POLICY = "added-by-hand";
const CONNECT_ROLE = (env: ResolvedEnvironment) => `${env.prefix}-msk-connect`;

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** `work`, failing with `what` when it takes longer than `seconds`. */
export async function within<T>(seconds: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One environment's emulatable stack in its own emulator, applied (and interrupted) step by step. */
export class EmulatedDeploy {
  readonly resources: readonly StackResource[];
  readonly targets: readonly string[];
  private pristine?: Inventory;
  /** Numbers the step logs kept in the working folder (apply-1.log, recover-2.txt, ...). */
  private steps = 0;

  private constructor(
    readonly env: ResolvedEnvironment,
    readonly workDir: string,
    private readonly emulator: Emulator,
    private readonly tfEnv: NodeJS.ProcessEnv,
    readonly clients: EmulatorClients,
    readonly stack: StackJson,
    leaveOut: (address: string) => boolean,
  ) {
    this.resources = stackResources(stack);
    this.targets = selectTargets(this.resources).targets.filter((t) => !leaveOut(t));
  }

  /**
   * Starts a fresh emulator and initialises the working copy of `stack`. `leaveOut` drops targets (and
   * must only drop resources nothing else depends on).
   */
  static async start(
    env: ResolvedEnvironment,
    stack: StackJson,
    workDir: string,
    cliConfigFile: string,
    leaveOut: (address: string) => boolean = () => false,
  ): Promise<EmulatedDeploy> {
    resetWorkspace(workDir);
    const emulator = await startEmulator({
      accountId: env.accountId,
      logFile: join(workDir, "moto.log"),
      env: { REHEARSAL_HOLD_FILE: join(workDir, "holds") },
    });
    const resources = stackResources(stack);
    writeWorkspace(workDir, stack, emulator.endpoint, endpointServices(resources));
    const tfEnv = emulatorEnv(cliConfigFile, emulator.endpoint);
    const deploy = new EmulatedDeploy(
      env,
      workDir,
      emulator,
      tfEnv,
      emulatorClients(emulator.endpoint, env.region),
      stack,
      leaveOut,
    );
    await terraform(workDir, ["init", "-input=false", "-no-color"], tfEnv);
    // As the rehearsal does: the packages functions name in buckets the stack does not hold are seeded (part
    // of the pristine inventory), and the topic manager's package, a synth asset, is put where the stack
    // expects it (the stack here is synthesized in memory, so no asset folder exists).
    const code = functionCodeObjects(resources).filter((o) => deploy.targets.includes(o.address));
    await seedFunctionCode(deploy.clients.s3, code, env.region);
    for (const r of resources) {
      const filename = r.type === "aws_lambda_function" ? r.config.filename : undefined;
      if (typeof filename !== "string" || !deploy.targets.includes(r.address)) continue;
      if (!filename.endsWith(`/${basename(topicManagerBundle().zipFile)}`))
        throw new Error(`${r.address}: no package known for the local asset ${filename}`);
      mkdirSync(dirname(join(workDir, filename)), { recursive: true });
      copyFileSync(topicManagerBundle().zipFile, join(workDir, filename));
    }
    deploy.pristine = await inventory(deploy.clients);
    return deploy;
  }

  private holdsSeen(): string[] {
    const log = readFileSync(join(this.workDir, "moto.log"), "utf8");
    return [...log.matchAll(/\[hold\] performed (\w+)/g)].map((m) => m[1]);
  }

  /**
   * Applies the emulatable resources. With `stop`, the holds are armed and the apply is stopped once all
   * of them happened (or 20 s after the last one that did); the whole apply is bounded by `limitSeconds`
   * (then killed, and reported as not ok).
   */
  async apply(
    stop?: { readonly point: InterruptionPoint; readonly mode: StopMode },
    limitSeconds = 600,
  ): Promise<ApplyOutcome> {
    const before = this.holdsSeen().length;
    writeFileSync(join(this.workDir, "holds"), stop ? `${stop.point.holds.join("\n")}\n` : "");
    const graceful = new AbortController();
    const kill = new AbortController();
    const started = Date.now();
    let finished = false;
    const run = terraform(
      this.workDir,
      ["apply", "-auto-approve", "-input=false", "-no-color", ...this.targets.map((t) => `-target=${t}`)],
      this.tfEnv,
      { signal: graceful.signal, kill: kill.signal },
    ).then(
      (r) => ({ ok: true, output: r.stdout }),
      (e: Error) => ({ ok: false, output: e.message }),
    );
    void run.then(() => {
      finished = true;
    });
    let stopped: StopMode | undefined;
    let held: string[] = [];
    let lastNew = Date.now();
    while (!finished && Date.now() - started < limitSeconds * 1000) {
      await sleep(200);
      if (!stop || stopped) continue;
      const now = this.holdsSeen().slice(before);
      if (now.length > held.length) lastNew = Date.now();
      held = now;
      const all = held.length >= stop.point.holds.length;
      if (all || (held.length > 0 && Date.now() - lastNew > 20_000)) {
        stopped = stop.mode;
        (stop.mode === "kill" ? kill : graceful).abort();
      }
    }
    if (!finished) kill.abort();
    const result = await run;
    writeFileSync(join(this.workDir, "holds"), "");
    writeFileSync(join(this.workDir, `apply-${++this.steps}.log`), result.output);
    return {
      ...result,
      ok: result.ok && finished,
      held,
      stopped,
      seconds: (Date.now() - started) / 1000,
    };
  }

  /** The state as Terraform reads it (fails on a damaged file, as Terraform would mislead). */
  async state(): Promise<AppliedState> {
    return showState(this.workDir, this.tfEnv);
  }

  /** `npm run recover` against the emulator: the same steps as tools/recover.ts after its account check. */
  async recover(deleteOrphans = false): Promise<RecoverResult & { readonly report: string }> {
    const lines: string[] = [];
    const { state, gone, tainted } = await refreshedState(this.workDir, this.tfEnv);
    const result = await recover({
      env: this.env,
      stackDir: this.workDir,
      state,
      gone,
      forget: (addresses) => forgetGone(this.workDir, this.tfEnv, addresses),
      tainted,
      untaint: (addresses) => untaint(this.workDir, this.tfEnv, addresses),
      clients: this.clients,
      deleteOrphans,
      out: (line) => lines.push(line),
      kinds: EMULATED_KINDS,
    });
    const report = lines.join("\n");
    writeFileSync(join(this.workDir, `recover-${++this.steps}.txt`), report);
    return { ...result, report };
  }

  /** Plans the emulatable resources again, with refresh: every change it wants. */
  async replan(): Promise<Drift[]> {
    await terraform(
      this.workDir,
      // Read-only, so it takes no lock and can run beside other checks.
      [
        "plan",
        "-input=false",
        "-no-color",
        "-lock=false",
        "-out=replan.tfplan",
        ...this.targets.map((t) => `-target=${t}`),
      ],
      this.tfEnv,
    );
    const shown = await terraform(this.workDir, ["show", "-json", "replan.tfplan"], this.tfEnv);
    return driftOf(JSON.parse(shown.stdout) as PlanJson);
  }

  /**
   * What the emulator holds beyond its pristine inventory that no state resource accounts for: duplicates
   * and orphans, found independently of recover's own discovery. The VPC's main route table, which AWS
   * creates with the VPC and no resource manages, is not counted.
   */
  async untracked(): Promise<string[]> {
    const state = await this.state();
    const known = new Set<string>();
    // Every id a state resource holds, also in lists (an interface endpoint's network_interface_ids: the
    // interfaces AWS creates for it, one per subnet).
    for (const r of state.values())
      for (const value of Object.values(r.values))
        for (const item of Array.isArray(value) ? value : [value])
          if (typeof item === "string") known.add(item);
    const tables = await this.clients.ec2.send(new DescribeRouteTablesCommand({}));
    for (const t of tables.RouteTables ?? [])
      if (t.Associations?.some((a) => a.Main)) known.add(t.RouteTableId ?? "");
    const now = await inventory(this.clients);
    return [...now.live]
      .filter(([key]) => !this.pristine?.live.has(key))
      .filter(([key]) => !known.has(key.split(" ").pop() ?? ""))
      .map(([, label]) => label)
      .sort();
  }

  /**
   * The two drifts a plain plan cannot see, made by hand: an inline policy (s3:* on *) put on the Connect
   * role, and 0.0.0.0/0 on 9098 added to the broker security group.
   */
  async addInvisibleDrift(): Promise<void> {
    await this.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: CONNECT_ROLE(this.env),
        PolicyName: HAND_MADE_POLICY,
        // A plain JSON string: policyDocument() yields a token that only a stack resolves.
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
        }),
      }),
    );
    const broker = [...(await this.state()).values()].find((r) =>
      r.address.startsWith("aws_security_group.security-groups_broker"),
    );
    await this.clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: String(broker?.values.id),
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 9098,
            ToPort: 9098,
            IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "debug" }],
          },
        ],
      }),
    );
  }

  /** The inline policies the Connect role has now. */
  async connectRolePolicies(): Promise<string[]> {
    return (
      (await this.clients.iam.send(new ListRolePoliciesCommand({ RoleName: CONNECT_ROLE(this.env) })))
        .PolicyNames ?? []
    );
  }

  /** `npm run audit` against the emulator. */
  async audit(): Promise<AuditResult> {
    return auditSecurityGroups({
      environment: this.env.name,
      state: await this.state(),
      stack: this.stack,
      ec2: this.clients.ec2,
    });
  }

  /** Empties the local state file as a SIGKILL during Terraform's write leaves it. */
  truncateState(): string {
    const path = join(this.workDir, "terraform.tfstate");
    if (!existsSync(path)) throw new Error("no state to truncate");
    writeFileSync(path, "");
    return path;
  }

  get endpoint(): string {
    return this.emulator.endpoint;
  }

  get terraformEnv(): NodeJS.ProcessEnv {
    return this.tfEnv;
  }

  async stop(): Promise<void> {
    this.clients.destroy();
    await this.emulator.stop();
  }
}
