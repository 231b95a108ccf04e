# Locust side of bench/compare/run.sh: the same user as Stampede's compare plan (GET /, no wait).
# Pick the class on the command line: `locust -f locustfile.py ... PlainUser` (HttpUser) or FastUser
# (FastHttpUser). At quit it prints one line "COMPARE_JSON {...}" with the totals, because Locust
# 2.12 flushes its --csv files only every 10 s.
import json

from locust import HttpUser, constant, events, task
from locust.contrib.fasthttp import FastHttpUser


class PlainUser(HttpUser):
    wait_time = constant(0)

    @task
    def index(self):
        self.client.get("/")


class FastUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def index(self):
        self.client.get("/")


@events.quitting.add_listener
def _print_totals(environment, **_kwargs):
    t = environment.stats.total
    seconds = (t.last_request_timestamp or 0) - (t.start_time or 0)
    print("COMPARE_JSON " + json.dumps({
        "requests": t.num_requests,
        "failures": t.num_failures,
        "seconds": seconds,
        "requestsPerSecond": t.total_rps,
        "p50Millis": t.get_response_time_percentile(0.5),
        "p99Millis": t.get_response_time_percentile(0.99),
        "errors": {str(k): v.occurrences for k, v in environment.stats.errors.items()},
    }), flush=True)
