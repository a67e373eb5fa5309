"""The mixed load of bench/national.py: leads on dashboards, inspectors appraising, commune clerks self-assessing.

Run only by bench/national.py (locust headless, against gunicorn on 127.0.0.1). The users arrive
signed in: BENCH_SESSIONS names the file of session cookies and addresses the benchmark wrote.
Each user sends BENCH_RATE requests a second on average (2: 40 requests/s for the 20 users) for
BENCH_SECONDS, at moments independent of the other users' (BENCH_PACING=poisson, the default), or
at a fixed beat (BENCH_PACING=beat, locust's constant_throughput). Every save the server answers
with 200 is written to BENCH_SAVES at the end, so that the benchmark can check that none was lost.
"""

import itertools
import json
import os
import random
import re
import secrets
import time
from urllib.parse import urlparse

import gevent
from locust import HttpUser, constant_throughput, events, task

# Requests per second each user aims at (locust waits what is left of 1 / RATE after each answer):
# 20 users at 2 offer the 40 requests/s the goal is measured at.
RATE = float(os.environ.get("BENCH_RATE", "2"))
PACING = os.environ.get("BENCH_PACING", "poisson")
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
SESSIONS = json.loads(open(os.environ["BENCH_SESSIONS"]).read())  # noqa: SIM115
ANSWERED: list[dict] = []
# When each request started (seconds since the epoch), for the benchmark's measure of the load's spread.
STARTS: list[float] = []
_counter = itertools.count()
_taken = {role: itertools.count() for role in SESSIONS}


def independent_arrivals(rate: float, seconds: float):
    """Each user's requests start at moments drawn at random over the run, independently of the others'.

    People working side by side do not click in step. At a fixed beat (constant_throughput), a user
    whose answer came late starts again when it comes, so one slow moment puts the users on the same
    beat and they stay there: the load becomes a burst of all the users' requests every 1 / rate s.
    Here each user draws rate × seconds moments uniformly over the run at its start (the arrivals of a
    Poisson process, given their number, so that every round offers the same number of requests) and
    starts each request at its moment; a user whose answer outlasts the next moment starts at once.
    The moments end a second before the run, which locust stops while the last users are starting.
    """

    def wait_time(user) -> float:
        if not hasattr(user, "_moments"):
            began = time.monotonic()
            count = round(rate * seconds)
            user._moments = iter(sorted(began + random.uniform(0, seconds - 1) for _ in range(count)))
        # After its last moment the user waits out the run.
        return max(0.0, next(user._moments, time.monotonic() + seconds) - time.monotonic())

    return wait_time


class _Signed(HttpUser):
    abstract = True
    role = ""
    wait_time = constant_throughput(RATE) if PACING == "beat" else independent_arrivals(RATE, SECONDS)

    def on_start(self):
        if PACING != "beat":
            # The first request waits for its moment too.
            gevent.sleep(self.wait_time())
        self.me = SESSIONS[self.role][next(_taken[self.role]) % len(SESSIONS[self.role])]
        self.csrf = secrets.token_hex(16)
        host = urlparse(self.host).hostname
        self.client.cookies.set("sessionid", self.me["session"], domain=host)
        self.client.cookies.set("csrftoken", self.csrf, domain=host)

    def _post(self, url, data, name, record):
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true", "Referer": self.host + url}
        with self.client.post(url, data=data, headers=headers, name=name, catch_response=True) as response:
            if response.status_code != 200 or "is-invalid" in response.text or "score-error" in response.text:
                response.failure(f"save refused ({response.status_code})")
                return {}
            ANSWERED.append(record)
            response.success()
            return _versions(response.text)


class Lead(_Signed):
    """A team lead: the campaign dashboard, now and then his home page."""

    role = "lead"
    weight = 4

    @task(3)
    def dashboard(self):
        self.client.get(self.me["pages"][0], name="dashboard")

    @task(1)
    def home(self):
        self.client.get(self.me["pages"][1], name="home (lead)")


class Inspector(_Signed):
    """An inspector: reads the workspace of his visit and appraises his group's criteria one by one."""

    role = "inspector"
    weight = 10

    @task(1)
    def workspace(self):
        self.versions = _versions(self.client.get(self.me["page"], name="workspace").text)

    @task(4)
    def save(self):
        if not hasattr(self, "versions"):
            self.workspace()
        url = random.choice(self.me["saves"])
        criterion = int(url.rstrip("/").split("/")[-2])
        text = f"Đạt yêu cầu ({next(_counter)})."
        data = {
            "appraised_score": random.choice(["0.25", "0.5", "0.75", "1"]),
            "appraised_comment": text,
            # The version the page showed, as in the browser; the answer brings the next one.
            "version": self.versions.get(criterion, "0"),
        }
        visit = int(url.split("/visits/")[1].split("/")[0])
        record = {"kind": "appraised", "visit": visit, "criterion": criterion, "text": text}
        self.versions.update(self._post(url, data, "workspace save (htmx)", record))


class Clerk(_Signed):
    """A commune clerk: reads the self-assessment sheet and saves self scores with explanations."""

    role = "clerk"
    weight = 6

    @task(1)
    def sheet(self):
        self.versions = _versions(self.client.get(self.me["page"], name="sheet").text)

    @task(4)
    def save(self):
        if not hasattr(self, "versions"):
            self.sheet()
        item = random.choice(self.me["saves"])
        criterion = item["criterion"]
        text = f"Đã thực hiện, hồ sơ kèm theo ({next(_counter)})."
        data = {
            f"c{criterion}-self_score": random.choice(["0.25", "0.5", "0.75", "1"]),
            f"c{criterion}-self_explanation": text,
            f"c{criterion}-version": self.versions.get(criterion, "0"),
        }
        visit = int(item["url"].split("/visits/")[1].split("/")[0])
        record = {"kind": "self", "visit": visit, "criterion": criterion, "text": text}
        self.versions.update(self._post(item["url"], data, "sheet save (htmx)", record))


INPUT = re.compile(r"<input[^>]*>")
VERSION_ID = re.compile(r'id="(?:id_)?c(\d+)-version"')
VALUE = re.compile(r'value="(\d+)"')


def _versions(html: str) -> dict[int, str]:
    """The version of every score form on a page or fragment, by criterion id."""
    found = {}
    for tag in INPUT.findall(html):
        which, value = VERSION_ID.search(tag), VALUE.search(tag)
        if which and value:
            found[int(which.group(1))] = value.group(1)
    return found


@events.request.add_listener
def _note_start(start_time=None, **_kwargs):
    if start_time is not None:
        STARTS.append(start_time)


@events.quitting.add_listener
def _write_answered(environment, **_kwargs):
    with open(os.environ["BENCH_SAVES"], "w") as handle:
        json.dump({"answered": ANSWERED, "starts": STARTS}, handle)
