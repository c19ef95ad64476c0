/**
 * Recovery's decisions without AWS: which objects get an import block (identity through adopted parents,
 * the copy others use), which are orphans or duplicates, what is never touched, the order of deletion and
 * the import file. The emulator tests (test/recovery*.test.ts) run the same code against moto.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../stacks/config";
import type { AwsClients } from "../tools/aws-clients";
import { stateObjects } from "../tools/deployed-state";
import { parseRecoverArgs } from "../tools/recover";
import { RECOVERY_IMPORTS_FILE } from "../tools/recovery/imports";
import type { EnvironmentIdentity, ListContext, LiveObject, ResourceKind } from "../tools/recovery/live";
import { NOTHING_TO_RECOVER, RESOURCE_KINDS, reconcile } from "../tools/recovery/reconcile";
import { RECOVER_EXIT, recover } from "../tools/recovery/recover";
import type { StackJson } from "../tools/rehearsal/stack";
import { type AppliedState, appliedResources } from "../tools/rehearsal/state";
import { asNewEnvironment, ENVIRONMENTS, synthStacks } from "./support/synth";

const env: EnvironmentIdentity = {
  name: "dev",
  project: "msk-platform",
  accountId: "111111111111",
  region: "eu-west-1",
  prefix: "msk-platform-dev",
};
const ours = { environment: "dev", project: "msk-platform", "managed-by": "cdktf" };
const noClients = {} as unknown as AwsClients;

const stack: StackJson = {
  resource: {
    aws_vpc: { v: { cidr_block: "10.0.0.0/16", tags: { Name: "msk-platform-dev" } } },
    aws_subnet: {
      s: { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.0.1.0/24", availability_zone: "eu-west-1a" },
    },
    aws_eip: { e: { domain: "vpc", tags: { Name: "msk-platform-dev-nat" } } },
    aws_nat_gateway: {
      n: {
        allocation_id: "${aws_eip.e.id}",
        subnet_id: "${aws_subnet.s.id}",
        tags: { Name: "msk-platform-dev-a" },
      },
    },
    aws_iam_role: { r: { name: "msk-platform-dev-msk-connect", assume_role_policy: "{}" } },
  },
};

/** A live object of a real kind, as its lister would report it. */
function live(
  type: string,
  id: string,
  attributes: Record<string, unknown>,
  tags: Record<string, string> = ours,
  extra: Partial<LiveObject> = {},
): LiveObject {
  return {
    type,
    id,
    importId: id,
    label: `${type} ${id}`,
    tags,
    attributes: { id, ...attributes },
    uses: [],
    ...extra,
  };
}

/** The real kinds, each listing the given objects instead of calling AWS; removals recorded. */
function kinds(objects: readonly LiveObject[], removed: string[] = []): ResourceKind[] {
  return RESOURCE_KINDS.map((k) => ({
    ...k,
    list: async () => objects.filter((o) => o.type === k.type),
    ...(k.remove
      ? {
          remove: async (_c: AwsClients, o: LiveObject) => {
            removed.push(o.id);
            return "deleted";
          },
        }
      : {}),
  }));
}

function state(resources: Record<string, Record<string, unknown>>): AppliedState {
  return appliedResources({
    values: {
      root_module: {
        resources: Object.entries(resources).map(([address, values]) => ({
          address,
          mode: "managed" as const,
          type: address.split(".")[0],
          name: address.split(".")[1],
          values,
        })),
      },
    },
  });
}

const vpc = (id: string, extra: Partial<LiveObject> = {}) =>
  live("aws_vpc", id, { cidr_block: "10.0.0.0/16" }, { ...ours, Name: "msk-platform-dev" }, extra);
const subnet = (id: string, vpcId: string) =>
  live("aws_subnet", id, { vpc_id: vpcId, cidr_block: "10.0.1.0/24" }, ours, { uses: [vpcId] });
const nat = (id: string, subnetId: string) =>
  live(
    "aws_nat_gateway",
    id,
    { subnet_id: subnetId },
    { ...ours, Name: "msk-platform-dev-a" },
    { uses: [subnetId], monthlyUsd: 32.85 },
  );
const eip = (id: string) =>
  live("aws_eip", id, { allocation_id: id }, { ...ours, Name: "msk-platform-dev-nat" }, { monthlyUsd: 3.65 });
const role = (tags = ours) =>
  live("aws_iam_role", "msk-platform-dev-msk-connect", { name: "msk-platform-dev-msk-connect" }, tags);

describe("reconcile", () => {
  it("imports what the configuration would create and the state misses, following adopted parents", async () => {
    const result = await reconcile({
      stack,
      state: state({}),
      env,
      clients: noClients,
      kinds: kinds([
        vpc("vpc-1"),
        subnet("subnet-1", "vpc-1"),
        eip("eipalloc-1"),
        nat("nat-1", "subnet-1"),
        role(),
      ]),
    });
    expect(result.imports.map((i) => `${i.to} <- ${i.id}`).sort()).toEqual([
      "aws_eip.e <- eipalloc-1",
      "aws_iam_role.r <- msk-platform-dev-msk-connect",
      "aws_nat_gateway.n <- nat-1",
      "aws_subnet.s <- subnet-1",
      "aws_vpc.v <- vpc-1",
    ]);
    expect(result.orphans).toEqual([]);
  });

  it("matches a subnet only in the VPC the configuration means (the state's, or the adopted one)", async () => {
    const result = await reconcile({
      stack,
      state: state({ "aws_vpc.v": { id: "vpc-1" } }),
      env,
      clients: noClients,
      kinds: kinds([vpc("vpc-1"), subnet("subnet-elsewhere", "vpc-9")]),
    });
    expect(result.imports).toEqual([]);
    expect(result.orphans.map((o) => o.object.id)).toEqual(["subnet-elsewhere"]);
  });

  it("calls a second copy of something the state holds a duplicate, with its monthly cost", async () => {
    const result = await reconcile({
      stack,
      state: state({
        "aws_vpc.v": { id: "vpc-1" },
        "aws_subnet.s": { id: "subnet-1" },
        "aws_eip.e": { id: "eipalloc-1" },
        "aws_nat_gateway.n": { id: "nat-1" },
      }),
      env,
      clients: noClients,
      kinds: kinds([
        vpc("vpc-1"),
        subnet("subnet-1", "vpc-1"),
        eip("eipalloc-1"),
        nat("nat-1", "subnet-1"),
        nat("nat-2", "subnet-1"),
      ]),
    });
    expect(result.imports).toEqual([]);
    expect(result.orphans.map((o) => [o.object.id, o.duplicateOf, o.object.monthlyUsd])).toEqual([
      ["nat-2", "aws_nat_gateway.n", 32.85],
    ]);
    expect(result.managed).toBe(4);
  });

  it("adopts the copy that other objects use, and leaves the other as a duplicate", async () => {
    const result = await reconcile({
      stack,
      state: state({}),
      env,
      clients: noClients,
      kinds: kinds([vpc("vpc-a"), vpc("vpc-b"), subnet("subnet-1", "vpc-b")]),
    });
    expect(result.imports.find((i) => i.to === "aws_vpc.v")?.id).toBe("vpc-b");
    expect(result.imports.find((i) => i.to === "aws_subnet.s")?.id).toBe("subnet-1");
    expect(result.orphans.map((o) => [o.object.id, o.duplicateOf])).toEqual([["vpc-a", "aws_vpc.v"]]);
  });

  it("never adopts or lists objects without this environment's tags", async () => {
    const untagged = live("aws_vpc", "vpc-someone", { cidr_block: "10.9.0.0/16" }, {});
    const result = await reconcile({
      stack,
      state: state({}),
      env,
      clients: noClients,
      kinds: kinds([role({ ...ours, environment: "prod" }), untagged]),
    });
    expect(result.imports).toEqual([]);
    expect(result.orphans).toEqual([]);
    expect(result.conflicts).toEqual([
      "aws_iam_role msk-platform-dev-msk-connect: has the identity of aws_iam_role.r but another environment's tags",
    ]);
  });

  it("reports a type it could not list instead of pretending it found nothing", async () => {
    const failing = kinds([]).map((k) =>
      k.type === "aws_iam_role"
        ? {
            ...k,
            list: async () => {
              throw Object.assign(new Error("not authorized to perform iam:ListRoles"), {
                name: "AccessDenied",
              });
            },
          }
        : k,
    );
    const result = await reconcile({ stack, state: state({}), env, clients: noClients, kinds: failing });
    expect(result.unlisted).toEqual([
      "aws_iam_role (IAM role): AccessDenied: not authorized to perform iam:ListRoles",
    ]);
  });
});

describe("recover", () => {
  function writeStack(json: StackJson): string {
    const dir = mkdtempSync(join(tmpdir(), "recover-"));
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
    return dir;
  }
  const stackDir = () => writeStack(stack);

  it("writes the import blocks next to the stack and, without --delete-orphans, changes nothing in AWS", async () => {
    const dir = stackDir();
    const removed: string[] = [];
    const lines: string[] = [];
    const result = await recover({
      env,
      stackDir: dir,
      state: state({}),
      clients: noClients,
      deleteOrphans: false,
      out: (l) => lines.push(l),
      kinds: kinds([vpc("vpc-1"), vpc("vpc-2"), role()], removed),
    });
    expect(JSON.parse(readFileSync(join(dir, RECOVERY_IMPORTS_FILE), "utf8"))).toEqual({
      "//": expect.stringContaining("npm run recover -- dev"),
      import: [
        { to: "aws_iam_role.r", id: "msk-platform-dev-msk-connect" },
        { to: "aws_vpc.v", id: "vpc-1" },
      ],
    });
    expect(removed).toEqual([]);
    expect(lines.join("\n")).toContain("Delete them with: npm run recover -- dev --delete-orphans");
    expect(lines).toContain("No AWS resource was changed.");
    expect(result.exitCode).toBe(RECOVER_EXIT.actionNeeded);
  });

  it("deletes with --delete-orphans only orphans nothing of the state or adopted still uses", async () => {
    const dir = writeStack({
      resource: {
        aws_kms_key: { k: { description: "logs" } },
        aws_cloudwatch_log_group: { g: { name: "/aws/vpc/x", kms_key_id: "${aws_kms_key.k.arn}" } },
      },
    });
    const removed: string[] = [];
    const lines: string[] = [];
    await recover({
      env,
      stackDir: dir,
      state: state({ "aws_kms_key.k": { id: "key-1", arn: "arn:key-1" } }),
      clients: noClients,
      deleteOrphans: true,
      out: (l) => lines.push(l),
      kinds: kinds(
        [
          live("aws_kms_key", "key-1", { description: "logs" }),
          // a second copy of the key, which the log group created by the interrupted apply uses
          live("aws_kms_key", "key-2", { description: "logs" }),
          live("aws_kms_key", "key-3", { description: "logs" }),
          live("aws_cloudwatch_log_group", "/aws/vpc/x", { name: "/aws/vpc/x" }, ours, { uses: ["key-2"] }),
        ],
        removed,
      ),
    });
    expect(removed).toEqual(["key-3"]);
    expect(lines.join("\n")).toContain(
      "Not deleting 1 orphan(s) yet: the state or an adopted object still uses them",
    );
  });

  it("untaints what an interrupted create left tainted, and clears gone entries so their replacement is adopted", async () => {
    const dir = stackDir();
    const untainted: string[] = [];
    const forgotten: string[] = [];
    const lines: string[] = [];
    await recover({
      env,
      stackDir: dir,
      // aws_vpc.v pointed at a VPC that is gone; the refreshed state no longer holds it
      state: state({ "aws_iam_role.r": { id: "msk-platform-dev-msk-connect" } }),
      gone: ["aws_vpc.v"],
      tainted: ["aws_iam_role.r"],
      forget: async (a) => {
        forgotten.push(...a);
      },
      untaint: async (a) => {
        untainted.push(...a);
      },
      clients: noClients,
      deleteOrphans: false,
      out: (l) => lines.push(l),
      kinds: kinds([role(), vpc("vpc-new")]),
    });
    expect(untainted).toEqual(["aws_iam_role.r"]);
    expect(forgotten).toEqual(["aws_vpc.v"]);
    expect(JSON.parse(readFileSync(join(dir, RECOVERY_IMPORTS_FILE), "utf8")).import).toEqual([
      { to: "aws_vpc.v", id: "vpc-new" },
    ]);
  });

  it("deletes orphans with --delete-orphans in dependency order: NAT, EIP, subnet, VPC", async () => {
    const dir = stackDir();
    const removed: string[] = [];
    const lines: string[] = [];
    const result = await recover({
      env,
      stackDir: dir,
      state: state({ "aws_iam_role.r": { id: "msk-platform-dev-msk-connect" } }),
      clients: noClients,
      deleteOrphans: true,
      out: (l) => lines.push(l),
      // a whole second network that an earlier configuration left behind (other CIDR, other names)
      kinds: kinds(
        [
          role(),
          live("aws_vpc", "vpc-old", { cidr_block: "10.7.0.0/16" }),
          live("aws_subnet", "subnet-old", { vpc_id: "vpc-old", cidr_block: "10.7.0.0/20" }),
          live("aws_eip", "eipalloc-old", {}, ours, { monthlyUsd: 3.65 }),
          live("aws_nat_gateway", "nat-old", { subnet_id: "subnet-old" }, ours, { monthlyUsd: 32.85 }),
        ],
        removed,
      ),
    });
    expect(lines.join("\n")).toContain("Orphans (4, 36.50 USD/month)");
    expect(removed).toEqual(["nat-old", "eipalloc-old", "subnet-old", "vpc-old"]);
    expect(result.exitCode).toBe(RECOVER_EXIT.clean);
  });

  it("finds nothing and removes a stale import file when the state and the account agree", async () => {
    const dir = stackDir();
    writeFileSync(join(dir, RECOVERY_IMPORTS_FILE), "{}");
    const lines: string[] = [];
    const result = await recover({
      env,
      stackDir: dir,
      state: state({
        "aws_iam_role.r": { id: "msk-platform-dev-msk-connect" },
        "aws_vpc.v": { id: "vpc-1" },
      }),
      clients: noClients,
      deleteOrphans: false,
      out: (l) => lines.push(l),
      kinds: kinds([role(), vpc("vpc-1")]),
    });
    expect(result.exitCode).toBe(RECOVER_EXIT.clean);
    expect(result.importsFile).toBeUndefined();
    expect(() => readFileSync(join(dir, RECOVERY_IMPORTS_FILE))).toThrow();
    expect(lines).toContain("\nNothing to import and no orphans: the state and the account agree.");
  });
});

describe("npm run recover arguments", () => {
  it("takes one environment; --check reports only and cannot delete", () => {
    expect(parseRecoverArgs(["dev"])).toEqual({
      environment: "dev",
      deleteOrphans: false,
      check: false,
      synth: true,
    });
    expect(parseRecoverArgs(["dev", "--delete-orphans", "--no-synth"])).toEqual({
      environment: "dev",
      deleteOrphans: true,
      check: false,
      synth: false,
    });
    expect(parseRecoverArgs(["dev", "--check", "--delete-orphans"])).toBe(
      "--check changes nothing; it cannot be combined with --delete-orphans",
    );
    expect(parseRecoverArgs([])).toBe("name exactly one environment");
    expect(parseRecoverArgs(["dev", "--force"])).toBe("unknown option --force");
  });
});

describe("the state as recover reads it", () => {
  it("keeps an object a create-before-destroy replacement deposed as the state's, apart from the address", async () => {
    const objects = stateObjects({
      resources: [
        {
          address: "aws_vpc.v",
          mode: "managed",
          type: "aws_vpc",
          name: "v",
          values: { id: "vpc-old" },
          tainted: true,
          deposed_key: "1e2b13fd",
        },
      ],
    });
    expect([...objects.keys()]).toEqual(["aws_vpc.v (deposed 1e2b13fd)"]);
    // Terraform destroys the deposed VPC on the next apply: never an orphan; the copy the re-run made is adopted.
    const result = await reconcile({
      stack,
      state: objects,
      env,
      clients: noClients,
      kinds: kinds([vpc("vpc-old"), vpc("vpc-new")]),
    });
    expect(result.imports.map((i) => `${i.to} <- ${i.id}`)).toEqual(["aws_vpc.v <- vpc-new"]);
    expect(result.orphans).toEqual([]);
  });
});

describe("coverage", () => {
  const { dev, prod } = ENVIRONMENTS;
  if (dev.cluster.type !== "provisioned" || prod.cluster.type !== "provisioned")
    throw new Error("dev and prod are expected to be provisioned clusters");
  // Every environment, plus the variants that bring other types: serverless, SCRAM, a connector.
  const configs: EnvironmentConfig[] = [
    ...Object.values(ENVIRONMENTS),
    {
      ...dev,
      name: "dev-serverless",
      cluster: { type: "serverless", clientAccess: dev.cluster.clientAccess },
    },
    {
      ...asNewEnvironment(prod, "prod-sc"),
      cluster: { ...prod.cluster, auth: { iam: true, scram: { users: ["etl"], associatedUsers: ["etl"] } } },
      connect: {
        ...prod.connect,
        connector: {
          plugin: {
            bucketArn: "arn:aws:s3:::plugins-333333333333",
            fileKey: "s3-sink.zip",
            contentType: "ZIP",
          },
          tasksMax: 2,
          flushSize: 1000,
          capacity: {
            mcuCount: 1,
            minWorkers: 1,
            maxWorkers: 2,
            scaleInCpuPercent: 20,
            scaleOutCpuPercent: 80,
          },
        },
      },
    },
  ];

  it("has a recovery rule for every type a stack creates, or knows there is nothing to recover", () => {
    // Each environment's own stack and its client stacks (a shared cluster's VPC connections).
    const types = new Set(
      configs.flatMap((c) => Object.values(synthStacks(c)).flatMap((stack) => Object.keys(stack.resource))),
    );
    const known = new Set(RESOURCE_KINDS.map((k) => k.type));
    expect([...types].filter((t) => !known.has(t) && !NOTHING_TO_RECOVER.has(t))).toEqual([]);
    expect([...types]).toEqual(
      expect.arrayContaining(["aws_msk_serverless_cluster", "aws_mskconnect_connector"]),
    );
  });

  it("looks MSK clusters up by the name the stack gives them, provisioned or serverless", async () => {
    const arn = "arn:aws:kafka:eu-west-1:111111111111:cluster/msk-platform-dev/abc-1";
    const names: (readonly string[])[] = [];
    const serverless = kinds([
      live("aws_msk_serverless_cluster", arn, { cluster_name: "msk-platform-dev" }),
    ]).map((k) =>
      k.type === "aws_msk_serverless_cluster"
        ? {
            ...k,
            list: async (c: ListContext) => {
              names.push(c.names(k.type));
              return k.list(c);
            },
          }
        : k,
    );
    const result = await reconcile({
      stack: { resource: { aws_msk_serverless_cluster: { c: { cluster_name: "msk-platform-dev" } } } },
      state: state({}),
      env,
      clients: noClients,
      kinds: serverless,
    });
    expect(names).toEqual([["msk-platform-dev"]]);
    expect(result.imports.map((i) => `${i.to} <- ${i.id}`)).toEqual([
      `aws_msk_serverless_cluster.c <- ${arn}`,
    ]);
  });

  it("reports a type it has no rule for as not checked", async () => {
    const result = await reconcile({
      stack: { resource: { aws_sqs_queue: { q: { name: "msk-platform-dev-failures" } } } },
      state: state({}),
      env,
      clients: noClients,
      kinds: kinds([]),
    });
    expect(result.unlisted).toEqual([
      "aws_sqs_queue: recover has no rule for this type yet (add a kind in tools/recovery/kinds-*.ts)",
    ]);
  });

  it("knows a cluster policy and a Lambda invocation leave nothing to recover", async () => {
    const result = await reconcile({
      stack: {
        resource: {
          aws_msk_cluster_policy: { p: { cluster_arn: "arn:aws:kafka:eu-west-1:111111111111:cluster/x/1" } },
          aws_lambda_invocation: { i: { function_name: "msk-platform-dev-topic-manager", input: "{}" } },
        },
      },
      state: state({}),
      env,
      clients: noClients,
    });
    expect(result.unlisted).toEqual([]);
    expect(result.imports).toEqual([]);
  });
});

/** Answers of fake AWS clients, by command name ("GetFunctionCommand"): what the SDK call would return. */
type Answers = Record<string, (input: Record<string, unknown>) => unknown>;

/** AWS clients that answer every service's calls from `answers`; any other call fails the test. */
function fakeClients(answers: Answers, calls: string[] = []): AwsClients {
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      calls.push(name);
      const answer = answers[name];
      if (!answer) throw new Error(`unexpected AWS call ${name}`);
      return answer(command.input);
    },
  };
  return new Proxy({}, { get: () => client }) as unknown as AwsClients;
}

const notFoundError = (name: string) => Object.assign(new Error("not found"), { name });
const other = { ...ours, environment: "prod" };
const lambdaArn = (name: string) => `arn:aws:lambda:eu-west-1:111111111111:function:${name}`;
const clusterArn = "arn:aws:kafka:eu-west-1:111111111111:cluster/msk-platform-dev/abc-1";
const importsOf = (r: { imports: readonly { to: string; id: string }[] }) =>
  r.imports.map((i) => `${i.to} <- ${i.id}`).sort();
const orphansOf = (r: { orphans: readonly { object: LiveObject }[] }) =>
  r.orphans.map((o) => o.object.id).sort();

describe("recovery of consumer, registry and sharing objects (fake AWS clients)", () => {
  /** Lambda functions of the account: name -> tags. */
  function lambdaAnswers(functions: Record<string, Record<string, string>>): Answers {
    const configuration = (name: string) => ({
      FunctionName: name,
      FunctionArn: lambdaArn(name),
      Role: `arn:aws:iam::111111111111:role/${name}`,
      State: "Active",
    });
    return {
      GetFunctionCommand: ({ FunctionName }) => {
        const name = String(FunctionName);
        if (!(name in functions)) throw notFoundError("ResourceNotFoundException");
        return { Configuration: configuration(name), Tags: functions[name] };
      },
      ListFunctionsCommand: () => ({ Functions: Object.keys(functions).map(configuration) }),
      ListTagsCommand: ({ Resource }) => ({
        Tags: functions[String(Resource).split(":").pop() ?? ""] ?? {},
      }),
    };
  }

  it("imports a Lambda function by its name and finds tagged leftovers with the environment's prefix", async () => {
    const result = await reconcile({
      stack: { resource: { aws_lambda_function: { f: { function_name: "msk-platform-dev-orders" } } } },
      state: state({}),
      env,
      clients: fakeClients(
        lambdaAnswers({
          "msk-platform-dev-orders": ours,
          "msk-platform-dev-old": ours,
          "msk-platform-dev-theirs": other,
          "unrelated-function": ours,
        }),
      ),
    });
    expect(importsOf(result)).toEqual(["aws_lambda_function.f <- msk-platform-dev-orders"]);
    expect(orphansOf(result)).toEqual(["msk-platform-dev-old"]);
    expect(result.orphans[0].object.uses).toEqual(["msk-platform-dev-old"]); // its role
  });

  it("imports an event source mapping by UUID when its function, cluster and topics match", async () => {
    const mapping = (uuid: string, fn: string, topic: string) => ({
      UUID: uuid,
      EventSourceArn: clusterArn,
      EventSourceMappingArn: `arn:aws:lambda:eu-west-1:111111111111:event-source-mapping:${uuid}`,
      FunctionArn: fn,
      Topics: [topic],
      State: "Enabled",
    });
    const mappingTags: Record<string, Record<string, string>> = {
      "uuid-1": ours,
      "uuid-2": ours,
      "uuid-3": ours,
    };
    const clients = fakeClients({
      ...lambdaAnswers({ "msk-platform-dev-orders": ours }),
      ListClustersV2Command: () => ({
        ClusterInfoList: [
          { ClusterArn: clusterArn, ClusterName: "msk-platform-dev", ClusterType: "PROVISIONED" },
        ],
      }),
      ListEventSourceMappingsCommand: ({ EventSourceArn }) => ({
        EventSourceMappings:
          EventSourceArn === clusterArn
            ? [
                mapping("uuid-1", lambdaArn("msk-platform-dev-orders"), "orders"),
                // a consumer dropped from the configuration
                mapping("uuid-2", lambdaArn("msk-platform-dev-orders"), "orders.v0"),
                // an existing function, mapped through its alias
                mapping("uuid-3", lambdaArn("payments-audit:live"), "payments"),
              ]
            : [],
      }),
      ListTagsCommand: ({ Resource }) => {
        const last = String(Resource).split(":").pop() ?? "";
        return { Tags: mappingTags[last] ?? (last === "msk-platform-dev-orders" ? ours : {}) };
      },
    });
    const result = await reconcile({
      stack: {
        resource: {
          aws_msk_cluster: { c: { cluster_name: "msk-platform-dev" } },
          aws_lambda_function: { f: { function_name: "msk-platform-dev-orders" } },
          aws_lambda_event_source_mapping: {
            m: {
              function_name: "${aws_lambda_function.f.function_name}",
              event_source_arn: "${aws_msk_cluster.c.arn}",
              topics: ["orders"],
            },
            existing: {
              function_name: lambdaArn("payments-audit:live"),
              event_source_arn: "${aws_msk_cluster.c.arn}",
              topics: ["payments"],
            },
          },
        },
      },
      state: state({
        "aws_msk_cluster.c": { id: clusterArn, arn: clusterArn, cluster_name: "msk-platform-dev" },
        "aws_lambda_function.f": { id: "msk-platform-dev-orders", function_name: "msk-platform-dev-orders" },
      }),
      env,
      clients,
      kinds: RESOURCE_KINDS.filter((k) => k.type !== "aws_msk_cluster"),
    });
    expect(importsOf(result)).toEqual([
      "aws_lambda_event_source_mapping.existing <- uuid-3",
      "aws_lambda_event_source_mapping.m <- uuid-1",
    ]);
    // another topic is another consumer, not a second copy of this one
    expect(result.orphans.map((o) => [o.object.id, o.duplicateOf])).toEqual([["uuid-2", undefined]]);
  });

  it("deletes orphan mappings before their functions, and never the function an adopted mapping uses", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recover-"));
    writeFileSync(
      join(dir, "cdk.tf.json"),
      JSON.stringify({
        resource: {
          aws_lambda_function: { b: { function_name: "msk-platform-dev-b" } },
          // an existing function the stack does not create, with a leftover copy tagged for this environment
          aws_lambda_event_source_mapping: {
            m: { function_name: "msk-platform-dev-a", event_source_arn: clusterArn, topics: ["a"] },
          },
        },
      }),
    );
    const removed: string[] = [];
    const lines: string[] = [];
    const esm = (uuid: string, fn: string, topic: string) =>
      live(
        "aws_lambda_event_source_mapping",
        uuid,
        { function_arn: lambdaArn(fn), event_source_arn: clusterArn, topics: [topic] },
        ours,
        { uses: [fn, clusterArn] },
      );
    const fn = (name: string) => live("aws_lambda_function", name, { function_name: name });
    await recover({
      env,
      stackDir: dir,
      state: state({}),
      clients: noClients,
      deleteOrphans: true,
      out: (l) => lines.push(l),
      kinds: kinds(
        [
          esm("uuid-a", "msk-platform-dev-a", "a"),
          esm("uuid-old", "msk-platform-dev-old", "old"),
          fn("msk-platform-dev-old"),
          fn("msk-platform-dev-a"),
          fn("msk-platform-dev-b"),
        ],
        removed,
      ),
    });
    // msk-platform-dev-a is an orphan, but the mapping adopted as aws_lambda_event_source_mapping.m uses it.
    expect(removed).toEqual(["uuid-old", "msk-platform-dev-old"]);
    expect(lines.join("\n")).toContain("Not deleting 1 orphan(s) yet");
  });

  it("imports a Flink application by ARN with its KPU cost while running, and keeps orphans", async () => {
    const appArn = (name: string) => `arn:aws:kinesisanalytics:eu-west-1:111111111111:application/${name}`;
    const apps: Record<string, { status: string; tags: Record<string, string> }> = {
      "msk-platform-dev-balances": { status: "RUNNING", tags: ours },
      "msk-platform-dev-old": { status: "READY", tags: ours },
      "msk-platform-dev-theirs": { status: "RUNNING", tags: other },
    };
    const result = await reconcile({
      stack: {
        resource: { aws_kinesisanalyticsv2_application: { a: { name: "msk-platform-dev-balances" } } },
      },
      state: state({}),
      env,
      clients: fakeClients({
        ListApplicationsCommand: () => ({
          ApplicationSummaries: Object.entries(apps).map(([name, a]) => ({
            ApplicationName: name,
            ApplicationARN: appArn(name),
            ApplicationStatus: a.status,
          })),
        }),
        ListTagsForResourceCommand: ({ ResourceARN }) => ({
          Tags: Object.entries(apps[String(ResourceARN).split("/").pop() ?? ""].tags).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        }),
        DescribeApplicationCommand: ({ ApplicationName }) => ({
          ApplicationDetail: {
            ApplicationName,
            ServiceExecutionRole: `arn:aws:iam::111111111111:role/${ApplicationName}`,
            ApplicationConfigurationDescription: {
              FlinkApplicationConfigurationDescription: {
                ParallelismConfigurationDescription: {
                  Parallelism: 4,
                  CurrentParallelism: 4,
                  ParallelismPerKPU: 2,
                },
              },
              VpcConfigurationDescriptions: [{ SecurityGroupIds: ["sg-flink"] }],
            },
          },
        }),
      }),
    });
    expect(importsOf(result)).toEqual([
      `aws_kinesisanalyticsv2_application.a <- ${appArn("msk-platform-dev-balances")}`,
    ]);
    // ceil(4 / 2) + 1 orchestration = 3 KPUs x 0.11 USD x 730 h
    expect(result.imports[0].object.monthlyUsd).toBeCloseTo(240.9);
    expect(result.imports[0].object.uses).toEqual(["msk-platform-dev-balances", "sg-flink"]);
    expect(result.orphans.map((o) => [o.object.id, o.object.monthlyUsd, o.kind.remove])).toEqual([
      [appArn("msk-platform-dev-old"), undefined, undefined],
    ]);
  });

  it("imports the schema registry and its schemas by ARN, through the adopted registry", async () => {
    const registryArn = (name: string) => `arn:aws:glue:eu-west-1:111111111111:registry/${name}`;
    const schemaArn = (registry: string, name: string) =>
      `arn:aws:glue:eu-west-1:111111111111:schema/${registry}/${name}`;
    const tags: Record<string, Record<string, string>> = {
      [registryArn("msk-platform-dev")]: ours,
      [registryArn("msk-platform-dev-old")]: ours,
      [registryArn("msk-platform-devx")]: other,
      [schemaArn("msk-platform-dev", "orders.created")]: ours,
      [schemaArn("msk-platform-dev", "orders.v0")]: ours,
      [schemaArn("msk-platform-dev", "by-hand")]: {},
    };
    const result = await reconcile({
      stack: {
        resource: {
          aws_glue_registry: { r: { registry_name: "msk-platform-dev" } },
          aws_glue_schema: {
            s: { schema_name: "orders.created", registry_arn: "${aws_glue_registry.r.arn}" },
          },
        },
      },
      state: state({}),
      env,
      clients: fakeClients({
        ListRegistriesCommand: () => ({
          Registries: ["msk-platform-dev", "msk-platform-dev-old", "msk-platform-devx", "other"].map(
            (name) => ({
              RegistryName: name,
              RegistryArn: registryArn(name),
              Status: "AVAILABLE",
            }),
          ),
        }),
        ListSchemasCommand: ({ RegistryId }) => {
          const registry = (RegistryId as { RegistryName?: string }).RegistryName;
          if (registry !== "msk-platform-dev") throw notFoundError("EntityNotFoundException");
          return {
            Schemas: ["orders.created", "orders.v0", "by-hand"].map((name) => ({
              RegistryName: registry,
              SchemaName: name,
              SchemaArn: schemaArn(registry, name),
              SchemaStatus: "AVAILABLE",
            })),
          };
        },
        GetTagsCommand: ({ ResourceArn }) => ({ Tags: tags[String(ResourceArn)] ?? {} }),
      }),
    });
    expect(importsOf(result)).toEqual([
      `aws_glue_registry.r <- ${registryArn("msk-platform-dev")}`,
      `aws_glue_schema.s <- ${schemaArn("msk-platform-dev", "orders.created")}`,
    ]);
    expect(orphansOf(result)).toEqual([
      registryArn("msk-platform-dev-old"),
      schemaArn("msk-platform-dev", "orders.v0"),
    ]);
    expect(result.orphans.find((o) => o.object.type === "aws_glue_schema")?.kind.remove).toBeUndefined();
  });

  it("deletes an orphan schema registry only while it holds no schema", async () => {
    const registry = RESOURCE_KINDS.find((k) => k.type === "aws_glue_registry");
    const arn = "arn:aws:glue:eu-west-1:111111111111:registry/msk-platform-dev-old";
    const object = live("aws_glue_registry", arn, { registry_name: "msk-platform-dev-old" });
    const deleted: unknown[] = [];
    const answers = (schemas: string[]): Answers => ({
      ListSchemasCommand: () => ({ Schemas: schemas.map((SchemaName) => ({ SchemaName })) }),
      DeleteRegistryCommand: (input) => {
        deleted.push(input.RegistryId);
        return {};
      },
    });
    expect(await registry?.remove?.(fakeClients(answers(["orders.v0"])), object, () => {})).toMatch(
      /^kept: /,
    );
    expect(deleted).toEqual([]);
    expect(await registry?.remove?.(fakeClients(answers([])), object, () => {})).toBe(
      "deleted (it held no schema)",
    );
    expect(deleted).toEqual([{ RegistryArn: arn }]);
  });

  it("imports a log stream as <group>:<name>, in the group the configuration names", async () => {
    const group = "/aws/kinesis-analytics/msk-platform-dev-balances";
    const stack: StackJson = {
      resource: {
        aws_cloudwatch_log_group: { g: { name: group } },
        aws_cloudwatch_log_stream: {
          s: { name: "kinesis-analytics-log-stream", log_group_name: "${aws_cloudwatch_log_group.g.name}" },
        },
      },
    };
    const clients = fakeClients({
      DescribeLogGroupsCommand: () => ({
        logGroups: [{ logGroupName: group, arn: `arn:aws:logs:x:log-group:${group}:*` }],
      }),
      ListTagsLogGroupCommand: () => ({ tags: ours }),
      DescribeLogStreamsCommand: ({ logGroupName, logStreamNamePrefix }) => {
        if (logGroupName !== group) throw notFoundError("ResourceNotFoundException");
        return {
          logStreams: [
            { logStreamName: `${logStreamNamePrefix}-2`, arn: "arn:other" },
            { logStreamName: logStreamNamePrefix, arn: `arn:aws:logs:x:log-group:${group}:log-stream:s` },
          ],
        };
      },
    });
    const groupState = { "aws_cloudwatch_log_group.g": { id: group, name: group } };
    const result = await reconcile({ stack, state: state(groupState), env, clients });
    expect(importsOf(result)).toEqual([
      `aws_cloudwatch_log_stream.s <- ${group}:kinesis-analytics-log-stream`,
    ]);
    const held = await reconcile({
      stack,
      state: state({
        ...groupState,
        "aws_cloudwatch_log_stream.s": {
          id: "kinesis-analytics-log-stream",
          name: "kinesis-analytics-log-stream",
          log_group_name: group,
        },
      }),
      env,
      clients,
    });
    expect(held.imports).toEqual([]);
    expect(held.managed).toBe(2);
  });

  it("imports a client stack's VPC connection by ARN and deletes a leftover one of another auth scheme", async () => {
    const connectionArn = (id: string) =>
      `arn:aws:kafka:eu-west-1:111111111111:vpc-connection/111111111111/msk-platform-dev/${id}`;
    const connections: Record<
      string,
      { vpc: string; cluster: string; auth: string; tags: Record<string, string> }
    > = {
      "c-1": { vpc: "vpc-client", cluster: clusterArn, auth: "SASL_IAM", tags: ours },
      "c-scram": { vpc: "vpc-client", cluster: clusterArn, auth: "SASL_SCRAM", tags: ours },
      "c-elsewhere": { vpc: "vpc-other", cluster: clusterArn, auth: "SASL_IAM", tags: ours },
      "c-other-cluster": { vpc: "vpc-client", cluster: `${clusterArn}x`, auth: "SASL_IAM", tags: ours },
    };
    const deleted: string[] = [];
    const clients = fakeClients({
      ListVpcConnectionsCommand: () => ({
        VpcConnections: Object.entries(connections).map(([id, c]) => ({
          VpcConnectionArn: connectionArn(id),
          TargetClusterArn: c.cluster,
          VpcId: c.vpc,
          Authentication: c.auth,
          State: "AVAILABLE",
        })),
      }),
      DescribeVpcConnectionCommand: ({ Arn }) => {
        const id = String(Arn).split("/").pop() ?? "";
        if (deleted.includes(String(Arn))) throw notFoundError("NotFoundException");
        return {
          Tags: connections[id].tags,
          Subnets: ["subnet-b", "subnet-a"],
          SecurityGroups: ["sg-connection"],
        };
      },
      DeleteVpcConnectionCommand: ({ Arn }) => {
        deleted.push(String(Arn));
        return {};
      },
    });
    const result = await reconcile({
      stack: {
        resource: {
          aws_msk_vpc_connection: {
            v: {
              authentication: "SASL_IAM",
              target_cluster_arn: clusterArn,
              vpc_id: "vpc-client",
              client_subnets: ["subnet-a", "subnet-b"],
              security_groups: ["${aws_security_group.connection.id}"],
            },
          },
        },
      },
      state: state({}),
      env,
      clients,
    });
    expect(importsOf(result)).toEqual([`aws_msk_vpc_connection.v <- ${connectionArn("c-1")}`]);
    // another auth scheme is another connection, not a second copy of this one
    expect(result.orphans.map((o) => [o.object.id, o.duplicateOf])).toEqual([
      [connectionArn("c-scram"), undefined],
    ]);
    const orphan = result.orphans[0];
    expect(await orphan.kind.remove?.(clients, orphan.object, () => {})).toBe("deleted");
    expect(deleted).toEqual([connectionArn("c-scram")]);
  });
});
