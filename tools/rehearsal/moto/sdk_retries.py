"""A retry of a call the emulator already answered gets that answer again, not a second execution.

On a loaded machine an AWS SDK sometimes does not receive the emulator's answer (a transport error on
the loopback connection; the Terraform provider's debug log then shows "retrying request <op>,
attempt 2" with no response to attempt 1) and sends the call again. moto executes it again: a retried
AuthorizeSecurityGroupEgress fails with InvalidPermission.Duplicate, a retried create without a client
token creates a second resource. AWS does not lose its answers at that rate, so the first answer is what
the SDK would have received.

Every AWS SDK marks the attempts of one call with the same `amz-sdk-invocation-id` header (unique per
call) and numbers them in `amz-sdk-request: attempt=N`. This keeps the answer of each completed call
(bounded, most recent first) and replays it to a later attempt of the same call; an attempt that arrives
while the first is still being answered waits for it. A first answer with a 5xx status is not replayed
(the SDK retries those because nothing was done). Each replay is logged as "[rehearsal-event] ...".
"""

import sys
import threading
from collections import OrderedDict

#: Completed calls kept for replay.
KEEP = 2000
#: Larger answers are not kept (nothing the rehearsal retries is that large).
MAX_BODY = 1024 * 1024


def _line(text):
    # One write per line: moto answers on many threads, and print() writes the newline separately.
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


class _Call:
    def __init__(self):
        self.done = threading.Event()
        self.answer = None  # (status line, headers, body) once complete and replayable


def install():
    try:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    except Exception as error:
        _line("[rehearsal] not applied: SDK retries answered once (%s)" % error)
        return
    original = getattr(DomainDispatcherApplication, "__call__", None)
    if not callable(original):
        _line("[rehearsal] not applied: SDK retries answered once (DomainDispatcherApplication changed)")
        return
    lock = threading.Lock()
    calls = OrderedDict()

    def __call__(self, environ, start_response):
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        if not invocation:
            return original(self, environ, start_response)
        with lock:
            call = calls.get(invocation)
            first = call is None
            if first:
                call = calls[invocation] = _Call()
                while len(calls) > KEEP:
                    calls.popitem(last=False)
        if not first:
            call.done.wait(timeout=300)
            if call.answer is not None:
                status, headers, body = call.answer
                _line(
                    "[rehearsal-event] %s %s: attempt %s of a call already answered (%s): first answer replayed"
                    % (environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), environ.get("HTTP_AMZ_SDK_REQUEST", "?"), status)
                )
                start_response(status, headers)
                return [body]
            return original(self, environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, list(headers)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        try:
            body = b"".join(original(self, environ, capture))
            status = captured.get("status", "")
            if status and not status.startswith("5") and len(body) <= MAX_BODY:
                call.answer = (status, captured["headers"], body)
            return [body]
        finally:
            call.done.set()

    DomainDispatcherApplication.__call__ = __call__
    _line("[rehearsal] applied: SDK retries of an answered call get the first answer (amz-sdk-invocation-id)")


install()
