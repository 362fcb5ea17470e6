#!/usr/bin/env python3
"""Write a deterministic synthetic news corpus, for this generator and for Hugo.

    python bench/make_corpus.py --n 1000 --out bench/out/site-1000 [--seed 1]

Writes two self-contained projects with the same texts:

``OUT/``
    ``config.yaml`` (the repo's, with ``content_dir: content`` and absolute
    ``templates_dir`` / ``static_dir`` pointing at the repo), ``content/it/index.md``
    (the home) and ``content/it/notizie/item-00001.md`` ... ``item-NNNNN.md``.
``OUT-hugo/``
    ``hugo.toml``, minimal ``layouts/`` (home, section list and tag pages with
    pagination, single pages with previous/next, RSS and sitemap from Hugo's built-in
    templates) and ``content/posts/item-00001.md`` ... published at the same
    ``/notizie/item-00001/`` addresses.

Each item has ~690 words of Italian-looking filler: several ``##`` headings, paragraphs
with *emphasis*, **strong** and links to other items, a bullet and a numbered list, a
``>`` quote and, in about one item in four, a small table.  Everything comes from
``random.Random`` seeded with ``--seed`` and the item number: no clock, no environment,
so the same arguments give byte-identical files on any machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_WORDS = 690

WORDS = """
ricerca sviluppo salute paziente ospedale istituto rete progetto territorio innovazione
medicina clinica terapia oncologia prevenzione diagnosi cura servizio sistema dati
analisi studio risultato obiettivo programma comunità regione università laboratorio
tecnologia piattaforma modello percorso assistenza qualità accesso cittadino famiglia
medico infermiere équipe protocollo sperimentazione farmaco molecola genoma biologia
ambiente formazione collaborazione partner impresa investimento risorsa finanziamento
bando sanità prossimità telemedicina digitale sicurezza trasparenza valutazione processo
struttura attività iniziativa incontro convegno giornata settimana mese anno periodo
fase approccio strumento metodo evidenza indicatore misura impatto beneficio rischio
il la lo i gli le un una di da in con su per tra fra del della dei degli delle nel nella
al alla ai agli alle è sono ha hanno viene vengono può possono deve devono sarà saranno
che come quando dove mentre anche ancora già sempre inoltre infatti quindi però oltre
nuovo nuova nuovi nuove grande grandi importante importanti primo prima ultimo ultima
nazionale regionale locale europeo europea internazionale pubblico pubblica privato
privata scientifico scientifica sanitario sanitaria clinico clinica tecnologico concreto
concreta moderno moderna efficace efficiente condiviso condivisa aperto aperta continuo
presentare sostenere promuovere migliorare rafforzare avviare coordinare garantire
favorire sviluppare realizzare valorizzare accompagnare integrare monitorare ridurre
costruire offrire rendere raccogliere condividere coinvolgere proseguire consolidare
presentato sostenuto promosso migliorato rafforzato avviato coordinato garantito
""".split()

HEADINGS = [
    "Il contesto",
    "Gli obiettivi",
    "I partner coinvolti",
    "Le attività previste",
    "I risultati attesi",
    "Il ruolo dell’istituto",
    "La ricerca clinica",
    "Il percorso del paziente",
    "La formazione",
    "Le prossime tappe",
    "I dati raccolti",
    "La collaborazione con il territorio",
    "Le risorse",
    "La sperimentazione",
    "Le tecnologie digitali",
    "L’impatto sulla comunità",
    "Il calendario",
    "La valutazione",
    "Le opportunità",
    "I servizi di prossimità",
    "La rete nazionale",
    "Gli strumenti",
    "Il finanziamento",
    "La sicurezza dei dati",
    "Le persone",
]

TAGS = [
    "ricerca",
    "innovazione",
    "sanità digitale",
    "oncologia",
    "prevenzione",
    "formazione",
    "telemedicina",
    "biotecnologie",
    "dati",
    "territorio",
    "partner",
    "eventi",
    "bandi",
    "sperimentazione",
    "pazienti",
    "genomica",
    "farmaci",
    "intelligenza artificiale",
    "ospedale",
    "comunità",
    "europa",
    "finanziamenti",
    "laboratorio",
    "diagnostica",
    "screening",
    "terapie",
    "qualità",
    "sicurezza",
    "open data",
    "trasferimento tecnologico",
]

TITLE_NOUNS = [
    "progetto",
    "programma",
    "studio",
    "percorso",
    "bando",
    "convegno",
    "laboratorio",
    "servizio",
    "protocollo",
    "accordo",
    "piattaforma",
    "rete",
    "iniziativa",
    "giornata",
]
TITLE_ADJ = [
    "nazionale",
    "regionale",
    "europeo",
    "digitale",
    "clinico",
    "condiviso",
    "aperto",
    "nuovo",
    "integrato",
    "sperimentale",
    "territoriale",
    "internazionale",
]
TITLE_TOPIC = [
    "la prevenzione oncologica",
    "la telemedicina",
    "la ricerca clinica",
    "i giovani ricercatori",
    "la medicina di precisione",
    "i dati sanitari",
    "le cure di prossimità",
    "la genomica",
    "l’ospedale intelligente",
    "la formazione dei medici",
    "le biotecnologie",
    "gli screening",
]

CONFIG_FALLBACK = """\
base_url: "http://127.0.0.1:8000/"
site_name:
  it: "Sito di prova"
  en: "Test site"
languages: [it, en]
timezone: Europe/Rome
paginate: 10
home_news: 3
messages_language: it
content_dir: content
templates_dir: templates
static_dir: static
output_dir: public
cache_dir: .cache
"""

FIRST_DATE = dt.date(2020, 11, 1)
SPAN_DAYS = 5 * 365


def item_name(i: int) -> str:
    return f"item-{i:05d}"


class Writer:
    """Text of one item, drawn from its own seeded generator."""

    def __init__(self, rng: random.Random, n: int, i: int):
        self.rng, self.n, self.i = rng, n, i
        self.words = 0

    def sentence(self, lo: int = 8, hi: int = 18, markup: bool = True) -> str:
        rng = self.rng
        count = rng.randint(lo, hi)
        self.words += count
        ws = [rng.choice(WORDS) for _ in range(count)]
        if markup:
            roll = rng.random()
            if roll < 0.25 and count > 4:
                k = rng.randrange(1, count - 2)
                ws[k] = f"*{ws[k]}*"
            elif roll < 0.45 and count > 5:
                k = rng.randrange(1, count - 3)
                ws[k], ws[k + 1] = f"**{ws[k]}", f"{ws[k + 1]}**"
            elif roll < 0.65 and count > 5 and self.n > 1:
                k = rng.randrange(1, count - 3)
                other = self.other_item()
                ws[k], ws[k + 1] = f"[{ws[k]}", f"{ws[k + 1]}](/notizie/{item_name(other)}/)"
            if count > 10 and rng.random() < 0.5:
                c = rng.randrange(3, count - 3)
                if not any(ch in ws[c] + ws[c + 1] for ch in "*[]()"):
                    ws[c] += ","
        text = " ".join(ws)
        return text[0].upper() + text[1:] + "."

    def other_item(self) -> int:
        other = self.rng.randint(1, self.n - 1)
        return other + 1 if other >= self.i else other

    def paragraph(self, sentences: tuple[int, int] = (3, 5)) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))

    def bullet_list(self, ordered: bool) -> str:
        items = []
        for k in range(self.rng.randint(4, 6)):
            marker = f"{k + 1}." if ordered else "-"
            items.append(f"{marker} {self.sentence(5, 10)}")
        return "\n".join(items)

    def quote(self) -> str:
        said = self.sentence(6, 10, markup=False)
        return "> “" + self.sentence(14, 24, markup=False)[:-1] + "”, " + said[0].lower() + said[1:]

    def table(self) -> str:
        rng = self.rng
        rows = ["| Attività | Periodo | Partecipanti |", "|---|---|---:|"]
        for _ in range(rng.randint(3, 5)):
            what = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
            when = f"{rng.choice(['gennaio', 'marzo', 'maggio', 'luglio', 'settembre', 'novembre'])} {rng.randint(2021, 2025)}"
            rows.append(f"| {what} | {when} | {rng.randint(10, 400)} |")
            self.words += 6
        return "\n".join(rows)


def make_item(n: int, i: int, seed: int) -> tuple[dict, str]:
    """Front matter (as ordered pairs) and Markdown body of item ``i`` of ``n``."""
    rng = random.Random(f"sitegen-bench/{seed}/{i}")
    w = Writer(rng, n, i)
    title = f"{rng.choice(TITLE_NOUNS).capitalize()} {rng.choice(TITLE_ADJ)} per {rng.choice(TITLE_TOPIC)} ({i})"
    description = w.sentence(14, 22, markup=False)
    w.words = 0  # the description is not part of the body
    date = FIRST_DATE + dt.timedelta(days=(i - 1) * SPAN_DAYS // max(n, 1))
    tags = rng.sample(TAGS, rng.randint(1, 4))
    meta = {
        "title": title,
        "description": description,
        "date": date.isoformat(),
        "tags": tags,
        "translation_key": item_name(i),
    }

    headings = rng.sample(HEADINGS, 8)
    has_table = rng.random() < 0.25
    blocks = [w.paragraph((3, 4))]
    section = 0
    extras = ["ul", "ol", "quote"] + (["table"] if has_table else [])
    # One extra per section for the first sections, then plain paragraphs until the
    # body reaches its length.
    while w.words < TARGET_WORDS - 60 or extras:
        if section < len(headings):
            blocks.append(f"## {headings[section]}")
        section += 1
        blocks.append(w.paragraph())
        if extras:
            kind = extras.pop(0)
            blocks.append(
                {
                    "ul": lambda: w.bullet_list(False),
                    "ol": lambda: w.bullet_list(True),
                    "quote": w.quote,
                    "table": w.table,
                }[kind]()
            )
            if w.words < TARGET_WORDS - 60:
                blocks.append(w.paragraph((2, 3)))
        if section > 40:
            break
    return meta, "\n\n".join(blocks) + "\n"


def yaml_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(meta: dict, extra: dict | None = None) -> str:
    lines = ["---"]
    for key, value in {**meta, **(extra or {})}.items():
        if isinstance(value, list):
            lines.append(f"{key}: [" + ", ".join(yaml_string(v) for v in value) + "]")
        elif key == "date":
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {yaml_string(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


HOME_BODY = """Questo sito di prova raccoglie {n} notizie generate per misurare i tempi di costruzione.

## Che cosa contiene

- notizie di circa {words} parole, con titoli, elenchi, collegamenti e citazioni;
- pagine per argomento e un elenco paginato.
"""


def corpus_config(repo: Path, search: bool = True) -> str:
    """The repo's config.yaml with the folders pointed at the corpus and the repo (and
    ``search: false`` when ``search`` is off)."""
    source = repo / "config.yaml"
    text = source.read_text(encoding="utf-8") if source.exists() else CONFIG_FALLBACK
    values = {
        "content_dir": "content",
        "templates_dir": str(repo / "templates"),
        "static_dir": str(repo / "static"),
        "output_dir": "public",
        "cache_dir": ".cache",
    }
    if not search:
        values["search"] = False
    for key, value in values.items():
        line = f"{key}: {'false' if value is False else yaml_string(value)}"
        text, count = re.subn(rf"(?m)^{key}:.*$", lambda _m, line=line: line, text)
        if not count:
            text = text.rstrip("\n") + f"\n{line}\n"
    return text


HUGO_TOML = """\
baseURL = "http://127.0.0.1:1313/"
languageCode = "it"
defaultContentLanguage = "it"
title = "Sito di prova"
disableKinds = []
enableRobotsTXT = true

[pagination]
  pagerSize = 10

[permalinks]
  [permalinks.page]
    posts = "/notizie/:slug/"
  [permalinks.section]
    posts = "/notizie/"

[taxonomies]
  tag = "tags"

[markup.goldmark.extensions]
  table = true
  typographer = true
  footnote = true
  definitionList = true

[markup.goldmark.parser]
  autoHeadingID = true
  [markup.goldmark.parser.attribute]
    block = true
    title = true

[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ site.Title }}">{{ end }}
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
</head>
<body>
<a class="skip" href="#main">Vai al contenuto</a>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><ul><li><a href="{{ "/notizie/" | relURL }}">Notizie</a></li><li><a href="{{ "/tags/" | relURL }}">Argomenti</a></li></ul></nav>
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
""",
    "home.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<h2>Ultime notizie</h2>
<ul>
{{ range first 3 (where site.RegularPages "Section" "posts") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></li>
{{ end }}
</ul>
{{ end }}
""",
    "single.html": """{{ define "main" }}
<nav aria-label="Percorso"><ol><li><a href="{{ "/" | relURL }}">Home</a></li><li><a href="{{ "/notizie/" | relURL }}">Notizie</a></li><li><a href="{{ .RelPermalink }}" aria-current="page">{{ .Title }}</a></li></ol></nav>
<article>
<h1>{{ .Title }}</h1>
<p class="meta">Pubblicato il <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></p>
{{ .Content }}
{{ with .GetTerms "tags" }}<p class="tags">Argomenti: {{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>{{ end }}
</article>
<nav aria-label="Altre notizie"><ul>
{{ with .NextInSection }}<li><a href="{{ .RelPermalink }}" rel="prev">Precedente: {{ .Title }}</a></li>{{ end }}
{{ with .PrevInSection }}<li><a href="{{ .RelPermalink }}" rel="next">Successiva: {{ .Title }}</a></li>{{ end }}
</ul></nav>
{{ end }}
""",
    "list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .RegularPages.ByDate.Reverse }}
<ul class="news">
{{ range $pager.Pages }}
<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></p>
<p>{{ .Description }}</p></li>
{{ end }}
</ul>
<nav aria-label="Pagine"><ul>
{{ with $pager.Prev }}<li><a href="{{ .URL }}" rel="prev">Più recenti</a></li>{{ end }}
<li>Pagina {{ $pager.PageNumber }} di {{ $pager.TotalPages }}</li>
{{ with $pager.Next }}<li><a href="{{ .URL }}" rel="next">Meno recenti</a></li>{{ end }}
</ul></nav>
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}
<h1>Argomenti</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}
</ul>
{{ end }}
""",
}
# Tag pages ("term") use list.html: a paginated list of the items with that tag.


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_corpus(n: int, out: Path, seed: int = 1, repo: Path = REPO, search: bool = True) -> tuple[Path, Path]:
    """Write both projects; return their folders (``out`` and ``out-hugo``)."""
    out = out.resolve()
    hugo = out.with_name(out.name + "-hugo")
    for folder in (out, hugo):
        if folder.exists():
            shutil.rmtree(folder)
    write(out / "config.yaml", corpus_config(repo, search))
    home_meta = {
        "title": "Notizie di prova",
        "description": f"Un sito di prova con {n} notizie generate.",
        "translation_key": "home",
    }
    home_body = HOME_BODY.format(n=n, words=TARGET_WORDS)
    write(out / "content/it/index.md", front_matter({**home_meta, "layout": "home"}) + home_body)

    write(hugo / "hugo.toml", HUGO_TOML)
    for name, text in HUGO_LAYOUTS.items():
        write(hugo / "layouts" / name, text)
    write(hugo / "content/_index.md", front_matter(home_meta) + home_body)
    write(hugo / "content/posts/_index.md", front_matter({"title": "Notizie"}))

    for i in range(1, n + 1):
        meta, body = make_item(n, i, seed)
        name = item_name(i)
        write(out / f"content/it/notizie/{name}.md", front_matter(meta) + body)
        write(hugo / f"content/posts/{name}.md", front_matter(meta, {"slug": name}) + body)
    return out, hugo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of news items")
    parser.add_argument("--out", type=Path, required=True, help="folder of the site project (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repo", type=Path, default=REPO, help="repository whose config/templates/static to use")
    parser.add_argument("--no-search", action="store_true", help="config with 'search: false' (no search index)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    out, hugo = make_corpus(args.n, args.out, args.seed, args.repo.resolve(), search=not args.no_search)
    print(f"{args.n} items: {out} and {hugo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
