"""Failed log-ins, counted per username and per client address in the cache (Redis, shared by every web worker).
Past a limit, log-in is locked for that username or that address, even with the right password, so passwords
cannot be guessed at speed (issue 10: 200 wrong passwords in 43 seconds went through unhindered).

A count starts at the first failure and lasts LOGIN_LOCKOUT_SECONDS; the failure that reaches the limit starts it
again, so a lock lasts that long. Attempts refused while locked are not counted: the password is not even
checked. A successful log-in clears the username's count. Counting by username catches guessing from many
addresses; counting by address catches one address trying many usernames. An address may fail more often than
a username (settings): a town hall or the ministry logs in from one address, and one person's typos must not
lock out the building.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache

from config.cache import RedisUnavailable

PREFIX = "login-failures"


def client_address(request) -> str | None:
    """The address a log-in comes from: REMOTE_ADDR, or behind NUM_PROXIES proxies the address the outermost one
    saw. Each proxy appends to X-Forwarded-For, so that entry is counted from the right; anything a client wrote
    there itself stands further left and is ignored."""
    if request is None:  # authenticate() called without a request, e.g. the test client's login()
        return None
    address = request.META.get("REMOTE_ADDR", "")
    if settings.NUM_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            address = forwarded[-min(settings.NUM_PROXIES, len(forwarded))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6:
        # An IPv6 subscriber usually holds a whole /64: counting single addresses would let them walk through it.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _username_key(username: str) -> str:
    # Hashed: no usernames lie around in Redis, and any text makes a valid key. Case-folded, so that "Chef" and
    # "chef" share a count.
    return f"{PREFIX}:username:{hashlib.sha256(username.strip().casefold().encode()).hexdigest()}"


def _counters(request, username: str | None) -> list[tuple[str, int]]:
    counters = []
    if username:
        counters.append((_username_key(username), settings.LOGIN_FAILURES_PER_USERNAME))
    if address := client_address(request):
        counters.append((f"{PREFIX}:address:{address}", settings.LOGIN_FAILURES_PER_ADDRESS))
    return counters


def locked(request, username: str | None) -> bool:
    """Whether log-in is locked for this username or for the address the request comes from."""
    counters = _counters(request, username)
    counts = cache.get_many([key for key, _limit in counters])
    return any(counts.get(key, 0) >= limit for key, limit in counters)


def failed(request, username: str | None) -> None:
    seconds = settings.LOGIN_LOCKOUT_SECONDS
    for key, limit in _counters(request, username):
        cache.add(key, 0, seconds)
        try:
            count = cache.incr(key)  # atomic in Redis: parallel failures are all counted
        except RedisUnavailable:
            # While Redis is down failures go uncounted: the choice is between that and nobody logging in at all.
            # The outage itself is logged (config/cache.py) and /healthz answers 503.
            return
        except ValueError:  # expired between the two calls
            count = 1
            cache.set(key, count, seconds)
        if count == limit:
            cache.touch(key, seconds)


def succeeded(username: str) -> None:
    cache.delete(_username_key(username))
