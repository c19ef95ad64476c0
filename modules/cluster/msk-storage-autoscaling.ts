import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Construct } from "constructs";

/** The largest EBS volume MSK supports per broker, GiB. */
export const MAX_BROKER_VOLUME_GIB = 16384;

export interface MskStorageAutoscalingProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** ARN of the provisioned cluster (Application Auto Scaling's resource id for MSK storage). */
  readonly clusterArn: string;
  /** Current EBS volume per broker, GiB: the floor, since MSK volumes never shrink. */
  readonly minVolumeSizeGiB: number;
  /** Upper bound per broker, GiB (> minVolumeSizeGiB, <= 16384). */
  readonly maxVolumeSizeGiB: number;
  /** Target disk utilisation, percent (10-80). */
  readonly targetUtilizationPercent: number;
}

/**
 * Broker storage autoscaling: an Application Auto Scaling target on `kafka:broker-storage:VolumeSize`
 * and a target-tracking policy on `KafkaBrokerStorageUtilization`. MSK can only grow volumes (at most
 * once every six hours), so scale-in is disabled. The cluster must ignore `volume_size` drift while this
 * exists, or the next plan would try to shrink the volumes back.
 */
export class MskStorageAutoscaling extends Construct {
  readonly target: AppautoscalingTarget;
  readonly policy: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: MskStorageAutoscalingProps) {
    super(scope, id);
    if (
      !(props.maxVolumeSizeGiB > props.minVolumeSizeGiB && props.maxVolumeSizeGiB <= MAX_BROKER_VOLUME_GIB)
    ) {
      throw new Error(
        `maxVolumeSizeGiB must be > the volume size (${props.minVolumeSizeGiB}) and <= ${MAX_BROKER_VOLUME_GIB}, got ${props.maxVolumeSizeGiB}`,
      );
    }
    if (!(props.targetUtilizationPercent >= 10 && props.targetUtilizationPercent <= 80)) {
      throw new Error(`targetUtilizationPercent must be 10-80, got ${props.targetUtilizationPercent}`);
    }

    this.target = new AppautoscalingTarget(this, "target", {
      serviceNamespace: "kafka",
      scalableDimension: "kafka:broker-storage:VolumeSize",
      resourceId: props.clusterArn,
      minCapacity: props.minVolumeSizeGiB,
      maxCapacity: props.maxVolumeSizeGiB,
    });

    this.policy = new AppautoscalingPolicy(this, "policy", {
      name: `${props.prefix}-msk-broker-storage`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: this.target.serviceNamespace,
      scalableDimension: this.target.scalableDimension,
      resourceId: this.target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
        targetValue: props.targetUtilizationPercent,
        disableScaleIn: true,
      },
    });
  }
}
