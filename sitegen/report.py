"""Build reports as text: problems one per line, the closing summary, what was left out.

The command line and ``serve`` both print through these functions, so the two say the same
thing the same way (and ``serve`` need not import the command line).
"""

from __future__ import annotations

import sys


def report(problems, lang: str, stream=None) -> None:
    """Print problems, one ``path:line: message`` line each, errors first.

    The same problem found twice (a broken template used by the pages of both languages)
    is printed once.
    """
    stream = stream or sys.stderr
    ordered = sorted(problems, key=lambda p: (not p.is_error, p.path, p.line or 0))
    unique = {(problem.format(lang), problem.is_error): None for problem in ordered}
    for line, _is_error in unique:
        print(line, file=stream)
    errors = sum(is_error for _line, is_error in unique)
    if errors:
        word = ("errore" if errors == 1 else "errori") if lang == "it" else ("error" if errors == 1 else "errors")
        print(f"{errors} {word}.", file=stream)


def skipped_of(site) -> list[tuple[str, str, str]]:
    return [(s.document.source.shown, s.reason, s.goes_live.isoformat() if s.goes_live else "") for s in site.skipped]


def next_go_live_text(site) -> str:
    from .site import next_go_live

    upcoming = next_go_live(site)
    return upcoming.isoformat() if upcoming else ""


def skipped_lines(skipped: list[tuple[str, str, str]], upcoming: str, lang: str) -> str:
    """What the build left out and why, and when the next scheduled item goes live."""
    reasons = {
        "it": {"draft": "bozza", "scheduled": "programmata per", "expired": "scaduta"},
        "en": {"draft": "draft", "scheduled": "scheduled for", "expired": "expired"},
    }[lang]
    lines = [f"  {shown}: {reasons[reason]}{' ' + when if when else ''}" for shown, reason, when in skipped]
    if lines:
        head = "Esclusi dalla build:" if lang == "it" else "Left out of the build:"
        lines.insert(0, head)
    if upcoming:
        lines.append(
            ("Prossima pubblicazione programmata: " if lang == "it" else "Next scheduled go-live: ") + upcoming
        )
    return "\n".join(lines)


KIND_NAMES = {
    "it": {
        "home": "home",
        "page": "pagine",
        "news": "notizie",
        "listing": "elenchi",
        "tags": "indice tag",
        "tag": "tag",
        "404": "404",
    },
    "en": {
        "home": "home",
        "page": "pages",
        "news": "news",
        "listing": "listings",
        "tags": "tag index",
        "tag": "tags",
        "404": "404",
    },
}


STAGE_NAMES = {
    "it": {
        "parse": "lettura",
        "assemble": "sito",
        "plan": "piano",
        "render": "pagine",
        "write": "file",
        "links": "link",
        "swap": "scambio",
        "total": "totale",
    },
    "en": {
        "parse": "parse",
        "assemble": "assemble",
        "plan": "plan",
        "render": "render",
        "write": "write",
        "links": "links",
        "swap": "swap",
        "total": "total",
    },
}


def summary_text(summary, lang: str) -> tuple[str, str]:
    """The closing lines of a build: (what was produced, written and left out; pages by kind and time per stage).

    The second part goes to stderr with the progress bar: it changes from run to run.
    """
    pages = sum(summary.pages_by_kind.values())
    seconds = summary.timings.get("total", 0.0)
    kinds = ", ".join(
        f"{count} {KIND_NAMES[lang].get(kind, kind)}" for kind, count in sorted(summary.pages_by_kind.items())
    )
    if lang == "it":
        text = (
            f"Sito generato in {summary.output}: {pages} pagine, {summary.written} file scritti, "
            f"{summary.unchanged} invariati, in {seconds:.2f} s."
        )
        if summary.nothing_changed:
            text = f"Nessuna modifica: il sito in {summary.output} è aggiornato ({pages} pagine), in {seconds:.2f} s."
        detail = f"  pagine: {kinds}; convertiti {summary.converted} file Markdown, generate {summary.rendered} pagine"
    else:
        text = (
            f"Site built in {summary.output}: {pages} pages, {summary.written} files written, "
            f"{summary.unchanged} unchanged, in {seconds:.2f} s."
        )
        if summary.nothing_changed:
            text = f"Nothing changed: the site in {summary.output} is up to date ({pages} pages), in {seconds:.2f} s."
        detail = f"  pages: {kinds}; converted {summary.converted} Markdown files, rendered {summary.rendered} pages"
    lines = [detail]
    stages = [
        f"{STAGE_NAMES[lang].get(name, name)} {value:.2f} s"
        for name, value in summary.timings.items()
        if name != "total"
    ]
    if stages:
        lines.append(("  tempi: " if lang == "it" else "  time: ") + ", ".join(stages))
    extra = skipped_lines(summary.skipped, summary.next_go_live, lang)
    return text + ("\n" + extra if extra else ""), "\n".join(lines)
