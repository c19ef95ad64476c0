/**
 * Verifiers for what the consumers and the schema registry add: the Glue registry and its schemas (name,
 * format, compatibility, description, the latest version's definition, tags) and CloudWatch log streams.
 */
import { DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  GetRegistryCommand,
  GetSchemaCommand,
  GetSchemaVersionCommand,
  GetTagsCommand,
} from "@aws-sdk/client-glue";
import { checkTags, type Verifier } from "./checks";

const str = (value: unknown): string => String(value ?? "");

const registry: Verifier = async (r, context) => {
  const { glue } = context.clients;
  const arn = str(r.state.arn);
  const found = await glue.send(new GetRegistryCommand({ RegistryId: { RegistryArn: arn } }));
  const { check } = context;
  check.equal(r.address, "registry_name", r.intended.registry_name, found.RegistryName);
  check.equal(r.address, "description", r.intended.description ?? "", found.Description ?? "");
  checkTags(r, context, (await glue.send(new GetTagsCommand({ ResourceArn: arn }))).Tags);
};

const schema: Verifier = async (r, context) => {
  const { glue } = context.clients;
  const arn = str(r.state.arn);
  const found = await glue.send(new GetSchemaCommand({ SchemaId: { SchemaArn: arn } }));
  const { check } = context;
  const i = r.intended;
  check.equal(r.address, "schema_name", i.schema_name, found.SchemaName);
  check.equal(r.address, "registry_arn", i.registry_arn, found.RegistryArn);
  check.equal(r.address, "data_format", i.data_format, found.DataFormat);
  check.equal(r.address, "compatibility", i.compatibility, found.Compatibility);
  check.equal(r.address, "description", i.description ?? "", found.Description ?? "");
  const latest = await glue.send(
    new GetSchemaVersionCommand({
      SchemaId: { SchemaArn: arn },
      SchemaVersionNumber: { LatestVersion: true },
    }),
  );
  check.equal(r.address, "schema_definition (latest version)", i.schema_definition, latest.SchemaDefinition);
  check.equal(r.address, "latest version status", "AVAILABLE", latest.Status);
  checkTags(r, context, (await glue.send(new GetTagsCommand({ ResourceArn: arn }))).Tags);
};

const logStream: Verifier = async (r, context) => {
  const group = str(r.intended.log_group_name);
  const streams = await context.clients.logs.send(
    new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: str(r.intended.name) }),
  );
  context.check.equal(
    r.address,
    `log stream in ${group}`,
    r.intended.name,
    streams.logStreams?.find((s) => s.logStreamName === r.intended.name)?.logStreamName,
  );
};

export const consumerVerifiers: Readonly<Record<string, Verifier>> = {
  aws_glue_registry: registry,
  aws_glue_schema: schema,
  aws_cloudwatch_log_stream: logStream,
};
