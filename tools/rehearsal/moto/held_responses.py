"""Test hook for the interrupted-deploy tests, not a correction: it changes nothing unless
REHEARSAL_HOLD_FILE is set (only test/support/interrupted-deploy.ts sets it, through startEmulator's env).

The file lists API operations, one per line (e.g. CreateVpc). The next successful call of each listed
operation is performed and then its response is held for REHEARSAL_HOLD_SECONDS (default 600) before it is
sent; the operation is struck from the file when its hold starts. While a response is held the resource
exists but Terraform has not heard of it: exactly the moment a cancelled or killed deploy loses track of a
create ("context canceled", or a SIGKILL). Each hold is announced on stderr ("[hold] performed X", in
moto.log) so a test can interrupt Terraform at that moment. Operations are named as in the API: the Action
parameter (EC2, IAM, SNS, STS), the X-Amz-Target operation (KMS, CloudWatch Logs, ...), and CreateBucket for
an S3 PUT on a bucket.
"""

import os
import sys
import threading
import time


def _say(message):
    print("[hold] " + message, file=sys.stderr, flush=True)


def _action(request):
    target = request.headers.get("X-Amz-Target")
    if target:
        return target.split(".")[-1]
    action = request.args.get("Action")
    if not action and request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        action = request.form.get("Action")
    if action:
        return action
    path = request.path.strip("/")
    if request.method == "PUT" and path and "/" not in path and not request.query_string:
        return "CreateBucket"
    return None


def _held_responses():
    path = os.environ.get("REHEARSAL_HOLD_FILE", "").strip()
    if not path:
        return
    seconds = float(os.environ.get("REHEARSAL_HOLD_SECONDS", "600"))
    lock = threading.Lock()
    try:
        from moto.core import utils
    except Exception as error:
        _say("not installed: %s" % error)
        return
    handler = getattr(utils, "convert_to_flask_response", None)
    if handler is None or not callable(getattr(handler, "__call__", None)):
        _say("not installed: moto.core.utils.convert_to_flask_response changed")
        return
    original = handler.__call__

    def take(name):
        """Strikes `name` from the hold file; True when it was listed."""
        with lock:
            try:
                with open(path) as f:
                    armed = [line.strip() for line in f if line.strip()]
            except OSError:
                return False
            if name not in armed:
                return False
            armed.remove(name)
            with open(path, "w") as f:
                f.write("".join(line + "\n" for line in armed))
            return True

    def __call__(self, *args, **kwargs):
        response = original(self, *args, **kwargs)
        from flask import request

        name = _action(request)
        if name and 200 <= response.status_code < 300 and take(name):
            _say("performed %s; holding its response for %g s" % (name, seconds))
            time.sleep(seconds)
            _say("released %s" % name)
        return response

    handler.__call__ = __call__
    _say("installed, reading %s" % path)


_held_responses()
