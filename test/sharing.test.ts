/**
 * Sharing the cluster with other VPCs and accounts, and bringing your own KMS key, on the synthesized JSON:
 * the cluster policy and multi-VPC connectivity of the environment's stack, the client stacks
 * (`<env>-client-<name>`), serverless client VPCs, the synth output, and every validation error.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeEnvironments } from "../stacks/app";
import type {
  ClientVpcConfig,
  EnvironmentConfig,
  ProvisionedClusterConfig,
  SharedAccountConfig,
  SharingConfig,
} from "../stacks/config";
import { resolveEnvironment } from "../stacks/defaults";
import { loadEnvironments } from "../stacks/environments";
import { clientStackName, stackNamesOf } from "../stacks/stack-names";
import { validateAcrossEnvironments, validateEnvironment } from "../stacks/validation";
import { formatIssue } from "../stacks/validation/checker";
import {
  asNewEnvironment,
  ENVIRONMENTS,
  onlyResource,
  resourcesOf,
  synthJson,
  synthStacks,
  type TerraformJson,
} from "./support/synth";

const { dev, staging, prod } = ENVIRONMENTS;
const sharing = prod.sharing as SharingConfig;
const ARN = sharing.clusterArn as string;
const B = "444444444444";
const analytics = (sharing.clientVpcs ?? [])[0] as ClientVpcConfig;
const account = (sharing.accounts ?? [])[0] as SharedAccountConfig;
const CA_ARN =
  "arn:aws:acm-pca:eu-west-1:333333333333:certificate-authority/11111111-2222-3333-4444-555555555555";

const provisioned = (config: EnvironmentConfig) => config.cluster as ProvisionedClusterConfig;
const withSharing = (config: EnvironmentConfig, changes: Partial<SharingConfig>): EnvironmentConfig => ({
  ...config,
  sharing: { ...config.sharing, ...changes },
});
const withCluster = (config: EnvironmentConfig, changes: Partial<ProvisionedClusterConfig>) => ({
  ...config,
  cluster: { ...provisioned(config), ...changes },
});
/** prod at step 1: sharing declared, the cluster not yet created. */
const step1 = withSharing(prod, { clusterArn: undefined });

interface Statement {
  Sid: string;
  Effect: string;
  Principal?: { AWS: string | string[] };
  Action: string[];
  Resource: string | string[];
}
const statements = (policy: unknown): Statement[] =>
  (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
const clusterRef = (json: TerraformJson, attribute = "arn") =>
  `\${aws_msk_cluster.${Object.keys(resourcesOf(json, "aws_msk_cluster"))[0]}.${attribute}}`;

describe("prod shares its cluster with the analytics account (environments/prod.ts)", () => {
  const stacks = synthStacks(prod);
  const json = stacks.prod;
  const client = stacks["prod-client-analytics"];

  it("makes two stacks: prod and its client stack prod-client-analytics", () => {
    expect(Object.keys(stacks)).toEqual(["prod", "prod-client-analytics"]);
    expect(stackNamesOf(resolveEnvironment(prod))).toEqual(["prod", "prod-client-analytics"]);
    expect(clientStackName("prod", "analytics")).toBe("prod-client-analytics");
  });

  it("turns on multi-VPC connectivity for exactly the auth modes shared (IAM)", () => {
    const cluster = onlyResource(json, "aws_msk_cluster") as {
      broker_node_group_info: { connectivity_info: Record<string, unknown>; security_groups: string[] };
    };
    expect(cluster.broker_node_group_info.connectivity_info).toEqual({
      public_access: { type: "DISABLED" },
      vpc_connectivity: { client_authentication: { sasl: { iam: true, scram: false }, tls: false } },
    });
    // The cluster's own security groups never change to admit clients: that would replace the cluster.
    expect(cluster.broker_node_group_info.security_groups).toEqual(
      (onlyResource(synthJson({ ...prod, sharing: undefined }), "aws_msk_cluster") as typeof cluster)
        .broker_node_group_info.security_groups,
    );
    expect(json.output?.bootstrap_brokers_vpc_connectivity_sasl_iam?.value).toBe(
      clusterRef(json, "bootstrap_brokers_vpc_connectivity_sasl_iam"),
    );
  });

  it("attaches a cluster policy granting the listed account exactly what a VPC connection and its consumers need", () => {
    const policy = onlyResource(json, "aws_msk_cluster_policy");
    expect(policy.cluster_arn).toBe(clusterRef(json));
    const topic = `arn:aws:kafka:eu-west-1:333333333333:topic/${clusterRef(json, "cluster_name")}/${clusterRef(json, "cluster_uuid")}`;
    const group = topic.replace(":topic/", ":group/");
    const principal = { AWS: `arn:aws:iam::${B}:root` };
    expect(statements(policy.policy)).toEqual([
      {
        Sid: `Account${B}VpcConnection`,
        Effect: "Allow",
        Principal: principal,
        Action: [
          "kafka:CreateVpcConnection",
          "kafka:GetBootstrapBrokers",
          "kafka:DescribeCluster",
          "kafka:DescribeClusterV2",
        ],
        Resource: clusterRef(json),
      },
      {
        Sid: `Account${B}Cluster`,
        Effect: "Allow",
        Principal: principal,
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
        Resource: clusterRef(json),
      },
      {
        Sid: `Account${B}Topics`,
        Effect: "Allow",
        Principal: principal,
        // access "consume": read the shared topics only, never write them.
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        Resource: [`${topic}/orders.*`],
      },
      {
        Sid: `Account${B}Groups`,
        Effect: "Allow",
        Principal: principal,
        Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
        Resource: [`${group}/analytics-*`],
      },
    ]);
  });

  it("stops the plan when sharing.clusterArn is not this stack's cluster (a precondition)", () => {
    const policy = onlyResource(json, "aws_msk_cluster_policy") as {
      lifecycle: { precondition: { condition: string; error_message: string }[] };
    };
    expect(policy.lifecycle.precondition).toEqual([
      {
        condition: `\${(${clusterRef(json).slice(2, -1)} == "${ARN}")}`,
        error_message: expect.stringContaining("is not this stack's cluster"),
      },
    ]);
  });

  it("pins the client stack's provider to the client account and region, tagged with the client VPC", () => {
    expect(client.provider.aws).toEqual([
      expect.objectContaining({
        allowed_account_ids: [B],
        region: "eu-west-1",
        default_tags: [
          {
            tags: expect.objectContaining({
              environment: "prod",
              "client-vpc": "analytics",
              "managed-by": "cdktf",
            }),
          },
        ],
      }),
    ]);
  });

  it("keeps the client stack's state in its own, encrypted and locked S3 object", () => {
    expect(client.terraform.backend).toEqual({
      s3: {
        bucket: "acme-terraform-state-444444444444",
        key: "msk-platform/prod-client-analytics/terraform.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("creates the managed VPC connection to the declared cluster ARN, with IAM, in the listed subnets", () => {
    const connection = onlyResource(client, "aws_msk_vpc_connection");
    const connectionGroup = Object.keys(resourcesOf(client, "aws_security_group")).find(
      (n) => n.startsWith("connection_") && !n.startsWith("connection_client_"),
    );
    expect(connection).toEqual({
      authentication: "SASL_IAM",
      target_cluster_arn: ARN,
      vpc_id: analytics.vpcId,
      client_subnets: analytics.subnetIds,
      security_groups: [`\${aws_security_group.${connectionGroup}.id}`],
    });
    // No remote state, no data source: the cluster is known only by the literal ARN.
    expect(client.data).toBeUndefined();
    expect(JSON.stringify(client)).not.toContain("terraform_remote_state");
  });

  it("gives the client group exactly one egress rule: 14001-14100 to the connection group, which admits only it", () => {
    const groups = resourcesOf(client, "aws_security_group");
    const id = (prefix: string) =>
      `\${aws_security_group.${Object.keys(groups).find((n) => n.startsWith(prefix))}.id}`;
    const clientGroup = id("connection_client_");
    const connectionGroup = `\${aws_security_group.${Object.keys(groups).find((n) => !n.includes("client"))}.id}`;
    const rule = (r: Record<string, unknown>) => ({
      group: r.security_group_id,
      peer: r.referenced_security_group_id ?? r.cidr_ipv4,
      ports: `${r.ip_protocol} ${r.from_port}-${r.to_port}`,
    });
    expect(Object.values(resourcesOf(client, "aws_vpc_security_group_egress_rule")).map(rule)).toEqual([
      { group: clientGroup, peer: connectionGroup, ports: "tcp 14001-14100" },
    ]);
    expect(Object.values(resourcesOf(client, "aws_vpc_security_group_ingress_rule")).map(rule)).toEqual([
      { group: connectionGroup, peer: clientGroup, ports: "tcp 14001-14100" },
    ]);
  });

  it("gives the client account's roles an identity policy matching the grant, and the outputs a client needs", () => {
    const policy = onlyResource(client, "aws_iam_policy");
    expect(policy.name).toBe("msk-platform-prod-client-analytics-kafka-access");
    const granted = statements(policy.policy);
    expect(granted.map((s) => [s.Sid, s.Action])).toEqual([
      ["ReadBootstrapBrokers", ["kafka:GetBootstrapBrokers", "kafka:DescribeClusterV2"]],
      ["KafkaCluster", ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]],
      ["KafkaTopics", ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]],
      ["KafkaGroups", ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]],
    ]);
    const uuid = ARN.split("/").pop();
    expect(granted[2].Resource).toEqual([
      `arn:aws:kafka:eu-west-1:333333333333:topic/msk-platform-prod/${uuid}/orders.*`,
    ]);
    expect(Object.keys(client.output ?? {}).sort()).toEqual([
      "bootstrap_brokers_command",
      "client_security_group_id",
      "connection_security_group_id",
      "kafka_access_policy_arn",
      "kafka_client_properties",
      "vpc_connection_arn",
    ]);
    expect(client.output?.bootstrap_brokers_command.value).toBe(
      `aws kafka get-bootstrap-brokers --region eu-west-1 --cluster-arn ${ARN} --query BootstrapBrokerStringVpcConnectivitySaslIam --output text`,
    );
    expect(client.output?.kafka_client_properties.value).toContain("sasl.mechanism=AWS_MSK_IAM");
  });
});

describe("descriptions of the groups and rules sharing adds (checkov CKV_AWS_23, trivy AVD-AWS-0099/0124)", () => {
  // Characters AWS accepts in group and rule descriptions.
  const DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{10,255}$/;
  const serverless: EnvironmentConfig = {
    ...dev,
    cluster: { type: "serverless", clientAccess: dev.cluster.clientAccess },
    sharing: { clientVpcs: [{ ...analytics, accountId: dev.accountId, backend: undefined }] },
  };
  const stacks = { ...synthStacks(prod), serverless: synthJson(serverless) };

  it.each(Object.keys(stacks))("%s: every group and rule has a real description AWS accepts", (name) => {
    const json = stacks[name as keyof typeof stacks];
    for (const type of [
      "aws_security_group",
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_egress_rule",
    ]) {
      for (const resource of Object.values(resourcesOf(json, type))) {
        expect(String(resource.description)).toMatch(DESCRIPTION);
      }
    }
  });
});

describe("the two-apply sequence (MSK turns connectivity on only for an existing cluster)", () => {
  it("step 1 (no sharing.clusterArn): no connectivity, no cluster policy, no multi-VPC port, no client stack", () => {
    const stacks = synthStacks(step1);
    expect(Object.keys(stacks)).toEqual(["prod"]);
    const cluster = onlyResource(stacks.prod, "aws_msk_cluster") as {
      broker_node_group_info: { connectivity_info: Record<string, unknown> };
    };
    expect(cluster.broker_node_group_info.connectivity_info).toEqual({ public_access: { type: "DISABLED" } });
    expect(resourcesOf(stacks.prod, "aws_msk_cluster_policy")).toEqual({});
    expect(JSON.stringify(stacks.prod)).not.toContain("14001");
  });

  it("synth says which client stacks wait for step 2", () => {
    const out = join(mkdtempSync(join(tmpdir(), "msk-sharing-")), "out");
    const lines: string[] = [];
    const environments = loadEnvironments([{ file: "environments/prod.ts", config: step1 }]);
    expect(synthesizeEnvironments(environments, out, (l) => lines.push(l))).toBe(0);
    expect(readdirSync(join(out, "stacks"))).toEqual(["prod"]);
    expect(lines[0]).toBe(`Synthesized prod into ${out}/stacks/`);
    expect(lines[1]).toBe(
      "Not yet synthesized: prod-client-analytics; they follow once the cluster exists and its ARN is in sharing.clusterArn (README, Share the cluster).",
    );
  });

  it("step 2 writes every stack folder with its own policy report", () => {
    const out = join(mkdtempSync(join(tmpdir(), "msk-sharing-")), "out");
    const environments = loadEnvironments([{ file: "environments/prod.ts", config: prod }]);
    expect(synthesizeEnvironments(environments, out, () => {})).toBe(0);
    expect(readdirSync(join(out, "stacks")).sort()).toEqual(["prod", "prod-client-analytics"]);
    const report = JSON.parse(
      readFileSync(join(out, "stacks", "prod-client-analytics", "policy-report.json"), "utf8"),
    ) as { environment: string };
    expect(report.environment).toBe("prod-client-analytics");
  });
});

describe("other auth modes, roles and same-account VPCs", () => {
  const acl = {
    kafka: { ...provisioned(prod).kafka, serverProperties: { "allow.everyone.if.no.acl.found": "false" } },
  };
  const scramTls: EnvironmentConfig = withSharing(
    withCluster(prod, {
      auth: { iam: true, scram: { users: ["etl"] }, mutualTls: { certificateAuthorityArns: [CA_ARN] } },
      ...acl,
    }),
    {
      accounts: [
        { accountId: B, auth: ["scram", "tls"] },
        {
          accountId: "555555555555",
          roleArns: ["arn:aws:iam::555555555555:role/deploy", "arn:aws:iam::555555555555:role/orders-writer"],
          auth: ["iam"],
          access: "produce",
        },
      ],
      clientVpcs: [
        { ...analytics, auth: "scram", allowedSecurityGroupIds: ["sg-0123456789abcdef0"] },
        {
          name: "platform-tools",
          accountId: "333333333333",
          vpcId: "vpc-0333333333333333a",
          subnetIds: ["subnet-0333333333333331a", "subnet-0333333333333332b"],
          auth: "tls",
        },
      ],
    },
  );
  const stacks = synthStacks(scramTls);

  it("turns on every mode in use, and nothing else", () => {
    const cluster = onlyResource(stacks.prod, "aws_msk_cluster") as {
      broker_node_group_info: { connectivity_info: { vpc_connectivity: unknown } };
    };
    expect(cluster.broker_node_group_info.connectivity_info.vpc_connectivity).toEqual({
      client_authentication: { sasl: { iam: true, scram: true }, tls: true },
    });
    expect(
      Object.keys(stacks.prod.output ?? {})
        .filter((o) => o.includes("vpc_connectivity"))
        .sort(),
    ).toEqual([
      "bootstrap_brokers_vpc_connectivity_sasl_iam",
      "bootstrap_brokers_vpc_connectivity_sasl_scram",
      "bootstrap_brokers_vpc_connectivity_tls",
    ]);
  });

  it("grants SCRAM/TLS accounts only the connection actions (Kafka ACLs govern their data), IAM roles the data too", () => {
    const granted = statements(onlyResource(stacks.prod, "aws_msk_cluster_policy").policy);
    expect(granted.map((s) => s.Sid)).toEqual([
      `Account${B}VpcConnection`,
      "Account555555555555VpcConnection",
      "Account555555555555Cluster",
      "Account555555555555Topics",
    ]);
    expect(granted[1].Principal).toEqual({
      AWS: ["arn:aws:iam::555555555555:role/deploy", "arn:aws:iam::555555555555:role/orders-writer"],
    });
    // access "produce": write (idempotently) the environment's topics, join no group.
    expect(granted[2].Action).toContain("kafka-cluster:WriteDataIdempotently");
    expect(granted[3].Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]);
    for (const statement of granted) {
      expect(statement.Principal).not.toEqual("*");
      expect(statement.Action.some((a) => a.includes("*"))).toBe(false);
    }
  });

  it("makes a client stack per VPC, each with its one auth scheme; listed workload groups reach the connection", () => {
    expect(Object.keys(stacks)).toEqual(["prod", "prod-client-analytics", "prod-client-platform-tools"]);
    const scram = stacks["prod-client-analytics"];
    expect(onlyResource(scram, "aws_msk_vpc_connection").authentication).toBe("SASL_SCRAM");
    expect(resourcesOf(scram, "aws_iam_policy")).toEqual({});
    const ingress = Object.values(resourcesOf(scram, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.map((r) => r.referenced_security_group_id)).toContain("sg-0123456789abcdef0");
    expect(ingress.every((r) => r.from_port === 14001 && r.to_port === 14100)).toBe(true);
    expect(scram.output?.kafka_client_properties.value).toContain("SCRAM-SHA-512");
    const tools = stacks["prod-client-platform-tools"];
    expect(onlyResource(tools, "aws_msk_vpc_connection").authentication).toBe("TLS");
    // Same account as the cluster: no cluster policy entry needed, and the provider is pinned to it.
    expect(tools.provider.aws[0].allowed_account_ids).toEqual(["333333333333"]);
    expect(tools.output?.bootstrap_brokers_command.value).toContain(
      "BootstrapBrokerStringVpcConnectivityTls",
    );
  });
});

describe("bring your own KMS key (cluster.kmsKeyArn)", () => {
  const KEY = "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const json = synthJson(withCluster(prod, { kmsKeyArn: KEY }));
  const ours = synthJson(prod);

  it("encrypts data at rest with that key and creates no data key of its own", () => {
    const cluster = onlyResource(json, "aws_msk_cluster") as {
      encryption_info: { encryption_at_rest_kms_key_arn: string };
    };
    expect(cluster.encryption_info.encryption_at_rest_kms_key_arn).toBe(KEY);
    expect(Object.keys(resourcesOf(json, "aws_kms_key")).filter((k) => k.startsWith("msk_data-key"))).toEqual(
      [],
    );
    expect(
      Object.keys(resourcesOf(ours, "aws_kms_key")).filter((k) => k.startsWith("msk_data-key")),
    ).toHaveLength(1);
    expect(json.output?.msk_kms_key_arn.value).toBe(KEY);
  });

  it("keeps the data key's construct id (its Terraform address) when the stack creates it", () => {
    expect(Object.keys(resourcesOf(ours, "aws_kms_key"))).toContain(
      Object.keys(resourcesOf(synthJson(dev), "aws_kms_key")).find((k) => k.startsWith("msk_data-key")),
    );
  });
});

describe("a serverless cluster takes its client VPCs as vpc_config blocks", () => {
  const WORKLOAD = "sg-0a1b2c3d4e5f60718";
  const vpcs: ClientVpcConfig[] = ["a", "b", "c", "d"].map((n, i) => ({
    name: `team-${n}`,
    accountId: "111111111111",
    vpcId: `vpc-0${i}11111111111111a`,
    subnetIds: [`subnet-0${i}1111111111111a1`, `subnet-0${i}1111111111111b2`],
    auth: "iam" as const,
    allowedSecurityGroupIds: i === 0 ? [WORKLOAD] : undefined,
  }));
  const serverless: EnvironmentConfig = {
    ...dev,
    cluster: { type: "serverless", clientAccess: dev.cluster.clientAccess },
    sharing: { clientVpcs: vpcs },
  };
  const stacks = synthStacks(serverless);
  const json = stacks.dev;

  it("adds one vpc_config per client VPC after its own (five VPCs in all), and no client stack", () => {
    expect(Object.keys(stacks)).toEqual(["dev"]);
    const cluster = onlyResource(json, "aws_msk_serverless_cluster") as {
      vpc_config: { subnet_ids: string[]; security_group_ids: string[] }[];
    };
    expect(cluster.vpc_config).toHaveLength(5);
    expect(cluster.vpc_config.slice(1).map((v) => v.subnet_ids)).toEqual(vpcs.map((v) => v.subnetIds));
  });

  it("opens 9098 on each VPC's broker-side group to that VPC's client group and listed workload groups only", () => {
    const groups = resourcesOf(json, "aws_security_group");
    const inTeamA = Object.entries(groups).filter(([, g]) => g.vpc_id === vpcs[0].vpcId);
    expect(inTeamA).toHaveLength(2);
    const rules = Object.entries(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter(([name]) =>
      name.startsWith("client-vpcs_team-a-"),
    );
    expect(rules.map(([, r]) => [r.from_port, r.to_port])).toEqual([
      [9098, 9098],
      [9098, 9098],
    ]);
    expect(rules.map(([, r]) => r.referenced_security_group_id)).toContain(WORKLOAD);
    const map = json.output?.client_vpc_security_group_ids.value as Record<string, string>;
    expect(Object.keys(map)).toEqual(vpcs.map((v) => v.name));
  });
});

describe("validation of sharing, own keys and workload groups", () => {
  const errors = (config: EnvironmentConfig) =>
    validateEnvironment(config, config.name).map((issue) =>
      formatIssue(`environments/${config.name}.ts`, issue),
    );
  const P = "environments/prod.ts";
  const serverlessDev: EnvironmentConfig = {
    ...dev,
    cluster: { type: "serverless", clientAccess: dev.cluster.clientAccess },
  };
  const vpc = (changes: Partial<ClientVpcConfig>): Partial<SharingConfig> => ({
    clientVpcs: [{ ...analytics, ...changes }],
  });
  const acct = (changes: Partial<SharedAccountConfig>): Partial<SharingConfig> => ({
    accounts: [{ ...account, ...changes }],
  });

  const rows: readonly [string, EnvironmentConfig, readonly string[]][] = [
    [
      "the cluster's own account in sharing.accounts",
      withSharing(prod, acct({ accountId: "333333333333" })),
      [
        `${P}: sharing.accounts[0].accountId: got "333333333333"; is the environment's own account, whose principals need no cluster policy: list only other accounts`,
        `${P}: sharing.clientVpcs[0].accountId: got "444444444444"; is another account but not listed in sharing.accounts: list it there, so the cluster policy lets it create the VPC connection`,
      ],
    ],
    [
      "an account id that is not 12 digits",
      withSharing(prod, { accounts: [{ ...account, accountId: "4444" }], clientVpcs: [] }),
      [`${P}: sharing.accounts[0].accountId: got "4444"; must be a 12-digit AWS account id`],
    ],
    [
      "a role of another account",
      withSharing(prod, acct({ roleArns: ["arn:aws:iam::555555555555:role/x"] })),
      [
        `${P}: sharing.accounts[0].roleArns[0]: got "arn:aws:iam::555555555555:role/x"; must be a role of account 444444444444`,
      ],
    ],
    [
      "a role ARN that is a user",
      withSharing(prod, acct({ roleArns: ["arn:aws:iam::444444444444:user/bob"] })),
      [
        `${P}: sharing.accounts[0].roleArns[0]: got "arn:aws:iam::444444444444:user/bob"; must be an IAM role ARN such as "arn:aws:iam::444444444444:role/analytics-consumer"`,
      ],
    ],
    [
      "an auth mode the cluster does not enable",
      withSharing(prod, acct({ auth: ["iam", "scram"] })),
      [
        `${P}: sharing.accounts[0].auth[1]: got "scram"; is not enabled on the cluster: add cluster.auth.scram, or remove it (multi-VPC connectivity carries only the cluster's own auth modes)`,
      ],
    ],
    [
      "an unknown auth mode",
      withSharing(prod, acct({ auth: [wrong("unauthenticated")] })),
      [`${P}: sharing.accounts[0].auth[0]: got "unauthenticated"; must be one of "iam", "scram", "tls"`],
    ],
    [
      "a client VPC auth mode the cluster does not enable",
      withSharing(prod, vpc({ auth: "tls" })),
      [
        `${P}: sharing.clientVpcs[0].auth: got "tls"; is not enabled on the cluster: add cluster.auth.mutualTls, or choose one of iam`,
      ],
    ],
    [
      "a client VPC auth mode its account does not list",
      withSharing(
        withCluster(prod, {
          auth: { iam: true, scram: { users: ["etl"] } },
          kafka: {
            ...provisioned(prod).kafka,
            serverProperties: { "allow.everyone.if.no.acl.found": "false" },
          },
        }),
        vpc({ auth: "scram" }),
      ),
      [
        `${P}: sharing.clientVpcs[0].auth: got "scram"; is not in the auth of account 444444444444 (sharing.accounts[0].auth): add it there`,
      ],
    ],
    [
      "SCRAM clients without Kafka ACLs",
      withSharing(
        withCluster(prod, { auth: { iam: true, scram: { users: ["etl"] } } }),
        acct({ auth: ["scram"] }),
      ),
      [
        `${P}: sharing.clientVpcs[0].auth: got "iam"; is not in the auth of account 444444444444 (sharing.accounts[0].auth): add it there`,
        `${P}: sharing: got ["scram"]; shares scram or tls clients, which need Kafka ACLs: set cluster.kafka.serverProperties["allow.everyone.if.no.acl.found"] to "false"`,
      ],
    ],
    [
      "multi-VPC on kafka.t3.small",
      withCluster(prod, { instanceType: "kafka.t3.small" }),
      [
        `${P}: cluster.instanceType: got "kafka.t3.small"; cannot turn on multi-VPC private connectivity (sharing): use kafka.m5.large or larger, or remove sharing`,
      ],
    ],
    [
      "sharing an unauthenticated-only cluster",
      withSharing(
        {
          ...dev,
          production: false,
          cluster: {
            ...provisioned(dev),
            instanceType: "kafka.m5.large",
            clientBroker: "TLS",
            auth: { iam: false, unauthenticated: true },
          },
        },
        { accounts: [{ accountId: B, auth: ["iam"] }] },
      ),
      [
        `environments/dev.ts: sharing.accounts[0].auth[0]: got "iam"; is not enabled on the cluster: set cluster.auth.iam to true, or remove it (multi-VPC connectivity carries only the cluster's own auth modes)`,
        `environments/dev.ts: sharing: got ["accounts"]; needs iam, scram or mutualTls on the cluster: multi-VPC private connectivity never serves unauthenticated clients`,
      ],
    ],
    [
      "a cluster ARN of another environment",
      withSharing(prod, { clusterArn: ARN.replace("msk-platform-prod/", "msk-platform-staging/") }),
      [
        `${P}: sharing.clusterArn: got "arn:aws:kafka:eu-west-1:333333333333:cluster/msk-platform-staging/7f3c2a1e-5...; must be the ARN of this environment's cluster msk-platform-prod (partition aws, region eu-west-1, account 333333333333): a new environment's cluster does not exist yet, so leave sharing.clusterArn out until its first apply prints cluster_arn`,
      ],
    ],
    [
      "a cluster ARN that is not one",
      withSharing(prod, { clusterArn: "msk-platform-prod" }),
      [
        `${P}: sharing.clusterArn: got "msk-platform-prod"; must be the cluster ARN the first apply printed (output cluster_arn), e.g. "arn:aws:kafka:eu-west-1:333333333333:cluster/msk-platform-prod/<uuid>-3"`,
      ],
    ],
    [
      "a cluster ARN with nothing to share",
      { ...prod, sharing: { clusterArn: ARN } },
      [
        `${P}: sharing.clusterArn: got "arn:aws:kafka:eu-west-1:333333333333:cluster/msk-platform-prod/7f3c2a1e-5b6d...; turns multi-VPC connectivity on for nobody: list sharing.accounts or sharing.clientVpcs, or remove it`,
      ],
    ],
    [
      "a client VPC in another region",
      withSharing(prod, vpc({ region: "eu-central-1" })),
      [
        `${P}: sharing.clientVpcs[0].region: got "eu-central-1"; must be the cluster's region eu-west-1: multi-VPC private connectivity works within one region`,
      ],
    ],
    [
      "a malformed VPC id",
      withSharing(prod, vpc({ vpcId: "vpc-123" })),
      [`${P}: sharing.clientVpcs[0].vpcId: got "vpc-123"; must be a VPC id such as "vpc-0123456789abcdef0"`],
    ],
    [
      "one subnet",
      withSharing(prod, vpc({ subnetIds: ["subnet-0444444444444441a"] })),
      [
        `${P}: sharing.clientVpcs[0].subnetIds: got ["subnet-0444444444444441a"]; must list at least 2 subnets, in different AZs the cluster also uses`,
      ],
    ],
    [
      "a malformed subnet id",
      withSharing(prod, vpc({ subnetIds: ["subnet-0444444444444441a", "subnet-x"] })),
      [
        `${P}: sharing.clientVpcs[0].subnetIds[1]: got "subnet-x"; must be subnet id such as "subnet-0123456789abcdef0"`,
      ],
    ],
    [
      "a malformed workload group",
      withSharing(prod, vpc({ allowedSecurityGroupIds: ["sg-1"] })),
      [
        `${P}: sharing.clientVpcs[0].allowedSecurityGroupIds[0]: got "sg-1"; must be security group id such as "sg-0123456789abcdef0"`,
      ],
    ],
    [
      "a client VPC name with capitals",
      withSharing(prod, vpc({ name: "Analytics" })),
      [
        `${P}: sharing.clientVpcs[0].name: got "Analytics"; must be lowercase letters, digits and dashes, starting with a letter, at most 20 characters`,
      ],
    ],
    [
      "two client VPCs of the same name",
      withSharing(prod, { clientVpcs: [analytics, analytics] }),
      [`${P}: sharing.clientVpcs[1]: got "analytics"; is listed twice: list each entry once`],
    ],
    [
      "local client state in production",
      withSharing(prod, vpc({ backend: { type: "local" } })),
      [
        `${P}: sharing.clientVpcs[0].backend.type: got "local"; must be "s3" (encrypted, locked remote state) in a production environment`,
      ],
    ],
    [
      "a client state bucket that is not a bucket name",
      withSharing(prod, vpc({ backend: { type: "s3", bucket: "Acme_State" } })),
      [
        `${P}: sharing.clientVpcs[0].backend.bucket: got "Acme_State"; must be a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens`,
      ],
    ],
    [
      "cross-account sharing of a serverless cluster",
      { ...serverlessDev, sharing: { accounts: [{ accountId: B, auth: ["iam"] }] } },
      [
        `environments/dev.ts: sharing.accounts: got ["444444444444"]; cannot be shared with a serverless cluster: other accounts connect through managed VPC connections of a provisioned cluster; share serverless with VPCs of its own account (sharing.clientVpcs)`,
      ],
    ],
    [
      "five client VPCs for a serverless cluster",
      {
        ...serverlessDev,
        sharing: {
          clientVpcs: [1, 2, 3, 4, 5].map((i) => ({
            name: `v${i}`,
            accountId: "111111111111",
            vpcId: `vpc-0${i}11111111111111a`,
            subnetIds: [`subnet-0${i}1111111111111a1`, `subnet-0${i}1111111111111b2`],
            auth: "iam" as const,
          })),
        },
      },
      [
        `environments/dev.ts: sharing.clientVpcs: got 5; lists too many VPCs: MSK Serverless takes at most 5 VPCs, its own and 4 client VPCs`,
      ],
    ],
    [
      "a serverless client VPC in another account, with SCRAM",
      {
        ...serverlessDev,
        sharing: { clientVpcs: [{ ...analytics, backend: undefined, auth: "scram" }] },
      },
      [
        `environments/dev.ts: sharing.clientVpcs[0].accountId: got "444444444444"; must be the environment's account 111111111111: MSK Serverless places its endpoints in subnets of its own account (other accounts need a provisioned cluster)`,
        `environments/dev.ts: sharing.clientVpcs[0].auth: got "scram"; must be "iam": MSK Serverless authenticates with IAM only`,
      ],
    ],
    [
      "a cluster ARN on a serverless cluster",
      { ...serverlessDev, sharing: { clusterArn: ARN } },
      [
        `environments/dev.ts: sharing.clusterArn: got "arn:aws:kafka:eu-west-1:333333333333:cluster/msk-platform-prod/7f3c2a1e-5b6d...; is for provisioned clusters: a serverless cluster takes its client VPCs when it is created, so remove it`,
      ],
    ],
    [
      "the reserved client-vpc tag",
      { ...staging, tags: { ...staging.tags, "client-vpc": "x" } },
      [
        `environments/staging.ts: tags.client-vpc: got "client-vpc"; is set by the platform on client stacks (the plan review reads it): choose another key`,
      ],
    ],
    [
      "a KMS key alias instead of a key",
      withCluster(prod, { kmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:alias/msk" }),
      [
        `${P}: cluster.kmsKeyArn: got "arn:aws:kms:eu-west-1:333333333333:alias/msk"; must be the key's ARN, not an alias: MSK records the key itself, so an alias would read back as a change that replaces the cluster`,
      ],
    ],
    [
      "a KMS key in another region",
      withCluster(prod, {
        kmsKeyArn: "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      }),
      [
        `${P}: cluster.kmsKeyArn: got "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"; must be a key in the environment's partition and region (aws, eu-west-1): MSK encrypts with a key of its own region`,
      ],
    ],
    [
      "a KMS key ARN that is not one",
      withCluster(prod, { kmsKeyArn: "my-key" }),
      [
        `${P}: cluster.kmsKeyArn: got "my-key"; must be a KMS key ARN such as "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"`,
      ],
    ],
    [
      "a workload group that is not a group id",
      { ...prod, network: { ...prod.network, allowedSecurityGroupIds: ["default"] } },
      [
        `${P}: network.allowedSecurityGroupIds[0]: got "default"; must be a security group id in the cluster's VPC, such as "sg-0123456789abcdef0"`,
      ],
    ],
    [
      "a workload group listed twice",
      {
        ...prod,
        network: {
          ...prod.network,
          allowedSecurityGroupIds: ["sg-0123456789abcdef0", "sg-0123456789abcdef0"],
        },
      },
      [
        `${P}: network.allowedSecurityGroupIds[1]: got "sg-0123456789abcdef0"; is listed twice: list each entry once`,
      ],
    ],
  ];

  it.each(rows.map(([title, config, expected]) => ({ title, config, expected })))(
    "refuses $title",
    ({ config, expected }) => {
      expect(errors(config)).toEqual(expected);
    },
  );

  it("refuses an environment and a client stack with the same name, and a shared client state object", () => {
    const clash = asNewEnvironment(staging, "prod-client-analytics");
    expect(
      validateAcrossEnvironments([
        { file: "environments/prod.ts", config: prod },
        { file: "environments/prod-client-analytics.ts", config: clash },
      ]).map((p) => formatIssue(p.file, p.issues[0])),
    ).toEqual([
      `environments/prod-client-analytics.ts: name: got "prod-client-analytics"; environment names must be unique (environments/prod.ts uses it too)`,
    ]);
    const sameState = withSharing(prod, {
      clientVpcs: [
        analytics,
        {
          ...analytics,
          name: "analytics-2",
          backend: {
            ...(analytics.backend as object),
            key: "msk-platform/prod-client-analytics/terraform.tfstate",
          } as ClientVpcConfig["backend"],
        },
      ],
    });
    expect(
      validateAcrossEnvironments([{ file: "environments/prod.ts", config: sameState }]).map((p) =>
        formatIssue(p.file, p.issues[0]),
      ),
    ).toEqual([
      `environments/prod.ts: sharing.clientVpcs[1].backend.key: got "msk-platform/prod-client-analytics/terraform.tfstate"; two stacks must never share a state object (environments/prod.ts uses it too)`,
    ]);
  });
});

/** A deliberately wrong value of another type, as a JavaScript caller (or a cast) could pass. */
function wrong<T>(value: unknown): T {
  return value as T;
}
