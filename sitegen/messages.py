"""Every message the generator shows an editor, in Italian and in English.

Each entry says what is wrong and, after " — ", how to fix it.  The language is the
config's ``messages_language`` (Italian for this site), overridden by the environment
variable ``SITEGEN_LANG``.  Tests compare the exact wording, so change it here only.
"""

from __future__ import annotations

import os

LANGUAGES = ("it", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "_warning_prefix": {"it": "avviso: ", "en": "warning: "},
    "_notice_prefix": {"it": "nota: ", "en": "note: "},
    # --- files -----------------------------------------------------------------------
    "file_empty": {
        "it": "il file è vuoto — scrivi il front matter tra due righe '---' e poi il testo",
        "en": "the file is empty — write the front matter between two '---' lines, then the text",
    },
    "file_not_utf8": {
        "it": "il file non è in UTF-8 (byte {byte} non valido) — salvalo con codifica UTF-8",
        "en": "the file is not UTF-8 (invalid byte {byte}) — save it with UTF-8 encoding",
    },
    "file_binary": {
        "it": "il file contiene dati binari, non testo — un file .md deve essere testo Markdown",
        "en": "the file holds binary data, not text — a .md file must be Markdown text",
    },
    "file_too_large": {
        "it": "il file è troppo grande ({size} MB, massimo {limit} MB) — dividilo in più notizie",
        "en": "the file is too large ({size} MB, at most {limit} MB) — split it into several items",
    },
    "file_symlink_outside": {
        "it": "il collegamento simbolico punta fuori da content/ ({target}) — copia il file dentro content/",
        "en": "the symbolic link points outside content/ ({target}) — copy the file into content/",
    },
    "file_control_char": {
        "it": "il file contiene un carattere di controllo invisibile ({char}) su questa riga — cancellalo (spesso arriva da un copia-incolla da PDF o Word)",
        "en": "the file holds an invisible control character ({char}) on this line — delete it (it often comes from copy-pasting out of a PDF or Word)",
    },
    "file_no_body": {
        "it": "il file ha solo il front matter e nessun testo — scrivi il testo sotto questa riga '---', o metti draft: true finché non è pronto",
        "en": "the file has only the front matter and no text — write the text below this '---' line, or set draft: true until it is ready",
    },
    "body_too_deep": {
        "it": "il testo annida elenchi, citazioni o tag HTML troppo in profondità (più di {limit} livelli) — semplifica la struttura",
        "en": "the text nests lists, quotes or HTML tags too deeply (more than {limit} levels) — simplify its structure",
    },
    "html_removed": {
        "it": "l'HTML {what} è stato tolto dalla pagina perché non è sicuro o non è permesso nei contenuti — usa la sintassi Markdown (collegamenti, immagini, tabelle)",
        "en": "the HTML {what} was removed from the page because it is unsafe or not allowed in content — use Markdown syntax (links, images, tables)",
    },
    "file_unreadable": {
        "it": "il file non si può leggere ({detail}) — controlla i permessi",
        "en": "the file cannot be read ({detail}) — check its permissions",
    },
    "file_changed_during_build": {
        "it": "il file è cambiato mentre il sito veniva generato — genera il sito di nuovo",
        "en": "the file changed while the site was being built — build the site again",
    },
    # --- front matter ----------------------------------------------------------------
    "fm_missing": {
        "it": "manca il front matter — la prima riga deve essere '---', poi i campi (title: ...), poi di nuovo '---'",
        "en": "the front matter is missing — the first line must be '---', then the fields (title: ...), then '---' again",
    },
    "fm_not_closed": {
        "it": "il front matter aperto alla riga 1 non è mai chiuso — aggiungi una riga '---' dopo l'ultimo campo",
        "en": "the front matter opened on line 1 is never closed — add a '---' line after the last field",
    },
    "fm_yaml": {
        "it": "il front matter non è YAML valido: {detail} — controlla la riga; se un valore contiene ':' o '#', mettilo tra virgolette (title: \"Titolo: sottotitolo\")",
        "en": "the front matter is not valid YAML: {detail} — check the line; if a value contains ':' or '#', put it in quotes (title: \"Title: subtitle\")",
    },
    "fm_yaml_colon": {
        "it": "il valore di '{key}' contiene ':' e il front matter non si legge più — mettilo tra virgolette: {key}: \"{value}\"",
        "en": "the value of '{key}' contains ':' and the front matter can no longer be read — put it in quotes: {key}: \"{value}\"",
    },
    "fm_yaml_tag": {
        "it": "il front matter usa un tag YAML non permesso ({tag}) — scrivi solo testo, numeri, date e liste",
        "en": "the front matter uses a YAML tag that is not allowed ({tag}) — write only text, numbers, dates and lists",
    },
    "fm_yaml_alias": {
        "it": "il front matter usa ancore o alias YAML ('&' / '*') — scrivi i valori per esteso; se '*' o '&' fanno parte del testo, metti il valore tra virgolette",
        "en": "the front matter uses YAML anchors or aliases ('&' / '*') — write the values out; if '*' or '&' are part of the text, quote the value",
    },
    "fm_not_mapping": {
        "it": "il front matter deve essere un elenco di campi 'nome: valore', non {found} — scrivi per esempio title: \"Titolo\"",
        "en": "the front matter must be a list of 'name: value' fields, not {found} — write for example title: \"Title\"",
    },
    "fm_duplicate_key": {
        "it": "il campo '{key}' compare due volte (anche alla riga {first}) — tienine uno solo",
        "en": "the field '{key}' appears twice (also on line {first}) — keep only one",
    },
    "fm_unknown_key": {
        "it": "campo sconosciuto '{key}'{suggestion} — i campi ammessi sono: {allowed}",
        "en": "unknown field '{key}'{suggestion} — the allowed fields are: {allowed}",
    },
    "fm_did_you_mean": {"it": " (forse intendevi '{name}'?)", "en": " (did you mean '{name}'?)"},
    "fm_missing_title": {
        "it": 'manca il titolo — aggiungi una riga title: "Titolo della pagina" nel front matter',
        "en": 'the title is missing — add a line title: "Page title" to the front matter',
    },
    "fm_empty_title": {
        "it": "il titolo è vuoto — scrivi un titolo tra virgolette dopo title:",
        "en": "the title is empty — write a title in quotes after title:",
    },
    "fm_wrong_type": {
        "it": "il campo '{key}' deve essere {expected}, non {found} — per esempio: {example}",
        "en": "the field '{key}' must be {expected}, not {found} — for example: {example}",
    },
    "fm_bad_date": {
        "it": "'{value}' nel campo '{key}' non è una data valida — scrivi AAAA-MM-GG (2026-11-26) o AAAA-MM-GG HH:MM (2026-11-26 09:30)",
        "en": "'{value}' in the field '{key}' is not a valid date — write YYYY-MM-DD (2026-11-26) or YYYY-MM-DD HH:MM (2026-11-26 09:30)",
    },
    "fm_missing_date": {
        "it": "manca la data della notizia — aggiungi date: AAAA-MM-GG (il giorno di pubblicazione)",
        "en": "the news item has no date — add date: YYYY-MM-DD (the day it is published)",
    },
    "fm_control_char": {
        "it": "il campo '{key}' contiene un carattere di controllo invisibile ({char}) — riscrivi il valore senza sequenze \\x.. o \\u..",
        "en": "the field '{key}' holds an invisible control character ({char}) — write the value without \\x.. or \\u.. escapes",
    },
    "fm_bad_slug": {
        "it": "lo slug '{value}' non è valido — usa solo lettere minuscole, cifre e trattini (es. mia-notizia)",
        "en": "the slug '{value}' is not valid — use only lowercase letters, digits and hyphens (e.g. my-news-item)",
    },
    "fm_bad_language": {
        "it": "lingua sconosciuta '{value}' — le lingue del sito sono: {allowed}",
        "en": "unknown language '{value}' — the site's languages are: {allowed}",
    },
    "fm_bad_layout": {
        "it": "layout sconosciuto '{value}' — i layout disponibili sono: {allowed}",
        "en": "unknown layout '{value}' — the available layouts are: {allowed}",
    },
    "fm_expiry_before_date": {
        "it": "expires_at ({expires}) viene prima della pubblicazione ({publish}) — la pagina non sarebbe mai visibile",
        "en": "expires_at ({expires}) comes before publication ({publish}) — the page would never be visible",
    },
    # --- the site as a whole ---------------------------------------------------------
    "url_conflict": {
        "it": "questo file e {other} producono lo stesso indirizzo {url} — cambia lo slug o il nome di uno dei due",
        "en": "this file and {other} produce the same address {url} — change the slug or the name of one of them",
    },
    "translation_missing": {
        "it": "la traduzione '{key}' non ha la pagina in {missing} — crea la traduzione o togli translation_key",
        "en": "translation '{key}' has no page in {missing} — create the translation or remove translation_key",
    },
    "translation_duplicate": {
        "it": "translation_key '{key}' è usata anche da {other} nella stessa lingua — ogni lingua ha una sola pagina per chiave",
        "en": "translation_key '{key}' is also used by {other} in the same language — each language has one page per key",
    },
    "link_missing": {
        "it": "il collegamento '{target}' porta a una pagina che non esiste — correggi l'indirizzo (es. /rete/) o il nome del file .md",
        "en": "the link '{target}' leads to a page that does not exist — fix the address (e.g. /en/network/) or the .md file name",
    },
    "anchor_missing": {
        "it": "il collegamento '{target}' punta a un'ancora '#{anchor}' che non esiste in quella pagina — usa l'id di un titolo esistente",
        "en": "the link '{target}' points to an anchor '#{anchor}' that does not exist on that page — use the id of an existing heading",
    },
    "image_missing": {
        "it": "l'immagine '{target}' non esiste — controlla il nome del file e mettilo accanto alla notizia o in content/media/",
        "en": "the image '{target}' does not exist — check the file name and put it next to the item or in content/media/",
    },
    "image_no_alt": {
        "it": "l'immagine '{target}' non ha il testo alternativo — scrivi tra le parentesi quadre cosa mostra, per chi non la vede: ![Il direttore alla firma dell'accordo]({target})",
        "en": "the image '{target}' has no alternative text — write what it shows between the square brackets, for readers who cannot see it: ![The director signing the agreement]({target})",
    },
    "image_unreadable": {
        "it": "il file '{target}' non è un'immagine leggibile — salvalo di nuovo come JPEG o PNG",
        "en": "the file '{target}' is not a readable image — save it again as JPEG or PNG",
    },
    "path_outside": {
        "it": "il riferimento '{target}' esce dalla cartella content/ — usa solo file del sito",
        "en": "the reference '{target}' leaves the content/ folder — use only the site's files",
    },
    "template_link_missing": {
        "it": "la pagina generata {page} contiene un collegamento a '{target}', che non esiste — correggi il template",
        "en": "the generated page {page} links to '{target}', which does not exist — fix the template",
    },
    # --- templates -------------------------------------------------------------------
    "template_syntax": {
        "it": "errore di sintassi nel template: {detail} — controlla i tag {{% %}} e {{{{ }}}} di questa riga",
        "en": "template syntax error: {detail} — check the {{% %}} and {{{{ }}}} tags on this line",
    },
    "template_undefined": {
        "it": "il template usa un valore che non esiste: {detail} (pagina {page}) — correggi il nome della variabile",
        "en": "the template uses a value that does not exist: {detail} (page {page}) — fix the variable name",
    },
    "template_missing": {
        "it": "il template '{name}' non esiste — crealo in templates/ o correggi il nome",
        "en": "the template '{name}' does not exist — create it in templates/ or fix the name",
    },
    "template_error": {
        "it": "errore nel template: {detail} (pagina {page}) — correggi il template",
        "en": "template error: {detail} (page {page}) — fix the template",
    },
    # --- config ----------------------------------------------------------------------
    "config_missing": {
        "it": "il file di configurazione non esiste — crea config.yaml o indica --config",
        "en": "the configuration file does not exist — create config.yaml or pass --config",
    },
    "config_yaml": {
        "it": "config.yaml non è YAML valido: {detail} — controlla la riga; metti tra virgolette i valori che contengono ':'",
        "en": "config.yaml is not valid YAML: {detail} — check the line; quote values that contain ':'",
    },
    "config_not_mapping": {
        "it": "la configurazione deve essere un elenco di campi 'nome: valore' — vedi il README",
        "en": "the configuration must be a list of 'name: value' fields — see the README",
    },
    "config_unknown_key": {
        "it": "chiave sconosciuta '{key}'{suggestion} — le chiavi ammesse sono: {allowed}",
        "en": "unknown key '{key}'{suggestion} — the allowed keys are: {allowed}",
    },
    "config_wrong_type": {
        "it": "la chiave '{key}' deve essere {expected}, non {found} — correggi il valore dopo '{key}:'",
        "en": "the key '{key}' must be {expected}, not {found} — fix the value after '{key}:'",
    },
    "config_missing_key": {
        "it": "manca la chiave obbligatoria '{key}' — aggiungila (vedi il README)",
        "en": "the required key '{key}' is missing — add it (see the README)",
    },
    "config_bad_value": {
        "it": "valore non valido per '{key}': {detail} — correggi il valore dopo '{key}:'",
        "en": "invalid value for '{key}': {detail} — fix the value after '{key}:'",
    },
    "config_base_url": {
        "it": "'{key}' = '{value}' non è un indirizzo completo — scrivilo con lo schema, per esempio https://example.org/ o https://example.org/ilsh/",
        "en": "'{key}' = '{value}' is not a complete address — write it with the scheme, for example https://example.org/ or https://example.org/ilsh/",
    },
    "config_empty_field": {
        "it": "il campo '{key}' è vuoto: {what} non compare sul sito finché non lo compili",
        "en": "the field '{key}' is empty: {what} is left out of the site until you fill it in",
    },
    "config_output_unsafe": {
        "it": "la cartella di uscita {output} coincide con {other}, lo contiene o vi è contenuta — scegli una cartella separata (es. public/): la build la svuota",
        "en": "the output folder {output} is, contains or lies inside {other} — choose a separate folder (e.g. public/): the build empties it",
    },
    # --- check: the translations table ----------------------------------------------
    "translations_heading": {"it": "Traduzioni da fare ({count}):", "en": "Translations to do ({count}):"},
    "translations_columns": {"it": "Originale|Lingua|Traduzione|Stato", "en": "Original|Language|Translation|Status"},
    "translations_missing": {"it": "manca", "en": "missing"},
    "translations_outdated": {
        "it": "da aggiornare: originale del {original}, traduzione del {translation}",
        "en": "to update: original of {original}, translation of {translation}",
    },
    "translations_complete": {
        "it": "Traduzioni: tutte presenti e aggiornate.",
        "en": "Translations: all present and up to date.",
    },
    # --- build.py new -----------------------------------------------------------------
    "new_exists": {
        "it": "il file esiste già — non lo sovrascrivo: scegli un altro titolo o modifica il file esistente",
        "en": "the file already exists — it is not overwritten: choose another title or edit the existing file",
    },
    "new_bad_title": {
        "it": "il titolo '{title}' non contiene lettere o cifre — scrivi un titolo, per esempio \"Nuova sede a Catania\"",
        "en": "the title '{title}' has no letters or digits — write a title, for example \"New offices in Catania\"",
    },
    "new_original_missing": {
        "it": "non trovo la pagina da tradurre — indica un file .md dentro content/<lingua>/, per esempio content/it/notizie/titolo.md",
        "en": "the page to translate cannot be found — give a .md file inside content/<language>/, for example content/it/notizie/title.md",
    },
    "new_same_language": {
        "it": "la traduzione deve essere in un'altra lingua, non in '{lang}' — togli --lang o scegli l'altra lingua",
        "en": "the translation must be in another language, not '{lang}' — drop --lang or choose the other language",
    },
    "new_created_hint": {
        "it": 'Creata come bozza (draft: true): scrivi il testo, guarda l\'anteprima con "python build.py serve" e togli la riga draft quando è pronta.',
        "en": 'Created as a draft (draft: true): write the text, preview it with "python build.py serve" and delete the draft line when it is ready.',
    },
    "new_key_added": {
        "it": "Aggiunto translation_key: {key} a {path}, per collegare le due versioni.",
        "en": "Added translation_key: {key} to {path}, to link the two versions.",
    },
    # --- build -----------------------------------------------------------------------
    "build_locked": {
        "it": "un'altra build sta già scrivendo in {output} — aspetta che finisca e riprova",
        "en": "another build is already writing to {output} — wait for it to finish and try again",
    },
    "output_not_ours": {
        "it": "la cartella di uscita {output} esiste già, non è vuota e non è stata creata da questo generatore — la build la sostituirebbe: scegli una cartella nuova o vuota",
        "en": "the output folder {output} already exists, is not empty and was not made by this generator — the build would replace it: choose a new or empty folder",
    },
    "output_unusable": {
        "it": "la cartella di uscita {output} non si può creare ({detail}) — scegli una cartella in un percorso scrivibile (con --output o output_dir)",
        "en": "the output folder {output} cannot be created ({detail}) — choose a folder on a writable path (with --output or output_dir)",
    },
    "search_unavailable": {
        "it": "Pagefind non è installato, la ricerca del sito non si può generare — installa le dipendenze del progetto (pip install -e .), che comprendono pagefind[bin]",
        "en": "Pagefind is not installed, so the site search cannot be built — install the project's dependencies (pip install -e .), which include pagefind[bin]",
    },
    "search_failed": {
        "it": "Pagefind non è riuscito a indicizzare le pagine ({detail}) — correggi il problema indicato e rilancia la build; il sito precedente è rimasto com'era",
        "en": "Pagefind could not index the pages ({detail}) — fix the problem it names and build again; the previous site is untouched",
    },
    "write_failed": {
        "it": "impossibile scrivere il sito ({detail}) — controlla spazio su disco e permessi; il sito precedente è rimasto com'era",
        "en": "cannot write the site ({detail}) — check disk space and permissions; the previous site is untouched",
    },
    # --- the build cache (sitegen.cache) -----------------------------------------------
    "cache_entry_ignored": {
        "it": "voce della cache ignorata ({detail}): il lavoro viene rifatto — se si ripete, cancella la cartella della cache (cache_dir)",
        "en": "cache entry ignored ({detail}): the work is done again — if this repeats, delete the cache folder (cache_dir)",
    },
    "cache_not_saved": {
        "it": "impossibile salvare la cache ({detail}): la prossima build sarà più lenta — controlla permessi e spazio su disco della cartella della cache (cache_dir)",
        "en": "cannot save the cache ({detail}): the next build will be slower — check the permissions and disk space of the cache folder (cache_dir)",
    },
}


def messages_language(configured: str | None = None) -> str:
    """The language for messages: ``SITEGEN_LANG`` wins over the config, Italian by default."""
    env = os.environ.get("SITEGEN_LANG", "").strip().lower()[:2]
    if env in LANGUAGES:
        return env
    return configured if configured in LANGUAGES else "it"


class Localized(dict):
    """A message parameter given in each language (e.g. a YAML error's own words)."""

    def __hash__(self):  # frozen problems compare their parameters by value
        return hash(tuple(sorted(self.items())))


def render_message(code: str, lang: str, params: dict) -> str:
    """The text of message ``code`` in ``lang`` with ``params`` filled in."""
    entry = CATALOGUE[code]
    values = {
        key: value.get(lang, value.get("en")) if isinstance(value, Localized) else value
        for key, value in params.items()
    }
    return entry.get(lang, entry["en"]).format(**values)
