/**
 * The Glue actions Kafka clients need on the registry, as IAM statements scoped to exactly the registry and
 * schema ARNs (AWS Glue developer guide, "Getting started with schema registry": IAM examples for serializers
 * and deserializers). Shared by the exported client policies, the Flink roles and, after the merge, the
 * Lambda consumers' roles: call `schemaConsumerStatements(access)` and add the statements to the role's
 * policy document.
 */
import type { IConstruct } from "constructs";
import type { PolicyStatement } from "../common/iam";
import { declarePolicyException } from "../common/policy-exceptions";

/** What a role needs to know to be granted schemas: the registry and the ARN of each declared schema. */
export interface SchemaRegistryAccess {
  /** ARN of the registry (arn:PARTITION:glue:REGION:ACCOUNT:registry/NAME). */
  readonly registryArn: string;
  /** Schema name -> schema ARN (arn:...:schema/REGISTRY/SCHEMA). */
  readonly schemaArns: Readonly<Record<string, string>>;
  /** Schemas whose new versions producers register ("producers" in the environment file). */
  readonly producerRegistered: readonly string[];
}

function arnsOf(access: SchemaRegistryAccess, schemas?: readonly string[]): string[] {
  const names = schemas ?? Object.keys(access.schemaArns);
  return names.map((name) => {
    const arn = access.schemaArns[name];
    if (arn === undefined) throw new Error(`schema "${name}" is not a schema of the registry`);
    return arn;
  });
}

/**
 * Deserializers: GetSchemaVersion by the version id each record carries. The call names no registry or
 * schema, so IAM can only authorize it on "*" (the Glue guide's deserializer example; awslabs/
 * aws-glue-schema-registry#68): it reads schema definitions, never data.
 */
const READ_VERSION_BY_ID: PolicyStatement = {
  Sid: "ReadSchemaVersionsById",
  Effect: "Allow",
  Action: "glue:GetSchemaVersion",
  Resource: "*",
};

/**
 * Declares, on the policy that carries READ_VERSION_BY_ID, why it names "*" (CKV_AWS_355 and MSKP-IAM-003 ask
 * for resources): call it wherever these statements go into a document.
 */
export function declareSchemaVersionReadException(policy: IConstruct): void {
  declarePolicyException(policy, {
    checks: ["MSKP-IAM-003", "CKV_AWS_355"],
    reason:
      'glue:GetSchemaVersion by SchemaVersionId (how Glue deserializers read the version each record names) is authorized on "*" only: it names no registry or schema (AWS Glue guide, deserializer IAM example; awslabs/aws-glue-schema-registry#68). It reads schema definitions, never data',
  });
}

/**
 * What a consumer (deserializer) needs: GetSchemaVersion by id, nothing else (the Glue guide's deserializer
 * example). `schemas` only checks that the names are the registry's.
 */
export function schemaConsumerStatements(
  access: SchemaRegistryAccess,
  schemas?: readonly string[],
): PolicyStatement[] {
  return arnsOf(access, schemas).length === 0 ? [] : [READ_VERSION_BY_ID];
}

/**
 * What a producer (serializer) needs: find the version id of the definition it serializes with
 * (GetSchemaByDefinition on the registry and the schema), read versions by id while one is still being
 * registered (GetSchemaVersion) and, only for schemas declared with
 * `versions: "producers"`, register new versions (RegisterSchemaVersion, PutSchemaVersionMetadata).
 * CreateSchema is never granted: schemas are declared in the environment file, like topics.
 */
export function schemaProducerStatements(
  access: SchemaRegistryAccess,
  schemas?: readonly string[],
): PolicyStatement[] {
  const names = schemas ?? Object.keys(access.schemaArns);
  const arns = arnsOf(access, names);
  if (arns.length === 0) return [];
  const registering = names.filter((n) => access.producerRegistered.includes(n));
  return [
    READ_VERSION_BY_ID,
    {
      Sid: "LookUpDeclaredSchemas",
      Effect: "Allow",
      Action: "glue:GetSchemaByDefinition",
      Resource: [access.registryArn, ...arns],
    },
    ...(registering.length === 0
      ? []
      : [
          {
            Sid: "RegisterSchemaVersions",
            Effect: "Allow" as const,
            Action: ["glue:RegisterSchemaVersion", "glue:PutSchemaVersionMetadata"],
            Resource: [access.registryArn, ...arnsOf(access, registering)],
          },
        ]),
  ];
}
