"""Schemathesis hooks for apps/api/test/schemathesis.test.ts (loaded through SCHEMATHESIS_HOOKS).

`problem_details` is a check: every 4xx answer is an RFC 9457 problem (application/problem+json with type, title,
status equal to the HTTP status, and detail). `after_call` appends one JSON line per request to $KINERJA_ST_LOG: the
operation and status for every request (the test counts them), plus the request and the answer when the answer is a
5xx or a 4xx that is not a problem, so the test can print each failure without re-running anything.
"""

import json
import os
import threading
from urllib.parse import urlsplit

import schemathesis

LOG = os.environ["KINERJA_ST_LOG"]
PROBLEM_FIELDS = ("type", "title", "status", "detail")
MAX_TEXT = 600
_lock = threading.Lock()


def problem_defect(response):
    """Why a 4xx answer is not an RFC 9457 problem, or None when it is one."""
    content_type = ",".join(response.headers.get("content-type", []))
    if content_type.split(";")[0].strip().lower() != "application/problem+json":
        return f"content type {content_type or '(none)'}, not application/problem+json"
    try:
        body = json.loads(response.content)
    except ValueError:
        return "body is not JSON"
    if not isinstance(body, dict):
        return "body is not a JSON object"
    missing = [name for name in PROBLEM_FIELDS if name not in body]
    if missing:
        return "problem without " + ", ".join(missing)
    if body["status"] != response.status_code:
        return f"problem status {body['status']!r} differs from HTTP {response.status_code}"
    return None


def defect_of(response):
    status = response.status_code
    if status >= 500:
        return "server error"
    if 400 <= status < 500:
        return problem_defect(response)
    return None


def clip(value):
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="backslashreplace")
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + f"... ({len(text)} chars)"


@schemathesis.check
def problem_details(ctx, response, case):
    if 400 <= response.status_code < 500:
        defect = problem_defect(response)
        if defect:
            raise AssertionError(defect)


@schemathesis.hook
def after_call(context, case, response):
    record = {"op": f"{case.method.upper()} {case.path}", "status": response.status_code}
    defect = defect_of(response)
    if defect:
        request = response.request
        url = urlsplit(request.url)
        record.update(
            defect=defect,
            method=request.method,
            target=url.path + (f"?{url.query}" if url.query else ""),
            body=clip(request.body),
            response=clip(response.content),
        )
    line = json.dumps(record, ensure_ascii=True) + "\n"
    with _lock, open(LOG, "a", encoding="utf-8") as log:
        log.write(line)
