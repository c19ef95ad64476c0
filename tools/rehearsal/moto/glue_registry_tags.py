"""moto 5.2.1 keeps the tags of CreateRegistry on the registry object but not in Glue's tagging service.

Real Glue returns a registry's create-time tags from GetTags, which is how Terraform's aws_glue_registry reads
tags_all back; without this, every plan after the first apply wants to set the provider's default tags
again (a false perpetual diff). Schemas are not affected: moto tags them on CreateSchema.
"""

import sys


def _say(message):
    print("[rehearsal] " + message, file=sys.stderr, flush=True)


def correct():
    try:
        from moto.glue import models
    except Exception as error:  # moto missing or restructured: nothing to correct
        _say("not applied: Glue registry tags (%s)" % error)
        return
    backend = getattr(models, "GlueBackend", None)
    original = getattr(backend, "create_registry", None)
    if backend is None or not callable(original):
        _say("not applied: Glue registry tags (GlueBackend.create_registry changed)")
        return

    def create_registry(self, registry_name, description=None, tags=None):
        result = original(self, registry_name, description, tags)
        registry = self.registries.get(registry_name)
        if tags and registry is not None:
            self.tagger.tag_resource(registry.registry_arn, self.tagger.convert_dict_to_tags_input(tags))
        return result

    backend.create_registry = create_registry
    _say("applied: Glue registry tags returned by GetTags")


correct()
