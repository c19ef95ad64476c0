/**
 * Real Terraform, offline, on cluster variants the real environments do not cover: an MSK Serverless
 * environment, a production cluster with IAM + SCRAM (one user associated) + mutual TLS on a ZooKeeper
 * version, and a production cluster on Express brokers. One synth, then init + validate + plan of the
 * stacks in parallel.
 */
import type { EnvironmentConfig } from "../stacks/config";
import { type PlanJson, type PlannedResource, plannedResources } from "../tools/terraform";
import { planEnvironmentsOffline } from "./support/offline-plans";
import { asNewEnvironment, ENVIRONMENTS } from "./support/synth";

const { dev, prod } = ENVIRONMENTS;
if (dev.cluster.type !== "provisioned" || prod.cluster.type !== "provisioned") {
  throw new Error("dev and prod are expected to be provisioned clusters");
}
const CA_ARN =
  "arn:aws:acm-pca:eu-west-1:333333333333:certificate-authority/11111111-2222-3333-4444-555555555555";

const VARIANTS: Readonly<Record<string, EnvironmentConfig>> = {
  "dev-serverless": {
    ...dev,
    name: "dev-serverless",
    cluster: { type: "serverless", clientAccess: dev.cluster.clientAccess },
  },
  "prod-scram-mtls": {
    ...asNewEnvironment(prod, "prod-scram-mtls"),
    cluster: {
      ...prod.cluster,
      kafkaVersion: "3.9.x",
      auth: {
        iam: true,
        scram: { users: ["etl", "audit"], associatedUsers: ["etl"] },
        mutualTls: { certificateAuthorityArns: [CA_ARN] },
      },
    },
  },
  "prod-express": {
    ...asNewEnvironment(prod, "prod-express"),
    cluster: {
      ...prod.cluster,
      instanceType: "express.m7g.large",
      volumeSizeGiB: undefined,
      storageAutoscaling: undefined,
    },
  },
};

const names = Object.keys(VARIANTS);
let plans: Record<string, PlanJson> = {};

beforeAll(async () => {
  plans = await planEnvironmentsOffline(Object.values(VARIANTS), "terraform-cluster-test");
}, 300_000);

const of = (name: string, type: string): PlannedResource[] =>
  plannedResources(plans[name]).filter((r) => r.type === type);

describe.each(names)("terraform validate + plan of %s (offline)", (name) => {
  it("is an error-free plan that only creates", () => {
    expect(plans[name].errored).toBe(false);
    const actions = new Set((plans[name].resource_changes ?? []).flatMap((c) => c.change.actions));
    expect([...actions]).toEqual(["create"]);
  });

  it("plans the producer and consumer policies", () => {
    expect(of(name, "aws_iam_policy").map((p) => p.values.name)).toEqual(
      expect.arrayContaining([`msk-platform-${name}-kafka-producer`, `msk-platform-${name}-kafka-consumer`]),
    );
  });
});

describe("serverless environment", () => {
  it("plans one IAM-only serverless cluster and no broker-based resources", () => {
    const [cluster, ...others] = of("dev-serverless", "aws_msk_serverless_cluster");
    expect(others).toEqual([]);
    expect(cluster.values).toMatchObject({
      cluster_name: "msk-platform-dev-serverless",
      client_authentication: [{ sasl: [{ iam: [{ enabled: true }] }] }],
    });
    expect((cluster.values.vpc_config as unknown[]).length).toBe(1);
    for (const type of ["aws_msk_cluster", "aws_msk_configuration", "aws_cloudwatch_metric_alarm"]) {
      expect(of("dev-serverless", type)).toEqual([]);
    }
  });

  it("plans the outputs a serverless cluster can fill", () => {
    expect(Object.keys(plans["dev-serverless"].output_changes ?? {})).toEqual(
      expect.arrayContaining(["bootstrap_brokers_sasl_iam", "producer_policy_arn", "consumer_policy_arn"]),
    );
    expect(Object.keys(plans["dev-serverless"].output_changes ?? {})).not.toContain("configuration_arn");
  });
});

describe("production cluster with IAM + SCRAM + mutual TLS on ZooKeeper", () => {
  const name = "prod-scram-mtls";

  it("plans all three auth modes on the cluster", () => {
    const [cluster] = of(name, "aws_msk_cluster");
    expect(cluster.values.client_authentication).toEqual([
      {
        sasl: [{ iam: true, scram: true }],
        tls: [{ certificate_authority_arns: [CA_ARN] }],
        unauthenticated: false,
      },
    ]);
    expect(cluster.values.kafka_version).toBe("3.9.x");
  });

  it("plans an AmazonMSK_ secret per user, no secret value, and associates only the ready user", () => {
    expect(
      of(name, "aws_secretsmanager_secret")
        .map((s) => s.values.name)
        .sort(),
    ).toEqual(["AmazonMSK_msk-platform-prod-scram-mtls_audit", "AmazonMSK_msk-platform-prod-scram-mtls_etl"]);
    expect(of(name, "aws_secretsmanager_secret_version")).toEqual([]);
    expect(of(name, "aws_msk_scram_secret_association")).toHaveLength(1);
    expect(of(name, "aws_secretsmanager_secret_policy")).toHaveLength(2);
  });

  it("plans storage autoscaling, the alarms and the ZooKeeper outputs", () => {
    expect(of(name, "aws_appautoscaling_target")[0].values).toMatchObject({
      service_namespace: "kafka",
      scalable_dimension: "kafka:broker-storage:VolumeSize",
      min_capacity: 1000,
      max_capacity: 4000,
    });
    expect(of(name, "aws_cloudwatch_metric_alarm")).toHaveLength(6 * 3 + 2);
    expect(Object.keys(plans[name].output_changes ?? {})).toEqual(
      expect.arrayContaining([
        "zookeeper_connect_string",
        "zookeeper_connect_string_tls",
        "bootstrap_brokers_tls",
        "bootstrap_brokers_sasl_scram",
        "scram_secret_arns",
      ]),
    );
  });
});

describe("production cluster on Express brokers", () => {
  const name = "prod-express";

  it("validates and plans without storage_info, storage autoscaling or EBS alarms", () => {
    const [cluster] = of(name, "aws_msk_cluster");
    const group = (cluster.values.broker_node_group_info as Record<string, unknown>[])[0];
    expect(group.instance_type).toBe("express.m7g.large");
    expect(group.storage_info ?? []).toEqual([]);
    expect(cluster.values.number_of_broker_nodes).toBe(6);
    expect(of(name, "aws_appautoscaling_target")).toEqual([]);
    const metrics = JSON.stringify(of(name, "aws_cloudwatch_metric_alarm").map((a) => a.values.metric_query));
    expect(metrics).not.toContain("KafkaDataLogsDiskUsed");
    expect(metrics).toContain("BytesInPerSec");
  });

  it("plans a configuration without the properties Express holds read-only", () => {
    const [configuration] = of(name, "aws_msk_configuration");
    const properties = String(configuration.values.server_properties);
    expect(properties).not.toMatch(/default\.replication\.factor|min\.insync\.replicas|unclean\.leader/);
    expect(properties).toContain("log.retention.ms = 604800000");
  });
});
