"""Fixtures of the browser suite: the running gateway (started by scripts/browser-test.sh,
which passes its address and keys in the environment), the seeded data, and one browser
per role for the whole run (a browser start costs about a second; a session per test
would be most of the suite's time)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from harness import Api, Axe, PageChecks, new_driver  # noqa: E402
from seed import seed  # noqa: E402


def env(name):
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run the suite through scripts/browser-test.sh", returncode=2)
    return value


@pytest.fixture(scope="session")
def base_url():
    return env("SG_URL").rstrip("/")


@pytest.fixture(scope="session")
def admin_key():
    return env("SG_KEY")


@pytest.fixture(scope="session")
def read_key():
    return env("SG_READ_KEY")


@pytest.fixture(scope="session")
def api(base_url, admin_key):
    return Api(base_url, admin_key)


@pytest.fixture(scope="session")
def artifacts():
    path = env("SG_ARTIFACTS")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def axe():
    return Axe(env("SG_AXE"))


@pytest.fixture(scope="session")
def data(api):
    return seed(api)


@pytest.fixture(scope="session")
def checks(axe, artifacts):
    return PageChecks(axe, artifacts)


@pytest.fixture(scope="session")
def admin(base_url):
    d = new_driver()
    yield d
    d.quit()


@pytest.fixture(scope="session")
def reader(base_url):
    d = new_driver()
    yield d
    d.quit()


@pytest.fixture(scope="session")
def buyer():
    """A browser with no session at all: the buyer opening the link from an SMS."""
    d = new_driver()
    yield d
    d.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test leaves a screenshot and the page's text of each of its browsers."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    directory = os.environ.get("SG_ARTIFACTS")
    if not directory:
        return
    from harness import screenshot
    for name in ("admin", "reader", "buyer"):
        d = item.funcargs.get(name)
        if d is None:
            continue
        try:
            screenshot(d, directory, f"FAILED-{item.name}-{name}")
            with open(os.path.join(directory, f"FAILED-{item.name}-{name}.txt"), "w") as f:
                f.write(d.current_url + "\n\n" + d.find_element("tag name", "body").text)
        except Exception as e:  # a diagnosis only: never hide the failure itself
            report.sections.append(("artifacts", f"no screenshot of {name}: {e}"))
