"""
An httpx transport whose whole exchange must end within a number of seconds.

httpx's timeouts are per phase: `httpx.Timeout(2)` allows 2 s to connect, 2 s to send, and 2 s
for *each* read, so a server that answers one byte every 1.9 s holds the caller for as long as
it likes. `DeadlineTransport(seconds)` gives every request a deadline: connecting, each write
and each read gets at most what is left of it, and the body is read before the request returns,
so the whole call (pool wait, connect, send, headers, body) takes `seconds` plus the time to
raise. Past the deadline the caller gets `httpx.ReadTimeout` (or `ConnectTimeout`,
`WriteTimeout`), as for any other timeout.

    httpx.Client(transport=DeadlineTransport(2.0), timeout=2.0)

The deadline is per thread, so one transport (and its connection pool) serves many threads.
"""

import threading
import time

import httpcore
import httpx

_local = threading.local()


def _remaining(timeout, exception):
    """The smaller of `timeout` and what is left of this thread's deadline (raise if none)."""
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise exception("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner):
        self.inner = inner

    def read(self, max_bytes, timeout=None):
        return self.inner.read(max_bytes, _remaining(timeout, httpcore.ReadTimeout))

    def write(self, buffer, timeout=None):
        return self.inner.write(buffer, _remaining(timeout, httpcore.WriteTimeout))

    def close(self):
        self.inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        timeout = _remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self.inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info):
        return self.inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner):
        self.inner = inner

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        timeout = _remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self.inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        timeout = _remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self.inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds):
        self.inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    def __init__(self, seconds, **kwargs):
        super().__init__(**kwargs)
        self.seconds = seconds
        # httpx builds the connection pool itself and has no argument for its network backend:
        # wrap the one it made (httpx and httpcore are pinned; tests/fitness cover this).
        self._pool._network_backend = _Backend(self._pool._network_backend)

    def handle_request(self, request):
        deadline = time.monotonic() + self.seconds
        outer = getattr(_local, "deadline", None)
        _local.deadline = deadline if outer is None else min(outer, deadline)
        try:
            # The pool wait is not a network call: give it no more than the deadline either.
            timeouts = dict(request.extensions.get("timeout", {}))
            timeouts["pool"] = min(timeouts.get("pool") or self.seconds, self.seconds)
            request.extensions["timeout"] = timeouts
            response = super().handle_request(request)
            try:
                response.read()  # within the deadline, not later in the client
            except BaseException:
                response.close()
                raise
            return response
        finally:
            _local.deadline = outer
