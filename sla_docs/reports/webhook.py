"""Posting a digest to an incoming webhook (Slack, Microsoft Teams), with the standard
library.

A webhook's URL is its secret: whoever has the path can post to the channel. So no
message ever shows more of it than its host. Only ``http:`` and ``https:`` are taken
(``file:``, ``ftp:`` and the like are refused before anything is opened), a URL that
carries a user name or password is refused (it would not be sent as such, and it would
be a second secret in a log), and a redirect is never followed: an incoming webhook
answers where it is, and a redirect could take the digest anywhere. Proxies are
urllib's defaults (``https_proxy``, ``no_proxy`` from the environment).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import SplitResult, urlsplit

from sla_docs import __version__
from sla_docs.errors import SlaError

TIMEOUT = 10.0
"""Seconds to wait for the webhook to connect and to answer, all told."""


class WebhookError(SlaError):
    """A webhook URL that cannot be posted to, or a post that failed."""


def checked_url(url: str) -> SplitResult:
    """``url`` taken apart, if it is one a digest may be posted to; else an error that
    shows no more of it than its scheme and host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # a port that is not a number raises here
    except ValueError:
        raise WebhookError("--webhook: not a URL (http://host/path or https://host/path)") \
            from None
    if parts.scheme.lower() not in ("http", "https"):
        raise WebhookError(f"--webhook: only http: and https: URLs are posted to, not "
                           f"{parts.scheme or 'a URL without a scheme'}:"[:120])
    if not parts.hostname:
        raise WebhookError("--webhook: the URL names no host")
    if not url.strip().isascii():
        raise WebhookError(f"--webhook: the URL for {parts.hostname!r} holds a character "
                           "that is not ASCII; percent-encode it (%C3%A9 for é)")
    if any(char.isspace() or not char.isprintable() for char in url.strip()):
        raise WebhookError(f"--webhook: the URL for {parts.hostname!r} holds a space or a "
                           "control character; a webhook's URL has none")
    if parts.username is not None or parts.password is not None:
        raise WebhookError(f"--webhook: the URL for {parts.hostname} carries a user name or "
                           "password; give the webhook's URL without it")
    del port
    return parts


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect (see the module)."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> None:
        """Never a new request: the redirect becomes an HTTP error."""
        return None


def post(url: str, payload: dict[str, Any], timeout: float = TIMEOUT) -> None:
    """POST ``payload`` as JSON to ``url``; an error naming only its host unless the
    server answers 2xx within ``timeout`` seconds."""
    parts = checked_url(url)
    host = parts.hostname
    request = urllib.request.Request(
        parts.geturl(), data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST", headers={"Content-Type": "application/json; charset=utf-8",
                                "User-Agent": f"sla-docs/{__version__}"})
    opener = urllib.request.build_opener(_NoRedirect)
    outcome: list[int | BaseException] = []

    def exchange() -> None:
        try:
            with opener.open(request, timeout=timeout) as answer:
                outcome.append(answer.status)  # the body is not needed: only the status
        except BaseException as error:  # handed to the caller's thread
            outcome.append(error)

    # urllib's timeout bounds each read of the socket, not the exchange: a server that
    # sends its answer a byte a second would hold the command for hours
    worker = threading.Thread(target=exchange, daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise WebhookError(f"--webhook: could not post to {host}: no answer within "
                           f"{timeout:g} s; the digest was not posted")
    try:
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        status = outcome[0]
    except urllib.error.HTTPError as error:
        raise WebhookError(f"--webhook: {host} answered {error.code}"
                           + (" (a redirect, not followed)" if 300 <= error.code < 400 else "")
                           + "; the digest was not posted") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
        reason = getattr(error, "reason", error)
        why = f"no answer within {timeout:g} s" if isinstance(
            reason, (TimeoutError, socket.timeout)) else (
            reason.strerror if isinstance(reason, OSError) and reason.strerror
            else "not a valid host name" if isinstance(reason, UnicodeError)
            else type(reason).__name__)
        raise WebhookError(f"--webhook: could not post to {host}: {why}; the digest was "
                           "not posted") from None
    if not 200 <= status < 300:
        raise WebhookError(f"--webhook: {host} answered {status}; the digest was not posted")
