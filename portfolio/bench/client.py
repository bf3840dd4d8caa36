"""A small HTTP client over one kept-alive connection, with its own cookie jar.

http.client rather than a browser-like library: the time measured is the server's and
the socket's, not a client framework's. Cookies are kept by hand because production
sets them `Secure`, and the benchmark talks plain HTTP to 127.0.0.1.
"""

import http.client
import re
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie

from .stats import summary


class HTTPError(RuntimeError):
    pass


class Session:
    def __init__(self, host: str, port: int, cookies: dict | None = None):
        self.host, self.port = host, port
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """(status, headers, body, milliseconds from sending to the last byte read)."""
        headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection between requests: reconnect once.
                self.connection.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            break
        for value in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.connection.close()
        return response.status, response.headers, content, elapsed

    def get(self, path: str, headers=None):
        return self.request("GET", path, headers=headers)

    def login(self, path: str, username: str, password: str) -> None:
        status, _h, page, _t = self.get(path)
        if status != 200:
            raise HTTPError(f"GET {path} gav {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        token = match.group(1).decode() if match else self.cookies.get("csrftoken", "")
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        status, _h, _b, _t = self.request(
            "POST",
            path,
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}{path}",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise HTTPError(f"Inloggningen misslyckades ({status}).")

    def close(self) -> None:
        self.connection.close()


def sequential(
    session: Session, paths: list[str], repeat: int, budget: float, warmup: int = 3
) -> dict:
    """Time `repeat` GETs one after another, cycling through paths; every answer must be 200.

    An endpoint far off its target would hold the shared machine for many minutes: after
    `budget` seconds the run stops, and the result says how many requests it has.
    """
    for path in paths[:warmup]:
        session.get(path)
    timings, sizes = [], []
    deadline = time.perf_counter() + budget
    for i in range(repeat):
        if time.perf_counter() > deadline:
            break
        path = paths[i % len(paths)]
        status, _h, body, ms = session.get(path)
        if status != 200:
            raise HTTPError(f"GET {path} gav {status}: {body[:300]!r}")
        timings.append(ms)
        sizes.append(len(body))
    result = summary(timings)
    result["bytes_median"] = sorted(sizes)[len(sizes) // 2]
    if len(timings) < repeat:
        result["stopped_after_budget_seconds"] = budget
    return result


def concurrent(
    host: str, port: int, cookies: dict, paths: list[str], clients: int, seconds: float
) -> dict:
    """Requests per second with `clients` clients, each sending its next GET as soon as
    the previous answer is read, for `seconds`."""
    deadline = time.perf_counter() + seconds
    done, failed, timings = [0] * clients, [0] * clients, [[] for _ in range(clients)]

    def work(n: int) -> None:
        session = Session(host, port, cookies)
        i = n
        while time.perf_counter() < deadline:
            status, _h, _b, ms = session.get(paths[i % len(paths)])
            i += clients
            if status == 200:
                done[n] += 1
                timings[n].append(ms)
            else:
                failed[n] += 1
        session.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = [t for per_client in timings for t in per_client]
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": sum(done),
        "failed": sum(failed),
        "requests_per_second": round(sum(done) / elapsed, 1),
        "latency": summary(every) if every else None,
    }
