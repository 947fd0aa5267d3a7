"""A few Prometheus metrics in the text exposition format, without extra dependencies."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass
class Metrics:
    requests: Counter[tuple[str, int]] = field(default_factory=Counter)
    latency_buckets: Counter[float] = field(default_factory=Counter)
    latency_sum: float = 0.0
    latency_count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def observe(self, kind: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(kind, status)] += 1
            self.latency_sum += seconds
            self.latency_count += 1
            for bound in BUCKETS:
                if seconds <= bound:
                    self.latency_buckets[bound] += 1

    def render(self) -> str:
        with self._lock:
            lines = [
                "# HELP maatwerk_requests_total Slack requests handled, by kind and HTTP status.",
                "# TYPE maatwerk_requests_total counter",
            ]
            lines += [
                f'maatwerk_requests_total{{kind="{kind}",status="{status}"}} {count}'
                for (kind, status), count in sorted(self.requests.items())
            ]
            lines += [
                "# HELP maatwerk_request_seconds Time to answer a Slack request over HTTP.",
                "# TYPE maatwerk_request_seconds histogram",
            ]
            lines += [
                f'maatwerk_request_seconds_bucket{{le="{bound}"}} {self.latency_buckets[bound]}' for bound in BUCKETS
            ]
            lines += [
                f'maatwerk_request_seconds_bucket{{le="+Inf"}} {self.latency_count}',
                f"maatwerk_request_seconds_sum {self.latency_sum:.6f}",
                f"maatwerk_request_seconds_count {self.latency_count}",
            ]
        return "\n".join(lines) + "\n"
