"""Load generator, run as its own process: N clients request one URL for D seconds, each waiting for its answer
before the next (closed loop). Prints one JSON line: requests, errors (and what they were), requests/s, p50, p95
and p99 in ms, and how much CPU the generator itself used.

A new connection per request, as browsers get from gunicorn's sync workers (they close every connection). The
clients are threads spread over a few processes, so that the generator's own GIL does not queue 200 clients'
answers behind each other and count that wait as the server's. `client_cpu` (in cores) says whether the
generator could have been the bottleneck: near its processes' count, it was.
"""

import http.client
import json
import os
import resource
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import urlparse

CLIENTS_PER_PROCESS = 50


def clients(url: str, cookie: str, count: int, start: float, end: float) -> tuple[list[float], dict[str, int]]:
    """Run `count` clients from `start` to `end` (time.time()); return the latencies of good answers and the errors
    by kind: an HTTP status the server gave, or the exception the client met (refused, reset, timed out)."""
    target = urlparse(url)
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()

    def client():
        own, bad = [], Counter()
        while time.time() < end:
            t = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                conn.request("GET", target.path, headers={"Cookie": cookie, "Accept-Language": "da"})
                response = conn.getresponse()
                response.read()
                conn.close()
            except (OSError, http.client.HTTPException) as exc:
                bad[exc.__class__.__name__] += 1
                continue
            if response.status != 200:
                bad[f"HTTP {response.status}"] += 1
                continue
            own.append(time.perf_counter() - t)
        with lock:
            latencies.extend(own)
            errors.update(bad)

    time.sleep(max(0.0, start - time.time()))
    threads = [threading.Thread(target=client) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, dict(errors)


def main() -> None:
    url, cookie, count, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    processes = int(os.environ.get("LOAD_PROCESSES", 0)) or min(4, -(-count // CLIENTS_PER_PROCESS))
    shares = [count // processes + (i < count % processes) for i in range(processes)]
    start = time.time() + 0.5  # every process started and its threads made before the clock runs
    with ProcessPoolExecutor(processes) as pool:
        futures = [pool.submit(clients, url, cookie, n, start, start + seconds) for n in shares]
        results = [f.result() for f in futures]
    elapsed = time.time() - start
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    latencies = sorted(latency for own, _ in results for latency in own)
    errors: Counter = Counter()
    for _, bad in results:
        errors.update(bad)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": sum(errors.values()),
                "error_kinds": dict(errors),
                "rps": len(latencies) / elapsed,
                "p50": pct(0.50),
                "p95": pct(0.95),
                "p99": pct(0.99),
                "processes": processes,
                "client_cpu": (used.ru_utime + used.ru_stime) / elapsed,
            }
        )
    )


if __name__ == "__main__":
    main()
