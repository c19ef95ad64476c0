"""moto 5.2.1 has no Glue ListSchemas (GlueResponse has no list_schemas: the call fails as not implemented).

`npm run recover` lists the schemas of the registries a stack names through it. This adds the operation as
botocore's Glue model defines it (ListSchemasInput: optional RegistryId with RegistryName or RegistryArn,
MaxResults 1-100 defaulting to 25, NextToken; ListSchemasResponse: Schemas of SchemaListItem with
RegistryName, SchemaName, SchemaArn, Description, SchemaStatus, CreatedTime, UpdatedTime, and NextToken)
and as the AWS Glue API reference describes it: without RegistryId every registry's schemas are listed;
schemas being deleted are left out; an unknown registry is EntityNotFoundException (moto's own registry
lookup raises it, as for GetSchema).
"""

import sys


def _say(message):
    print("[rehearsal] " + message, file=sys.stderr, flush=True)


def correct():
    try:
        from moto.core.responses import ActionResult
        from moto.glue import models, responses
        from moto.glue.glue_schema_registry_utils import validate_registry_id
    except Exception as error:  # moto missing or restructured: nothing to correct
        _say("not applied: Glue ListSchemas (%s)" % error)
        return
    if hasattr(responses.GlueResponse, "list_schemas"):
        _say("not applied: Glue ListSchemas (moto implements it)")
        return

    def list_schemas(backend, registry_id):
        if registry_id:
            name = validate_registry_id(registry_id, backend.registries)
            registries = [backend.registries[name]] if name in backend.registries else []
        else:
            registries = list(backend.registries.values())
        items = []
        for registry in registries:
            for schema in registry.schemas.values():
                if schema.schema_status == "DELETING":
                    continue
                item = {
                    "RegistryName": schema.registry_name,
                    "SchemaName": schema.schema_name,
                    "SchemaArn": schema.schema_arn,
                    "SchemaStatus": schema.schema_status,
                    "CreatedTime": schema.created_time.isoformat(),
                    "UpdatedTime": schema.updated_time.isoformat(),
                }
                if schema.description:
                    item["Description"] = schema.description
                items.append(item)
        return items

    def handler(self):
        max_results = int(self._get_param("MaxResults") or 25)
        start = int(self._get_param("NextToken") or 0)
        items = list_schemas(self.glue_backend, self._get_param("RegistryId"))
        page = items[start : start + max_results]
        result = {"Schemas": page}
        if start + max_results < len(items):
            result["NextToken"] = str(start + max_results)
        return ActionResult(result)

    responses.GlueResponse.list_schemas = handler
    models.GlueBackend.list_schemas = list_schemas
    _say("applied: Glue ListSchemas (registry's schemas, paged)")


correct()
