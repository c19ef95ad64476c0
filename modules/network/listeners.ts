/**
 * The MSK listener port map, as data. Security-group rules are computed from it and from the cluster's
 * enabled features, never listed by hand (ports: docs/sources.md, "Listener ports").
 */
import type { ResolvedProvisionedCluster, ResolvedServerlessCluster } from "../../stacks/defaults";

/** What the broker security group needs to know about the cluster. */
export interface ListenerFeatures {
  /** client_broker encryption in transit. */
  readonly clientBroker: "TLS" | "TLS_PLAINTEXT" | "PLAINTEXT";
  /** SASL/IAM authentication enabled. */
  readonly iam: boolean;
  /** SASL/SCRAM authentication enabled. */
  readonly scram: boolean;
  /** Mutual TLS authentication enabled (ACM Private CA). */
  readonly mutualTls: boolean;
  /** Unauthenticated access enabled. */
  readonly unauthenticated: boolean;
  /** Public access with AWS-provided EIPs. */
  readonly publicAccess: boolean;
  /** ZooKeeper-mode Kafka version (not `.kraft`). */
  readonly zookeeper: boolean;
  /** Prometheus JMX exporter enabled in the brokers. */
  readonly jmxExporter: boolean;
  /** Prometheus node exporter enabled in the brokers. */
  readonly nodeExporter: boolean;
  /** Multi-VPC private connectivity turned on (clients in other VPCs through managed VPC connections). */
  readonly multiVpc: boolean;
  /**
   * Lambda event source mappings read from the cluster: their pollers' network interfaces use the brokers'
   * subnets and security group, so the group must admit itself on the listener they use. @default false
   */
  readonly lambdaEventPollers?: boolean;
}

/**
 * Who may open connections to a port:
 * - `clients`: the exported client security group (producers, consumers, admin tools, Prometheus);
 * - `connect`: the MSK Connect worker security group;
 * - `cidrs`: the ranges the environment lists in `network.clientCidrs`;
 * - `workloads`: workloads' own groups the environment lists in `network.allowedSecurityGroupIds`;
 * - `vpc`: the cluster's VPC CIDR, where MSK's multi-VPC connectivity reaches the brokers from;
 * - `self`: the broker group itself, where Lambda's MSK event pollers connect from (their network interfaces
 *   carry the cluster's security groups), only while a Lambda consumer exists;
 * - `flink`: each Flink application's own group (modules/consumers/), admitted by KafkaSecurityGroups.admit.
 */
export type PortSource = "clients" | "connect" | "cidrs" | "workloads" | "vpc" | "self" | "flink";

/** Stable listener names; they appear in Terraform addresses, so treat them as API. */
export type ListenerName =
  | "plaintext"
  | "tls"
  | "scram"
  | "iam"
  | "tls-public"
  | "scram-public"
  | "iam-public"
  | "zookeeper"
  | "zookeeper-tls"
  | "jmx-exporter"
  | "node-exporter"
  | "multi-vpc";

/** One row of the port map. */
export interface ListenerDefinition {
  /** Name used in rule construct ids. */
  readonly listener: ListenerName;
  /** TCP port on the brokers (the first of the range when `toPort` is set). */
  readonly port: number;
  /** Last port of a range the listener uses (one port per broker). @default port */
  readonly toPort?: number;
  /** What it is, for rule descriptions (security-group description characters only). */
  readonly label: string;
  /** Who may connect. */
  readonly sources: readonly PortSource[];
  /** When the brokers listen on it. */
  readonly when: string;
  /** True when the brokers listen on this port for these features. */
  readonly enabled: (f: ListenerFeatures) => boolean;
  /**
   * Lambda's MSK event pollers authenticate on this listener (IAM): with a Lambda consumer, `self` joins the
   * sources. @default false
   */
  readonly lambdaPollers?: boolean;
}

/** One ingress port on the broker security group, with the sources allowed to reach it. */
export interface BrokerPort {
  readonly fromPort: number;
  readonly toPort: number;
  /** Listener name, used in the rule's Terraform id. */
  readonly listener: ListenerName;
  /** Human-readable listener, used in the rule's description. */
  readonly label: string;
  /** Who may connect. */
  readonly sources: readonly PortSource[];
}

const tlsOn = (f: ListenerFeatures) => f.clientBroker !== "PLAINTEXT";
/**
 * The 9094 listener serves mutual-TLS and unauthenticated-TLS clients. A cluster whose only auth modes are
 * IAM and/or SCRAM has no 9094 listener (MSK returns no TLS bootstrap string), so the port stays closed.
 */
const tlsListenerOn = (f: ListenerFeatures) => tlsOn(f) && (f.mutualTls || f.unauthenticated);
const scramOn = (f: ListenerFeatures) => tlsOn(f) && f.scram;
const iamOn = (f: ListenerFeatures) => tlsOn(f) && f.iam;

// MSK Connect authenticates with IAM or not at all (no SCRAM, no mutual TLS) and needs neither ZooKeeper
// nor the Prometheus exporters; public ports are reached from the internet, so only listed CIDRs apply.
// Workloads' own groups get the Kafka listeners only: admin tools and Prometheus use the client group.
const KAFKA_IN_VPC: readonly PortSource[] = ["clients", "connect", "cidrs", "workloads"];
// Flink applications authenticate with their IAM role only: the SASL/IAM listener is their one port.
const IAM_IN_VPC: readonly PortSource[] = [...KAFKA_IN_VPC, "flink"];
const KAFKA_IN_VPC_NO_CONNECT: readonly PortSource[] = ["clients", "cidrs", "workloads"];
const IN_VPC_NO_CONNECT: readonly PortSource[] = ["clients", "cidrs"];
const PUBLIC: readonly PortSource[] = ["cidrs"];

/**
 * Multi-VPC private connectivity: one port per broker from 14001 (broker 1) to 14100. Source: docs/sources.md
 * "Listener ports" (MSK Developer Guide, "Multi-VPC private connectivity") and terraform-aws-modules/msk-kafka-cluster's complete example ("multi-VPC network load
 * balancer is listening on the 14001-14100 port ranges"). The client side of a managed VPC connection uses
 * the same range (modules/sharing/vpc-connection.ts).
 */
export const MULTI_VPC_PORTS = { from: 14001, to: 14100 } as const;

/** The port map: every port MSK can listen on, when it does, and who may reach it. */
export const LISTENERS: readonly ListenerDefinition[] = [
  {
    listener: "plaintext",
    port: 9092,
    label: "Kafka plaintext listener (9092)",
    sources: KAFKA_IN_VPC,
    when: "clientBroker PLAINTEXT or TLS_PLAINTEXT",
    enabled: (f) => f.clientBroker !== "TLS",
  },
  {
    listener: "tls",
    port: 9094,
    label: "Kafka TLS listener (9094)",
    sources: KAFKA_IN_VPC,
    when: "TLS on and (mutual TLS or unauthenticated access)",
    enabled: tlsListenerOn,
  },
  {
    listener: "scram",
    port: 9096,
    label: "Kafka SASL/SCRAM listener (9096)",
    sources: KAFKA_IN_VPC_NO_CONNECT,
    when: "TLS on and SCRAM enabled",
    enabled: scramOn,
  },
  {
    listener: "iam",
    port: 9098,
    label: "Kafka SASL/IAM listener (9098)",
    sources: IAM_IN_VPC,
    when: "TLS on and IAM enabled",
    enabled: iamOn,
    lambdaPollers: true,
  },
  {
    listener: "tls-public",
    port: 9194,
    label: "Kafka TLS public listener (9194)",
    sources: PUBLIC,
    when: "public access and the 9094 listener",
    enabled: (f) => f.publicAccess && tlsListenerOn(f),
  },
  {
    listener: "scram-public",
    port: 9196,
    label: "Kafka SASL/SCRAM public listener (9196)",
    sources: PUBLIC,
    when: "public access and SCRAM",
    enabled: (f) => f.publicAccess && scramOn(f),
  },
  {
    listener: "iam-public",
    port: 9198,
    label: "Kafka SASL/IAM public listener (9198)",
    sources: PUBLIC,
    when: "public access and IAM",
    enabled: (f) => f.publicAccess && iamOn(f),
  },
  {
    listener: "zookeeper",
    port: 2181,
    label: "ZooKeeper plaintext (2181)",
    sources: IN_VPC_NO_CONNECT,
    when: "ZooKeeper-mode Kafka version (not .kraft)",
    enabled: (f) => f.zookeeper,
  },
  {
    listener: "zookeeper-tls",
    port: 2182,
    label: "ZooKeeper TLS (2182)",
    sources: IN_VPC_NO_CONNECT,
    when: "ZooKeeper-mode Kafka version (not .kraft)",
    enabled: (f) => f.zookeeper,
  },
  {
    listener: "jmx-exporter",
    port: 11001,
    label: "Prometheus JMX exporter (11001)",
    sources: IN_VPC_NO_CONNECT,
    when: "open monitoring with the JMX exporter",
    enabled: (f) => f.jmxExporter,
  },
  {
    listener: "node-exporter",
    port: 11002,
    label: "Prometheus node exporter (11002)",
    sources: IN_VPC_NO_CONNECT,
    when: "open monitoring with the node exporter",
    enabled: (f) => f.nodeExporter,
  },
  {
    listener: "multi-vpc",
    port: MULTI_VPC_PORTS.from,
    toPort: MULTI_VPC_PORTS.to,
    label: "MSK multi-VPC private connectivity (14001-14100, one port per broker)",
    sources: ["vpc"],
    when: "multi-VPC connectivity on (sharing.clusterArn set)",
    enabled: (f) => f.multiVpc,
  },
];

/** The port or range of a listener as the README table writes it: "9098", "14001-14100". */
export function portText(listener: ListenerDefinition): string {
  return listener.toPort === undefined ? `${listener.port}` : `${listener.port}-${listener.toPort}`;
}

/** KRaft versions carry a `.kraft` suffix ("3.9.x.kraft", every 4.x); the others run ZooKeeper. */
export function isKraftVersion(kafkaVersion: string): boolean {
  return kafkaVersion.endsWith(".kraft") || /^[4-9]\./.test(kafkaVersion);
}

/** Ports the brokers actually listen on for these features, in port-map order, with their sources. */
export function brokerIngressPorts(features: ListenerFeatures): BrokerPort[] {
  return LISTENERS.filter((l) => l.enabled(features)).map((l) => ({
    fromPort: l.port,
    toPort: l.toPort ?? l.port,
    listener: l.listener,
    label: l.label,
    sources: features.lambdaEventPollers && l.lambdaPollers ? [...l.sources, "self"] : l.sources,
  }));
}

/**
 * Listener features of a resolved cluster. MSK Serverless is always TLS + IAM on 9098. `lambdaEventPollers`:
 * the environment has Lambda consumers (their pollers connect from the broker group itself).
 */
export function listenerFeaturesOf(
  cluster: ResolvedProvisionedCluster | ResolvedServerlessCluster,
  lambdaEventPollers = false,
): ListenerFeatures {
  if (cluster.type === "serverless") {
    return {
      clientBroker: "TLS",
      iam: true,
      scram: false,
      mutualTls: false,
      unauthenticated: false,
      publicAccess: false,
      zookeeper: false,
      jmxExporter: false,
      nodeExporter: false,
      multiVpc: false,
      lambdaEventPollers,
    };
  }
  return {
    clientBroker: cluster.clientBroker,
    iam: cluster.auth.iam,
    scram: cluster.auth.scramUsers.length > 0,
    mutualTls: cluster.auth.mutualTlsCaArns.length > 0,
    unauthenticated: cluster.auth.unauthenticated,
    publicAccess: cluster.publicAccess,
    // Express brokers give clients no ZooKeeper access, whatever the version's metadata mode.
    zookeeper: cluster.brokerKind === "standard" && !isKraftVersion(cluster.kafkaVersion),
    jmxExporter: cluster.openMonitoring.jmxExporter,
    nodeExporter: cluster.openMonitoring.nodeExporter,
    multiVpc: cluster.vpcConnectivity !== undefined,
    lambdaEventPollers,
  };
}
