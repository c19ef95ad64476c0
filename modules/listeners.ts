/**
 * The MSK listener port map, as data. Security-group rules are computed from it and from the cluster's
 * enabled features, never listed by hand (see ../shared/reference/msk-facts.md, "Listener ports").
 */

/** What the broker security group needs to know about the cluster. */
export interface ListenerFeatures {
  /** client_broker encryption in transit. */
  readonly clientBroker: "TLS" | "TLS_PLAINTEXT" | "PLAINTEXT";
  readonly iam: boolean;
  readonly scram: boolean;
  readonly mutualTls: boolean;
  readonly unauthenticated: boolean;
  readonly publicAccess: boolean;
  /** ZooKeeper-mode Kafka version (not `.kraft`). */
  readonly zookeeper: boolean;
  readonly jmxExporter: boolean;
  readonly nodeExporter: boolean;
}

/** One ingress port (or range) on the broker security group. */
export interface BrokerPort {
  readonly fromPort: number;
  readonly toPort: number;
  /** Listener name, used in the rule description and the Terraform id. */
  readonly listener: string;
}

/** The port of each listener path, private and public (public only where MSK offers one). */
export const LISTENER_PORTS = {
  plaintext: { private: 9092 },
  tls: { private: 9094, public: 9194 },
  scram: { private: 9096, public: 9196 },
  iam: { private: 9098, public: 9198 },
  zookeeper: { private: 2181 },
  zookeeperTls: { private: 2182 },
  jmxExporter: { private: 11001 },
  nodeExporter: { private: 11002 },
} as const;

/** KRaft versions carry a `.kraft` suffix ("3.7.x.kraft"); every other version runs ZooKeeper. */
export function isKraftVersion(kafkaVersion: string): boolean {
  return kafkaVersion.endsWith(".kraft");
}

function port(listener: string, value: number): BrokerPort {
  return { fromPort: value, toPort: value, listener };
}

/**
 * Ports the brokers actually listen on for these features.
 * 9094 is the TLS listener for mutual-TLS and unauthenticated-TLS clients; a cluster whose only TLS-side
 * auth is IAM and/or SCRAM has no 9094 listener, so the port stays closed.
 */
export function brokerIngressPorts(features: ListenerFeatures): BrokerPort[] {
  const tlsOn = features.clientBroker !== "PLAINTEXT";
  const plaintextOn = features.clientBroker !== "TLS";
  const tlsListener = tlsOn && (features.mutualTls || features.unauthenticated);
  const ports: BrokerPort[] = [];
  if (plaintextOn) ports.push(port("plaintext", LISTENER_PORTS.plaintext.private));
  if (tlsListener) ports.push(port("tls", LISTENER_PORTS.tls.private));
  if (tlsOn && features.scram) ports.push(port("scram", LISTENER_PORTS.scram.private));
  if (tlsOn && features.iam) ports.push(port("iam", LISTENER_PORTS.iam.private));
  if (features.publicAccess) {
    if (tlsListener) ports.push(port("tls-public", LISTENER_PORTS.tls.public));
    if (tlsOn && features.scram) ports.push(port("scram-public", LISTENER_PORTS.scram.public));
    if (tlsOn && features.iam) ports.push(port("iam-public", LISTENER_PORTS.iam.public));
  }
  if (features.zookeeper) {
    ports.push(port("zookeeper", LISTENER_PORTS.zookeeper.private));
    ports.push(port("zookeeper-tls", LISTENER_PORTS.zookeeperTls.private));
  }
  if (features.jmxExporter) ports.push(port("jmx-exporter", LISTENER_PORTS.jmxExporter.private));
  if (features.nodeExporter) ports.push(port("node-exporter", LISTENER_PORTS.nodeExporter.private));
  return ports;
}
