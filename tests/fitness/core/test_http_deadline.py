"""DeadlineTransport: the whole HTTP exchange ends within its seconds, even when the server
answers a byte at a time (httpx's own timeouts are per read and would let that run on)."""

import socket
import threading
import time

import httpx
import pytest

from fitness.core.http_deadline import DeadlineTransport


class DripServer:
    """On 127.0.0.1: answers every request with headers, then one body byte every `gap` s."""

    def __init__(self, *, gap, body_bytes=20, header_gap=0.0):
        self.gap, self.body_bytes, self.header_gap = gap, body_bytes, header_gap
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stopping = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn):
        with conn:
            try:
                conn.recv(65536)
                head = b"HTTP/1.1 200 OK\r\n"
                for line in (b"Content-Type: text/plain\r\n",
                             f"Content-Length: {self.body_bytes}\r\n\r\n".encode()):  # fmt: skip
                    conn.sendall(head)
                    head = line
                    if self.stopping.wait(self.header_gap):
                        return
                conn.sendall(head)
                for _ in range(self.body_bytes):
                    if self.stopping.wait(self.gap):
                        return
                    conn.sendall(b"x")
            except OSError:
                pass

    def close(self):
        self.stopping.set()
        self.sock.close()


@pytest.fixture
def drip():
    servers = []

    def make(**options):
        servers.append(DripServer(**options))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def timed_get(client, url):
    started = time.monotonic()
    try:
        client.get(url)
    except httpx.TimeoutException as error:
        return time.monotonic() - started, error
    return time.monotonic() - started, None


def test_httpx_alone_lets_a_slow_drip_run_past_its_timeout(drip):
    # The reason for the transport: 0.5 s per read, but 20 reads of 0.2 s each take 4 s.
    server = drip(gap=0.2, body_bytes=8)
    with httpx.Client(timeout=0.5) as client:
        elapsed, error = timed_get(client, server.url)
    assert error is None and elapsed > 1.4


def test_a_slow_drip_body_is_cut_at_the_deadline(drip):
    server = drip(gap=0.2)
    with httpx.Client(transport=DeadlineTransport(0.6), timeout=0.6) as client:
        elapsed, error = timed_get(client, server.url)
    assert isinstance(error, httpx.ReadTimeout)
    assert 0.5 < elapsed < 0.9


def test_slow_drip_headers_are_cut_at_the_deadline(drip):
    server = drip(gap=0.0, header_gap=0.3)
    with httpx.Client(transport=DeadlineTransport(0.5), timeout=0.5) as client:
        elapsed, error = timed_get(client, server.url)
    assert isinstance(error, httpx.ReadTimeout)
    assert elapsed < 0.8


def test_a_quick_answer_is_read_whole_and_the_connection_reused(drip):
    server = drip(gap=0.0, body_bytes=5)
    with httpx.Client(transport=DeadlineTransport(1.0), timeout=1.0) as client:
        assert client.get(server.url).text == "xxxxx"
        # The next request has a deadline of its own, not what was left of the first one's.
        time.sleep(0.2)
        assert client.get(server.url).text == "xxxxx"


def test_each_thread_has_its_own_deadline(drip):
    slow, quick = drip(gap=0.2), drip(gap=0.0, body_bytes=3)
    transport = DeadlineTransport(0.6)
    outcomes = {}

    def slow_call():
        with httpx.Client(transport=transport, timeout=0.6) as client:
            outcomes["slow"] = timed_get(client, slow.url)[1]

    thread = threading.Thread(target=slow_call)
    thread.start()
    with httpx.Client(transport=DeadlineTransport(0.6), timeout=0.6) as client:
        for _ in range(5):
            assert client.get(quick.url).text == "xxx"
            time.sleep(0.1)
    thread.join()
    assert isinstance(outcomes["slow"], httpx.ReadTimeout)


@pytest.mark.django_db
def test_akismet_timeout_bounds_the_whole_check(drip, settings, article):
    # The Akismet client is built on this transport: a drip never holds a post past the timeout.
    from comments.models import Comment
    from comments.screening import akismet

    server = drip(gap=0.25, body_bytes=40)  # "false" would take 10 s to arrive
    settings.AKISMET_API_KEY = "fitness-test-key"
    settings.AKISMET_API_URL = server.url
    settings.AKISMET_TIMEOUT = 0.75
    comment = Comment(
        article=article,
        author_name="Ada",
        author_email="ada@example.com",
        body="Slow answers must not hold a post.",
        ip_address="203.0.113.7",
    )
    started = time.monotonic()
    verdict = akismet.comment_check(comment, akismet.build_request(comment))
    elapsed = time.monotonic() - started
    assert verdict == Comment.Akismet.UNCHECKED
    assert "timed out" in comment.akismet_response["error"]
    assert elapsed < 1.1
