"""
Two gunicorn instances sharing one PostgreSQL and one Redis behave as one site.

Runs bench/scaleout.py (which starts the instances against its own database and cache prefix)
when DATABASE_URL points at PostgreSQL and REDIS_URL is set, as in CI; skipped otherwise.
"""

import pytest

from tests.scaleout.helpers import run_bench

pytestmark = pytest.mark.scaleout


@pytest.fixture(scope="module")
def scaleout_results():
    return run_bench("scaleout.py", what="the scale-out proof")


@pytest.mark.parametrize(
    "check",
    [
        "approval visible on the other instance",
        "flood control across instances",
        "200 concurrent posts stored once",
    ],
)
def test_two_instances_behave_as_one_site(scaleout_results, check):
    result = scaleout_results["results"].get(check)

    assert result is not None, scaleout_results["output"]
    assert result["ok"], result.get("error")
