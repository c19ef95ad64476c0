"""Request trace for diagnosing the rehearsal (only with REHEARSAL_MOTO_TRACE=1; changes no behaviour).

Writes one "[rehearsal-trace]" line per HTTP request to the emulator's log: the AWS SDK's invocation id and
attempt number (the amz-sdk-invocation-id and amz-sdk-request headers, identical across the retries of
one call), the action, the status, the time spent, and any error while answering (the client gone). A
retried call shows as the same invocation id with attempt=2 after a first attempt the emulator did finish.
"""

import os
import sys
import time



def _line(text):
    # One write per line: moto answers on many threads, and print() writes the newline separately.
    sys.stderr.write(text + "\n")
    sys.stderr.flush()

def install():
    if os.environ.get("REHEARSAL_MOTO_TRACE") != "1":
        return
    try:
        from werkzeug import serving
    except Exception as error:
        _line("[rehearsal] not applied: request trace (%s)" % error)
        return
    handler = serving.WSGIRequestHandler
    original_run = handler.run_wsgi
    original_dropped = handler.connection_dropped

    def describe(self):
        headers = self.headers
        target = headers.get("X-Amz-Target") or ""
        return "invocation=%s %s %s %s %s" % (
            headers.get("amz-sdk-invocation-id", "-"),
            headers.get("amz-sdk-request", "-").replace(" ", ""),
            self.command,
            self.path,
            target,
        )

    def run_wsgi(self):
        started = time.monotonic()
        what = describe(self)
        try:
            return original_run(self)
        finally:
            _line("[rehearsal-trace] %s -> %.3f s" % (what, time.monotonic() - started))

    def connection_dropped(self, error, environ=None):
        _line("[rehearsal-trace] %s dropped: %r" % (describe(self), error))
        return original_dropped(self, error, environ)

    handler.run_wsgi = run_wsgi
    handler.connection_dropped = connection_dropped
    _line("[rehearsal] applied: request trace (REHEARSAL_MOTO_TRACE=1)")


install()
