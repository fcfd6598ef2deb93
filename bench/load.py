"""Load generator, run as its own process: N clients request one URL for D seconds, each waiting for its
answer before the next (closed loop). Prints one JSON line: requests, errors, requests/s, p50 and p95 in ms."""

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse


def main() -> None:
    url, cookie, clients, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    target = urlparse(url)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.perf_counter()
    end = start + seconds

    def client():
        own, bad = [], 0
        while time.perf_counter() < end:
            t = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                conn.request("GET", target.path, headers={"Cookie": cookie, "Accept-Language": "da"})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    bad += 1
                    continue
            except OSError:
                bad += 1
                continue
            own.append(time.perf_counter() - t)
        with lock:
            latencies.extend(own)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    print(json.dumps({"requests": len(latencies), "errors": errors[0], "rps": len(latencies) / elapsed,
                      "p50": pct(0.50), "p95": pct(0.95)}))  # fmt: skip


if __name__ == "__main__":
    main()
