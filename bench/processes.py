"""
The processes a bench starts beside the site, each in the background with its output in
bench/results/<name>.log: a manage.py command or any program (`Process`), redis-server
(`Redis`), the Akismet emulator (`Emulator`, driven over HTTP as Akismet is); and the free
port each listens on (`free_port`). The site itself, gunicorn and nginx, is bench/serving.py's.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import bootstrap
import httpx

ROOT = bootstrap.ROOT
RESULTS = ROOT / "bench" / "results"
# The one reference to the emulator's module: it is started as `python -m tools.akismet_emulator`.
EMULATOR_MODULE = "tools.akismet_emulator"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A manage.py command (or any program) in the background, its output in
    bench/results/<name>.log."""

    def __init__(self, name, argv, env):
        self.name, self.argv, self.env = name, argv, env
        self.log_path = RESULTS / f"{name}.log"
        RESULTS.mkdir(parents=True, exist_ok=True)  # git-ignored: absent from a fresh clone
        self.log_path.write_text("")
        self.process = None
        self.kills = 0

    def start(self):
        log = open(self.log_path, "a")  # noqa: SIM115 (the child keeps it)
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        return self

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_text(self):
        return self.log_path.read_text(errors="replace")


class Redis(Process):
    def __init__(self, port):
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(RESULTS)]  # fmt: skip
        super().__init__(f"chaos-redis-{port}", argv, dict(os.environ))
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self, timeout=10):
        import redis

        super().start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=0.5).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server on port {self.port} did not start")


class Emulator(Process):
    """The Akismet emulator in a process of its own (as Akismet is), driven over HTTP."""

    def __init__(self, port, *, name="akismet"):
        argv = [sys.executable, "-m", EMULATOR_MODULE, "--port", str(port), "--quiet"]
        super().__init__(name, argv, dict(os.environ))
        self.url = f"http://127.0.0.1:{port}"

    def start(self, timeout=10):
        super().start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/_emulator/requests?path=none", timeout=1).is_success:
                    return self
            time.sleep(0.1)
        raise RuntimeError("the Akismet emulator did not start")

    def misbehave(self, mode, **options):
        httpx.post(f"{self.url}/_emulator/misbehave", json={"mode": mode, **options}, timeout=5)

    def reset(self):
        httpx.post(f"{self.url}/_emulator/reset", timeout=5)
