"""`make run` restarts a process that dies, and gives up, naming it, on one that keeps dying (config/supervise.py).
Real child processes, really killed."""

import signal
import subprocess
import sys

import pytest

from config.supervise import MAX_RESTARTS, WINDOW, GaveUp, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
CRASHER = [sys.executable, "-c", "raise SystemExit(3)"]


@pytest.fixture
def started():
    procs = []

    def start(name, args):
        proc = subprocess.Popen(args)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_a_killed_worker_is_started_again_and_the_others_are_left_alone(started, tmp_path):
    said = []
    supervisor = Supervisor(started, {"web": SLEEPER, "worker": SLEEPER}, tmp_path, say=said.append)
    web, worker = supervisor.children["web"], supervisor.children["worker"]
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert supervisor.check() == ["worker"]
    assert supervisor.children["web"] is web and supervisor.children["worker"].pid != worker.pid
    assert supervisor.children["worker"].poll() is None
    assert said == [f"Jobmål: worker exited with code -9; starting it again (see {tmp_path / 'worker.log'})"]
    assert supervisor.check() == []


def test_a_process_that_keeps_dying_is_given_up_on_by_name(started, tmp_path):
    supervisor = Supervisor(started, {"beat": CRASHER}, tmp_path, say=lambda text: None)
    now = 1000.0
    for _ in range(MAX_RESTARTS):
        supervisor.children["beat"].wait()
        assert supervisor.check(now) == ["beat"]
        now += 1
    supervisor.children["beat"].wait()
    with pytest.raises(GaveUp, match=r"beat keeps exiting \(code 3, 5 restarts within 60 s\)") as caught:
        supervisor.check(now)
    assert caught.value.log == tmp_path / "beat.log"
    # Crashes spread out over time are not a loop: after the window it is started again.
    assert supervisor.check(now + WINDOW + 1) == ["beat"]
