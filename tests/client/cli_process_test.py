#!/usr/bin/env python3
"""The `live2` CLI as a user's terminal sees it, against a real `live2 serve` on loopback: Ctrl-C and a server that
goes away while `submit --wait` follows a job, the job's log after a user's cancel, and what `live2 serve` prints on
a terminal (a pty), into a pipe, and under systemd (JOURNAL_STREAM).
Usage: cli_process_test.py BIN_DIR (where live2 and live2-sim are)."""
import json
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

BIN_DIR = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin"
LIVE2 = os.path.join(BIN_DIR, "live2")
LONG_JOB = ["--particles", "2000", "--steps", "50000000"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


class Server:
    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="live2-cli-process-")
        self.data_dir = os.path.join(self.dir.name, "data")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.dir.name, "serve.log"), "wb")
        self.process = subprocess.Popen(
            [LIVE2, "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir],
            stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, "LIVE2_SHUTDOWN_GRACE_MS": "2000"})
        wait_for(self._up, 15, "the server")
        self.key = subprocess.run([LIVE2, "keys", "create", "--user", "dana", "--tier", "research",
                                   "--data-dir", self.data_dir],
                                  capture_output=True, text=True, check=True).stdout.strip()

    def _up(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return os.path.exists(os.path.join(self.data_dir, "live2.db"))
        except OSError:
            return False

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self):
        self.stop()
        self.log.close()
        self.dir.cleanup()

    def env(self):
        return {**os.environ, "LIVE2_URL": self.url, "LIVE2_API_KEY": self.key}

    def live2(self, *args):
        return subprocess.run([LIVE2, *args], capture_output=True, text=True, env=self.env(), timeout=60)

    def job(self, job_id):
        return json.loads(self.live2("status", job_id, "--json").stdout)


class FollowingStops(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.close)

    def start_waiting_submit(self):
        """`live2 submit --wait` of a long job, returned once its job runs (stderr lines are read as they come)."""
        process = subprocess.Popen([LIVE2, "submit", *LONG_JOB, "--wait"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=self.server.env())
        self.addCleanup(lambda: process.poll() is None and process.kill())
        first = process.stderr.readline()
        self.assertTrue(first.startswith("submitted job_"), first)
        job_id = first.split()[1]
        while "running" not in process.stderr.readline():
            self.assertIsNone(process.poll())
        return process, job_id

    def test_ctrl_c_says_the_job_goes_on_and_how_to_follow_it(self):
        process, job_id = self.start_waiting_submit()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
        self.assertEqual(process.returncode, 130, stderr)
        self.assertIn(f"stopped following {job_id}; the job goes on on the server", stderr)
        self.assertIn(f"live2 watch {job_id}", stderr)
        self.assertIn(self.server.job(job_id)["status"], ("running", "queued"), "Ctrl-C must not cancel the job")

    def test_a_server_going_away_is_reported_with_the_job_going_on(self):
        process, job_id = self.start_waiting_submit()
        self.server.stop()
        _, stderr = process.communicate(timeout=30)
        self.assertEqual(process.returncode, 1, stderr)
        self.assertIn(f"lost the server while following {job_id}; that does not stop the job", stderr)
        self.assertIn(f"live2 watch {job_id}", stderr)

    def test_the_log_of_a_cancelled_job_does_not_promise_a_new_attempt(self):
        job_id = json.loads(self.server.live2("submit", *LONG_JOB, "--json").stdout)["job_id"]
        wait_for(lambda: self.server.job(job_id)["progress"] > 0, 30, "progress")
        self.assertEqual(self.server.live2("cancel", job_id).returncode, 0)
        wait_for(lambda: self.server.job(job_id)["status"] == "cancelled", 30, "the cancel")
        log = wait_for(lambda: (lambda text: "interrupted" in text and text)(self.server.live2("logs", job_id).stdout),
                       30, "the worker's last lines")
        self.assertNotIn("a new attempt resumes", log)
        self.assertIn("it is not after a cancel", log)


class ServeConsole(unittest.TestCase):
    def serve_and_request(self, on_terminal, env=None):
        """Starts `live2 serve` with stdout on a pty or a pipe, makes requests, stops it; returns (output, data dir)."""
        work = tempfile.TemporaryDirectory(prefix="live2-serve-console-")
        self.addCleanup(work.cleanup)
        data_dir = os.path.join(work.name, "data")
        port = free_port()
        reader, writer = pty.openpty() if on_terminal else os.pipe()
        process = subprocess.Popen([LIVE2, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data_dir],
                                   stdout=writer, stderr=writer, stdin=subprocess.DEVNULL,
                                   env={**os.environ, **(env or {})})
        os.close(writer)
        self.addCleanup(lambda: process.poll() is None and process.kill())
        output = b""

        def read_for(seconds):
            nonlocal output
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                ready, _, _ = select.select([reader], [], [], 0.05)
                if ready:
                    try:
                        chunk = os.read(reader, 65536)
                    except OSError:  # a pty's reader fails with EIO once the process has exited
                        return
                    if not chunk:
                        return
                    output += chunk

        def health():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).status == 200
            except OSError:
                return False
        wait_for(health, 15, "the server")
        for _ in range(5):
            health()
        read_for(2.0)  # the access log is flushed every second
        process.send_signal(signal.SIGTERM)
        read_for(10.0)
        process.wait(10)
        os.close(reader)
        return output.decode(errors="replace"), data_dir

    def test_a_terminal_gets_a_summary_and_no_access_log_lines(self):
        output, data_dir = self.serve_and_request(on_terminal=True, env={"JOURNAL_STREAM": ""})
        self.assertIn("live2 is serving on http://127.0.0.1:", output)
        self.assertRegex(output, r"API key +sk_live_[0-9a-f]{32}")
        self.assertRegex(output, r"export LIVE2_API_KEY=sk_live_[0-9a-f]{32}")
        self.assertIn(" submit --particles 500 --steps 5000 --wait", output)
        self.assertNotIn('"event":"http_request"', output)
        with open(os.path.join(data_dir, "access.log")) as log:
            self.assertGreaterEqual(log.read().count('"event":"http_request"'), 5)

    def test_a_pipe_and_systemd_keep_the_json_access_log_on_stdout(self):
        for on_terminal, env in ((False, {"JOURNAL_STREAM": ""}), (True, {"JOURNAL_STREAM": "8:12345"})):
            with self.subTest(on_terminal=on_terminal, env=env):
                output, data_dir = self.serve_and_request(on_terminal, env)
                self.assertGreaterEqual(output.count('"event":"http_request"'), 5, output)
                self.assertIn("submit a job:\n    curl -sS -X POST", output.replace("\r\n", "\n"))
                self.assertFalse(os.path.exists(os.path.join(data_dir, "access.log")))

    def test_the_flag_puts_the_access_log_back_on_the_terminal(self):
        output, _ = self.serve_and_request(on_terminal=True, env={"JOURNAL_STREAM": "", "LIVE2_ACCESS_LOG": "stdout"})
        self.assertIn("API key ", output)
        self.assertGreaterEqual(output.count('"event":"http_request"'), 5, output)


if __name__ == "__main__":
    unittest.main(verbosity=2)
