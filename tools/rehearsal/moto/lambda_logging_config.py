"""moto 5.2.1 ignores a Lambda function's LoggingConfig (CreateFunction, UpdateFunctionConfiguration).

Real Lambda stores it and GetFunction returns it for every function: the format (Text by default), the log
group (/aws/lambda/<name> by default) and, with the JSON format, the application and system log levels
(INFO by default). moto returns none of it, so Terraform's aws_lambda_function would plan to set
logging_config again on every plan. This keeps what the request sent and answers as Lambda does.
"""

import sys


def _say(message):
    print("[rehearsal] " + message, file=sys.stderr, flush=True)


def _logging_config(stored, function_name):
    config = dict(stored or {})
    config.setdefault("LogFormat", "Text")
    config.setdefault("LogGroup", "/aws/lambda/" + function_name)
    if config["LogFormat"] == "JSON":
        config.setdefault("ApplicationLogLevel", "INFO")
        config.setdefault("SystemLogLevel", "INFO")
    else:
        config.pop("ApplicationLogLevel", None)
        config.pop("SystemLogLevel", None)
    return config


def apply():
    try:
        from moto.awslambda import models
    except Exception as error:  # moto missing or restructured: nothing to correct
        _say("not applied: Lambda logging configuration (%s)" % error)
        return
    function = getattr(models, "LambdaFunction", None)
    needed = ("__init__", "get_configuration", "update_configuration")
    if function is None or not all(callable(getattr(function, name, None)) for name in needed):
        _say("not applied: Lambda logging configuration (LambdaFunction changed)")
        return
    original_init = function.__init__
    original_get = function.get_configuration
    original_update = function.update_configuration

    def __init__(self, account_id, spec, region, version=1):
        original_init(self, account_id, spec, region, version)
        self.rehearsal_logging_config = spec.get("LoggingConfig")

    def get_configuration(self, *args, **kwargs):
        config = original_get(self, *args, **kwargs)
        if "LoggingConfig" not in config:
            stored = getattr(self, "rehearsal_logging_config", None)
            config["LoggingConfig"] = _logging_config(stored, self.function_name)
        return config

    def update_configuration(self, config_updates):
        if "LoggingConfig" in config_updates:
            self.rehearsal_logging_config = config_updates["LoggingConfig"]
        return original_update(self, config_updates)

    function.__init__ = __init__
    function.get_configuration = get_configuration
    function.update_configuration = update_configuration
    _say("applied: Lambda functions keep and return their LoggingConfig")


apply()
