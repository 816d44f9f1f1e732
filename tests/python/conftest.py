"""pytest configuration for Ember's end-to-end tests.

- hypothesis: profile "ci" (chosen when the CI environment variable is set) is
  derandomized and keeps no example database, so a CI run is reproducible; the
  "dev" profile explores randomly.  Neither has a deadline: the first example
  of a test includes a compilation.
- marks: `slow` (long inputs, such as the 10,000-line function).
- the header names the ember package under test, so a run that picked up a
  stale install shows it.
"""
import os

import pytest

try:
    from hypothesis import HealthCheck, settings
except ImportError:   # the suite still runs without hypothesis (test_hypothesis.py skips)
    settings = None

if settings is not None:
    common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **common)
    settings.register_profile("dev", **common)
    settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long-running test (large generated inputs)")


def pytest_report_header(config):
    try:
        import ember
        where = getattr(ember, "__file__", "?")
        return f"ember {getattr(ember, '__version__', '?')} from {where}"
    except Exception as e:   # noqa: BLE001 - reported, then every test fails on import
        return f"ember: cannot import ({type(e).__name__}: {e})"


@pytest.fixture
def restore_global():
    """Yield a setter for module globals of a test module; restores them afterwards."""
    saved = []

    def set_global(module_globals, name, value):
        saved.append((module_globals, name, module_globals[name]))
        module_globals[name] = value

    yield set_global
    for g, name, value in reversed(saved):
        g[name] = value
