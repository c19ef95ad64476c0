/**
 * Lambda consumers through real Terraform, offline: dev (no NAT) with two consumers, one the stack creates from
 * S3 (on-demand: Lambda and STS endpoints) and one existing function in provisioned mode writing discarded
 * batches to S3, is validated and planned; the plan holds what the synthesized JSON intends, and the review
 * prices the endpoints and names the provisioned pollers.
 */
import type { EnvironmentConfig } from "../stacks/config";
import { estimateCost } from "../tools/review/cost";
import { PRICES } from "../tools/review/prices";
import { type PlanJson, type PlannedResource, plannedResources } from "../tools/terraform";
import { planEnvironmentsOffline } from "./support/offline-plans";
import { ENVIRONMENTS } from "./support/synth";

const dev = ENVIRONMENTS.dev;

/** dev as a platform engineer would extend it: one consumer of each kind. */
const withConsumers: EnvironmentConfig = {
  ...dev,
  consumers: {
    lambda: [
      {
        name: "orders-audit",
        topic: "dev.orders",
        consumerGroupId: "dev-orders-audit",
        batchSize: 50,
        onFailure: { arn: "arn:aws:sqs:eu-west-1:111111111111:dev-orders-audit-failures" },
        function: {
          source: "s3",
          bucket: "acme-lambda-artifacts-111111111111",
          key: "orders-audit/1.0.0.zip",
          runtime: "python3.13",
          handler: "app.handler",
        },
      },
      {
        name: "payments-sync",
        topic: "dev.payments",
        consumerGroupId: "dev-payments-sync",
        startingPosition: "AT_TIMESTAMP",
        startingTimestamp: "2026-11-01T00:00:00Z",
        onFailure: {
          arn: "arn:aws:s3:::acme-dev-payments-failures",
          kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
        provisionedPollers: { minimum: 1, maximum: 3 },
        retry: { maximumAttempts: 3, maximumRecordAgeSeconds: 3600 },
        function: {
          source: "existing",
          function: "payments-sync:live",
          executionRoleName: "payments-sync-role",
        },
      },
    ],
  },
};

let plan: PlanJson;
let planned: PlannedResource[];
const of = (type: string) => planned.filter((r) => r.type === type);
const named = (type: string, part: string) => {
  const found = of(type).filter((r) => r.address.includes(part));
  if (found.length !== 1) throw new Error(`expected one ${type} *${part}*, found ${found.length}`);
  return found[0];
};

beforeAll(async () => {
  plan = (await planEnvironmentsOffline([withConsumers], "terraform-consumers-lambda-test")).dev;
  planned = plannedResources(plan);
}, 600_000);

describe("dev with Lambda consumers, planned offline", () => {
  it("validates and plans without errors, creating only", () => {
    expect(plan.errored).toBe(false);
    expect(new Set((plan.resource_changes ?? []).flatMap((c) => c.change.actions))).toEqual(
      new Set(["create"]),
    );
  });

  it("plans both mappings on the cluster, each with its one topic, group, start and destination", () => {
    expect(named("aws_lambda_event_source_mapping", "orders-audit").values).toMatchObject({
      topics: ["dev.orders"],
      starting_position: "TRIM_HORIZON",
      batch_size: 50,
      amazon_managed_kafka_event_source_config: [{ consumer_group_id: "dev-orders-audit" }],
      destination_config: [
        { on_failure: [{ destination_arn: "arn:aws:sqs:eu-west-1:111111111111:dev-orders-audit-failures" }] },
      ],
      provisioned_poller_config: [],
      enabled: true,
    });
    expect(named("aws_lambda_event_source_mapping", "payments-sync").values).toMatchObject({
      function_name: "payments-sync:live",
      topics: ["dev.payments"],
      starting_position: "AT_TIMESTAMP",
      starting_position_timestamp: "2026-11-01T00:00:00Z",
      provisioned_poller_config: [{ minimum_pollers: 1, maximum_pollers: 3 }],
      maximum_retry_attempts: 3,
      maximum_record_age_in_seconds: 3600,
      destination_config: [{ on_failure: [{ destination_arn: "arn:aws:s3:::acme-dev-payments-failures" }] }],
    });
  });

  it("plans the created function and attaches a policy to the existing function's role", () => {
    expect(named("aws_lambda_function", "orders-audit").values).toMatchObject({
      function_name: "msk-platform-dev-orders-audit",
      runtime: "python3.13",
      s3_bucket: "acme-lambda-artifacts-111111111111",
      tracing_config: [{ mode: "Active" }],
      memory_size: 512,
      timeout: 60,
      architectures: ["x86_64"],
    });
    expect(named("aws_iam_role_policy_attachment", "payments-sync").values).toMatchObject({
      role: "payments-sync-role",
    });
    expect(named("aws_iam_policy", "payments-sync").values.name).toBe(
      "msk-platform-dev-payments-sync-msk-consumer",
    );
  });

  it("gives dev (no NAT) Lambda, STS and SQS endpoints with private DNS, and HTTPS to S3 for the S3 destination", () => {
    const endpoints = of("aws_vpc_endpoint").filter((e) => e.values.vpc_endpoint_type === "Interface");
    expect(endpoints.map((e) => String(e.values.service_name)).sort()).toEqual([
      "com.amazonaws.eu-west-1.lambda",
      "com.amazonaws.eu-west-1.sqs",
      "com.amazonaws.eu-west-1.sts",
    ]);
    for (const endpoint of endpoints) expect(endpoint.values.private_dns_enabled).toBe(true);
    expect(named("aws_vpc_security_group_egress_rule", "broker-egress-https-s3").values).toMatchObject({
      from_port: 443,
      to_port: 443,
      ip_protocol: "tcp",
    });
    expect(named("aws_vpc_security_group_ingress_rule", "broker-ingress-iam-from-self").values).toMatchObject(
      {
        from_port: 9098,
        to_port: 9098,
      },
    );
  });

  it("prices each interface endpoint per AZ-hour and names the provisioned pollers, which have no dated price", () => {
    const cost = estimateCost(planned);
    // dev's two private subnets (unknown until apply, counted from the plan): one interface in each.
    const monthly = Math.round(2 * 730 * PRICES.interfaceEndpointHour.usd * 100) / 100;
    const endpointLines = cost.lines.filter((l) => l.key.startsWith("interface-endpoint-hours"));
    expect(endpointLines.map((l) => [l.item, l.quantity, l.monthlyUsd, l.formula])).toEqual(
      ["lambda", "sqs", "sts"].map((service) => [
        `Interface VPC endpoint (${service})`,
        2 * 730,
        monthly,
        "2 AZs x 730 h",
      ]),
    );
    expect(cost.unpriced).toEqual([
      expect.stringMatching(
        /^aws_lambda_event_source_mapping\.lambda-consumers_payments-sync_event-source-mapping_[0-9A-F]+: provisioned mode, 1-3 event pollers, billed as Event Poller Unit \(EPU\) hours of Lambda provisioned mode \(no dated price in tools\/review\/prices\.ts\)$/,
      ),
    ]);
    expect(cost.usageBased).toEqual(
      expect.arrayContaining([
        "Lambda requests and duration",
        `Interface VPC endpoint data processing (${PRICES.interfaceEndpointDataGb.usd} USD/GB)`,
      ]),
    );
  });
});
