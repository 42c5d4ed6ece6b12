"""The local Akismet emulator, driven by the real akismet client over real HTTP."""

import subprocess
import sys
from pathlib import Path

import akismet
import httpx
import pytest

from tools import akismet_emulator as emulator_module

BLOG = "http://fitness.example"
IP = "203.0.113.7"


class RedirectTransport(httpx.BaseTransport):
    """Send every request to base_url (scheme, host, port), keeping path and query."""

    def __init__(self, base_url):
        self.target = httpx.URL(base_url)
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request):
        request.url = request.url.copy_with(
            scheme=self.target.scheme, host=self.target.host, port=self.target.port
        )
        return self.inner.handle_request(request)

    def close(self):
        self.inner.close()


@pytest.fixture
def emulator():
    with emulator_module.AkismetEmulator() as running:
        yield running


@pytest.fixture
def make_client(emulator):
    """Build real akismet.SyncClients whose calls go to the emulator; close them after."""
    http_clients = []

    def make(key="test-key", timeout=2.0, target=emulator):
        http_client = httpx.Client(
            transport=RedirectTransport(target.url),
            timeout=timeout,
            headers={"User-Agent": akismet.USER_AGENT},
        )
        http_clients.append(http_client)
        config = akismet.Config(key=key, url=BLOG)
        return akismet.SyncClient(config=config, http_client=http_client)

    yield make
    for http_client in http_clients:
        http_client.close()


@pytest.fixture
def client(make_client):
    return make_client()


def test_url_is_loopback_with_a_real_port(emulator):
    assert emulator.url.startswith("http://127.0.0.1:")
    assert emulator.port > 0


def test_only_loopback_binds():
    with pytest.raises(ValueError):
        emulator_module.AkismetEmulator(host="0.0.0.0")


def test_ham(client, emulator):
    result = client.comment_check(IP, comment_author="Ann", comment_content="Nice run!", is_test=1)
    assert result == akismet.CheckResponse.HAM
    (request,) = emulator.requests_to("/1.1/comment-check")
    assert request["method"] == "POST"
    assert request["fields"]["comment_content"] == "Nice run!"
    assert request["fields"]["api_key"] == "test-key"
    assert request["fields"]["blog"] == BLOG
    assert request["headers"]["User-Agent"] == akismet.USER_AGENT


@pytest.mark.parametrize(
    "fields",
    [
        {"comment_author": "akismet-guaranteed-spam"},
        {"comment_author_email": "akismet-guaranteed-spam@example.com"},
    ],
)
def test_guaranteed_spam(client, fields):
    assert client.comment_check(IP, **fields) == akismet.CheckResponse.SPAM


@pytest.mark.parametrize(
    "fields",
    [
        {"comment_author": "akismet-guaranteed-discard"},
        {"comment_content": "buy now akismet-discard-marker !!!"},
    ],
)
def test_discard_marker(client, fields):
    assert client.comment_check(IP, **fields) == akismet.CheckResponse.DISCARD


def test_administrator_is_ham(client):
    result = client.comment_check(
        IP, comment_author="akismet-guaranteed-spam", user_role="administrator"
    )
    assert result == akismet.CheckResponse.HAM


def test_comment_check_headers(emulator):
    data = {
        "api_key": "k",
        "blog": BLOG,
        "user_ip": IP,
        "comment_author": "akismet-guaranteed-discard",
    }
    response = httpx.post(f"{emulator.url}/1.1/comment-check", data=data)
    assert response.text == "true"
    assert response.headers["X-akismet-pro-tip"] == "discard"
    int(response.headers["X-akismet-guid"], 16)


@pytest.mark.parametrize("field", ["user_ip", "blog"])
def test_missing_required_field(emulator, field):
    data = {"api_key": "k", "blog": BLOG, "user_ip": IP}
    del data[field]
    response = httpx.post(f"{emulator.url}/1.1/comment-check", data=data)
    assert response.text == f"Missing required field: {field}."
    assert "X-akismet-debug-help" in response.headers


def test_invalid_key_on_comment_check(emulator):
    data = {"api_key": "invalid-key", "blog": BLOG, "user_ip": IP}
    response = httpx.post(f"{emulator.url}/1.1/comment-check", data=data)
    assert response.text == "invalid"
    assert "X-akismet-debug-help" in response.headers


def test_verify_key(client, emulator, make_client):
    assert client.verify_key() is True
    assert client.verify_key("invalid-key", BLOG) is False
    bad = make_client(key="invalid-key")
    with pytest.raises(akismet.APIKeyError):
        bad.comment_check(IP)
    with pytest.raises(akismet.APIKeyError):
        bad.submit_spam(IP)
    fields = [r["fields"] for r in emulator.requests_to("/1.1/verify-key")]
    assert fields == [{"key": "test-key", "blog": BLOG}, {"key": "invalid-key", "blog": BLOG}]


def test_configured_valid_keys(make_client):
    with emulator_module.AkismetEmulator(valid_keys={"only-this"}) as strict:
        assert make_client(key="only-this", target=strict).verify_key() is True
        assert make_client(key="test-key", target=strict).verify_key() is False


def test_validated_client_through_context_manager(make_client):
    with make_client() as akismet_client:
        assert akismet_client.comment_check(IP) == akismet.CheckResponse.HAM
    with pytest.raises(akismet.APIKeyError), make_client(key="invalid-key"):
        pass


@pytest.mark.parametrize("method", ["submit_spam", "submit_ham"])
def test_submissions_are_thanked_and_recorded(client, emulator, method):
    sent = {
        "comment_author": "Bob",
        "comment_author_email": "bob@example.com",
        "comment_content": "Great article",
        "comment_type": "comment",
        "permalink": f"{BLOG}/articles/1/",
        "user_agent": "Mozilla/5.0",
        "referrer": f"{BLOG}/",
        "is_test": 1,
    }
    assert getattr(client, method)(IP, **sent) is True
    path = "/1.1/" + method.replace("_", "-")
    (request,) = emulator.requests_to(path)
    expected = {"api_key": "test-key", "blog": BLOG, "user_ip": IP, **sent, "is_test": "1"}
    assert request["fields"] == expected


def test_usage_limit_counts_comment_checks(client):
    assert client.usage_limit()["usage"] == 0
    client.comment_check(IP)
    client.comment_check(IP)
    usage = client.usage_limit()
    assert usage["usage"] == 2
    assert usage["throttled"] is False
    assert isinstance(usage["limit"], int)
    assert isinstance(usage["percentage"], str)


def test_key_sites(client):
    assert isinstance(client.key_sites(), dict)


MISBEHAVIOURS = [
    ("error500", akismet.RequestError),
    ("garbage", akismet.ProtocolError),
    ("invalid", akismet.APIKeyError),
    ("close", akismet.RequestError),
]


@pytest.mark.parametrize(("mode", "error"), MISBEHAVIOURS)
def test_misbehaviour_raises_the_client_error(client, emulator, mode, error):
    emulator.misbehave(mode, count=1)
    with pytest.raises(error):
        client.comment_check(IP)
    assert client.comment_check(IP) == akismet.CheckResponse.HAM


def test_slow_beyond_the_client_timeout(emulator, make_client):
    emulator.misbehave("slow", seconds=1.0, count=1)
    with pytest.raises(akismet.RequestError) as caught:
        make_client(timeout=0.2).comment_check(IP)
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)


def test_slow_within_the_client_timeout_still_answers(client, emulator):
    emulator.misbehave("slow", seconds=0.2)
    assert client.comment_check(IP, comment_author="akismet-guaranteed-spam") == 1


def test_misbehaviour_until_reset_and_per_path(client, emulator):
    emulator.misbehave("error500", path="/1.1/submit-ham")
    for _ in range(3):
        with pytest.raises(akismet.RequestError):
            client.submit_ham(IP)
    assert client.submit_spam(IP) is True
    emulator.reset()
    assert client.submit_ham(IP) is True
    assert len(emulator.requests) == 1


def test_misbehave_rejects_unknown_mode(emulator):
    with pytest.raises(ValueError):
        emulator.misbehave("explode")


def test_control_plane_over_http(client, emulator):
    control = httpx.Client(base_url=emulator.url)
    spec = {"mode": "garbage", "count": 1, "path": "/1.1/comment-check"}
    assert control.post("/_emulator/misbehave", json=spec).json() == {"ok": True}
    with pytest.raises(akismet.ProtocolError):
        client.comment_check(IP)
    client.comment_check(IP)
    client.submit_spam(IP, comment_content="spammy")

    everything = control.get("/_emulator/requests").json()
    assert [r["path"] for r in everything] == ["/1.1/comment-check"] * 2 + ["/1.1/submit-spam"]
    spam = control.get("/_emulator/requests", params={"path": "/1.1/submit-spam"}).json()
    assert [r["fields"]["comment_content"] for r in spam] == ["spammy"]

    assert control.post("/_emulator/reset").json() == {"ok": True}
    assert control.get("/_emulator/requests").json() == []
    assert control.post("/_emulator/misbehave", json={"mode": "nope"}).status_code == 400
    assert control.get("/_emulator/nothing").status_code == 404
    control.close()


def test_command_line_serves_until_stopped():
    # As `make emulator`, .ci/run and deploy/rehearse.sh start it: tools.akismet_emulator, run
    # from the checkout.
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.akismet_emulator", "--port", "0"],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("Akismet emulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1].strip()
        response = httpx.post(f"{url}/1.1/verify-key", data={"key": "k", "blog": BLOG})
        assert response.text == "valid"
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=5)
    assert '"POST /1.1/verify-key HTTP/1.1" 200' in stderr
