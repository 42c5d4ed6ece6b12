"""
The faults of bench/chaos.py, one a phase (`PHASES`, in the order they run), each switched on
while the readers post and off when told to stop: Akismet slow, failing, garbled or down, web
workers killed, Redis stopped, the task worker killed. `Faults` is mixed into `Chaos`, whose
set-up gives it the processes to break (emulator, gunicorns, redis, worker).
"""

import os
import random
import signal
import time

CHECK = "/1.1/comment-check"
WEB_KILL_EVERY = 3.0
PHASES = [
    "baseline",
    "akismet-slow",
    "akismet-failing",
    "akismet-garbled",
    "akismet-down",
    "web-kill",
    "redis-down",
    "worker-kill",
]


class Faults:
    """Each fault_<phase> runs in a thread of its own during the phase's load, given the
    event that ends it; `minimum_seconds` is how long that load must last."""

    def fault(self, phase):
        return getattr(self, "fault_" + phase.replace("-", "_"))

    def fault_baseline(self, stop):
        stop.wait()

    def _emulator_misbehaves(self, mode, stop):
        self.emulator.misbehave(mode, seconds=5.0, path=CHECK, count=None)
        stop.wait()
        self.emulator.reset()

    def fault_akismet_slow(self, stop):
        self._emulator_misbehaves("slow", stop)

    def fault_akismet_failing(self, stop):
        self._emulator_misbehaves("error500", stop)

    def fault_akismet_garbled(self, stop):
        self._emulator_misbehaves("garbage", stop)

    def fault_akismet_down(self, stop):
        self.emulator.stop()
        stop.wait()
        self.emulator.start()  # on the same port

    def fault_web_kill(self, stop):
        """Every 3 s a worker that has been serving for a while dies (kill -9, as the OOM
        killer would), never the last one of an instance: gunicorn starts a new one."""
        self.web_kills = 0
        instances = self.gunicorns  # page workers and posting pools alike
        seen = {pid for web in instances for pid in web.worker_pids()}  # serving since warm-up
        for _ in range(40):  # bounded: at most 40 kills
            if stop.wait(WEB_KILL_EVERY):
                return
            instance = random.choice(instances)
            pids = instance.worker_pids()
            serving = [pid for pid in pids if pid in seen]
            seen = {pid for web in instances for pid in web.worker_pids()}
            if len(pids) == 2 and serving:
                os.kill(random.choice(serving), signal.SIGKILL)
                self.web_kills += 1

    def fault_redis_down(self, stop):
        if stop.wait(2.0):
            return
        self.redis.stop()
        self.redis_down_at = time.monotonic()
        time.sleep(self.redis_down)
        self.redis.start()
        self.redis_up_at = time.monotonic()
        stop.wait()

    def fault_worker_kill(self, stop):
        for _ in range(10):  # bounded: at most 10 kills
            if stop.wait(2.0 if self.short else 3.0):
                return
            self.worker.kill9()
            time.sleep(1.0)
            self.worker.start()

    def minimum_seconds(self, phase):
        """How long the load must last for the fault to matter (posts are spread over it)."""
        if phase == "redis-down":
            return self.redis_down + 4
        if phase == "web-kill":
            return 9 if self.short else 30
        if phase == "worker-kill":
            return 6 if self.short else 15
        return 0
