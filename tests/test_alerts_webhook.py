"""`sla alerts --webhook` against real servers on 127.0.0.1, and hostile cells from the
export in every format: nothing in a lead id or an owner's name becomes markup, a
mention or a link."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sla_docs.markdown import live_markup
from tests.conftest import run_sla
from tests.test_alerts import AS_OF, ROWS, agreement, leads, row, write_export

__all__ = ["agreement", "leads"]  # fixtures, shared with the rules' tests
SECRET = "/services/T0000/B0000/XXXXsecretXXXX"
HOSTILE_ID = "<img src=x>@channel[x](http://evil)<!channel><@U123>&amp;"
HOSTILE_OWNER = "<!here> *boss* @here [me](javascript:alert(1))\u202e"


class Recorder(BaseHTTPRequestHandler):
    """Answers every POST with the server's ``status`` and keeps what it was sent."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        server: Any = self.server
        server.posts.append((self.path, dict(self.headers), self.rfile.read(length)))
        self.send_response(server.status)
        if server.status in (301, 302, 307, 308):
            self.send_header("Location", "http://example.com/elsewhere")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Any]:
    httpd: Any = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    httpd.posts, httpd.status = [], 200
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def url(httpd: Any) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}{SECRET}"


def test_the_webhook_receives_one_post_with_the_digest(agreement: Path, leads: Path,
                                                       server: Any) -> None:
    done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", AS_OF,
                   "--webhook", url(server))
    assert done.returncode == 3, done.stderr  # posted, and overdue leads
    assert len(server.posts) == 1
    path, headers, body = server.posts[0]
    assert path == SECRET and headers["Content-Type"].startswith("application/json")
    payload = json.loads(body)
    assert payload["text"] == done.stdout  # the whole digest (no value needed escaping)
    header, *sections = payload["blocks"]
    assert header["type"] == "header" and header["text"]["type"] == "plain_text"
    assert all(s["type"] == "section" and s["text"]["type"] == "mrkdwn"
               and s["text"]["verbatim"] is True for s in sections)
    assert sections[0]["text"]["text"].startswith("*All reps:* 2 overdue, 3 at risk")
    assert sections[1]["text"]["text"].startswith("*carla*: 1 overdue")
    assert "HOLIDAY-LATE" in sections[1]["text"]["text"]


@pytest.mark.parametrize(("status", "says"), [(500, "answered 500"),
                                              (302, "answered 302 (a redirect, not followed)")])
def test_a_refused_post_is_an_error_after_the_digest(agreement: Path, leads: Path,
                                                     server: Any, status: int,
                                                     says: str) -> None:
    server.status = status
    done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", AS_OF,
                   "--webhook", url(server))
    assert done.returncode == 1
    assert done.stdout.startswith("SLA alerts for minimal")  # printed before the post
    assert f"--webhook: 127.0.0.1 {says}; the digest was not posted" in done.stderr
    assert "secret" not in done.stderr and "services" not in done.stderr
    assert len(server.posts) == 1  # the redirect was not followed


def test_a_webhook_that_never_answers_times_out(agreement: Path, leads: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # listens, never answers
        port = silent.getsockname()[1]
        done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", AS_OF,
                       "--webhook", f"http://127.0.0.1:{port}{SECRET}",
                       "--webhook-timeout", "0.5")
    assert done.returncode == 1
    assert done.stdout.startswith("SLA alerts for minimal")
    assert "could not post to 127.0.0.1: no answer within 0.5 s" in done.stderr
    assert "secret" not in done.stderr


def test_a_server_answering_a_byte_at_a_time_still_times_out(agreement: Path,
                                                              leads: Path) -> None:
    """urllib's timeout bounds each read, not the exchange: a status line dripped a
    byte every 0.2 s never lets one read wait 0.5 s, yet the post must give up."""
    with socket.create_server(("127.0.0.1", 0)) as dripping:
        port = dripping.getsockname()[1]

        def drip() -> None:
            connection, _ = dripping.accept()
            with connection:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 100:
                    try:
                        connection.sendall(bytes([byte]))
                    except OSError:
                        return
                    time.sleep(0.2)

        threading.Thread(target=drip, daemon=True).start()
        started = time.monotonic()
        done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", AS_OF,
                       "--webhook", f"http://127.0.0.1:{port}{SECRET}",
                       "--webhook-timeout", "0.5")
        took = time.monotonic() - started
    assert done.returncode == 1 and took < 10, took
    assert "could not post to 127.0.0.1: no answer within 0.5 s" in done.stderr


def test_a_url_that_is_not_ascii_is_refused_before_the_export_is_read(agreement: Path,
                                                                      leads: Path) -> None:
    done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", AS_OF,
                   "--webhook", "http://127.0.0.1:9/s%C3%A9cretÉ")
    assert done.returncode == 1 and done.stdout == ""
    assert "holds a character that is not ASCII; percent-encode it" in done.stderr
    assert "cret" not in done.stderr


def test_a_refused_connection(agreement: Path, leads: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", AS_OF,
                   "--webhook", f"http://127.0.0.1:{port}{SECRET}")
    assert done.returncode == 1 and done.stdout
    assert "could not post to 127.0.0.1: Connection refused" in done.stderr


def hostile_export(folder: Path) -> Path:
    late = row("X", ROWS["PLAIN-LATE"]).replace("X,", "\"" + HOSTILE_ID.replace('"', '""')
                                                 + "\",", 1)
    return write_export(folder, [late.replace(",bruno,", f",\"{HOSTILE_OWNER}\",")])


def test_hostile_cells_stay_text_in_markdown(agreement: Path, tmp_path: Path) -> None:
    done = run_sla("alerts", str(agreement), "--leads", str(hostile_export(tmp_path)),
                   "--as-of", AS_OF, "--format", "markdown")
    assert done.returncode == 3, done.stderr
    page = done.stdout
    assert live_markup(page) == []
    assert "@channel" not in page and "@here" not in page  # no mention: a word joiner
    assert "\u202e" not in page and "\\u202e" in page


def test_hostile_cells_stay_text_in_the_webhook(agreement: Path, tmp_path: Path,
                                                server: Any) -> None:
    done = run_sla("alerts", str(agreement), "--leads", str(hostile_export(tmp_path)),
                   "--as-of", AS_OF, "--webhook", url(server))
    assert done.returncode == 3, done.stderr
    payload = json.loads(server.posts[0][2])
    texts = [payload["text"], *(b["text"]["text"] for b in payload["blocks"])]
    for text in texts:
        for live in ("<!channel>", "<!here>", "<@U123>", "<img", "](http", "](javascript",
                     "@channel", "@here", "\u202e"):
            assert live not in text, (live, text)
    assert "&lt;img src=x&gt;" in payload["text"] and "&amp;amp;" in payload["text"]
    json_done = run_sla("alerts", str(agreement), "--leads", str(hostile_export(tmp_path)),
                        "--as-of", AS_OF, "--format", "json")
    data = json.loads(json_done.stdout)  # JSON keeps the cells exactly as written
    assert data["reps"][0]["owner"] == HOSTILE_OWNER
    assert data["reps"][0]["overdue"][0]["lead_id"] == HOSTILE_ID


def test_a_bare_address_in_a_cell_is_no_link(agreement: Path, tmp_path: Path,
                                             server: Any) -> None:
    """GitHub and Teams make `https://…` and `www.…` links by themselves: in the Markdown
    digest and the chat's text they are parted by an invisible word joiner."""
    rows = [row(lead, ROWS["PLAIN-LATE"]) for lead in
            ("https://evil.example/login", "WWW.evil.example")]
    export = write_export(tmp_path, rows)
    markdown = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF,
                       "--format", "markdown", "--webhook", url(server))
    assert markdown.returncode == 3, markdown.stderr
    text = json.loads(server.posts[0][2])["text"]
    for page in (markdown.stdout, text):
        assert "evil.example" in page and "://" not in page.replace("http://127", "")
        assert "WWW." not in page
