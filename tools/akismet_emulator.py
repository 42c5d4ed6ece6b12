"""A local Akismet emulator: a real HTTP server speaking the Akismet REST API.

Standard library only; binds to loopback only. Point the real ``akismet`` client at it
with an httpx transport that rewrites ``rest.akismet.com`` to its host and port.

    with AkismetEmulator() as emulator:  # quiet, 127.0.0.1, a random free port
        ...  # send the client's calls to emulator.url
        emulator.requests_to("/1.1/submit-spam")  # recorded request dicts
        emulator.misbehave("error500", count=1, path="/1.1/comment-check")

    python -m tools.akismet_emulator [--host 127.0.0.1] [--port 8765] [--quiet]

/1.1/comment-check verdicts, first match wins: ``user_role=administrator`` -> ham;
THE DISCARD MARKER (ours, not Akismet's): ``comment_author=akismet-guaranteed-discard``
or ``comment_content`` containing ``akismet-discard-marker`` -> ``true`` plus
``X-akismet-pro-tip: discard`` (``CheckResponse.DISCARD``); author
``akismet-guaranteed-spam`` or email ``akismet-guaranteed-spam@example.com`` -> spam;
anything else -> ham. Any key but ``invalid-key`` is valid unless ``valid_keys`` is given.

Control plane (JSON; never recorded, never misbehaves): ``GET /_emulator/requests
[?path=...]``, ``POST /_emulator/reset``, ``POST /_emulator/misbehave`` with
``{"mode": "slow|error500|garbage|invalid|close", "seconds": 3, "count": null,
"path": null}``: misbehave for the next ``count`` API requests (null: until reset), to
``path`` only or to all (null). A path rule wins over an all-endpoints rule; a new rule
replaces the previous one of the same scope.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import secrets
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

MODES = ("slow", "error500", "garbage", "invalid", "close")
INVALID_KEY = "invalid-key"
THANKS = "Thanks for making the web a better place."
SPAM_AUTHOR = "akismet-guaranteed-spam"
SPAM_EMAIL = "akismet-guaranteed-spam@example.com"
DISCARD_AUTHOR = "akismet-guaranteed-discard"
DISCARD_MARKER = "akismet-discard-marker"
RECORDED_HEADERS = ("User-Agent", "Content-Type", "Host")


class Reply(NamedTuple):
    body: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "text/plain; charset=utf-8"


def _json(data, status: int = 200) -> Reply:
    return Reply(json.dumps(data), status, content_type="application/json")


def _invalid_key() -> Reply:
    return Reply("invalid", headers=(("X-akismet-debug-help", "Invalid API key."),))


def _missing(fields: dict, *names: str) -> Reply | None:
    for name in names:
        if not fields.get(name):
            help_ = ("X-akismet-debug-help", f'Empty "{name}" value')
            return Reply(f"Missing required field: {name}.", headers=(help_,))
    return None


def _verdict(fields: dict) -> Reply:
    author = fields.get("comment_author", "")
    if fields.get("user_role") == "administrator":
        return Reply("false")
    if author == DISCARD_AUTHOR or DISCARD_MARKER in fields.get("comment_content", ""):
        return Reply("true", headers=(("X-akismet-pro-tip", "discard"),))
    if author == SPAM_AUTHOR or fields.get("comment_author_email") == SPAM_EMAIL:
        return Reply("true")
    return Reply("false")


def verify_key(emulator: AkismetEmulator, fields: dict) -> Reply:
    ok = emulator.key_is_valid(fields.get("key")) and fields.get("blog")
    return Reply("valid" if ok else "invalid")


def comment_check(emulator: AkismetEmulator, fields: dict) -> Reply:
    if not emulator.key_is_valid(fields.get("api_key")):
        return _invalid_key()
    reply = _missing(fields, "blog", "user_ip") or _verdict(fields)
    guid = ("X-akismet-guid", secrets.token_hex(16))
    return reply._replace(headers=(*reply.headers, guid))


def submit(emulator: AkismetEmulator, fields: dict) -> Reply:
    if not emulator.key_is_valid(fields.get("api_key")):
        return _invalid_key()
    return _missing(fields, "blog", "user_ip") or Reply(THANKS)


def usage_limit(emulator: AkismetEmulator, fields: dict) -> Reply:
    if not emulator.key_is_valid(fields.get("api_key")):
        return _invalid_key()
    usage, limit = len(emulator.requests_to("/1.1/comment-check")), emulator.usage_limit
    percentage = f"{100 * usage / limit:.2f}" if limit else "0.00"
    return _json({"limit": limit, "usage": usage, "percentage": percentage, "throttled": False})


def key_sites(emulator: AkismetEmulator, fields: dict) -> Reply:
    # The akismet library does not send api_key here, so only a present bad key fails.
    if "api_key" in fields and not emulator.key_is_valid(fields["api_key"]):
        return _invalid_key()
    month = fields.get("month") or time.strftime("%Y-%m")
    return _json({month: [], "limit": int(fields.get("limit", 500)), "offset": 0, "total": 0})


ROUTES = {
    ("POST", "/1.1/verify-key"): verify_key,
    ("POST", "/1.1/comment-check"): comment_check,
    ("POST", "/1.1/submit-spam"): submit,
    ("POST", "/1.1/submit-ham"): submit,
    ("GET", "/1.2/usage-limit"): usage_limit,
    ("GET", "/1.2/key-sites"): key_sites,
}


MISBEHAVIOUR_REPLIES = {
    "error500": Reply("Internal Server Error", 500),
    "garbage": Reply("<html>oops</html>", content_type="text/html"),
    "invalid": _invalid_key(),
}


def _not_found(emulator: AkismetEmulator, fields: dict) -> Reply:
    return Reply("Not found", 404)


def control(emulator: AkismetEmulator, method: str, path: str, query: str, body: bytes) -> Reply:
    """Answer a /_emulator/ control-plane request."""
    if (method, path) == ("GET", "/_emulator/requests"):
        only = dict(parse_qsl(query)).get("path")
        return _json(emulator.requests_to(only) if only else emulator.requests)
    if (method, path) == ("POST", "/_emulator/reset"):
        emulator.reset()
        return _json({"ok": True})
    if (method, path) == ("POST", "/_emulator/misbehave"):
        try:
            options = json.loads(body or b"{}")
            emulator.misbehave(
                options["mode"],
                seconds=float(options.get("seconds", 3.0)),
                count=options.get("count"),
                path=options.get("path"),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return _json({"error": repr(exc)}, status=400)
        return _json({"ok": True})
    return _json({"error": f"no such control endpoint: {method} {path}"}, status=404)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Answer at once: without this, keep-alive answers wait ~40 ms for a delayed ACK.
    disable_nagle_algorithm = True
    server_version = "AkismetEmulator/1.0"

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        emulator, url = self.server.emulator, urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path.startswith("/_emulator/"):
            return self._send(control(emulator, self.command, url.path, url.query, body))
        fields = dict(parse_qsl(url.query, keep_blank_values=True))
        if self.command == "POST":
            fields.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        headers = {name: self.headers[name] for name in RECORDED_HEADERS if name in self.headers}
        emulator._record(self.command, url.path, fields, headers)
        rule = emulator._take_rule(url.path)
        mode = rule["mode"] if rule else None
        if mode == "close":
            self.close_connection = True
            return self.log_message('"%s" closed without an answer', self.requestline)
        if mode == "slow":
            time.sleep(rule["seconds"])
        route = ROUTES.get((self.command, url.path), _not_found)
        self._send(MISBEHAVIOUR_REPLIES.get(mode) or route(emulator, fields))

    def _send(self, reply: Reply) -> None:
        data = reply.body.encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except ConnectionError:  # the client gave up (e.g. timed out while we were slow)
            self.close_connection = True

    def log_message(self, format: str, *args) -> None:
        if not self.server.emulator.quiet:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, emulator: AkismetEmulator):
        self.emulator = emulator
        super().__init__((emulator.host, emulator.port), _Handler)

    def server_bind(self) -> None:  # skip HTTPServer's reverse DNS lookup
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _check_loopback(host: str) -> None:
    if host != "localhost" and not ipaddress.IPv4Address(host).is_loopback:
        raise ValueError(f"the Akismet emulator binds to loopback only, not {host!r}")


class AkismetEmulator:
    """The emulator's state and server; see the module docstring."""

    def __init__(
        self, host="127.0.0.1", port=0, *, valid_keys=None, quiet=True, usage_limit=350000
    ):
        _check_loopback(host)
        self.host, self.port, self.quiet, self.usage_limit = host, port, quiet, usage_limit
        self.valid_keys = None if valid_keys is None else set(valid_keys)
        self._lock = threading.Lock()
        self._requests: list[dict] = []
        self._rules: dict[str | None, dict] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _bind(self) -> _Server:
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        return self._server

    def start(self) -> AkismetEmulator:
        """Serve in a daemon thread; return self."""
        server = self._bind()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until Ctrl-C."""
        server = self._bind()
        print(f"Akismet emulator listening on {self.url}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> AkismetEmulator:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def key_is_valid(self, key: str | None) -> bool:
        if self.valid_keys is not None:
            return key in self.valid_keys
        return bool(key) and key != INVALID_KEY

    @property
    def requests(self) -> list[dict]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[dict]:
        return [request for request in self.requests if request["path"] == path]

    def misbehave(
        self, mode: str, *, seconds: float = 3.0, count: int | None = None, path: str | None = None
    ) -> None:
        """Misbehave for the next ``count`` requests (None: until reset) to ``path`` (None: all)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if count is not None and (not isinstance(count, int) or count < 1):
            raise ValueError(f"count must be None or a positive int, not {count!r}")
        with self._lock:
            self._rules[path] = {"mode": mode, "seconds": seconds, "remaining": count}

    def reset(self) -> None:
        """Forget recorded requests and misbehaviour."""
        with self._lock:
            self._requests.clear()
            self._rules.clear()

    def _record(self, method: str, path: str, fields: dict, headers: dict) -> None:
        entry = {
            "method": method,
            "path": path,
            "fields": fields,
            "headers": headers,
            "timestamp": time.time(),
        }
        with self._lock:
            self._requests.append(entry)

    def _take_rule(self, path: str) -> dict | None:
        with self._lock:
            for scope in (path, None):
                rule = self._rules.get(scope)
                if rule is None:
                    continue
                if rule["remaining"] is not None:
                    rule["remaining"] -= 1
                    if rule["remaining"] <= 0:
                        del self._rules[scope]
                return dict(rule)
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local Akismet emulator (loopback only).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--valid-key", action="append", dest="valid_keys", help="accept only this key (repeatable)"
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    try:
        emulator = AkismetEmulator(
            args.host, args.port, valid_keys=args.valid_keys, quiet=args.quiet
        )
    except ValueError as exc:
        parser.error(str(exc))
    emulator.serve_forever()


if __name__ == "__main__":
    main()
