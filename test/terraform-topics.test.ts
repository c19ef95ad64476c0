/**
 * Topics through real Terraform, offline: staging (which declares topics) is validated and planned, its
 * creation plan becomes a state (tools/review/prior-state.ts), and changed topic declarations are planned
 * against it: partitions up (an in-place update of the invocation), a topic retired and a retention cut
 * (destructive: the review exits 3). Every assertion reads what Terraform wrote.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { EnvironmentConfig, ManagedTopicConfig, ProvisionedClusterConfig } from "../stacks/config";
import {
  planAgainstState,
  providerSchemas,
  type RawConfig,
  stateFromPlan,
} from "../tools/review/prior-state";
import {
  type EnvironmentReview,
  EXIT_DESTRUCTIVE,
  EXIT_OK,
  exitCodeOf,
  loadPlanFile,
  renderReport,
  reviewPlan,
} from "../tools/review/review";
import {
  type PlanJson,
  plannedResources,
  planOffline,
  terraformVersion,
  writeCliConfig,
} from "../tools/terraform";
import { buildStack, ENVIRONMENTS } from "./support/synth";

const BUILD = join(__dirname, "..", ".build", "terraform-topics-test");
const staging = ENVIRONMENTS.staging;
const stagingTopics = (staging.topics ?? []) as ManagedTopicConfig[];

function synth(folder: string, config: EnvironmentConfig): string {
  const app = new App({ outdir: join(BUILD, folder) });
  buildStack(config, app);
  app.synth();
  return join(BUILD, folder, "stacks", config.name);
}

const withTopics = (
  topics: EnvironmentConfig["topics"],
  changes: Partial<EnvironmentConfig> = {},
): EnvironmentConfig => ({
  ...staging,
  ...changes,
  topics,
});

const variants = {
  noop: staging,
  // orders.created 6 -> 12 partitions, and payments.settled keeps data longer: nothing is lost.
  grow: withTopics([
    { ...stagingTopics[0], partitions: 12 },
    { ...stagingTopics[1], retention: { hours: 168 } },
  ]),
  // payments.settled is retired (Connect and the client policies stop naming it), and orders.created drops
  // from the cluster default (72 h) to 24 h: two data losses in one plan.
  shrink: withTopics(
    [
      { ...stagingTopics[0], retention: { hours: 24 } },
      { name: "payments.settled", retired: true, reason: "payments moved to the ledger cluster" },
    ],
    {
      connect: { ...staging.connect, topics: ["orders.created"] },
      cluster: {
        ...(staging.cluster as ProvisionedClusterConfig),
        clientAccess: { topicPatterns: ["orders.*"], consumerGroupPatterns: ["orders-*"] },
      },
    },
  ),
};
type Variant = keyof typeof variants;

let creation: PlanJson;
let creationReview: EnvironmentReview;
const changed = {} as Record<Variant, EnvironmentReview>;

beforeAll(async () => {
  terraformVersion();
  rmSync(BUILD, { recursive: true, force: true });
  const cliConfig = writeCliConfig(BUILD);
  const base = synth("base", staging);
  const dirs = Object.fromEntries(
    Object.entries(variants).map(([name, config]) => [name, synth(name, config)]),
  ) as Record<Variant, string>;
  creation = await planOffline(base, cliConfig);
  creationReview = reviewPlan(loadPlanFile(join(base, "plan.json")));
  const schemas = await providerSchemas(base, cliConfig);
  const config = JSON.parse(readFileSync(join(base, "cdk.tf.json"), "utf8")) as RawConfig;
  const state = stateFromPlan(creation, config, schemas);
  const options = { cliConfigFile: cliConfig, initialisedStackDir: base };
  await Promise.all(Object.values(dirs).map((dir) => planAgainstState(dir, state, options)));
  for (const name of Object.keys(variants) as Variant[])
    changed[name] = reviewPlan(loadPlanFile(join(dirs[name], "plan.json")));
}, 600_000);

const invocation = (review: EnvironmentReview) =>
  review.changes.find((c) => c.type === "aws_lambda_invocation");

describe("staging's creation plan (terraform validate + plan, offline)", () => {
  it("plans the topic manager: function, role, policy, encrypted log group and the CRUD invocation", () => {
    const planned = plannedResources(creation);
    // staging's Lambda consumer has a function too: the topic manager's is under topics/.
    const fn = planned.find((r) => r.type === "aws_lambda_function" && r.address.includes(".topics_"));
    expect(fn?.values).toMatchObject({
      function_name: "msk-platform-staging-topic-manager",
      runtime: "nodejs22.x",
      handler: "index.handler",
      timeout: 900,
      tracing_config: [{ mode: "Active" }],
      vpc_config: [],
    });
    expect(String(fn?.values.filename)).toMatch(
      /^assets\/topics_bundle_[0-9A-F]+\/[0-9a-f]{32}\/topic-manager\.zip$/,
    );
    const inv = planned.find((r) => r.type === "aws_lambda_invocation");
    expect(inv?.values.lifecycle_scope).toBe("CRUD");
    // The declared set is known at plan time, even though the cluster does not exist yet.
    expect(JSON.parse(String(inv?.values.input))).toMatchObject({
      clusterName: "msk-platform-staging",
      topics: [
        { name: "orders.created", partitions: 6, replicationFactor: 3, configs: {} },
        { name: "payments.settled", partitions: 3, replicationFactor: 3, configs: {} },
      ],
      retired: [],
    });
    const logGroup = planned.find(
      (r) =>
        r.type === "aws_cloudwatch_log_group" &&
        r.values.name === "/aws/lambda/msk-platform-staging-topic-manager",
    );
    expect(logGroup?.values.retention_in_days).toBe(365);
  });

  it("reviews as topics created, nothing destructive", () => {
    expect(creationReview.destructive).toEqual([]);
    expect(creationReview.topics[0].changes.map((c) => [c.topic, c.kind])).toEqual([
      ["orders.created", "created"],
      ["payments.settled", "created"],
    ]);
    const markdown = renderReport([creationReview]);
    expect(markdown).toContain("### Topics");
    expect(markdown).toContain("| `orders.created` | created | 6 | 3 | 72 h (cluster default) |");
    // 6 x 3 + 3 x 3 replicas over 3 brokers: 9 per broker; kafka.m5.large: 1000 recommended.
    expect(markdown).toContain("**9 partition replicas per broker** (3 leaders) over 3 brokers");
    expect(markdown).toContain("1000 recommended per kafka.m5.large broker");
    // 0.1 MB/s x 72 h x RF 3 = 77.76 GB.
    expect(markdown).toMatch(
      /\| `orders\.created` \| 0\.1 MB\/s \| 72 h \(cluster default\) \| 72\.4 GiB \| 24\.1 % \|/,
    );
  });
});

describe("change plans against the applied creation plan", () => {
  it("the unchanged declaration plans no change at all", () => {
    expect(changed.noop.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(changed.noop.topics[0].changes).toEqual([]);
  });

  it("more partitions and a longer retention: an in-place update of the invocation, not destructive", () => {
    const review = changed.grow;
    expect(invocation(review)?.action).toBe("update");
    expect(review.counts.replace).toBe(0);
    expect(review.destructive).toEqual([]);
    const markdown = renderReport([review]);
    expect(markdown).toContain("| `orders.created` | updated | 6 -> 12 | 3 | 72 h (cluster default) |");
    expect(markdown).toContain("| `payments.settled` | updated | 3 | 3 | 72 h (cluster default) -> 7 d |");
    expect(exitCodeOf([review], false)).toBe(EXIT_OK);
  });

  it("retiring a topic and cutting a retention are destructive: named, with the reason and what is lost; exit 3", () => {
    const review = changed.shrink;
    expect(invocation(review)?.action).toBe("update");
    expect(review.destructive.map((d) => [d.what, d.name, d.action, d.reason, d.consequence])).toEqual([
      [
        "Kafka topic",
        "orders.created",
        "update",
        undefined,
        "retention cut from 72 h to 24 h: records older than 24 h are deleted at the next log cleanup",
      ],
      [
        "Kafka topic",
        "payments.settled",
        "delete",
        "retired: payments moved to the ledger cluster",
        "the topic is deleted with every record in it (3 partitions); consumers reading it fail, producers writing it get errors",
      ],
    ]);
    const markdown = renderReport([review]);
    expect(markdown).toContain("## :no_entry: 2 destructive changes");
    expect(markdown.indexOf("**DELETE** `aws_lambda_invocation.")).toBeLessThan(
      markdown.indexOf("## Summary"),
    );
    expect(markdown).toContain("| `orders.created` | **updated** | 6 | 3 | 72 h (cluster default) -> 24 h |");
    expect(markdown).toContain(
      "| `payments.settled` | **retired** | 3 -> - | 3 -> - | 72 h (cluster default) -> deleted |",
    );
    expect(exitCodeOf([review], false)).toBe(EXIT_DESTRUCTIVE);
    expect(exitCodeOf([review], true)).toBe(EXIT_OK);
  });
});
