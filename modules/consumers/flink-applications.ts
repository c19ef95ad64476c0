import { Construct } from "constructs";
import type { KafkaClusterIdentity } from "../cluster/kafka-arns";
import type { AdmittedGroup } from "../network/security-groups";
import { GlueEndpoint } from "../schema-registry/glue-endpoint";
import type { SchemaRegistryAccess } from "../schema-registry/schema-access";
import { FlinkApplication, type FlinkApplicationSettings } from "./flink-application";

export interface FlinkApplicationsProps {
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly applications: readonly FlinkApplicationSettings[];
  readonly cluster: KafkaClusterIdentity;
  /** SASL/IAM bootstrap brokers. */
  readonly bootstrapServers: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly logsKmsKeyArn: string;
  /** Admits an application's group to the brokers on the ports the port map gives its kind (KafkaSecurityGroups). */
  readonly brokers: { admit(group: AdmittedGroup): unknown };
  /**
   * Create the Glue interface endpoint for applications with schemas (a VPC this stack creates). In a VPC
   * that already exists, the path to Glue is the VPC owner's (an endpoint there, reached through the
   * application's additionalSecurityGroupIds): a second endpoint with private DNS would be refused.
   */
  readonly createGlueEndpoint: boolean;
  /** The schema registry, for applications that declare schemas. */
  readonly registry?: { readonly name: string; readonly access: SchemaRegistryAccess };
  readonly protect: boolean;
}

/**
 * The environment's Flink applications, each admitted to the brokers on SASL/IAM and, when it uses
 * schemas, to a Glue interface endpoint (created once, only then) for the Schema Registry.
 */
export class FlinkApplications extends Construct {
  readonly applications: Readonly<Record<string, FlinkApplication>>;
  /** The Glue endpoint, when an application uses schemas. */
  readonly glueEndpoint?: GlueEndpoint;

  constructor(scope: Construct, id: string, props: FlinkApplicationsProps) {
    super(scope, id);
    if (props.createGlueEndpoint && props.applications.some((a) => a.schemas.length > 0)) {
      if (!props.registry)
        throw new Error("FlinkApplications: an application uses schemas but there is no registry");
      this.glueEndpoint = new GlueEndpoint(this, "glue-endpoint", {
        prefix: props.prefix,
        region: props.region,
        vpcId: props.vpcId,
        subnetIds: props.subnetIds,
      });
    }
    const applications: Record<string, FlinkApplication> = {};
    for (const settings of props.applications) {
      const application = new FlinkApplication(this, settings.name, {
        prefix: props.prefix,
        accountId: props.accountId,
        region: props.region,
        partition: props.partition,
        settings,
        cluster: props.cluster,
        bootstrapServers: props.bootstrapServers,
        vpcId: props.vpcId,
        subnetIds: props.subnetIds,
        logsKmsKeyArn: props.logsKmsKeyArn,
        registry: settings.schemas.length > 0 ? props.registry : undefined,
        protect: props.protect,
      });
      const who = `Flink application ${settings.applicationName}`;
      props.brokers.admit({ source: "flink", name: settings.name, group: application.securityGroup, who });
      if (settings.schemas.length > 0)
        this.glueEndpoint?.admit(`flink-${settings.name}`, application.securityGroup, who);
      applications[settings.name] = application;
    }
    this.applications = applications;
  }
}
