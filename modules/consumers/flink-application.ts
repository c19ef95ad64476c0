import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Kinesisanalyticsv2Application } from "@cdktf/provider-aws/lib/kinesisanalyticsv2-application";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import type { KafkaClusterIdentity } from "../cluster/kafka-arns";
import { policyDocument, serviceTrustPolicy } from "../common/iam";
import {
  declareSchemaVersionReadException,
  type SchemaRegistryAccess,
} from "../schema-registry/schema-access";
import { flinkRoleStatements } from "./flink-role";

/** The platform's runtime property group: what the application needs to reach its topics. */
export const PLATFORM_PROPERTY_GROUP = "msk-platform";

/** One application's settings, defaults applied (stacks/defaults.ts ResolvedFlinkApplication). */
export interface FlinkApplicationSettings {
  readonly name: string;
  /** `<prefix>-<name>`. */
  readonly applicationName: string;
  readonly runtime: string;
  readonly code: { readonly bucketArn: string; readonly fileKey: string; readonly objectVersion?: string };
  readonly inputTopics: readonly string[];
  readonly outputTopics: readonly string[];
  readonly consumerGroup: string;
  readonly running: boolean;
  readonly parallelism: {
    readonly parallelism: number;
    readonly parallelismPerKpu: number;
    readonly autoScaling: boolean;
  };
  readonly checkpoints: {
    readonly enabled: boolean;
    readonly intervalMs: number;
    readonly minPauseMs: number;
  };
  readonly snapshots: boolean;
  readonly logging: { readonly level: string; readonly metricsLevel: string; readonly retentionDays: number };
  readonly schemas: readonly string[];
  readonly properties: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly additionalSecurityGroupIds: readonly string[];
}

export interface FlinkApplicationProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly settings: FlinkApplicationSettings;
  /** The cluster (provisioned or serverless) it reads. */
  readonly cluster: KafkaClusterIdentity;
  /** SASL/IAM bootstrap brokers, passed to the application as a runtime property. */
  readonly bootstrapServers: string;
  readonly vpcId: string;
  /** The private subnets. */
  readonly subnetIds: readonly string[];
  /** KMS key of the log group. */
  readonly logsKmsKeyArn: string;
  /** The registry, when the application uses schemas. */
  readonly registry?: { readonly name: string; readonly access: SchemaRegistryAccess };
  /** prevent_destroy on the application (its snapshots) and its log group. */
  readonly protect: boolean;
}

/**
 * A Managed Service for Apache Flink application running a JAR/ZIP from S3 in the private subnets behind its
 * own security group (admitted to the brokers by KafkaSecurityGroups.admit, SASL/IAM only), with its
 * execution role (flink-role.ts), a KMS-encrypted log group and stream, checkpoints, parallelism and
 * snapshots as declared, started or left stopped as declared.
 */
export class FlinkApplication extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  readonly application: Kinesisanalyticsv2Application;

  constructor(scope: Construct, id: string, props: FlinkApplicationProps) {
    super(scope, id);
    const app = props.settings;
    const { partition, region, accountId } = props;
    const arnPrefix = `arn:${partition}`;

    this.securityGroup = new SecurityGroup(this, "security-group", {
      namePrefix: `${props.prefix}-flink-${app.name}-`,
      description: `Flink application ${app.applicationName}: SASL/IAM to the MSK brokers only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.prefix}-flink-${app.name}` },
      lifecycle: { createBeforeDestroy: true },
    });

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/kinesis-analytics/${app.applicationName}`,
      retentionInDays: app.logging.retentionDays,
      kmsKeyId: props.logsKmsKeyArn,
      lifecycle: { preventDestroy: props.protect },
    });
    const logStream = new CloudwatchLogStream(this, "log-stream", {
      name: "kinesis-analytics-log-stream",
      logGroupName: this.logGroup.name,
    });
    const logGroupArn = `${arnPrefix}:logs:${region}:${accountId}:log-group:/aws/kinesis-analytics/${app.applicationName}`;

    this.role = new IamRole(this, "execution-role", {
      name: `${props.prefix}-flink-${app.name}`,
      description: `Service execution role of the Flink application ${app.applicationName}`,
      assumeRolePolicy: serviceTrustPolicy(
        "kinesisanalytics.amazonaws.com",
        accountId,
        `${arnPrefix}:kinesisanalytics:${region}:${accountId}:application/${app.applicationName}`,
      ),
    });
    const securityGroupIds = [this.securityGroup.id, ...app.additionalSecurityGroupIds];
    this.rolePolicy = new IamRolePolicy(this, "execution-policy", {
      name: "flink-application",
      role: this.role.id,
      policy: policyDocument(
        ...flinkRoleStatements({
          partition,
          region,
          accountId,
          applicationName: app.applicationName,
          cluster: props.cluster,
          inputTopics: app.inputTopics,
          outputTopics: app.outputTopics,
          consumerGroup: app.consumerGroup,
          code: app.code,
          logGroupArn,
          subnetIds: props.subnetIds,
          securityGroupIds,
          schemas: props.registry && { access: props.registry.access, names: app.schemas },
        }),
      ),
    });

    if (props.registry && app.schemas.length > 0) declareSchemaVersionReadException(this.rolePolicy);

    this.application = new Kinesisanalyticsv2Application(this, "application", {
      name: app.applicationName,
      // The description is ForceNew: it names nothing that can change.
      description: `Flink application ${app.name} of ${props.prefix}`,
      runtimeEnvironment: app.runtime,
      applicationMode: "STREAMING",
      serviceExecutionRole: this.role.arn,
      startApplication: app.running,
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContentType: "ZIPFILE",
          codeContent: {
            s3ContentLocation: {
              bucketArn: app.code.bucketArn,
              fileKey: app.code.fileKey,
              objectVersion: app.code.objectVersion,
            },
          },
        },
        applicationSnapshotConfiguration: { snapshotsEnabled: app.snapshots },
        environmentProperties: { propertyGroup: this.propertyGroups(props) },
        flinkApplicationConfiguration: {
          checkpointConfiguration: {
            configurationType: "CUSTOM",
            checkpointingEnabled: app.checkpoints.enabled,
            checkpointInterval: app.checkpoints.intervalMs,
            minPauseBetweenCheckpoints: app.checkpoints.minPauseMs,
          },
          monitoringConfiguration: {
            configurationType: "CUSTOM",
            logLevel: app.logging.level,
            metricsLevel: app.logging.metricsLevel,
          },
          parallelismConfiguration: {
            configurationType: "CUSTOM",
            autoScalingEnabled: app.parallelism.autoScaling,
            parallelism: app.parallelism.parallelism,
            parallelismPerKpu: app.parallelism.parallelismPerKpu,
          },
        },
        runConfiguration: {
          applicationRestoreConfiguration: {
            // Starts (and restarts after an update) from the latest snapshot when there are snapshots.
            applicationRestoreType: app.snapshots
              ? "RESTORE_FROM_LATEST_SNAPSHOT"
              : "SKIP_RESTORE_FROM_SNAPSHOT",
          },
          // A snapshot that no longer maps onto the program fails the start instead of dropping state.
          flinkRunConfiguration: { allowNonRestoredState: false },
        },
        vpcConfiguration: { subnetIds: [...props.subnetIds], securityGroupIds },
      },
      cloudwatchLoggingOptions: { logStreamArn: logStream.arn },
      lifecycle: { preventDestroy: props.protect },
      // Without its permissions the service cannot read the code or create the ENIs at creation.
      dependsOn: [this.rolePolicy],
    });
  }

  /** The platform's property group first, then the environment file's. */
  private propertyGroups(props: FlinkApplicationProps) {
    const app = props.settings;
    const platform: Record<string, string> = {
      "bootstrap.servers": props.bootstrapServers,
      "security.protocol": "SASL_SSL",
      "sasl.mechanism": "AWS_MSK_IAM",
      "input.topics": app.inputTopics.join(","),
      "group.id": app.consumerGroup,
      "aws.region": props.region,
    };
    if (app.outputTopics.length > 0) {
      platform["output.topics"] = app.outputTopics.join(",");
      platform["transactional.id.prefix"] = app.applicationName;
    }
    if (props.registry && app.schemas.length > 0) {
      platform["schema.registry.name"] = props.registry.name;
      platform["schema.names"] = app.schemas.join(",");
    }
    return [
      { propertyGroupId: PLATFORM_PROPERTY_GROUP, propertyMap: platform },
      ...Object.entries(app.properties).map(([propertyGroupId, map]) => ({
        propertyGroupId,
        propertyMap: { ...map },
      })),
    ];
  }
}
