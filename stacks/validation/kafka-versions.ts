/**
 * The Kafka versions Amazon MSK runs, as dated data: metadata mode, tiered storage, broker types, MSK release
 * and end-of-support dates, and whether AWS still creates new clusters on the version. Validation, the
 * cluster module and the plan review read only this table; when AWS announces a version or an end-of-support
 * date, change a row here (and move KAFKA_VERSION_TABLE_AS_OF).
 *
 * Nothing here reads the clock: every date-dependent answer takes `today` ("YYYY-MM-DD") from the caller, so
 * no check or test changes its answer on its own when a date passes.
 *
 * Sources (checked 2026-11-30):
 * - MSK Developer Guide, "Supported Apache Kafka versions" (release and end-of-support dates):
 *   https://docs.aws.amazon.com/msk/latest/developerguide/supported-kafka-versions.html
 * - "Amazon MSK version support" (a cluster past end of support is auto-upgraded at any time; MSK phases out
 *   new clusters on versions with a published end-of-support date):
 *   https://docs.aws.amazon.com/msk/latest/developerguide/version-support.html
 * - "Document history": 4.1.x supported since 2025-10-15.
 * - docs/sources.md, "MSK rules checked at synth" (versions accepted for new clusters as of 2026-11-30; 3.7.x and 3.7.x.kraft
 *   end of support 2026-09-01, 3.6.0 2026-06-01).
 * - Express brokers: "Amazon MSK Express brokers" (Kafka 3.6, 3.8 and 3.9); KRaft on Express with 3.9
 *   (What's New 2025-12, aws-msk-express-brokers-support-kraft); 4.2 on Express only (What's New 2026-07,
 *   aws-msk-express-version-42); CreateCluster answers 400 "Express instance types are not supported for
 *   Kafka version 3.9.x" (hashicorp/terraform-provider-aws#48309).
 * - Tiered storage: "Tiered storage for Standard brokers" (3.6.0 and later); aws-cdk msk-alpha
 *   cluster-version.ts marks every version from 3.6.0 on as tiered-storage capable.
 */

/** How a cluster keeps its metadata. */
export type MetadataMode = "zookeeper" | "kraft";

/** MSK broker families. */
export type BrokerKind = "standard" | "express";

export interface KafkaVersionInfo {
  /** The version string the MSK API takes, e.g. "3.9.x.kraft". */
  readonly version: string;
  /** Apache Kafka minor release, for ordering and API feature checks, e.g. "3.9". */
  readonly kafka: string;
  readonly mode: MetadataMode;
  /** Supports storage mode TIERED on Standard brokers. */
  readonly tieredStorage: boolean;
  /** Broker families MSK runs this version on. */
  readonly brokerKinds: readonly BrokerKind[];
  /** MSK release date, YYYY-MM-DD. */
  readonly released: string;
  /** Published end-of-support date, YYYY-MM-DD; absent while AWS has announced none. */
  readonly endOfSupport?: string;
  /** AWS still creates new clusters on it (as of KAFKA_VERSION_TABLE_AS_OF). */
  readonly newClusters: boolean;
  /** Where the row comes from. */
  readonly source: string;
}

/** The date the table was last checked against the sources above. */
export const KAFKA_VERSION_TABLE_AS_OF = "2026-11-30";

const SUPPORTED = "MSK Developer Guide, Supported Apache Kafka versions";
const FACTS = "docs/sources.md (new-cluster versions as of 2026-11-30)";

export const KAFKA_VERSION_TABLE: readonly KafkaVersionInfo[] = [
  {
    version: "3.4.0",
    kafka: "3.4",
    mode: "zookeeper",
    tieredStorage: false,
    brokerKinds: ["standard"],
    released: "2023-05-04",
    endOfSupport: "2025-08-04",
    newClusters: false,
    source: SUPPORTED,
  },
  {
    version: "3.5.1",
    kafka: "3.5",
    mode: "zookeeper",
    tieredStorage: false,
    brokerKinds: ["standard"],
    released: "2023-09-26",
    endOfSupport: "2025-10-23",
    newClusters: false,
    source: SUPPORTED,
  },
  {
    version: "3.6.0",
    kafka: "3.6",
    mode: "zookeeper",
    tieredStorage: true,
    brokerKinds: ["standard", "express"],
    released: "2023-11-16",
    endOfSupport: "2026-06-01",
    newClusters: false,
    source: `${SUPPORTED}; ${FACTS}`,
  },
  {
    version: "3.7.x",
    kafka: "3.7",
    mode: "zookeeper",
    tieredStorage: true,
    brokerKinds: ["standard"],
    released: "2024-05-29",
    endOfSupport: "2026-09-01",
    newClusters: false,
    source: `${SUPPORTED}; ${FACTS}`,
  },
  {
    version: "3.7.x.kraft",
    kafka: "3.7",
    mode: "kraft",
    tieredStorage: true,
    brokerKinds: ["standard"],
    released: "2024-05-29",
    endOfSupport: "2026-09-01",
    newClusters: false,
    source: `${SUPPORTED}; ${FACTS}`,
  },
  {
    version: "3.8.x",
    kafka: "3.8",
    mode: "zookeeper",
    tieredStorage: true,
    brokerKinds: ["standard", "express"],
    released: "2025-02-20",
    newClusters: true,
    source: `${SUPPORTED}; Express on 3.8 since 2025-06-05 (Document history)`,
  },
  {
    version: "3.8.x.kraft",
    kafka: "3.8",
    mode: "kraft",
    tieredStorage: true,
    brokerKinds: ["standard", "express"],
    released: "2025-02-20",
    newClusters: true,
    source: SUPPORTED,
  },
  {
    version: "3.9.x",
    kafka: "3.9",
    mode: "zookeeper",
    tieredStorage: true,
    // Express on 3.9 runs KRaft only: CreateCluster refuses express.* with "3.9.x".
    brokerKinds: ["standard"],
    released: "2025-04-21",
    newClusters: true,
    source: `${SUPPORTED}; terraform-provider-aws#48309`,
  },
  {
    version: "3.9.x.kraft",
    kafka: "3.9",
    mode: "kraft",
    tieredStorage: true,
    brokerKinds: ["standard", "express"],
    released: "2025-04-21",
    newClusters: true,
    source: `${SUPPORTED}; What's New 2025-12 (KRaft for Express brokers on 3.9)`,
  },
  {
    version: "4.0.x.kraft",
    kafka: "4.0",
    mode: "kraft",
    tieredStorage: true,
    brokerKinds: ["standard"],
    released: "2025-05-16",
    newClusters: true,
    source: SUPPORTED,
  },
  {
    version: "4.1.x.kraft",
    kafka: "4.1",
    mode: "kraft",
    tieredStorage: true,
    brokerKinds: ["standard"],
    released: "2025-10-15",
    newClusters: true,
    source: `${SUPPORTED}; Document history 2025-10-15`,
  },
  {
    version: "4.2.x.kraft",
    kafka: "4.2",
    mode: "kraft",
    tieredStorage: true,
    brokerKinds: ["express"],
    // What's New of July 2026; the day is that of aws-cdk#38323, which added it.
    released: "2026-07-16",
    newClusters: true,
    source: "What's New 2026-07 (Express brokers add Apache Kafka 4.2); aws-cdk#38323",
  },
];

/** A version table: KAFKA_VERSION_TABLE unless a caller (a test) injects another. */
export type VersionTable = readonly KafkaVersionInfo[];

/** The row of a version, or undefined when MSK never offered it. */
export function kafkaVersionInfo(
  version: string,
  table: VersionTable = KAFKA_VERSION_TABLE,
): KafkaVersionInfo | undefined {
  return table.find((v) => v.version === version);
}

/** Metadata mode of a version string; unknown versions follow MSK's naming (".kraft", and 4.x is KRaft only). */
export function metadataModeOf(version: string, table: VersionTable = KAFKA_VERSION_TABLE): MetadataMode {
  const info = kafkaVersionInfo(version, table);
  if (info) return info.mode;
  return version.endsWith(".kraft") || /^[4-9]\./.test(version) ? "kraft" : "zookeeper";
}

/** -1, 0 or 1 comparing the Kafka releases of two version strings ("3.9.x.kraft" vs "4.0.x.kraft"). */
export function compareKafkaReleases(
  a: string,
  b: string,
  table: VersionTable = KAFKA_VERSION_TABLE,
): number {
  const parts = (v: string) =>
    (kafkaVersionInfo(v, table)?.kafka ?? v).split(".").map((p) => Number.parseInt(p, 10));
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (Number.isNaN(x[i]) ? 0 : (x[i] ?? 0)) - (Number.isNaN(y[i]) ? 0 : (y[i] ?? 0));
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * True when a cluster on `version` can use the MSK topic API (CreateTopic, DescribeTopic, UpdateTopic,
 * DeleteTopic, ListTopics): provisioned clusters (Standard or Express brokers) on Kafka 3.6.0 or later.
 * MSK Serverless has no topic API. Source: botocore kafka model; docs/sources.md, "MSK rules checked at synth".
 */
export function supportsTopicApi(version: string, clusterType: "provisioned" | "serverless"): boolean {
  return clusterType === "provisioned" && compareKafkaReleases(version, TOPIC_API_MINIMUM_VERSION) >= 0;
}

/** The oldest Kafka version the MSK topic API serves (botocore kafka model, CreateTopic documentation). */
export const TOPIC_API_MINIMUM_VERSION = "3.6.0";

/** Today as YYYY-MM-DD in UTC: the default `today` of every date-dependent check. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Warn this many days before a version's end of support. */
export const END_OF_SUPPORT_NOTICE_DAYS = 90;

/** Where a version stands on `today`. */
export type VersionLifecycle =
  | { readonly state: "unknown" }
  | { readonly state: "supported"; readonly info: KafkaVersionInfo }
  | {
      readonly state: "ending";
      readonly info: KafkaVersionInfo;
      readonly endOfSupport: string;
      readonly days: number;
    }
  | { readonly state: "ended"; readonly info: KafkaVersionInfo; readonly endOfSupport: string };

export function versionLifecycle(
  version: string,
  today: string,
  table: VersionTable = KAFKA_VERSION_TABLE,
): VersionLifecycle {
  const info = kafkaVersionInfo(version, table);
  if (!info) return { state: "unknown" };
  if (info.endOfSupport === undefined) return { state: "supported", info };
  const days = daysBetween(today, info.endOfSupport);
  if (days <= 0) return { state: "ended", info, endOfSupport: info.endOfSupport };
  if (days <= END_OF_SUPPORT_NOTICE_DAYS)
    return { state: "ending", info, endOfSupport: info.endOfSupport, days };
  return { state: "supported", info };
}

/** Versions AWS creates new clusters on for this broker kind, oldest first. */
export function versionsForNewClusters(
  kind: BrokerKind,
  table: VersionTable = KAFKA_VERSION_TABLE,
): string[] {
  return table.filter((v) => v.newClusters && v.brokerKinds.includes(kind)).map((v) => v.version);
}

/** Outcome of changing a running cluster from one version to another, as MSK applies it. */
export type VersionChange =
  | { readonly kind: "same" }
  | { readonly kind: "upgrade" }
  | { readonly kind: "downgrade"; readonly why: string }
  | { readonly kind: "refused"; readonly why: string }
  | { readonly kind: "migration"; readonly why: string; readonly prerequisites: readonly string[] };

/**
 * What MSK does with UpdateClusterKafkaVersion from `from` to `to`. Sources: "Upgrade the Apache Kafka
 * version" (no downgrades; ZooKeeper to KRaft needs a new cluster, except as below) and "Migrate from
 * ZooKeeper to KRaft mode" (in place from 3.9.x in ZooKeeper mode only, with prerequisites; never back).
 */
export function versionChange(
  from: string,
  to: string,
  table: VersionTable = KAFKA_VERSION_TABLE,
): VersionChange {
  if (from === to) return { kind: "same" };
  const [fromMode, toMode] = [metadataModeOf(from, table), metadataModeOf(to, table)];
  if (fromMode === "kraft" && toMode === "zookeeper") {
    return {
      kind: "refused",
      why: `MSK cannot move a KRaft cluster back to ZooKeeper (${from} -> ${to}); it refuses the update`,
    };
  }
  const order = compareKafkaReleases(to, from, table);
  if (order < 0) return { kind: "downgrade", why: `MSK cannot downgrade a cluster (${from} -> ${to})` };
  if (fromMode === "zookeeper" && toMode === "kraft") {
    if (compareKafkaReleases(from, "3.9", table) !== 0 || order !== 0) {
      return {
        kind: "refused",
        why:
          `MSK migrates ZooKeeper clusters to KRaft in place only from 3.9.x to 3.9.x.kraft (this plan asks ${from} -> ${to}): ` +
          "upgrade to 3.9.x first and migrate to 3.9.x.kraft in its own change, or create a new KRaft cluster and move the data",
      };
    }
    return {
      kind: "migration",
      why: `in-place ZooKeeper -> KRaft migration (${from} -> ${to}); irreversible once it completes`,
      prerequisites: [
        "brokers in 3 Availability Zones (Standard brokers)",
        "ZooKeeper client access disabled first (UpdateConnectivity ZookeeperAccess.Enabled=false; " +
          "hashicorp/aws 5.100 has no argument for it, so it is a manual step)",
        "not kafka.t3.small; not public access and open monitoring together; no dynamic advertised.listeners",
        "every client uses --bootstrap-server, none --zookeeper",
      ],
    };
  }
  return { kind: "upgrade" };
}

/** Versions a cluster on `from` can move to in place, supported for new clusters, oldest first. */
export function inPlaceTargets(
  from: string,
  kind: BrokerKind,
  table: VersionTable = KAFKA_VERSION_TABLE,
): string[] {
  return versionsForNewClusters(kind, table).filter((to) => {
    const change = versionChange(from, to, table);
    return change.kind === "upgrade" || change.kind === "migration";
  });
}

/** One sentence on how to leave `from`: the in-place targets, or a new cluster when there are none. */
export function upgradePath(
  from: string,
  kind: BrokerKind,
  table: VersionTable = KAFKA_VERSION_TABLE,
): string {
  const targets = inPlaceTargets(from, kind, table);
  const mode = metadataModeOf(from, table);
  if (targets.length === 0)
    return `no in-place upgrade from ${from} exists: create a new cluster on ${versionsForNewClusters(kind, table).at(-1)} and move the data`;
  const same = targets.filter((t) => metadataModeOf(t, table) === mode);
  const other = targets.filter((t) => metadataModeOf(t, table) !== mode);
  const moves = [
    ...(same.length > 0 ? [`upgrade in place to ${same.join(", ")}`] : []),
    ...(other.length > 0 ? [`migrate to KRaft in place (${other.join(", ")})`] : []),
  ];
  return `${moves.join(", or ")}; AWS auto-upgrades clusters past end of support at a time of its choosing`;
}
