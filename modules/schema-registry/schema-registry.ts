import { GlueRegistry } from "@cdktf/provider-aws/lib/glue-registry";
import { GlueSchema } from "@cdktf/provider-aws/lib/glue-schema";
import { Construct } from "constructs";
import type { SchemaRegistryAccess } from "./schema-access";

/** One declared schema, its definition already read from the repository. */
export interface RegistrySchema {
  /** Schema name (Glue: letters, digits, `-_$#.`). */
  readonly name: string;
  readonly dataFormat: "AVRO" | "JSON" | "PROTOBUF";
  readonly compatibility: string;
  /** The definition registered as the first version and, with versions "repository", every next one. */
  readonly definition: string;
  /** Repository file the definition comes from, for the description and reviews. */
  readonly file: string;
  readonly description?: string;
  /** "repository": a changed definition registers a new version at apply; "producers": the file is version 1 only. */
  readonly versions: "repository" | "producers";
}

export interface SchemaRegistryProps {
  /** Registry name. */
  readonly name: string;
  /** Registry description. */
  readonly description: string;
  /** The declared schemas. */
  readonly schemas: readonly RegistrySchema[];
  /** prevent_destroy on the registry and every schema: their versions decode every record written with them. */
  readonly protect: boolean;
}

/** Construct id of a schema: its name with the characters Terraform addresses dislike replaced. */
const schemaId = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;

/**
 * The environment's Glue Schema Registry: one `aws_glue_registry` and an `aws_glue_schema` per declared
 * schema. A schema's versions are what consumers decode old records with, so deleting one is data loss
 * (protected in production, destructive in the review).
 */
export class SchemaRegistry extends Construct {
  readonly registry: GlueRegistry;
  readonly schemas: Readonly<Record<string, GlueSchema>>;

  constructor(scope: Construct, id: string, props: SchemaRegistryProps) {
    super(scope, id);
    if (props.schemas.length === 0) throw new Error("SchemaRegistry needs at least one schema");
    this.registry = new GlueRegistry(this, "registry", {
      registryName: props.name,
      description: props.description,
      lifecycle: { preventDestroy: props.protect },
    });
    const schemas: Record<string, GlueSchema> = {};
    for (const schema of props.schemas) {
      schemas[schema.name] = new GlueSchema(this, schemaId(schema.name), {
        schemaName: schema.name,
        registryArn: this.registry.arn,
        dataFormat: schema.dataFormat,
        compatibility: schema.compatibility,
        schemaDefinition: schema.definition,
        description: schema.description ?? `Declared in ${schema.file}`,
        lifecycle: {
          preventDestroy: props.protect,
          // Producers register the next versions; the provider reads the latest one back, so the file (the
          // first version) must not be re-registered on every plan.
          ignoreChanges: schema.versions === "producers" ? ["schema_definition"] : undefined,
        },
      });
    }
    this.schemas = schemas;
  }

  /** The registry and schema ARNs, for IAM statements (schema-access.ts). */
  access(producerRegistered: readonly string[]): SchemaRegistryAccess {
    return {
      registryArn: this.registry.arn,
      schemaArns: Object.fromEntries(Object.entries(this.schemas).map(([name, s]) => [name, s.arn])),
      producerRegistered,
    };
  }
}
