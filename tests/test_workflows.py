"""Every GitHub Actions workflow validates against the workflow schema (check-jsonschema's
vendored copy: works offline), and the site workflow has the jobs and settings it relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def _check(files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_there_are_workflows():
    assert WORKFLOWS, "no workflow in .github/workflows/"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_schema(workflow):
    assert CHECK_JSONSCHEMA.exists(), f"{CHECK_JSONSCHEMA} missing: pip install -e '.[test]'"
    proc = _check([workflow])
    assert proc.returncode == 0, f"{workflow.name}: check-jsonschema failed:\n{proc.stdout}{proc.stderr}"


def test_schema_check_can_fail(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: true\n")  # no runs-on
    proc = _check([bad])
    assert proc.returncode != 0, proc.stdout


def _site() -> dict:
    data = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key "on" as true
    return data


def test_site_workflow_triggers_tests_and_deploys():
    wf = _site()
    assert wf["on"]["push"]["branches"] == ["main"]
    assert any(s["cron"].split()[1:] == ["*", "*", "*", "*"] for s in wf["on"]["schedule"]), "hourly cron"
    assert "workflow_dispatch" in wf["on"]
    test, deploy = wf["jobs"]["test"], wf["jobs"]["deploy"]
    assert any("bash scripts/test.sh" in s.get("run", "") for s in test["steps"])
    assert any(
        s.get("uses", "").startswith("actions/setup-python") and s["with"]["python-version"] == "3.11"
        for s in test["steps"]
    )
    assert deploy["needs"] == "test"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    steps = deploy["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    for action in (
        "actions/checkout",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in uses, f"deploy job lacks {action}"
    assert (
        uses.index("actions/configure-pages")
        < uses.index("actions/upload-pages-artifact")
        < uses.index("actions/deploy-pages")
    )
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/configure-pages"))
    assert pages["id"] == "pages"
    build = next(s["run"] for s in steps if "build.py build" in s.get("run", ""))
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in build
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "public"
    assert wf["concurrency"]["group"] and wf["concurrency"]["cancel-in-progress"] is False
