"""The cluster tests run against the cluster `make cluster` started (deploy/cluster.py); they
read its state file. Without one they are skipped, except under `make cluster-test`
(NEWSROOM_CLUSTER_REQUIRED=1), where a missing cluster fails the run."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import cluster as deployment  # noqa: E402


@pytest.fixture(scope="session")
def cluster():
    state = deployment.read_state()
    if state is None:
        message = f"no cluster is running ({deployment.STATE}): `make cluster` starts one"
        if os.environ.get("NEWSROOM_CLUSTER_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    return state
