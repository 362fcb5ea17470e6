"""Is there anything to deploy? The scheduled workflow's question, answered from the deployed site.

Every deployment publishes ``deploy-state.json`` next to the pages: the commit it was built
from, the addresses of its live pages, and the moments at which that set of pages will
change (a scheduled item goes live, a live item expires).  The scheduled job fetches that
file from the published site and rebuilds the deployed commit when one of its moments has
passed: the set of live pages differs from what is deployed.

The answer depends on the deployed state only, never on when the job last ran: GitHub
delays and drops scheduled runs, and a run that comes hours late still sees the moment that
passed.  Only moments are published, never the paths or titles of scheduled items.

It deploys nothing when the deployed commit is not the one on ``main`` (the push workflow
deploys a new commit after its tests: the scheduled job must not publish an untested or
failing one) or when the site has no readable state (a site deployed before this file
existed: the next push writes one).  The deploy job asks again under the deployment lock,
so that a scheduled run never replaces a newer deployment.

    python scripts/deploy_state.py write public --now 2026-12-01T09:00:00+01:00   # after the build
    python scripts/deploy_state.py decide deployed.json --commit SHA             # in the scheduled job

``decide`` uses the standard library only, so the scheduled job needs no install; it prints
the reason and, on GitHub Actions, writes ``deploy=true|false`` to ``$GITHUB_OUTPUT``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

STATE_FILE = "deploy-state.json"
FORMAT = 1


@dataclass(frozen=True)
class Change:
    """A moment at which the set of live pages changes: ``kind`` is ``live`` or ``expires``."""

    at: datetime
    kind: str


@dataclass(frozen=True)
class DeployState:
    """What a deployment published: its commit, its live pages, the moments they will change."""

    commit: str
    built_at: datetime
    pages: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Decision:
    deploy: bool
    reason: str


def decide(deployed: DeployState | None, commit: str, now: datetime) -> Decision:
    """Deploy ``commit`` again when it is the deployed one and one of its moments has passed."""
    if deployed is None:
        return Decision(False, "no readable deploy-state.json on the site: the next push to main deploys one")
    if deployed.commit != commit:
        return Decision(
            False,
            f"the site was built from {deployed.commit[:12]}, main is at {commit[:12]}: "
            "the push workflow deploys main after its tests (re-run it if it failed)",
        )
    passed = [change for change in deployed.changes if change.at <= now]
    if passed:
        first = min(passed, key=lambda change: change.at)
        what = "an item went live" if first.kind == "live" else "an item expired"
        return Decision(True, f"{what} at {first.at.isoformat()} ({len(passed)} change(s) since the deployment)")
    upcoming = min((change.at for change in deployed.changes), default=None)
    later = f"; next change at {upcoming.isoformat()}" if upcoming else "; no change scheduled"
    return Decision(False, f"the deployed site is up to date ({len(deployed.pages)} pages){later}")


# --- the file ---------------------------------------------------------------------------


def to_json(state: DeployState) -> str:
    data = {
        "format": FORMAT,
        "commit": state.commit,
        "built_at": state.built_at.isoformat(),
        "pages": list(state.pages),
        "changes": [{"at": change.at.isoformat(), "kind": change.kind} for change in state.changes],
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def from_json(text: str) -> DeployState | None:
    """The state in ``text``, or ``None`` when it is not a deploy-state file this script wrote."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        changes = tuple(Change(_moment(item["at"]), str(item["kind"])) for item in data["changes"])
        return DeployState(str(data["commit"]), _moment(data["built_at"]), tuple(map(str, data["pages"])), changes)
    except (ValueError, KeyError, TypeError):
        return None


def _moment(value: object) -> datetime:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError("a moment without offset")
    return moment


def live_pages(public: Path) -> tuple[str, ...]:
    """The addresses of the pages in a built site (``notizie/x/index.html`` → ``/notizie/x/``)."""
    pages = []
    for path in public.rglob("*.html"):
        rel = path.relative_to(public).as_posix()
        pages.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return tuple(sorted(pages))


def upcoming_changes(config_path: Path, now: datetime) -> tuple[Change, ...]:
    """When the live set of the site at ``config_path`` changes after ``now`` (the generator's own rule)."""
    from sitegen.build import build_in_memory
    from sitegen.options import BuildOptions, load
    from sitegen.site import SCHEDULED

    options = BuildOptions(config_path=config_path, now=now, cache=False, progress=False)
    site = build_in_memory(load(options), options).site
    changes = [Change(s.goes_live, "live") for s in site.skipped if s.reason == SCHEDULED and s.goes_live]
    changes += [Change(d.meta.expires_at, "expires") for d in site.documents if d.meta.expires_at]
    return tuple(sorted(set(changes), key=lambda change: (change.at, change.kind)))


# --- command line -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    write = sub.add_parser("write", help="write deploy-state.json into a built site")
    write.add_argument("public", type=Path)
    write.add_argument("--now", type=_moment, required=True, help="the --now the site was built with")
    write.add_argument("--commit", default=os.environ.get("GITHUB_SHA", ""))
    write.add_argument("--config", type=Path, default=Path("config.yaml"))
    check = sub.add_parser("decide", help="is there anything to deploy?")
    check.add_argument("deployed", type=Path, help="the deploy-state.json fetched from the site (may be missing)")
    check.add_argument("--commit", required=True)
    check.add_argument("--now", type=_moment, default=None)
    args = parser.parse_args(argv)
    if args.command == "write":
        state = DeployState(args.commit, args.now, live_pages(args.public), upcoming_changes(args.config, args.now))
        (args.public / STATE_FILE).write_text(to_json(state), encoding="utf-8")
        print(f"{STATE_FILE}: {len(state.pages)} pages, {len(state.changes)} upcoming change(s)")
        return 0
    text = args.deployed.read_text(encoding="utf-8") if args.deployed.is_file() else ""
    decision = decide(from_json(text), args.commit, args.now or datetime.now(UTC))
    print(("deploy: " if decision.deploy else "nothing to deploy: ") + decision.reason)
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as stream:
            stream.write(f"deploy={'true' if decision.deploy else 'false'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
