/**
 * Flink runtimes of Managed Service for Apache Flink (`runtime_environment`), as dated data. A runtime is
 * accepted at synth only when three things hold: botocore's kinesisanalyticsv2 model has it (the API enum
 * `RuntimeEnvironment`), the pinned provider (hashicorp/aws 5.100.0, whose SDK enum is compiled in) accepts
 * it, and AWS still lets you create applications on it.
 */

export interface FlinkRuntime {
  /** API value, e.g. "FLINK-1_20". */
  readonly runtime: string;
  /** Apache Flink version it runs. */
  readonly flinkVersion: string;
  /** hashicorp/aws 5.100.0 accepts the value (its plan refuses anything else). */
  readonly provider: boolean;
  /** When AWS ended support: new applications are refused. YYYY-MM-DD, or YYYY-MM when the source gives a month. */
  readonly endOfSupport?: string;
  /** Where the row comes from. */
  readonly source: string;
}

/** Date the table was last checked. */
export const FLINK_RUNTIMES_AS_OF = "2026-11-30";

const MODEL = "botocore 1.43.11 kinesisanalyticsv2 2018-05-23 model, enum RuntimeEnvironment";
const PROVIDER = "terraform-provider-aws 5.100.0 binary (enum values compiled in; FLINK-1_20 is its newest)";
const EOL_2025 =
  "aws/aws-cdk#37155 (2026-03, citing docs.aws.amazon.com/managed-flink/latest/java/release-version-list.html): FLINK 1.6, 1.8, 1.11 end of support Feb/Jul 2025";
const EOL_113 =
  "aws/aws-cdk#37155 (support ends 2025-10-16, same AWS page); localstack-docs#742 (2026-06): 1.13 no longer supported by AWS";

/** Streaming Flink runtimes; SQL-1_0 and the ZEPPELIN-* (Studio notebook) runtimes are not Flink applications. */
export const FLINK_RUNTIMES: readonly FlinkRuntime[] = [
  { runtime: "FLINK-1_6", flinkVersion: "1.6", provider: true, endOfSupport: "2025-07", source: EOL_2025 },
  { runtime: "FLINK-1_8", flinkVersion: "1.8", provider: true, endOfSupport: "2025-07", source: EOL_2025 },
  { runtime: "FLINK-1_11", flinkVersion: "1.11", provider: true, endOfSupport: "2025-07", source: EOL_2025 },
  {
    runtime: "FLINK-1_13",
    flinkVersion: "1.13",
    provider: true,
    endOfSupport: "2025-10-16",
    source: EOL_113,
  },
  { runtime: "FLINK-1_15", flinkVersion: "1.15", provider: true, source: `${MODEL}; ${PROVIDER}` },
  { runtime: "FLINK-1_18", flinkVersion: "1.18", provider: true, source: `${MODEL}; ${PROVIDER}` },
  { runtime: "FLINK-1_19", flinkVersion: "1.19", provider: true, source: `${MODEL}; ${PROVIDER}` },
  { runtime: "FLINK-1_20", flinkVersion: "1.20", provider: true, source: `${MODEL}; ${PROVIDER}` },
  {
    runtime: "FLINK-2_2",
    flinkVersion: "2.2",
    provider: false,
    source: `${MODEL} (AWS creates it); not in ${PROVIDER}`,
  },
];

/** The runtime's row, or undefined for a value the API does not know. */
export function flinkRuntime(runtime: string): FlinkRuntime | undefined {
  return FLINK_RUNTIMES.find((r) => r.runtime === runtime);
}

/** Runtimes a new application can be created on with this toolchain. */
export function creatableFlinkRuntimes(): string[] {
  return FLINK_RUNTIMES.filter((r) => r.provider && r.endOfSupport === undefined).map((r) => r.runtime);
}
