"""Every error the emulator answers, one line each in its log (no behaviour change).

moto's own log shows only "POST / HTTP/1.1 400". The rehearsal reports the emulator's last error when a
Terraform step fails or runs over its bound (e.g. DeleteVpc refused with DependencyViolation while
Terraform retries), so each error answer is logged as
"[rehearsal-error] <service> <action> <status> <code>: <message>".
Covers the services answered through BaseResponse._dispatch (EC2, IAM, KMS, STS, SNS, CloudWatch, Logs,
Secrets Manager, ...), outside any other correction; S3's REST handlers answer elsewhere.
"""

import json
import re
import sys



def _line(text):
    # One write per line: moto answers on many threads, and print() writes the newline separately.
    sys.stderr.write(text + "\n")
    sys.stderr.flush()

def _say(message):
    _line("[rehearsal] " + message)


def _code_and_message(body):
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
    code = re.search(r"<Code>([^<]*)</Code>", text)
    message = re.search(r"<Message>([^<]*)</Message>", text)
    if code:
        return code.group(1), message.group(1) if message else ""
    try:
        document = json.loads(text)
    except ValueError:
        return "", text[:200]
    if not isinstance(document, dict):
        return "", text[:200]
    kind = str(document.get("__type") or document.get("code") or "").split("#")[-1]
    return kind, str(document.get("message") or document.get("Message") or "")


def install():
    try:
        from moto.core.responses import BaseResponse
    except Exception as error:
        _say("not applied: emulator errors logged (%s)" % error)
        return
    original = getattr(BaseResponse, "_dispatch", None)
    if not callable(original):
        _say("not applied: emulator errors logged (BaseResponse._dispatch changed)")
        return

    def _dispatch(self, request, full_url, headers):
        response = original(self, request, full_url, headers)
        try:
            status = int(response[0])
            if status >= 400:
                code, message = _code_and_message(response[2])
                _line(
                    "[rehearsal-error] %s %s %d %s: %s"
                    % (self.service_name, self._get_action(), status, code, " ".join(message.split()))
                )
        except Exception:  # logging must never change an answer
            pass
        return response

    BaseResponse._dispatch = _dispatch
    _say("applied: emulator errors logged with action, code and message")


install()
