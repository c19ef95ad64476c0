"""EC2 client-token idempotency, as AWS implements it (moto 5.2.1 ignores ClientToken).

Every EC2 operation whose request shape marks a member `idempotencyToken` in botocore's service model
(CreateNatGateway, CreateRouteTable, CreateNetworkInterface, RunInstances, ...) is idempotent on AWS: the
AWS SDKs fill in ClientToken once per call and resend the same token when they retry, and EC2 answers a
repeat of a completed request with the first result instead of doing the work again ("Ensuring
idempotency in Amazon EC2 API requests", EC2 Developer Guide; see docs/sources.md). A repeat with the same token but other
parameters is refused with IdempotentParameterMismatch.

moto ignores the token, so an SDK retry of a request the emulator already executed (the first response
lost or late, e.g. on a loaded machine) creates a second NAT gateway, route table or network interface.
Terraform only learns about the second one: the first outlives the destroy, which then waits on
DependencyViolation, or the retried CreateNatGateway fails with Resource.AlreadyAssociated because the
first one already took the Elastic IP.

This correction answers a repeated token exactly as EC2 does. A repeat that arrives while the first
request is still being processed waits for it, then gets its answer. Each replay is logged to the
emulator's log as "[rehearsal-event] ..." so a retry is visible in moto.log; with
REHEARSAL_MOTO_TRACE=1 every idempotent request is logged with its token and duration.
"""

import gzip
import json
import os
import sys
import threading
import time

_TRACE = os.environ.get("REHEARSAL_MOTO_TRACE") == "1"



def _line(text):
    # One write per line: moto answers on many threads, and print() writes the newline separately.
    sys.stderr.write(text + "\n")
    sys.stderr.flush()

def _say(message):
    _line("[rehearsal] " + message)


def _event(message):
    _line("[rehearsal-event] " + message)


def idempotent_operations(model):
    """Operation name -> name of its idempotency-token member, read from a botocore service model."""
    shapes = model.get("shapes", {})
    found = {}
    for name, operation in model.get("operations", {}).items():
        members = shapes.get((operation.get("input") or {}).get("shape"), {}).get("members", {})
        for member, spec in members.items():
            if spec.get("idempotencyToken"):
                found[name] = member
    return found


def _ec2_model():
    import botocore

    folder = os.path.join(os.path.dirname(botocore.__file__), "data", "ec2")
    version = sorted(os.listdir(folder))[-1]
    for name in ("service-2.json.gz", "service-2.json"):
        path = os.path.join(folder, version, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as handle:
                return json.load(handle)
    raise FileNotFoundError("no service-2.json in " + os.path.join(folder, version))


class _Entry:
    """One token's request: its parameters, and its answer once the first request finished."""

    def __init__(self, parameters):
        self.parameters = parameters
        self.done = threading.Event()
        self.response = None


def install():
    try:
        from moto.ec2.exceptions import EC2ClientError
        from moto.ec2.responses import EC2Response

        operations = idempotent_operations(_ec2_model())
    except Exception as error:  # moto or botocore missing or restructured: nothing to correct
        _say("not applied: EC2 ClientToken idempotency (%s)" % error)
        return
    original = getattr(EC2Response, "call_action", None)
    if not callable(original) or not operations:
        _say("not applied: EC2 ClientToken idempotency (EC2Response.call_action changed)")
        return

    lock = threading.Lock()
    entries = {}

    def mismatch(self, action, token):
        error = EC2ClientError(
            "IdempotentParameterMismatch",
            "The client token %s was used in an earlier %s request with other parameters." % (token, action),
        )
        from moto.core.responses import ActionResult

        status, headers, body = self.serialized(ActionResult(error))
        headers["status"] = status
        return status, headers, body

    def call_action(self):
        action = self._get_action()
        member = operations.get(action)
        token = self._get_param(member) if member else None
        if not token:
            return original(self)
        parameters = {k: v for k, v in self.querystring.items() if k != member}
        key = (self.current_account, self.region, action, token)
        with lock:
            entry = entries.get(key)
            first = entry is None
            if first:
                entry = entries[key] = _Entry(parameters)
        if not first:
            entry.done.wait()
            if entry.response is None:
                # The first request was refused and forgotten: this one is processed afresh.
                return call_action(self)
            if entry.parameters != parameters:
                _event("%s ClientToken %s repeated with other parameters: IdempotentParameterMismatch" % (action, token))
                return mismatch(self, action, token)
            _event("%s ClientToken %s repeated (an SDK retry): answered with the first request's result" % (action, token))
            return entry.response
        started = time.monotonic()
        response = None
        try:
            response = original(self)
            return response
        finally:
            if response is not None and 200 <= int(response[0]) < 300:
                entry.response = response
            else:
                # Only a completed request is remembered: a refused one changed nothing, a retry is new.
                with lock:
                    entries.pop(key, None)
            entry.done.set()
            if _TRACE:
                status = response[0] if response is not None else "exception"
                _event("%s ClientToken %s: %s in %.2f s" % (action, token, status, time.monotonic() - started))

    EC2Response.call_action = call_action
    _say("applied: EC2 ClientToken idempotency for %d operations (a retried create is not repeated)" % len(operations))


install()
