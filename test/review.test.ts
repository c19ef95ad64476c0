/**
 * The plan review on real plans: every environment is synthesized and planned offline with real
 * Terraform (creation plans); staging's creation plan becomes a state file (tools/review/prior-state.ts), and
 * changed staging configurations are planned against it with -refresh=false (change plans). Nothing
 * here is a hand-written plan: the review reads what Terraform wrote.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { MskCluster as MskClusterResource } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { MskServerlessCluster } from "@cdktf/provider-aws/lib/msk-serverless-cluster";
import { MskconnectConnector } from "@cdktf/provider-aws/lib/mskconnect-connector";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { App, TerraformResource, TerraformStack } from "cdktf";
import type { CustomerKey } from "../modules/common/kms-key";
import { synthesizeAll } from "../stacks/app";
import type { EnvironmentConfig, ProvisionedClusterConfig } from "../stacks/config";
import type { PlatformStack } from "../stacks/platform-stack";
import { POLICY_REPORT_FILE, type PolicyReport } from "../stacks/policy/report";
import { SYNTH_WARNINGS_FILE } from "../stacks/synth-warnings";
import {
  EXIT_PLAN_FAILED,
  environmentNames,
  offlinePlanDir,
  parsePlanArgs,
  main as planMain,
  prepareOnline,
  runPlan,
} from "../tools/plan";
import type { ProvisionedCapacity } from "../tools/review/capacity";
import {
  emptyState,
  planAgainstState,
  providerSchemas,
  type RawConfig,
  stateFromPlan,
  writeState,
} from "../tools/review/prior-state";
import {
  type EnvironmentReview,
  EXIT_APPLY_FAILS,
  EXIT_DESTRUCTIVE,
  EXIT_OK,
  EXIT_USAGE,
  loadPlanFile,
  main,
  REVIEW_MARKER,
  renderReport,
  reviewPlan,
} from "../tools/review/review";
import {
  OFFLINE_CREDENTIALS,
  OFFLINE_OVERRIDE_FILE,
  type PlanJson,
  terraform,
  terraformEnv,
  terraformVersion,
  writeCliConfig,
  writeOfflineOverride,
} from "../tools/terraform";
import { buildStack, ENVIRONMENTS, ENVIRONMENTS_DIR } from "./support/synth";

const BUILD = join(__dirname, "..", ".build", "review-test");
const names = Object.keys(ENVIRONMENTS);
const staging = ENVIRONMENTS.staging;
const stagingCluster = staging.cluster as ProvisionedClusterConfig;

/** Synthesizes one environment, optionally changed through the construct tree, into its own folder. */
function synthVariant(
  folder: string,
  config: EnvironmentConfig,
  change?: (stack: PlatformStack) => void,
): string {
  const app = new App({ outdir: join(BUILD, folder) });
  const stack = buildStack(config, app);
  change?.(stack);
  app.synth();
  return join(BUILD, folder, "stacks", config.name);
}

/**
 * What renaming a construct id does to the synthesized JSON: the resource gets a new logical name and
 * every reference follows. (CDKTF ignores overrideLogicalId once the id has been used, so the rename is
 * applied to the output, exactly as a changed construct id would produce it.)
 */
function renameResource(stackDir: string, type: string, from: RegExp, to: string): string {
  const file = join(stackDir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as {
    resource: Record<string, Record<string, unknown>>;
  };
  const old = Object.keys(json.resource[type]).find((name) => from.test(name));
  if (!old) throw new Error(`no ${type} matching ${from}`);
  const renamed = JSON.parse(
    JSON.stringify(json).split(`${type}.${old}`).join(`${type}.${to}`),
  ) as typeof json;
  renamed.resource[type][to] = renamed.resource[type][old];
  delete renamed.resource[type][old];
  writeFileSync(file, JSON.stringify(renamed, null, 2));
  return stackDir;
}

function resourceOfType(stack: PlatformStack, type: string): TerraformResource {
  const found = stack.node
    .findAll()
    .filter(
      (c): c is TerraformResource => c instanceof TerraformResource && c.terraformResourceType === type,
    );
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/**
 * Resources other modules add (serverless cluster, connector, secret, alarm, autoscaling target, a
 * provisioned-throughput cluster on kafka.m5.4xlarge), in a stack of their own, so the review's
 * by-type cost model and stateful classification are proven on real plans of every one of them.
 */
function extrasStack(withResources: boolean): string {
  const app = new App({ outdir: join(BUILD, withResources ? "extras" : "extras-removed") });
  const stack = new TerraformStack(app, "extras");
  new AwsProvider(stack, "aws", { region: "eu-west-1", defaultTags: [{ tags: { environment: "extras" } }] });
  if (withResources) {
    const account = "444444444444";
    const subnets = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"];
    const key = new KmsKey(stack, "key", {
      description: "extras",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new CloudwatchLogGroup(stack, "logs", { name: "/aws/extras", retentionInDays: 365, kmsKeyId: key.arn });
    new S3Bucket(stack, "bucket", { bucket: `extras-access-logs-${account}` });
    new SecretsmanagerSecret(stack, "secret", {
      name: "AmazonMSK_extras_etl",
      kmsKeyId: key.arn,
      recoveryWindowInDays: 7,
    });
    const configuration = new MskConfiguration(stack, "configuration", {
      name: "extras-3-7-x-kraft",
      kafkaVersions: ["3.7.x.kraft"],
      serverProperties: "auto.create.topics.enable = false",
    });
    const cluster = new MskClusterResource(stack, "cluster", {
      clusterName: "extras",
      kafkaVersion: "3.7.x.kraft",
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: {
        instanceType: "kafka.m5.4xlarge",
        clientSubnets: subnets,
        securityGroups: ["sg-0bbbbbbbbbbbbbbb1"],
        storageInfo: {
          ebsStorageInfo: {
            volumeSize: 1000,
            provisionedThroughput: { enabled: true, volumeThroughput: 250 },
          },
        },
      },
      configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
      encryptionInfo: { encryptionAtRestKmsKeyArn: key.arn },
    });
    // Express brokers: no storage_info, RF 3 / min ISR 2 fixed by MSK whatever a configuration says.
    new MskClusterResource(stack, "express", {
      clusterName: "extras-express",
      kafkaVersion: "3.9.x.kraft",
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: {
        instanceType: "express.m7g.large",
        clientSubnets: subnets,
        securityGroups: ["sg-0bbbbbbbbbbbbbbb1"],
      },
      encryptionInfo: { encryptionAtRestKmsKeyArn: key.arn },
    });
    new AppautoscalingTarget(stack, "storage-scaling", {
      serviceNamespace: "kafka",
      resourceId: cluster.arn,
      scalableDimension: "kafka:broker-storage:VolumeSize",
      minCapacity: 1,
      maxCapacity: 4000,
    });
    new MskServerlessCluster(stack, "serverless", {
      clusterName: "extras-serverless",
      vpcConfig: [{ subnetIds: subnets.slice(0, 2), securityGroupIds: ["sg-0bbbbbbbbbbbbbbb1"] }],
      clientAuthentication: { sasl: { iam: { enabled: true } } },
    });
    new MskconnectConnector(stack, "connector", {
      name: "extras-sink",
      kafkaconnectVersion: "2.7.1",
      capacity: { autoscaling: { mcuCount: 2, minWorkerCount: 1, maxWorkerCount: 4 } },
      connectorConfiguration: {
        "connector.class": "io.confluent.connect.s3.S3SinkConnector",
        "tasks.max": "2",
      },
      kafkaCluster: {
        apacheKafkaCluster: {
          bootstrapServers: cluster.bootstrapBrokersSaslIam,
          vpc: { securityGroups: ["sg-0bbbbbbbbbbbbbbb1"], subnets },
        },
      },
      kafkaClusterClientAuthentication: { authenticationType: "IAM" },
      kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
      plugin: [
        {
          customPlugin: {
            arn: `arn:aws:kafkaconnect:eu-west-1:${account}:custom-plugin/s3/1a2b`,
            revision: 1,
          },
        },
      ],
      serviceExecutionRoleArn: `arn:aws:iam::${account}:role/extras-connect`,
    });
    const topic = new SnsTopic(stack, "alarms", { name: "extras-alarms", kmsMasterKeyId: key.arn });
    new CloudwatchMetricAlarm(stack, "disk", {
      alarmName: "extras-disk",
      namespace: "AWS/Kafka",
      metricName: "KafkaDataLogsDiskUsed",
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 85,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      alarmActions: [topic.arn],
    });
  }
  app.synth();
  return join(BUILD, withResources ? "extras" : "extras-removed", "stacks", "extras");
}

type Scenario =
  | "noop"
  | "brokers"
  | "replace"
  | "bucket"
  | "modeSwitch"
  | "retention"
  | "rename"
  | "extrasRemoved";
const creationFiles: Record<string, string> = {};
const changeFiles = {} as Record<Scenario, string>;
const creation: Record<string, EnvironmentReview> = {};
const change = {} as Record<Scenario, EnvironmentReview>;
const creationPlans: Record<string, PlanJson> = {};
let planCommand: { code: number; stdout: string } = { code: -1, stdout: "" };
/** prod with a ForceNew change: Terraform refuses the plan (prevent_destroy); `npm run plan` plans past it. */
let refusedRun: { code: number; stdout: string; stderr: string } = { code: -1, stdout: "", stderr: "" };
let refusedDir = "";
const REFUSED_ROOT = join(BUILD, "refused-root");

beforeAll(async () => {
  terraformVersion();
  rmSync(BUILD, { recursive: true, force: true });
  const cliConfig = writeCliConfig(BUILD);
  const base = join(BUILD, "base");
  const stackDir = (name: string) => join(base, "stacks", name);

  const variants = {
    // The unchanged configuration: proves the state builder reproduces what the creation plan applied.
    noop: synthVariant("noop", staging),
    brokers: synthVariant("brokers", { ...staging, cluster: { ...stagingCluster, brokersPerAz: 2 } }),
    // The at-rest key is ForceNew: re-pointing the cluster at another key destroys and recreates it.
    replace: synthVariant("replace", staging, (stack) =>
      resourceOfType(stack, "aws_msk_cluster").addOverride(
        "encryption_info.encryption_at_rest_kms_key_arn",
        (stack.node.findChild("logs-key") as CustomerKey).arn,
      ),
    ),
    // A renamed construct id is a new Terraform address: the old bucket is deleted.
    bucket: renameResource(
      synthVariant("bucket", staging),
      "aws_s3_bucket",
      /^sink_bucket_/,
      "sink_archive_bucket",
    ),
    // KRaft back to ZooKeeper: the provider plans an in-place update, MSK refuses it at apply.
    modeSwitch: synthVariant("mode-switch", {
      ...staging,
      cluster: { ...stagingCluster, kafkaVersion: "3.9.x" },
    }),
    // log.retention.hours 72 -> 12: an in-place configuration update that deletes 60 hours of records.
    retention: synthVariant("retention", {
      ...staging,
      cluster: { ...stagingCluster, kafka: { ...stagingCluster.kafka, logRetentionHours: 12 } },
    }),
    // A project rename: every name changes, so nearly everything is replaced.
    rename: synthVariant("rename", { ...staging, project: "msk-data" }),
  };
  const extras = extrasStack(true);
  const extrasRemoved = extrasStack(false);

  // `npm run plan -- --offline` itself makes the creation plans of every environment; meanwhile one
  // more folder is initialised for the provider schema and the plans that reuse its installation.
  const initialised = variants.noop;
  const setup = (async () => {
    writeOfflineOverride(initialised);
    await terraform(
      initialised,
      ["init", "-input=false", "-no-color"],
      terraformEnv(cliConfig, OFFLINE_CREDENTIALS),
    );
    const options = { cliConfigFile: cliConfig, initialisedStackDir: initialised };
    const [schemas, extrasPlan] = await Promise.all([
      providerSchemas(initialised, cliConfig),
      planAgainstState(extras, emptyState(terraformVersion()), options),
    ]);
    return { schemas, extrasPlan, options };
  })();
  planCommand = await capture(() =>
    runPlan(
      { environments: [], offline: true, allowDestroy: false, review: true },
      {
        root: BUILD,
        outdir: base,
        synth: () => synthesizeAll(ENVIRONMENTS_DIR, base, () => {}),
        environments: names,
      },
    ),
  );
  for (const n of names)
    creationPlans[n] = JSON.parse(readFileSync(join(offlinePlanDir(BUILD, n), "plan.json"), "utf8"));
  const { schemas, extrasPlan, options } = await setup;
  creationPlans.extras = extrasPlan;

  const config = (dir: string) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as RawConfig;
  const stagingState = stateFromPlan(creationPlans.staging, config(stackDir("staging")), schemas);
  const extrasState = stateFromPlan(extrasPlan, config(extras), schemas);
  await Promise.all([
    ...Object.values(variants).map((dir) => planAgainstState(dir, stagingState, options)),
    planAgainstState(extrasRemoved, extrasState, options),
  ]);

  // Production: the cluster re-pointed at another key (ForceNew) is refused by prevent_destroy; the plan
  // command itself runs against a state built from prod's creation plan.
  refusedDir = synthVariant("prod-refused", ENVIRONMENTS.prod, (stack) =>
    resourceOfType(stack, "aws_msk_cluster").addOverride(
      "encryption_info.encryption_at_rest_kms_key_arn",
      (stack.node.findChild("logs-key") as CustomerKey).arn,
    ),
  );
  writeState(refusedDir, stateFromPlan(creationPlans.prod, config(stackDir("prod")), schemas));
  // Its own root, so its offline copy (.build/plan/offline/stacks/prod) is not the creation plan's.
  refusedRun = await capture(() =>
    runPlan(
      { environments: ["prod"], offline: true, allowDestroy: true, review: true },
      { root: REFUSED_ROOT, outdir: join(BUILD, "prod-refused"), synth: () => 0, environments: names },
    ),
  );

  for (const n of names) {
    creationFiles[n] = join(offlinePlanDir(BUILD, n), "plan.json");
    creation[n] = reviewPlan(loadPlanFile(creationFiles[n]));
  }
  creationFiles.extras = join(extras, "plan.json");
  creation.extras = reviewPlan(loadPlanFile(creationFiles.extras));
  for (const [scenario, dir] of [...Object.entries(variants), ["extrasRemoved", extrasRemoved]] as [
    Scenario,
    string,
  ][]) {
    changeFiles[scenario] = join(dir, "plan.json");
    change[scenario] = reviewPlan(loadPlanFile(changeFiles[scenario]));
  }
}, 900_000);

/** Runs a command, capturing stdout and stderr. */
async function capture(
  run: () => Promise<number> | number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await run(), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Runs the review CLI entry point and captures what it prints. */
function runCli(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A cost line after the plan, and the same line compared with the prior state. */
const line = (review: EnvironmentReview, key: string) => review.cost.planned.lines.find((l) => l.key === key);
const delta = (review: EnvironmentReview, key: string) => review.cost.lines.find((l) => l.key === key);
const provisioned = (capacity: readonly unknown[]) => capacity[0] as ProvisionedCapacity;
const HOURS = 730;

describe("creation plans (real terraform plan of every environment, offline)", () => {
  it.each(names)(
    "%s: every resource counted as a create, nothing destructive, exit 0 unless at step 2 of sharing",
    (name) => {
      const review = creation[name];
      const managed = (creationPlans[name].resource_changes ?? []).filter((c) => c.mode === "managed");
      expect(review.environment).toBe(name);
      expect(review.counts).toEqual({ create: managed.length, update: 0, replace: 0, delete: 0 });
      expect(review.changes).toHaveLength(managed.length);
      expect(review.destructive).toEqual([]);
      // An environment at step 2 of sharing (sharing.clusterArn set) cannot be created from nothing in one
      // apply: the review says so (exit 4); every other environment plans clean.
      const atStep2 = ENVIRONMENTS[name]?.sharing?.clusterArn !== undefined;
      expect(review.applyFailures.length > 0).toBe(atStep2);
      expect(runCli([creationFiles[name]]).code).toBe(atStep2 ? EXIT_APPLY_FAILS : EXIT_OK);
    },
  );

  // Hand calculation: us-east-1 list prices, 730 h a month (kafka.m5.large 0.21 USD/h, not seed 002's 0.213;
  // storage 0.10 USD/GB-month; kafka.m5.xlarge 0.42, kafka.t3.small 0.0456, NAT 0.045/h, IPv4 0.005/h;
  // docs/sources.md, Prices).
  it("prices dev: 2 x kafka.t3.small, 2 x 20 GB, no NAT", () => {
    const dev = creation.dev;
    expect(line(dev, "broker-hours kafka.t3.small")?.monthlyUsd).toBeCloseTo(2 * 0.0456 * HOURS, 2); // 66.58
    expect(line(dev, "broker-storage")?.monthlyUsd).toBeCloseTo(2 * 20 * 0.1, 2); // 4.00
    expect(line(dev, "aws_nat_gateway")).toBeUndefined();
    expect(dev.cost.prior.monthlyUsd).toBe(0);
  });

  it("prices staging: 3 x kafka.m5.large, 3 x 100 GB, one NAT gateway with its EIP", () => {
    const s = creation.staging;
    expect(line(s, "broker-hours kafka.m5.large")?.monthlyUsd).toBeCloseTo(3 * 0.21 * HOURS, 2); // 459.90
    expect(line(s, "broker-storage")?.monthlyUsd).toBeCloseTo(3 * 100 * 0.1, 2); // 30.00
    expect(line(s, "aws_nat_gateway")?.monthlyUsd).toBeCloseTo(1 * 0.045 * HOURS, 2); // 32.85
    expect(line(s, "aws_eip")?.monthlyUsd).toBeCloseTo(1 * 0.005 * HOURS, 2); // 3.65
    const kmsKeys = s.changes.filter((c) => c.type === "aws_kms_key").length;
    expect(line(s, "aws_kms_key")?.monthlyUsd).toBeCloseTo(kmsKeys * 1.0, 2);
  });

  it("prices prod: 6 x kafka.m5.xlarge, 6 x 1000 GB, a NAT gateway per AZ", () => {
    const p = creation.prod;
    expect(line(p, "broker-hours kafka.m5.xlarge")?.monthlyUsd).toBeCloseTo(6 * 0.42 * HOURS, 2); // 1839.60
    expect(line(p, "broker-storage")?.monthlyUsd).toBeCloseTo(6 * 1000 * 0.1, 2); // 600.00
    expect(line(p, "aws_nat_gateway")?.monthlyUsd).toBeCloseTo(3 * 0.045 * HOURS, 2); // 98.55
  });

  it.each(names)(
    "%s: the monthly total is the sum of its lines and the delta of a creation is the total",
    (name) => {
      const { cost } = creation[name];
      const sum = cost.planned.lines.reduce((total, l) => total + l.monthlyUsd, 0);
      expect(cost.planned.monthlyUsd).toBeCloseTo(sum, 2);
      expect(cost.deltaUsd).toBeCloseTo(cost.planned.monthlyUsd, 2);
    },
  );

  it("states capacity from the planned cluster and configuration", () => {
    expect(provisioned(creation.dev.capacity.planned)).toMatchObject({
      brokers: 2,
      availabilityZones: 2,
      brokersPerAz: 1,
      instanceType: "kafka.t3.small",
      replication: { replicationFactor: 2, minInsyncReplicas: 1 },
      brokerLossesForWrites: 1,
      azLossesForWrites: 1,
    });
    expect(provisioned(creation.staging.capacity.planned)).toMatchObject({
      brokers: 3,
      availabilityZones: 3,
      brokersPerAz: 1,
      replication: { replicationFactor: 3, minInsyncReplicas: 2 },
      brokerLossesForWrites: 1,
      brokerLossesForData: 1, // min ISR 2 - 1: an acked write is only guaranteed on 2 replicas
      azLossesForWrites: 1,
      ingressLowMBps: 30, // 3 brokers x 30-50 MB/s (seed 002) / RF 3
      ingressHighMBps: 50,
    });
    const prod = provisioned(creation.prod.capacity.planned);
    expect(prod).toMatchObject({ brokers: 6, availabilityZones: 3, brokersPerAz: 2, azLossesForWrites: 1 });
    expect(prod.throughput?.basis).toMatch(/estimate/);
  });

  it("renders one report for all environments: marker, summary, policy status, prices footnote", () => {
    const markdown = renderReport(names.map((n) => creation[n]));
    expect(markdown.startsWith(REVIEW_MARKER)).toBe(true);
    expect(markdown).toContain("**No destructive changes**");
    for (const n of names) {
      const c = creation[n].counts;
      expect(markdown).toContain(`| ${n} | ${c.create} | 0 | 0 | 0 | 0 |`);
      expect(markdown).toContain(`## ${n}`);
    }
    // npm run synth writes the guardrails' policy-report.json next to each plan.
    expect(markdown).not.toContain("No policy report next to the plan");
    expect(markdown).toMatch(/\d+ rules evaluated: \*\*0 violations\*\*, 8 declared exceptions\./);
    expect(markdown).toMatch(/us-east-1 on-demand list prices recorded \d{4}-\d{2}-\d{2}/);
    expect(markdown).toContain("| approx. sustainable ingress | 30-50 MB/s |");
  });
});

describe("npm run plan -- --offline", () => {
  it("planned every environment, wrote plan.json in its offline copy and printed one review", () => {
    const atStep2 = names.some((n) => ENVIRONMENTS[n]?.sharing?.clusterArn !== undefined);
    expect(planCommand.code).toBe(atStep2 ? EXIT_APPLY_FAILS : EXIT_OK);
    expect(planCommand.stdout.startsWith(REVIEW_MARKER)).toBe(true);
    for (const n of names) {
      expect(creationPlans[n].format_version).toMatch(/^1\./);
      expect(planCommand.stdout).toContain(`| ${n} | ${creation[n].counts.create} | 0 | 0 | 0 | 0 |`);
    }
  });

  it("plans and reviews prod's client stack too: no cluster of its own, its VPC connection's cost named", () => {
    const file = join(offlinePlanDir(BUILD, "prod-client-analytics"), "plan.json");
    const client = reviewPlan(loadPlanFile(file));
    expect(client.environment).toBe("prod-client-analytics");
    expect(client.changes.map((c) => c.type)).toContain("aws_msk_vpc_connection");
    expect(client.capacity).toEqual({ prior: [], planned: [], replaced: [] });
    expect(client.cost.planned.usageBased).toContain(
      "MSK multi-VPC private connectivity (hourly per managed VPC connection, and per GB processed)",
    );
    expect(client.policy.state).toBe("loaded");
    expect(planCommand.stdout).toContain(
      `| prod-client-analytics | ${client.counts.create} | 0 | 0 | 0 | 0 |`,
    );
    expect(planCommand.stdout).toContain("## prod-client-analytics");
  });

  it("flags that prod's file could not create prod from scratch: connectivity comes in a second apply", () => {
    expect(creation.prod.applyFailures).toEqual([
      expect.objectContaining({
        address: expect.stringMatching(/^aws_msk_cluster\./),
        change: "the plan creates the cluster with multi-VPC connectivity on (IAM)",
        why: "MSK accepts multi-VPC connectivity only on an existing cluster",
      }),
    ]);
    expect(creation.staging.applyFailures).toEqual([]);
    expect(planCommand.stdout).toContain("## :x: 1 change MSK will refuse at apply");
    // Not destructive, but the apply would fail: exit 4 until acknowledged or fixed.
    expect(planCommand.code).toBe(EXIT_APPLY_FAILS);
  });

  it("leaves the synthesized stack folders exactly as synth wrote them (no override, state, plan or .terraform)", () => {
    const stackNames = readdirSync(join(BUILD, "base", "stacks"));
    expect(stackNames.length).toBeGreaterThanOrEqual(names.length);
    for (const n of stackNames) {
      // A stack with a topic manager also has its package under assets/.
      // An environment's own stack also has its synth warnings (a client stack has none of its own).
      const assets = existsSync(join(BUILD, "base", "stacks", n, "assets")) ? ["assets"] : [];
      const warnings = names.includes(n) ? [SYNTH_WARNINGS_FILE] : [];
      expect(readdirSync(join(BUILD, "base", "stacks", n)).sort()).toEqual(
        ["cdk.tf.json", POLICY_REPORT_FILE, ...warnings, ...assets].sort(),
      );
      expect(existsSync(join(offlinePlanDir(BUILD, n), OFFLINE_OVERRIDE_FILE))).toBe(true);
    }
  });

  it("refuses an unknown environment with exit 2, and usage errors likewise", async () => {
    let synthesized = false;
    const unknown = await capture(() =>
      runPlan(
        { environments: ["qa"], offline: true, allowDestroy: false, review: true },
        {
          root: BUILD,
          outdir: join(BUILD, "base"),
          synth: () => {
            synthesized = true;
            return 0;
          },
          environments: environmentNames(ENVIRONMENTS_DIR),
        },
      ),
    );
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toContain(`unknown environment qa; available: ${[...names].sort().join(", ")}`);
    expect(synthesized).toBe(false); // refused before any synth work
    expect((await capture(() => planMain(["--bogus"]))).code).toBe(EXIT_USAGE);
    expect(parsePlanArgs(["staging", "prod", "--offline", "--out", "r.md"])).toEqual({
      environments: ["staging", "prod"],
      offline: true,
      out: "r.md",
      allowDestroy: false,
      review: true,
    });
  });

  it("without --offline, removes a stale offline override so the real backend is used", () => {
    const dir = join(BUILD, "online", "stacks", "staging");
    mkdirSync(dir, { recursive: true });
    writeOfflineOverride(dir);
    expect(prepareOnline(dir)).toBe(true);
    expect(existsSync(join(dir, "offline_override.tf.json"))).toBe(false);
    expect(prepareOnline(dir)).toBe(false);
  });

  it("fails with exit 1 and plans nothing when synth fails", async () => {
    const failed = await capture(() =>
      runPlan(
        { environments: [], offline: true, allowDestroy: false, review: true },
        { root: BUILD, outdir: join(BUILD, "base"), synth: () => 1 },
      ),
    );
    expect(failed.code).toBe(EXIT_PLAN_FAILED);
    expect(failed.stdout).toBe("");
  });
});

describe("resource types other modules add (a stack of them, planned for real)", () => {
  // Hand calculation, us-east-1 list prices, 730 h: kafka.m5.4xlarge 1.68/h, throughput 0.08 per
  // MB/s-month, serverless 0.75/cluster-hour, MSK Connect 0.11/MCU-hour, KMS 1, secret 0.40, alarm 0.10.
  it("prices each of them by type", () => {
    const extras = creation.extras;
    expect(extras.environment).toBe("extras");
    expect(line(extras, "broker-hours kafka.m5.4xlarge")?.monthlyUsd).toBeCloseTo(3 * 1.68 * HOURS, 2); // 3679.20
    expect(line(extras, "broker-storage")?.monthlyUsd).toBeCloseTo(3 * 1000 * 0.1, 2); // 300.00
    expect(line(extras, "provisioned-throughput")?.monthlyUsd).toBeCloseTo(3 * 250 * 0.08, 2); // 60.00
    expect(line(extras, "serverless-cluster-hours")?.monthlyUsd).toBeCloseTo(0.75 * HOURS, 2); // 547.50
    expect(line(extras, "connect-mcu-hours")?.monthlyUsd).toBeCloseTo(2 * 1 * HOURS * 0.11, 2); // 160.60
    expect(line(extras, "aws_kms_key")?.monthlyUsd).toBeCloseTo(1, 2);
    expect(line(extras, "aws_secretsmanager_secret")?.monthlyUsd).toBeCloseTo(0.4, 2);
    expect(line(extras, "aws_cloudwatch_metric_alarm")?.monthlyUsd).toBeCloseTo(0.1, 2);
    // Express: 3 x express.m7g.large 0.408/h; no EBS line, storage and data written are usage-based.
    expect(line(extras, "broker-hours express.m7g.large")?.monthlyUsd).toBeCloseTo(3 * 0.408 * HOURS, 2); // 893.52
    expect(extras.cost.planned.usageBased.join("; ")).toContain(
      "Express broker storage (0.1 USD/GB-month stored) and data written (0.01 USD/GB)",
    );
    expect(extras.cost.planned.monthlyUsd).toBeCloseTo(
      3679.2 + 300 + 60 + 547.5 + 160.6 + 1 + 0.4 + 0.1 + 893.52,
      2,
    );
    expect(extras.cost.planned.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining("may grow each broker to 4000 GB: storage up to 1200.00 USD/month"),
        expect.stringContaining("autoscales to 4 workers: up to 642.40 USD/month"),
      ]),
    );
  });

  it("sizes a cluster whose configuration leaves replication to MSK's defaults, and a serverless one", () => {
    const capacity = creation.extras.capacity.planned;
    const cluster = capacity.find((c) => c.address === "aws_msk_cluster.cluster");
    const serverless = capacity.find((c) => c.kind === "serverless");
    expect(cluster).toMatchObject({
      kind: "provisioned",
      brokers: 3,
      availabilityZones: 3,
      replication: { replicationFactor: 3, minInsyncReplicas: 2 },
      ingressLowMBps: 250, // 3 x 250+ MB/s (seed 002) / RF 3
      ingressHighMBps: undefined,
    });
    expect((cluster as ProvisionedCapacity).replication.source).toContain("MSK default 3 assumed");
    expect(serverless).toMatchObject({ kind: "serverless", writeLimitMiBps: 200, readLimitMiBps: 400 });
    expect(renderReport([creation.extras])).toContain("| approx. sustainable ingress | 250+ MB/s |");
  });

  it("sizes Express brokers from AWS's per-size figures, with RF 3 / min ISR 2 fixed by MSK", () => {
    const express = creation.extras.capacity.planned.find((c) => c.address === "aws_msk_cluster.express");
    expect(express).toMatchObject({
      kind: "provisioned",
      express: true,
      brokers: 3,
      replication: { replicationFactor: 3, minInsyncReplicas: 2 },
      brokerLossesForWrites: 1,
      brokerLossesForData: 1,
      ingressLowMBps: 46.8, // 3 x 15.6 MB/s client ingress per express.m7g.large (no division by RF)
      egressMBps: 93.6, // 3 x 31.2
    });
    const markdown = renderReport([creation.extras]);
    expect(markdown).toContain("| storage per broker | managed by MSK (Express: no volume to size) |");
    expect(markdown).toContain("| approx. sustainable egress | 94 MB/s |");
  });

  it("dates the planned Kafka version with the day it is given: end of support and the upgrade path", () => {
    const after = reviewPlan(loadPlanFile(creationFiles.extras), { today: "2026-11-30" });
    expect(after.warnings).toEqual([
      {
        code: "kafka-version-end-of-support",
        where: "`aws_msk_cluster.cluster`",
        message:
          "Kafka 3.7.x.kraft reached end of support on 2026-09-01: upgrade in place to 3.8.x.kraft, 3.9.x.kraft, 4.0.x.kraft, 4.1.x.kraft; AWS auto-upgrades clusters past end of support at a time of its choosing",
      },
    ]);
    expect(renderReport([after])).toContain("### Warnings");
    const before = reviewPlan(loadPlanFile(creationFiles.extras), { today: "2026-05-01" });
    expect(before.warnings).toEqual([]);
  });

  it("removing all of them: data-holding types are destructive, the rest only disruptive", () => {
    const removed = change.extrasRemoved;
    expect(removed.counts.delete).toBe(creation.extras.counts.create);
    expect(removed.destructive.map((d) => d.type).sort()).toEqual([
      "aws_cloudwatch_log_group",
      "aws_kms_key",
      "aws_msk_cluster",
      "aws_msk_cluster",
      "aws_msk_serverless_cluster",
      "aws_s3_bucket",
      "aws_secretsmanager_secret",
    ]);
    // Every other delete is listed too; the configuration goes with its cluster, so no cluster uses it.
    expect(removed.disruptive.map((d) => d.type).sort()).toEqual([
      "aws_appautoscaling_target",
      "aws_cloudwatch_metric_alarm",
      "aws_msk_configuration",
      "aws_mskconnect_connector",
      "aws_sns_topic",
    ]);
    expect(removed.destructive.length + removed.disruptive.length).toBe(removed.counts.delete);
    const byType = (type: string) => removed.destructive.find((d) => d.type === type)?.consequence;
    expect(byType("aws_kms_key")).toContain("unreadable after the 30-day deletion window");
    expect(byType("aws_secretsmanager_secret")).toContain("recoverable for 7 days");
    expect(byType("aws_cloudwatch_log_group")).toContain("/aws/extras (up to 365 days of history)");
    expect(removed.cost.deltaUsd).toBeCloseTo(-creation.extras.cost.planned.monthlyUsd, 2);
    expect(runCli([changeFiles.extrasRemoved]).code).toBe(EXIT_DESTRUCTIVE);
  });
});

describe("change plans (staging planned against a state built from its creation plan)", () => {
  it("the unchanged configuration plans no change: the state is what the creation plan applies", () => {
    expect(change.noop.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(change.noop.cost.deltaUsd).toBe(0);
    expect(change.noop.cost.prior.monthlyUsd).toBeCloseTo(creation.staging.cost.planned.monthlyUsd, 2);
    expect(renderReport([change.noop])).toContain("No changes.");
  });

  it("more brokers is an in-place update of the cluster, priced and sized", () => {
    const review = change.brokers;
    expect(review.counts.replace).toBe(0);
    expect(review.counts.delete).toBe(0);
    const cluster = review.changes.find((c) => c.type === "aws_msk_cluster");
    expect(cluster?.action).toBe("update");
    expect(cluster?.details).toContain("`number_of_broker_nodes`: 3 -> 6");
    expect(review.destructive).toEqual([]);
    // 3 more brokers: 3 x 0.21 x 730 = 459.90 USD, and 3 x 100 GB x 0.10 = 30.00 USD more storage.
    expect(delta(review, "broker-hours kafka.m5.large")?.deltaUsd).toBeCloseTo(459.9, 2);
    expect(delta(review, "broker-storage")?.deltaUsd).toBeCloseTo(30, 2);
    const lineDeltas = review.cost.lines.reduce((total, l) => total + l.deltaUsd, 0);
    expect(review.cost.deltaUsd).toBeCloseTo(lineDeltas, 2);
    expect(review.cost.deltaUsd).toBeGreaterThanOrEqual(489.9);
    expect(provisioned(review.capacity.prior)).toMatchObject({
      brokers: 3,
      ingressLowMBps: 30,
      ingressHighMBps: 50,
    });
    expect(provisioned(review.capacity.planned)).toMatchObject({
      brokers: 6,
      brokersPerAz: 2,
      brokerLossesForWrites: 1,
      azLossesForWrites: 1,
      ingressLowMBps: 60,
      ingressHighMBps: 100,
    });
    const markdown = renderReport([review]);
    expect(markdown).toContain("| brokers | 3 (1 per AZ x 3 AZs) | 6 (2 per AZ x 3 AZs) |");
    expect(markdown).toContain("| approx. sustainable ingress | 30-50 MB/s | 60-100 MB/s |");
    expect(runCli([changeFiles.brokers]).code).toBe(EXIT_OK);
  });

  it("a ForceNew change replaces the cluster: destructive, with the forcing attribute and the data lost", () => {
    const review = change.replace;
    const cluster = review.destructive.find((d) => d.type === "aws_msk_cluster");
    expect(cluster).toMatchObject({
      action: "replace",
      environment: "staging",
      name: "msk-platform-staging",
    });
    const forced = cluster?.forcedBy.find(
      (f) => f.path === "encryption_info[0].encryption_at_rest_kms_key_arn",
    );
    expect(forced?.before).toMatch(/^"arn:aws:kms:eu-west-1:222222222222:key\//);
    expect(forced?.after).toMatch(/^"arn:aws:kms:eu-west-1:222222222222:key\//);
    expect(forced?.after).not.toBe(forced?.before);
    expect(cluster?.consequence).toMatch(/all topic data/);
    expect(review.counts.replace).toBeGreaterThanOrEqual(1);
    const markdown = renderReport([review]);
    const destructiveAt = markdown.indexOf("destructive change");
    expect(destructiveAt).toBeGreaterThan(0);
    expect(destructiveAt).toBeLessThan(markdown.indexOf("## Summary"));
    expect(markdown).toContain("forced by `encryption_info[0].encryption_at_rest_kms_key_arn`");
    // Same cluster, same price: a replacement costs nothing extra, which is why cost alone hides it.
    expect(delta(review, "broker-hours kafka.m5.large")?.deltaUsd).toBe(0);
  });

  it("a renamed bucket construct deletes the bucket: destructive, with the rename spotted", () => {
    const review = change.bucket;
    const bucket = review.destructive.find((d) => d.type === "aws_s3_bucket");
    expect(bucket).toMatchObject({
      action: "delete",
      address: expect.stringMatching(/^aws_s3_bucket\.sink_bucket_/),
    });
    expect(bucket?.reason).toMatch(/no longer in the configuration/);
    expect(bucket?.consequence).toMatch(
      /all objects and object versions in s3:\/\/msk-platform-staging-sink-/,
    );
    expect(bucket?.hint).toContain("aws_s3_bucket.sink_archive_bucket");
    expect(review.counts.delete).toBeGreaterThanOrEqual(1);
    expect(review.changes.find((c) => c.address === "aws_s3_bucket.sink_archive_bucket")?.action).toBe(
      "create",
    );
  });
});

describe("what the review must not hide (issue 12)", () => {
  it("a KRaft -> ZooKeeper switch plans as an in-place update, and the review flags it: will fail at apply", () => {
    const review = change.modeSwitch;
    const cluster = review.changes.find((c) => c.type === "aws_msk_cluster");
    expect(cluster?.action).toBe("update"); // what Terraform says: an ordinary update
    expect(review.applyFailures).toEqual([
      expect.objectContaining({
        address: cluster?.address,
        change: '`kafka_version`: "3.9.x.kraft" -> "3.9.x"',
        why: expect.stringContaining("MSK cannot move a KRaft cluster back to ZooKeeper"),
      }),
    ]);
    const markdown = renderReport([review]);
    expect(markdown.indexOf("MSK will refuse at apply")).toBeLessThan(markdown.indexOf("## Summary"));
    expect(markdown).toContain("**WILL FAIL AT APPLY**");
    expect(runCli([changeFiles.modeSwitch]).code).toBe(EXIT_APPLY_FAILS);
    expect(runCli([changeFiles.modeSwitch, "--allow-destroy"]).code).toBe(EXIT_APPLY_FAILS);
    const acknowledged = runCli([changeFiles.modeSwitch, "--allow-apply-failure"]);
    expect(acknowledged.code).toBe(EXIT_OK);
    expect(acknowledged.stdout).toContain("Acknowledged for this run (`--allow-apply-failure`)");
  });

  it("cutting log.retention.hours (72 -> 12) is data loss: listed with the destructive changes, before/after", () => {
    const review = change.retention;
    expect(review.changes.find((c) => c.type === "aws_msk_configuration")?.action).toBe("update");
    const cut = review.destructive.find((d) => d.action === "update");
    expect(cut).toMatchObject({
      type: "aws_msk_configuration",
      what: "Retention cut (time)",
      reason:
        "cluster default (every topic without its own retention.ms / retention.bytes): kept 72 h (3 d) -> 12 h",
      consequence:
        "every record older than 12 h is deleted by the brokers within minutes of the apply (it is kept 72 h (3 d) today)",
    });
    expect(renderReport([review])).toContain("**UPDATE** `aws_msk_configuration.");
    expect(runCli([changeFiles.retention]).code).toBe(EXIT_DESTRUCTIVE);
    expect(runCli([changeFiles.retention, "--allow-destroy"]).code).toBe(EXIT_OK);
    // Raising it back is no loss.
    expect(change.brokers.destructive).toEqual([]);
  });

  it("a project rename lists every delete and replacement, grouped by kind, with the ports that close", () => {
    const review = change.rename;
    const risky = review.destructive.length + review.disruptive.length;
    expect(risky).toBe(review.counts.replace + review.counts.delete);
    const kinds = new Set(review.disruptive.map((d) => d.kind));
    for (const kind of [
      "Security group ingress rules",
      "Security group egress rules",
      "CloudWatch alarms",
      "SNS subscriptions",
      "Storage autoscaling policies",
    ]) {
      expect(kinds).toContain(kind);
    }
    const iam = review.disruptive.find(
      (d) => d.kind === "Security group ingress rules" && d.consequence.includes("tcp 9098 into"),
    );
    expect(iam?.consequence).toMatch(
      /^closes tcp 9098 into msk-platform-staging-msk-brokers \(\S+\) from msk-platform-staging-msk-clients \(\S+\) while the rule is replaced/,
    );
    const markdown = renderReport([review]);
    expect(markdown).toMatch(/#### Security group ingress rules \(\d+\)/);
    expect(markdown).toContain("closes tcp 9096 into");
  });

  it("capacity of a replaced cluster is a new, empty cluster, not 'unchanged'", () => {
    const review = change.replace;
    expect(review.capacity.replaced).toEqual([expect.stringMatching(/^aws_msk_cluster\./)]);
    const markdown = renderReport([review]);
    expect(markdown).toContain("**replaced by a new, empty cluster**");
    expect(markdown).toContain("|  | old cluster (destroyed) | new cluster (empty) |");
    expect(markdown).not.toContain("unchanged by this plan");
  });

  it("durability counts min ISR - 1 broker losses as safe, not RF - 1", () => {
    const markdown = renderReport([creation.staging]);
    expect(markdown).toContain(
      "| broker losses that never lose an acknowledged write | 1 of a partition's 3 replica brokers (min ISR - 1) |",
    );
  });

  it("prevent_destroy: the refused plan becomes the same destructive entry, and never an applicable plan", () => {
    expect(refusedRun.code).toBe(EXIT_DESTRUCTIVE); // even with --allow-destroy
    expect(refusedRun.stderr).toContain(
      "Terraform refused the plan: prevent_destroy protects aws_msk_cluster.",
    );
    // Planned in its offline copy: the refusal next to the plan there, no applicable plan, no lift left.
    const planDir = offlinePlanDir(REFUSED_ROOT, "prod");
    expect(existsSync(join(planDir, "plan-refusal.json"))).toBe(true);
    expect(existsSync(join(planDir, "plan.tfplan"))).toBe(false);
    expect(existsSync(join(planDir, "zz_prevent_destroy_lifted_override.tf.json"))).toBe(false);
    // The stack folder holds what synth wrote and the state the test put there, nothing else.
    const assets = existsSync(join(refusedDir, "assets")) ? ["assets"] : [];
    expect(readdirSync(refusedDir).sort()).toEqual(["cdk.tf.json", "terraform.tfstate", ...assets].sort());
    const review = reviewPlan(loadPlanFile(join(planDir, "plan.json")));
    const cluster = review.destructive.find((d) => d.type === "aws_msk_cluster");
    expect(cluster).toMatchObject({ action: "replace", refused: true, name: "msk-platform-prod" });
    expect(cluster?.forcedBy.map((f) => f.path)).toContain(
      "encryption_info[0].encryption_at_rest_kms_key_arn",
    );
    expect(cluster?.reason).toContain("lifecycle.prevent_destroy protects it");
    expect(refusedRun.stdout).toContain("**REFUSED REPLACE** `aws_msk_cluster.");
    expect(refusedRun.stdout).not.toContain("failed to plan");
    expect(runCli([join(planDir, "plan.json"), "--allow-destroy"]).code).toBe(EXIT_DESTRUCTIVE);
  });

  it("repeats synth's warnings from synth-warnings.json next to the plan", () => {
    const dir = join(BUILD, "with-warnings", "stacks", "staging");
    mkdirSync(dir, { recursive: true });
    copyFileSync(changeFiles.noop, join(dir, "plan.json"));
    writeFileSync(
      join(dir, "synth-warnings.json"),
      JSON.stringify({
        environment: "staging",
        file: "environments/staging.ts",
        today: "2026-11-30",
        warnings: [
          { code: "msk-quota", path: "cluster.brokersPerAz", value: 21, message: "exceeds a quota" },
        ],
      }),
    );
    const review = reviewPlan(loadPlanFile(join(dir, "plan.json")));
    expect(review.synthWarningsRead).toBe(true);
    expect(renderReport([review])).toContain(
      "- environments/staging.ts: cluster.brokersPerAz: exceeds a quota",
    );
    expect(renderReport([change.noop])).toContain("No synth-warnings.json next to the plan");
  });
});

describe("exit codes", () => {
  it("a replacement of the MSK cluster never exits 0 without --allow-destroy, alone or among clean plans", () => {
    expect(runCli([changeFiles.replace]).code).toBe(EXIT_DESTRUCTIVE);
    expect(runCli([...names.map((n) => creationFiles[n]), changeFiles.replace]).code).toBe(EXIT_DESTRUCTIVE);
    expect(runCli([changeFiles.noop, changeFiles.replace, changeFiles.brokers]).code).toBe(EXIT_DESTRUCTIVE);
    const allowed = runCli([changeFiles.replace, "--allow-destroy"]);
    expect(allowed.code).toBe(EXIT_OK);
    expect(allowed.stdout).toContain("Allowed for this run (`--allow-destroy`)");
  });

  it("a bucket deletion exits 3", () => {
    expect(runCli([changeFiles.bucket]).code).toBe(EXIT_DESTRUCTIVE);
  });

  it("writes the same Markdown to --out as to stdout", () => {
    const out = join(BUILD, "review.md");
    const result = runCli([changeFiles.replace, changeFiles.brokers, "--out", out]);
    expect(readFileSync(out, "utf8")).toBe(result.stdout);
    expect(result.stderr).toContain("exit 3");
  });

  it("usage and input errors exit 2 with a reason", () => {
    expect(runCli([]).code).toBe(EXIT_USAGE);
    expect(runCli(["--bogus", changeFiles.noop]).code).toBe(EXIT_USAGE);
    const missing = runCli([join(BUILD, "nope.json")]);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toContain("no such file");
    // A state file is JSON from Terraform too, but not a plan.
    const state = runCli([join(BUILD, "noop", "stacks", "staging", "terraform.tfstate")]);
    expect(state.code).toBe(EXIT_USAGE);
    expect(state.stderr).toMatch(/not a plan/);
  });
});

describe("environment and policy findings", () => {
  it("takes the environment from the provider's default tags when the file is not in a stack folder", () => {
    const dir = join(BUILD, "downloaded", "artifact-1");
    mkdirSync(dir, { recursive: true });
    copyFileSync(creationFiles.prod, join(dir, "plan.json"));
    expect(loadPlanFile(join(dir, "plan.json")).environment).toBe("prod");
  });

  it("names a downloaded client stack's plan after its environment and client-vpc tags", () => {
    const dir = join(BUILD, "downloaded", "artifact-2");
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(offlinePlanDir(BUILD, "prod-client-analytics"), "plan.json"), join(dir, "plan.json"));
    expect(loadPlanFile(join(dir, "plan.json")).environment).toBe("prod-client-analytics");
  });

  it("reports the guardrails' findings written next to the plan", () => {
    const dir = join(BUILD, "with-policy", "stacks", "staging");
    mkdirSync(dir, { recursive: true });
    copyFileSync(changeFiles.brokers, join(dir, "plan.json"));
    const report: PolicyReport = {
      environment: "staging",
      rulesEvaluated: ["MSKP-S3-001", "MSKP-S3-004"],
      findings: [
        {
          ruleId: "MSKP-S3-004",
          mirrors: ["CKV_AWS_18", "AVD-AWS-0089"],
          address: "aws_s3_bucket.sink_logs_bucket",
          constructPath: "staging/sink/logs-bucket",
          message: "access-log bucket does not log its own access",
          fix: "none needed",
          status: "excepted",
          exceptionReason: "an access-log bucket cannot log to itself",
        },
      ],
    };
    writeFileSync(join(dir, "policy-report.json"), JSON.stringify(report));
    const review = reviewPlan(loadPlanFile(join(dir, "plan.json")));
    expect(review.policy.state).toBe("loaded");
    const markdown = renderReport([review]);
    expect(markdown).toContain("2 rules evaluated: **0 violations**, 1 declared exception.");
    expect(markdown).toContain(
      "| MSKP-S3-004 | CKV_AWS_18, AVD-AWS-0089 | `aws_s3_bucket.sink_logs_bucket` | an access-log bucket cannot log to itself |",
    );
  });
});
