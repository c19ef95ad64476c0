/**
 * The deploy rehearsal, for real, of the environments tools/rehearsal/coverage.ts chooses (the fewest that
 * together apply every resource type any environment applies): each against its own local AWS emulator
 * (moto_server) on its own loopback port, two at a time. Apply must succeed, the AWS API must show what
 * the synthesized JSON intended, the second plan must be empty, and destroy must leave nothing behind.
 * Minutes long: it runs in `npm test` and alone with `npm run test:rehearsal`; each step's progress goes
 * straight to stderr, so the run is never silent (jest shows console output of passing tests only at the end).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.

import { join } from "node:path";
import {
  AllocateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNatGatewayCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNatGatewayCommand,
  DescribeAddressesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateRegistryCommand,
  CreateSchemaCommand,
  DeleteRegistryCommand,
  GetTagsCommand,
  ListSchemasCommand,
} from "@aws-sdk/client-glue";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import {
  CreateBucketCommand,
  GetBucketLoggingCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { serviceTrustDocument } from "../modules/common/iam";
import { resolveEnvironment } from "../stacks/defaults";
import { type EmulatorClients, emulatorClients } from "../tools/rehearsal/clients";
import { chooseRehearsals } from "../tools/rehearsal/coverage";
import { type Emulator, motoAvailable, startEmulator } from "../tools/rehearsal/emulator";
import { formatReport } from "../tools/rehearsal/report";
import { lastEmulatorError, type RehearsalReport, rehearse } from "../tools/rehearsal/run";
import { type StackJson, selectTargets, stackResources } from "../tools/rehearsal/stack";
import { appliedResources } from "../tools/rehearsal/state";
import { type VerificationResult, verifyApplied } from "../tools/rehearsal/verify";
import { terraformVersion, writeCliConfig } from "../tools/terraform";
import { ENVIRONMENTS, synthJson, synthToDisk } from "./support/synth";

const candidates = Object.values(ENVIRONMENTS).map((config) => ({
  name: config.name,
  production: config.production,
  resources: stackResources(synthJson(config) as unknown as StackJson),
}));
const { environments: names } = chooseRehearsals(candidates);
const buildDir = join(__dirname, "..", ".build", "rehearsal-test");
const reports: Record<string, RehearsalReport> = {};
/** Two rehearsals at a time: each keeps a core busy (Terraform and its provider, the emulator). */
const PARALLEL = 2;

/** Runs `work` over `items`, at most `limit` at a time, results in input order. */
async function limited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}

describe("deploy rehearsals", () => {
  beforeAll(async () => {
    terraformVersion(); // missing terraform: fails with an install hint
    motoAvailable(); // missing moto_server: fails with `pip install "moto[server]"`
    const cliConfigFile = writeCliConfig(buildDir);
    const outdir = synthToDisk(
      names.map((n) => ENVIRONMENTS[n]),
      join(buildDir, "out"),
    );
    process.stderr.write(
      `rehearsal: ${names.join(", ")} (together they apply every resource shape any environment applies)\n`,
    );
    const results = await limited(names, PARALLEL, (name) =>
      rehearse({
        env: resolveEnvironment(ENVIRONMENTS[name]),
        stackFile: join(outdir, "stacks", name, "cdk.tf.json"),
        workDir: join(buildDir, name),
        cliConfigFile,
        log: (line) => process.stderr.write(`rehearsal ${name}: ${line.trim()}\n`),
      }),
    );
    names.forEach((name, i) => {
      reports[name] = results[i];
      // The full report is the first thing to read when an assertion below fails.
      if (!results[i].ok) console.error(formatReport(results[i]));
    });
  }, 30 * 60_000);

  describe.each(names)("deploy rehearsal of %s", (name) => {
    const report = () => reports[name];
    const resources = stackResources(synthJson(ENVIRONMENTS[name]) as unknown as StackJson);
    const ofType = (type: string) => resources.filter((r) => r.type === type).map((r) => r.address);

    it("applies every resource the emulator supports, and only leaves out MSK, Connect and their dependents", () => {
      expect(report().errors).toEqual([]);
      expect(report().applied).toBe(true);
      expect(report().targets).toEqual(selectTargets(resources).targets);
      expect(report().targets.length + report().excluded.length).toBe(resources.length);
      // Each exclusion is MSK itself or leads to MSK through other exclusions (e.g. a policy on the
      // storage-autoscaling target, which is on the cluster).
      const excludedAddresses = report().excluded.map((e) => e.address);
      for (const excluded of report().excluded) {
        const viaExcluded = excludedAddresses.some(
          (a) => a !== excluded.address && excluded.reason.includes(a),
        );
        // The topic manager's invocation (which depends on the cluster too) would run Lambda code: Docker only in
        // moto; a Flink application could be created but never started, updated or destroyed.
        expect(
          /MSK|aws_msk|moto runs Lambda code only in Docker|kinesisanalyticsv2/.test(excluded.reason) ||
            viaExcluded,
        ).toBe(true);
      }
      expect(report().endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("applies Lambda consumers' functions (with a placeholder package) and poller endpoints; leaves out their mappings", () => {
      const mappings = ofType("aws_lambda_event_source_mapping");
      for (const mapping of mappings) {
        expect(report().excluded.find((e) => e.address === mapping)?.reason).toContain(
          "Invalid EventSourceArn",
        );
      }
      const packaged = resources.filter(
        (r) => r.type === "aws_lambda_function" && r.config.s3_bucket !== undefined,
      );
      for (const fn of packaged) expect(report().targets).toContain(fn.address);
      expect(report().seededObjects).toEqual(
        packaged.map((fn) => `s3://${fn.config.s3_bucket}/${fn.config.s3_key} (${fn.address})`),
      );
      const endpoints = resources.filter(
        (r) => r.type === "aws_vpc_endpoint" && r.config.vpc_endpoint_type === "Interface",
      );
      for (const endpoint of endpoints) expect(report().targets).toContain(endpoint.address);
      // prod has Lambda consumers, dev none: the assertions above must have had something to check there.
      expect(mappings.length > 0).toBe((ENVIRONMENTS[name].consumers?.lambda ?? []).length > 0);
    });

    it("lifts prevent_destroy in the rehearsal copy for exactly the protected resources", () => {
      const protectedResources = resources
        .filter((r) => (r.config.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy)
        .map((r) => r.address);
      expect(report().liftedPreventDestroy).toEqual(protectedResources);
      expect(protectedResources.length > 0).toBe(ENVIRONMENTS[name].production);
    });

    it("finds through the AWS API exactly what the synthesized JSON intended", () => {
      const verification = report().verification as VerificationResult;
      expect(verification.failures).toEqual([]);
      for (const type of [
        "aws_vpc",
        "aws_subnet",
        "aws_security_group",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_iam_role",
        "aws_kms_key",
        "aws_cloudwatch_log_group",
      ]) {
        expect(ofType(type).length).toBeGreaterThan(0);
        expect(verification.verified).toEqual(expect.arrayContaining(ofType(type)));
      }
    });

    it("applies the schema registry and every schema, and finds them through the Glue API", () => {
      const verification = report().verification as VerificationResult;
      const glue = [...ofType("aws_glue_registry"), ...ofType("aws_glue_schema")];
      expect(glue.length).toBe(
        ENVIRONMENTS[name].schemaRegistry ? 1 + ENVIRONMENTS[name].schemaRegistry.schemas.length : 0,
      );
      expect(report().targets).toEqual(expect.arrayContaining(glue));
      expect(verification.verified).toEqual(expect.arrayContaining(glue));
      // A Flink application is left out (moto cannot start, update or delete one); its role, group and logs are not.
      for (const app of ofType("aws_kinesisanalyticsv2_application"))
        expect(report().excluded.find((e) => e.address === app)?.reason).toMatch(/kinesisanalyticsv2/);
    });

    it("plans no changes the second time (no perpetual diff)", () => {
      expect(report().drift).toEqual([]);
    });

    it("destroys everything: nothing left in the emulator, keys only scheduled for deletion", () => {
      expect(report().destroyed).toBe(true);
      expect(report().leftovers).toEqual([]);
      const keys = report().targets.filter((t) => t.startsWith("aws_kms_key."));
      expect(report().scheduledDeletions?.filter((s) => s.startsWith("kms key ")).length).toBe(keys.length);
    });
  });
});

/** The emulator as the rehearsal runs it, and verifiers that must fail when it differs from the intent. */
describe("the emulator and the API verification", () => {
  let emulator: Emulator;
  let clients: EmulatorClients;
  let result: VerificationResult;
  const account = ENVIRONMENTS.dev.accountId;
  const emulatorLog = join(buildDir, "emulator-test-moto.log");

  beforeAll(async () => {
    emulator = await startEmulator({ accountId: account, logFile: emulatorLog });
    clients = emulatorClients(emulator.endpoint, "eu-west-1");
    const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    const vpcId = vpc.Vpc?.VpcId ?? "";
    const subnet = await clients.ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: "eu-west-1b" }),
    );
    const group = await clients.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "brokers", Description: "MSK brokers" }),
    );
    const groupId = group.GroupId ?? "";
    const rule = await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 9098,
            ToPort: 9098,
            UserIdGroupPairs: [{ GroupId: groupId, Description: "something else" }],
          },
        ],
      }),
    );
    await clients.s3.send(
      new CreateBucketCommand({
        Bucket: "mismatch",
        CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
      }),
    );
    await clients.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: "mismatch",
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      }),
    );
    await clients.iam.send(
      new CreateRoleCommand({
        RoleName: "connect",
        AssumeRolePolicyDocument: JSON.stringify(serviceTrustDocument("ec2.amazonaws.com", account)),
      }),
    );

    const stack: StackJson = {
      resource: {
        aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
        aws_subnet: {
          s: { vpc_id: "${aws_vpc.v.id}", availability_zone: "eu-west-1a", cidr_block: "10.0.1.0/24" },
        },
        aws_security_group: {
          g: { name: "brokers", description: "MSK brokers", vpc_id: "${aws_vpc.v.id}" },
        },
        aws_vpc_security_group_ingress_rule: {
          r: {
            security_group_id: "${aws_security_group.g.id}",
            referenced_security_group_id: "${aws_security_group.g.id}",
            ip_protocol: "tcp",
            from_port: 9098,
            to_port: 9098,
            description: "Kafka iam listener",
          },
        },
        aws_s3_bucket: { b: { bucket: "mismatch" } },
        aws_s3_bucket_server_side_encryption_configuration: {
          e: {
            bucket: "${aws_s3_bucket.b.id}",
            rule: [
              {
                apply_server_side_encryption_by_default: {
                  sse_algorithm: "aws:kms",
                  kms_master_key_id: `arn:aws:kms:eu-west-1:${account}:key/sink`,
                },
              },
            ],
          },
        },
        aws_s3_bucket_public_access_block: {
          p: { bucket: "${aws_s3_bucket.b.id}", block_public_acls: true },
        },
        aws_iam_role: {
          connect: {
            name: "connect",
            assume_role_policy: JSON.stringify(serviceTrustDocument("kafkaconnect.amazonaws.com", account)),
          },
        },
      },
    };
    const applied = (address: string, values: Record<string, unknown>) => ({
      address,
      mode: "managed" as const,
      type: address.split(".")[0],
      name: address.split(".")[1],
      values,
    });
    const state = appliedResources({
      values: {
        root_module: {
          resources: [
            applied("aws_vpc.v", { id: vpcId }),
            applied("aws_subnet.s", { id: subnet.Subnet?.SubnetId }),
            applied("aws_security_group.g", { id: groupId }),
            applied("aws_vpc_security_group_ingress_rule.r", {
              id: rule.SecurityGroupRules?.[0]?.SecurityGroupRuleId,
            }),
            applied("aws_s3_bucket.b", { id: "mismatch", bucket: "mismatch" }),
            applied("aws_s3_bucket_server_side_encryption_configuration.e", { id: "mismatch" }),
            applied("aws_s3_bucket_public_access_block.p", { id: "mismatch" }),
            applied("aws_iam_role.connect", { id: "connect", name: "connect" }),
          ],
        },
      },
    });
    const resources = stackResources(stack);
    const dev = ENVIRONMENTS.dev;
    result = await verifyApplied({
      resources,
      targets: resources.map((r) => r.address),
      state,
      clients,
      env: resolveEnvironment({
        ...dev,
        network: { mode: "create", cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a"] },
      }),
      defaultTags: {},
    });
  }, 120_000);

  afterAll(async () => {
    clients?.destroy();
    await emulator?.stop();
  });

  it("answers on loopback as the configured account, with its corrections loaded", async () => {
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await clients.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(account);
    expect(emulator.corrections).toEqual(
      expect.arrayContaining([
        "applied: security-group rule descriptions for group and prefix-list references",
        "applied: bucket-logging policy grants read in string or list form",
        "applied: bucket-logging TargetObjectKeyFormat returned by GetBucketLogging",
        "applied: emulator errors logged with action, code and message",
        expect.stringMatching(/^applied: EC2 ClientToken idempotency for \d+ operations/),
        "applied: NAT gateway interface deleted and EIP disassociated on delete; refused creates leave nothing",
        "applied: SDK retries of an answered call get the first answer (amz-sdk-invocation-id)",
        "applied: Lambda functions keep and return their LoggingConfig",
        "applied: Glue registry tags returned by GetTags",
        "applied: Glue ListSchemas (registry's schemas, paged)",
      ]),
    );
    expect(emulator.corrections.filter((c) => !c.startsWith("applied: "))).toEqual([]);
  });

  it("answers a repeated ClientToken with the first result, as EC2 does: an SDK retry creates nothing twice", async () => {
    const vpcOf = async (cidr: string) =>
      (await clients.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc?.VpcId ?? "";
    const [vpcId, otherVpcId] = [await vpcOf("10.1.0.0/16"), await vpcOf("10.2.0.0/16")];
    const create = (ClientToken: string, VpcId: string) =>
      clients.ec2.send(new CreateRouteTableCommand({ VpcId, ClientToken }));
    const first = await create("retried-call", vpcId);
    const retried = await create("retried-call", vpcId);
    expect(retried.RouteTable?.RouteTableId).toBe(first.RouteTable?.RouteTableId);
    const tables = await clients.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }),
    );
    expect(tables.RouteTables?.length).toBe(2); // the main route table and the one created once
    await expect(create("retried-call", otherVpcId)).rejects.toMatchObject({
      name: "IdempotentParameterMismatch",
    });
    expect(lastEmulatorError(emulatorLog)).toMatch(/^ec2 CreateRouteTable 400 IdempotentParameterMismatch: /);
    const another = await create("another-call", vpcId);
    expect(another.RouteTable?.RouteTableId).not.toBe(first.RouteTable?.RouteTableId);
  });

  it("answers a retried SDK call it already answered with that answer, instead of running it twice", async () => {
    const vpcId =
      (await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.4.0.0/16" }))).Vpc?.VpcId ?? "";
    const groupId =
      (
        await clients.ec2.send(
          new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "retried", Description: "retried" }),
        )
      ).GroupId ?? "";
    // AuthorizeSecurityGroupEgress takes no client token: moto would answer a second execution with
    // InvalidPermission.Duplicate. The SDK marks every attempt of one call with the same invocation id.
    const attempt = (invocation: string, n: number) =>
      fetch(emulator.endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-1/ec2/aws4_request, SignedHeaders=host, Signature=0`,
          "amz-sdk-invocation-id": invocation,
          "amz-sdk-request": `attempt=${n}; max=3`,
        },
        body: new URLSearchParams({
          Action: "AuthorizeSecurityGroupEgress",
          Version: "2016-11-15",
          GroupId: groupId,
          "IpPermissions.1.IpProtocol": "tcp",
          "IpPermissions.1.FromPort": "9098",
          "IpPermissions.1.ToPort": "9098",
          "IpPermissions.1.IpRanges.1.CidrIp": "10.4.0.0/16",
        }).toString(),
      }).then(async (r) => ({ status: r.status, body: await r.text() }));
    const first = await attempt("call-1", 1);
    expect(first.status).toBe(200);
    const retried = await attempt("call-1", 2);
    expect(retried).toEqual(first);
    const anotherCall = await attempt("call-2", 1);
    expect(anotherCall.status).toBe(400);
    expect(anotherCall.body).toContain("InvalidPermission.Duplicate");
  });

  it("deletes a NAT gateway's network interface and frees its EIP; a refused create leaves nothing behind", async () => {
    const vpcId = (await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.3.0.0/16" }))).Vpc?.VpcId;
    const subnetId = (
      await clients.ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.3.0.0/24", AvailabilityZone: "eu-west-1a" }),
      )
    ).Subnet?.SubnetId;
    const allocationId = (await clients.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId;
    const interfaces = async () =>
      (
        await clients.ec2.send(
          new DescribeNetworkInterfacesCommand({
            Filters: [{ Name: "subnet-id", Values: [subnetId ?? ""] }],
          }),
        )
      ).NetworkInterfaces ?? [];
    const nat = await clients.ec2.send(
      new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: allocationId }),
    );
    expect(await interfaces()).toHaveLength(1);
    // A second gateway on the same EIP is refused (another ClientToken: a new call, not a retry) ...
    await expect(
      clients.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: allocationId })),
    ).rejects.toThrow("is already associated");
    expect(await interfaces()).toHaveLength(1); // ... without leaving an interface behind
    await clients.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat.NatGateway?.NatGatewayId }));
    expect(await interfaces()).toEqual([]);
    const address = (
      await clients.ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId ?? ""] }))
    ).Addresses?.[0];
    expect(address?.AllocationId).toBe(allocationId); // still allocated, as on AWS ...
    expect(address?.AssociationId).toBeUndefined(); // ... but no longer associated
  });

  it("keeps and returns a function's logging configuration, as Lambda does (tools/rehearsal/moto/lambda_logging_config.py)", async () => {
    await clients.s3.send(
      new CreateBucketCommand({
        Bucket: "code",
        CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
      }),
    );
    await clients.s3.send(new PutObjectCommand({ Bucket: "code", Key: "fn.zip", Body: "placeholder" }));
    const role = await clients.iam.send(
      new CreateRoleCommand({
        RoleName: "consumer",
        AssumeRolePolicyDocument: JSON.stringify(serviceTrustDocument("lambda.amazonaws.com", account)),
      }),
    );
    const create = (name: string, loggingConfig?: { LogFormat: "Text" | "JSON"; LogGroup?: string }) =>
      clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: role.Role?.Arn,
          Runtime: "python3.13",
          Handler: "app.handler",
          Code: { S3Bucket: "code", S3Key: "fn.zip" },
          LoggingConfig: loggingConfig,
        }),
      );
    const logging = async (name: string) =>
      (await clients.lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration
        ?.LoggingConfig;
    await create("custom", { LogFormat: "Text", LogGroup: "/aws/lambda/custom-group" });
    await create("plain");
    expect(await logging("custom")).toEqual({ LogFormat: "Text", LogGroup: "/aws/lambda/custom-group" });
    expect(await logging("plain")).toEqual({ LogFormat: "Text", LogGroup: "/aws/lambda/plain" });
    await clients.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "plain", LoggingConfig: { LogFormat: "JSON" } }),
    );
    expect(await logging("plain")).toEqual({
      LogFormat: "JSON",
      LogGroup: "/aws/lambda/plain",
      ApplicationLogLevel: "INFO",
      SystemLogLevel: "INFO",
    });
  });

  it("returns a registry's create-time tags from GetTags, as Glue does (the correction)", async () => {
    const created = await clients.glue.send(
      new CreateRegistryCommand({
        RegistryName: "tagged-registry",
        Tags: { environment: "dev", owner: "platform" },
      }),
    );
    const tags = await clients.glue.send(new GetTagsCommand({ ResourceArn: created.RegistryArn }));
    expect(tags.Tags).toEqual({ environment: "dev", owner: "platform" });
    await clients.glue.send(new DeleteRegistryCommand({ RegistryId: { RegistryName: "tagged-registry" } }));
  });

  it("lists a registry's schemas as Glue's ListSchemas does, paged, and refuses an unknown registry", async () => {
    await clients.glue.send(new CreateRegistryCommand({ RegistryName: "listed" }));
    await clients.glue.send(new CreateRegistryCommand({ RegistryName: "other" }));
    const schema = (RegistryName: string, SchemaName: string) =>
      clients.glue.send(
        new CreateSchemaCommand({
          RegistryId: { RegistryName },
          SchemaName,
          DataFormat: "AVRO",
          Compatibility: "BACKWARD",
          SchemaDefinition: '{"type":"record","name":"r","fields":[]}',
        }),
      );
    for (const name of ["a", "b", "c"]) await schema("listed", name);
    await schema("other", "elsewhere");
    const first = await clients.glue.send(
      new ListSchemasCommand({ RegistryId: { RegistryName: "listed" }, MaxResults: 2 }),
    );
    expect(first.Schemas?.map((s) => s.SchemaName)).toEqual(["a", "b"]);
    expect(first.Schemas?.[0]).toMatchObject({
      RegistryName: "listed",
      SchemaArn: expect.stringMatching(/^arn:aws:glue:eu-west-1:\d{12}:schema\/listed\/a$/),
      SchemaStatus: "AVAILABLE",
    });
    // CreatedTimestamp is a string in the Glue model: a date, as text.
    expect(Number.isNaN(Date.parse(first.Schemas?.[0].CreatedTime ?? ""))).toBe(false);
    const rest = await clients.glue.send(
      new ListSchemasCommand({ RegistryId: { RegistryName: "listed" }, NextToken: first.NextToken }),
    );
    expect(rest.Schemas?.map((s) => s.SchemaName)).toEqual(["c"]);
    expect(rest.NextToken).toBeUndefined();
    // Without a registry, every registry's schemas.
    const all = await clients.glue.send(new ListSchemasCommand({}));
    expect(all.Schemas?.map((s) => `${s.RegistryName}/${s.SchemaName}`).sort()).toEqual([
      "listed/a",
      "listed/b",
      "listed/c",
      "other/elsewhere",
    ]);
    await expect(
      clients.glue.send(new ListSchemasCommand({ RegistryId: { RegistryName: "missing" } })),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  it("accepts a log bucket whose policy grants the logging service in list form, and still requires the grant", async () => {
    const logBucket = (name: string, service: string) =>
      clients.s3
        .send(
          new CreateBucketCommand({
            Bucket: name,
            CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
          }),
        )
        .then(() =>
          clients.s3.send(
            new PutBucketPolicyCommand({
              Bucket: name,
              Policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                  {
                    Effect: "Allow",
                    Principal: { Service: [service] },
                    Action: ["s3:PutObject"],
                    Resource: [`arn:aws:s3:::${name}/*`],
                  },
                ],
              }),
            }),
          ),
        );
    await logBucket("granted-logs", "logging.s3.amazonaws.com");
    await logBucket("other-logs", "delivery.logs.amazonaws.com");
    const logTo = (target: string) =>
      clients.s3.send(
        new PutBucketLoggingCommand({
          Bucket: "mismatch",
          BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: "sink/" } },
        }),
      );
    await logTo("granted-logs");
    const logging = await clients.s3.send(new GetBucketLoggingCommand({ Bucket: "mismatch" }));
    expect(logging.LoggingEnabled?.TargetBucket).toBe("granted-logs");
    await expect(logTo("other-logs")).rejects.toThrow("permissions to the logging service");
  });

  it("reports each mismatch with the resource and the attribute, and nothing that matches", () => {
    const where = result.failures.map((f) => f.split(": ").slice(0, 2).join(": "));
    expect(where.sort()).toEqual(
      [
        "aws_subnet.s: availability_zone",
        "aws_security_group.g: rules",
        "aws_vpc_security_group_ingress_rule.r: rule",
        "aws_s3_bucket_server_side_encryption_configuration.e: rule",
        "aws_s3_bucket_public_access_block.p: API check failed",
        "aws_iam_role.connect: assume_role_policy",
      ].sort(),
    );
    expect(result.failures.find((f) => f.startsWith("aws_security_group.g"))).toContain(
      'unexpected [egress to 0.0.0.0/0 -1 all ports "" | ingress from',
    );
    expect(result.failures.find((f) => f.startsWith("aws_subnet.s"))).toContain('found "eu-west-1b"');
  });
});
