"""The scheduled job's "anything to deploy?" decision, on fixtures, and the state file a deployment publishes."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from editor_site import NOW, make_site

REPO = Path(__file__).resolve().parent.parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


ds = _load("deploy_state")

DEPLOYED_AT = datetime.fromisoformat("2026-12-01T09:00:00+01:00")
GOES_LIVE = datetime.fromisoformat("2026-12-01T10:00:00+01:00")
EXPIRES = datetime.fromisoformat("2026-12-03T00:00:00+01:00")
STATE = ds.DeployState(
    commit="a" * 40,
    built_at=DEPLOYED_AT,
    pages=("/", "/en/", "/notizie/primo/"),
    changes=(ds.Change(GOES_LIVE, "live"), ds.Change(EXPIRES, "expires")),
)


def test_nothing_changed_nothing_to_deploy() -> None:
    decision = ds.decide(STATE, "a" * 40, GOES_LIVE - timedelta(minutes=1))
    assert not decision.deploy
    assert "next change at 2026-12-01T10:00:00+01:00" in decision.reason


def test_an_item_went_live() -> None:
    decision = ds.decide(STATE, "a" * 40, GOES_LIVE + timedelta(minutes=3))
    assert decision.deploy and decision.reason.startswith("an item went live at 2026-12-01T10:00:00+01:00")


def test_an_item_expired() -> None:
    state = ds.DeployState(STATE.commit, GOES_LIVE, STATE.pages, (ds.Change(EXPIRES, "expires"),))
    decision = ds.decide(state, "a" * 40, EXPIRES)
    assert decision.deploy and decision.reason.startswith("an item expired at 2026-12-03T00:00:00+01:00")


def test_a_missed_run_still_deploys_what_is_due() -> None:
    """GitHub dropped the runs of two days: the first run after that sees both moments passed."""
    decision = ds.decide(STATE, "a" * 40, EXPIRES + timedelta(days=2))
    assert decision.deploy and "(2 change(s) since the deployment)" in decision.reason


def test_after_the_deployment_the_next_run_stops() -> None:
    redeployed = ds.DeployState(STATE.commit, GOES_LIVE, STATE.pages, (ds.Change(EXPIRES, "expires"),))
    assert not ds.decide(redeployed, "a" * 40, GOES_LIVE + timedelta(minutes=15)).deploy


def test_another_commit_or_no_state_is_left_to_the_push_workflow() -> None:
    """Only a commit that passed the tests is deployed: a scheduled run never publishes main on its own."""
    assert not ds.decide(STATE, "b" * 40, EXPIRES).deploy
    assert "the push workflow deploys main" in ds.decide(STATE, "b" * 40, EXPIRES).reason
    assert not ds.decide(None, "a" * 40, DEPLOYED_AT).deploy
    assert ds.from_json("<html>404</html>") is None
    assert ds.from_json('{"format": 99}') is None


def test_the_state_file_round_trips() -> None:
    assert ds.from_json(ds.to_json(STATE)) == STATE


def test_the_command_writes_githubs_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "deployed.json"
    state.write_text(ds.to_json(STATE), encoding="utf-8")
    output = tmp_path / "output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    args = ["decide", str(state), "--commit", "a" * 40, "--now"]
    assert ds.main([*args, "2026-12-01T09:30:00+01:00"]) == 0
    assert ds.main([*args, "2026-12-01T10:30:00+01:00"]) == 0
    assert ds.main(["decide", str(tmp_path / "missing.json"), "--commit", "a" * 40]) == 0
    assert output.read_text(encoding="utf-8") == "deploy=false\ndeploy=true\ndeploy=false\n"
    assert capsys.readouterr().out.splitlines()[0].startswith("nothing to deploy: ")


@pytest.mark.parametrize("kind", ["live", "expires"])
def test_write_lists_the_live_pages_and_when_they_change(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    when = "2026-12-05 09:00"
    field = "publish_at" if kind == "live" else "expires_at"
    files: dict[str, str | bytes] = {  # Fixture data: one item scheduled or expiring on 5 December.
        "content/it/notizie/cambia.md": f'---\ntitle: "Cambia"\ndate: 2026-11-22\n{field}: {when}\n---\n\nTesto.\n'
    }
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    public = tmp_path / "public"
    (public / "notizie" / "primo").mkdir(parents=True)
    (public / "index.html").write_text("home", encoding="utf-8")
    (public / "notizie" / "primo" / "index.html").write_text("primo", encoding="utf-8")
    assert ds.main(["write", str(public), "--now", NOW, "--commit", "c" * 40]) == 0
    data = json.loads((public / ds.STATE_FILE).read_text(encoding="utf-8"))
    assert data["pages"] == ["/", "/notizie/primo/"]
    assert data["changes"] == [{"at": "2026-12-05T09:00:00+01:00", "kind": kind}]
    assert "cambia" not in (public / ds.STATE_FILE).read_text(encoding="utf-8")  # moments only, no names
