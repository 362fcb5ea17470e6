"""Messages of the generator, part 2 of the catalogue: the commands (check, new, build, output and cache folders, reports, serve, cards, the cache).

Each entry says what is wrong and, after " — ", how to fix it, in Italian and in English
(see :mod:`sitegen.messages`, which joins the parts and renders them).  Tests compare the
exact wording, so change it here only.
"""

from __future__ import annotations

COMMANDS: dict[str, dict[str, str]] = {
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
        "it": 'Creata come bozza (draft: true): scrivi il testo, guarda l\'anteprima con "{python} build.py serve" e togli la riga draft quando è pronta.',
        "en": 'Created as a draft (draft: true): write the text, preview it with "{python} build.py serve" and delete the draft line when it is ready.',
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
    # --- pipeline: output and cache folders, conversion time limit (issue 15 §1, §4) ----
    "output_not_folder": {
        "it": "{output} esiste e non è una cartella — la build la sostituirebbe: indica una cartella nuova, vuota o creata da questo generatore (con --output o output_dir)",
        "en": "{output} exists and is not a folder — the build would replace it: name a folder that is new, empty or made by this generator (with --output or output_dir)",
    },
    "output_staging_not_ours": {
        "it": "{path} esiste ma non è stata creata da questo generatore, che usa quel nome per il suo lavoro accanto a {output} — spostala o rinominala, oppure scegli un'altra cartella di uscita",
        "en": "{path} exists but was not made by this generator, which uses that name for its work next to {output} — move or rename it, or choose another output folder",
    },
    "cache_not_folder": {
        "it": "la cartella della cache {cache} esiste e non è una cartella — indica in cache_dir una cartella nuova, vuota o creata da questo generatore",
        "en": "the cache folder {cache} exists and is not a folder — set cache_dir to a folder that is new, empty or made by this generator",
    },
    "cache_not_ours": {
        "it": "la cartella della cache {cache} non è vuota e non è stata creata da questo generatore — indica in cache_dir una cartella nuova o vuota",
        "en": "the cache folder {cache} is not empty and was not made by this generator — set cache_dir to a new or empty folder",
    },
    "config_cache_unsafe": {
        "it": "la cartella della cache {cache} coincide con {other}, lo contiene o vi è contenuta — scegli una cartella separata (es. .cache/): la cache non deve finire nel sito né tra i sorgenti",
        "en": "the cache folder {cache} is, contains or lies inside {other} — choose a separate folder (e.g. .cache/): the cache must not end up in the site or among the sources",
    },
    "config_output_in_cache": {
        "it": "la cartella di uscita {output} è dentro la cartella della cache {cache} — scegli una cartella fuori dalla cache (es. public/)",
        "en": "the output folder {output} lies inside the cache folder {cache} — choose a folder outside the cache (e.g. public/)",
    },
    "convert_too_slow": {
        "it": "il testo è troppo complesso da convertire in {seconds} s (ad es. migliaia di '[' o '*' senza chiusura) — semplificalo o dividilo in più pagine",
        "en": "the text is too complex to convert in {seconds} s (e.g. thousands of unclosed '[' or '*') — simplify it or split it into several pages",
    },
    "output_marker": {
        "it": "Questa cartella è creata da sitegen e sostituita a ogni build: non metterci file a mano.",
        "en": "This folder is made by sitegen and replaced by every build: do not put files in it by hand.",
    },
    # --- publish: reports, summaries and the command line (sitegen/report.py, cli.py) ----------
    "count_no_errors": {"it": "Nessun errore", "en": "No errors"},
    "count_errors_one": {"it": "{errors} errore", "en": "{errors} error"},
    "count_errors": {"it": "{errors} errori", "en": "{errors} errors"},
    "count_warnings_one": {"it": "{warnings} avviso", "en": "{warnings} warning"},
    "count_warnings": {"it": "{warnings} avvisi", "en": "{warnings} warnings"},
    "count_strict_one": {
        "it": "1 avviso, trattato come errore (--strict)",
        "en": "1 warning, treated as an error (--strict)",
    },
    "count_strict": {
        "it": "{warnings} avvisi, trattati come errori (--strict)",
        "en": "{warnings} warnings, treated as errors (--strict)",
    },
    "skipped_heading": {"it": "Esclusi dalla build:", "en": "Left out of the build:"},
    "skipped_draft": {"it": "bozza", "en": "draft"},
    "skipped_scheduled": {"it": "programmata per", "en": "scheduled for"},
    "skipped_expired": {"it": "scaduta", "en": "expired"},
    "skipped_next_go_live": {
        "it": "Prossima pubblicazione programmata: {when}",
        "en": "Next scheduled go-live: {when}",
    },
    "config_empty_fields_one": {
        "it": "1 campo è vuoto e non compare sul sito ({keys}) — compilalo, o lancia check per il dettaglio",
        "en": "1 field is empty and left out of the site ({keys}) — fill it in, or run check for the details",
    },
    "config_empty_fields": {
        "it": "{count} campi sono vuoti e non compaiono sul sito ({keys}) — compilali, o lancia check per il dettaglio",
        "en": "{count} fields are empty and left out of the site ({keys}) — fill them in, or run check for the details",
    },
    "summary_built": {
        "it": "Sito generato in {output}: {pages} pagine, {written} file scritti, {unchanged} invariati, in {seconds} s.",
        "en": "Site built in {output}: {pages} pages, {written} files written, {unchanged} unchanged, in {seconds} s.",
    },
    "summary_unchanged": {
        "it": "Nessuna modifica: il sito in {output} è aggiornato ({pages} pagine), in {seconds} s.",
        "en": "Nothing changed: the site in {output} is up to date ({pages} pages), in {seconds} s.",
    },
    "summary_detail": {
        "it": "  pagine: {kinds}; convertiti {converted} file Markdown, generate {rendered} pagine",
        "en": "  pages: {kinds}; converted {converted} Markdown files, rendered {rendered} pages",
    },
    "summary_times": {"it": "  tempi: {stages}", "en": "  time: {stages}"},
    "kind_home": {"it": "home", "en": "home"},
    "kind_page": {"it": "pagine", "en": "pages"},
    "kind_news": {"it": "notizie", "en": "news"},
    "kind_listing": {"it": "elenchi", "en": "listings"},
    "kind_tags": {"it": "indice tag", "en": "tag index"},
    "kind_tag": {"it": "tag", "en": "tags"},
    "kind_404": {"it": "404", "en": "404"},
    "stage_parse": {"it": "lettura", "en": "parse"},
    "stage_assemble": {"it": "sito", "en": "assemble"},
    "stage_plan": {"it": "piano", "en": "plan"},
    "stage_render": {"it": "pagine", "en": "render"},
    "stage_write": {"it": "file", "en": "write"},
    "stage_links": {"it": "link", "en": "links"},
    "stage_swap": {"it": "scambio", "en": "swap"},
    "translations_outdated_since": {
        "it": "da aggiornare: originale modificato il {original} ({original_field}), traduzione del {translation} ({translation_field})",
        "en": "to update: original changed on {original} ({original_field}), translation of {translation} ({translation_field})",
    },
    # the pull request's job summary (scripts/pr_summary.py)
    "pr_title": {"it": "Cosa pubblica questa modifica", "en": "What this change publishes"},
    "pr_no_page_changes": {
        "it": "Nessuna pagina nuova, modificata o tolta.",
        "en": "No page added, changed or removed.",
    },
    "pr_new": {"it": "Pagine nuove ({count})", "en": "New pages ({count})"},
    "pr_changed": {"it": "Pagine modificate ({count})", "en": "Changed pages ({count})"},
    "pr_removed": {"it": "Pagine tolte ({count})", "en": "Removed pages ({count})"},
    "pr_other_files": {
        "it": "Altri file cambiati (immagini, allegati, stili, feed): {count}.",
        "en": "Other files changed (images, attachments, styles, feeds): {count}.",
    },
    "pr_scheduled": {
        "it": "Programmate ({count}): andranno online da sole all'ora indicata",
        "en": "Scheduled ({count}): they go live by themselves at the time shown",
    },
    "pr_drafts": {"it": "Bozze, non pubblicate ({count})", "en": "Drafts, not published ({count})"},
    "pr_translations": {"it": "Traduzioni da fare ({count})", "en": "Translations to do ({count})"},
    # serve (printed through sitegen/report.py)
    # --- serve: the local preview (sitegen/serve.py, serve_http.py, ports.py) -----------
    "serve_error_title": {"it": "Errore nella build", "en": "Build error"},
    "serve_error_intro": {
        "it": "Correggi il file indicato e salva: la pagina si ricarica da sola.",
        "en": "Fix the file named below and save: the page reloads by itself.",
    },
    "serve_rebuilt": {"it": "Ricostruito: {written} / {total}", "en": "Rebuilt: {written} / {total}"},
    "serve_search_updated": {"it": "Ricerca aggiornata.", "en": "Search index updated."},
    "serve_search_later": {
        "it": "La ricerca del sito si aggiorna qualche secondo dopo le pagine.",
        "en": "The site search catches up a few seconds after the pages.",
    },
    # the command line: --help and usage errors
    "cli_description": {
        "it": "Genera da Markdown il sito IOM × Innovation Life Sciences Hubs.\n\ncomandi:\n"
        "  build   genera il sito in public/ (il comando predefinito)\n"
        "  check   controlla contenuti, configurazione e template senza scrivere nulla\n"
        "  serve   genera, serve su http://127.0.0.1:8000/ e rigenera e ricarica a ogni modifica\n"
        '  new     crea una notizia: {python} build.py new news "Titolo della notizia" [--lang en] [--date 2026-12-01]',
        "en": "Build the IOM × Innovation Life Sciences Hubs site from Markdown.\n\ncommands:\n"
        "  build   build the site into public/ (the default when no command is given)\n"
        "  check   validate content, config and templates without writing anything\n"
        "  serve   build, serve on http://127.0.0.1:8000/ and rebuild + reload on every change\n"
        '  new     create a news item: {python} build.py new news "News title" [--lang en] [--date 2026-12-01]',
    },
    "cli_usage": {"it": "uso: ", "en": "usage: "},
    "cli_positionals": {"it": "argomenti", "en": "positional arguments"},
    "cli_options": {"it": "opzioni", "en": "options"},
    "cli_error": {
        "it": "{prog}: errore: {detail} — vedi {prog} --help",
        "en": "{prog}: error: {detail} — see {prog} --help",
    },
    "cli_help": {"it": "mostra questo aiuto ed esci", "en": "show this help message and exit"},
    "cli_commands": {"it": "COMANDO", "en": "COMMAND"},
    "cli_build": {"it": "genera il sito (predefinito)", "en": "build the site (default)"},
    "cli_build_description": {"it": "Genera il sito.", "en": "Build the site."},
    "cli_check": {"it": "controlla tutto senza pubblicare", "en": "validate everything without publishing"},
    "cli_check_description": {
        "it": "Controlla contenuti, configurazione e template; non scrive nulla.",
        "en": "Validate content, config and templates; write nothing.",
    },
    "cli_serve": {"it": "anteprima con ricarica automatica", "en": "preview with live reload"},
    "cli_serve_description": {
        "it": "Genera con le bozze e le notizie programmate, serve su 127.0.0.1 e rigenera a ogni modifica.",
        "en": "Build with drafts and scheduled items, serve on 127.0.0.1 and rebuild on every change.",
    },
    "cli_new": {"it": "crea una notizia o una pagina (come bozza)", "en": "create a news item or page (as a draft)"},
    "cli_new_description": {
        "it": "Crea una notizia o una pagina con un front matter completo e commentato.",
        "en": "Create a news item or page with a complete, commented front matter.",
    },
    "cli_opt_config": {
        "it": "file di configurazione (predefinito: config.yaml)",
        "en": "configuration file (default: config.yaml)",
    },
    "cli_opt_base_url": {
        "it": "indirizzo pubblico del sito, es. https://example.org/ilsh/ (sostituisce base_url)",
        "en": "public address of the site, e.g. https://example.org/ilsh/ (overrides base_url)",
    },
    "cli_opt_drafts": {
        "it": "includi le bozze (draft: true) e le notizie programmate, con un avviso in pagina",
        "en": "include items marked draft: true and scheduled items (with a banner)",
    },
    "cli_opt_strict": {"it": "tratta gli avvisi come errori", "en": "treat warnings as errors"},
    "cli_opt_jobs": {
        "it": "processi per leggere e generare (predefinito: uno per core)",
        "en": "processes for parsing and rendering (default: one per core)",
    },
    "cli_opt_no_cache": {
        "it": "ignora e non aggiornare la cache (.cache/): una build da zero",
        "en": "ignore and do not update the build cache (.cache/): a clean build",
    },
    "cli_opt_stats": {
        "it": "mostra le pagine per tipo e i tempi di ogni fase (sempre su un terminale)",
        "en": "print pages by kind and time per stage (always on a terminal)",
    },
    "cli_opt_format": {
        "it": "come scrivere i problemi: text (predefinito), github (annotazioni di GitHub Actions) o json (un oggetto per riga)",
        "en": "how to print problems: text (default), github (GitHub Actions annotations) or json (one object per line)",
    },
    "cli_opt_output": {"it": "cartella di uscita (predefinita: public/)", "en": "output folder (default: public/)"},
    "cli_opt_host": {
        "it": "indirizzo su cui ascoltare (predefinito: 127.0.0.1)",
        "en": "address to bind (default: 127.0.0.1)",
    },
    "cli_opt_port": {"it": "porta (predefinita: 8000)", "en": "port (default: 8000)"},
    "cli_opt_no_drafts": {
        "it": "nascondi le bozze e le notizie programmate nell'anteprima, come nel sito pubblicato",
        "en": "hide drafts and scheduled items in the preview, as in the published site",
    },
    "cli_opt_kind": {"it": "news (una notizia) o page (una pagina)", "en": "news (a news item) or page"},
    "cli_opt_title": {
        "it": 'il titolo, tra virgolette: "Titolo della notizia"',
        "en": 'the title, in quotes: "News title"',
    },
    "cli_opt_lang": {
        "it": "lingua (predefinita: la prima del sito, o l'altra con --translation-of)",
        "en": "language (default: the site's first language, or the other one with --translation-of)",
    },
    "cli_opt_date": {"it": "data di pubblicazione (predefinita: oggi)", "en": "publication date (default: today)"},
    "cli_opt_translation_of": {
        "it": "il file .md di cui questa è la traduzione (stesso translation_key)",
        "en": "the .md file this is a translation of (same translation_key)",
    },
    "cli_bad_now": {
        "it": "{value} non è una data e ora ISO con fuso — scrivi per esempio 2026-11-26T09:00:00+01:00",
        "en": "{value} is not an ISO date-time with an offset — write for example 2026-11-26T09:00:00+01:00",
    },
    "cli_bad_jobs": {"it": "{value} non è un numero intero ≥ 1", "en": "{value} is not a whole number ≥ 1"},
    "cli_bad_date": {
        "it": "{value} non è una data — scrivi AAAA-MM-GG (2026-12-01)",
        "en": "{value} is not a date — write YYYY-MM-DD (2026-12-01)",
    },
    "cli_required": {"it": "mancano gli argomenti: {names}", "en": "the following arguments are required: {names}"},
    "cli_unrecognized": {"it": "argomenti sconosciuti: {names}", "en": "unrecognized arguments: {names}"},
    "cli_bad_choice": {
        "it": "scelta non valida: {value} (scegli tra {choices})",
        "en": "invalid choice: {value} (choose from {choices})",
    },
    "cli_needs_value": {"it": "{name} vuole un valore", "en": "{name} expects a value"},
    "cli_argument": {"it": "argomento {name}: {detail}", "en": "argument {name}: {detail}"},
    "serve_port_busy": {
        "it": "La porta {port} è già occupata (forse da un'altra anteprima): uso la porta {free}. Per sceglierne una, usa --port.",
        "en": "Port {port} is already in use (perhaps by another preview): using port {free}. To choose one, use --port.",
    },
    "serve_no_free_port": {
        "it": "le porte da {first} a {last} sono tutte occupate — chiudi le altre anteprime o scegli una porta libera con --port",
        "en": "ports {first} to {last} are all in use — stop the other previews or choose a free port with --port",
    },
    "serve_cannot_listen": {
        "it": "impossibile aprire l'anteprima su {host}:{port} ({detail}) — scegli un'altra porta con --port (da 1024 in su) o un altro indirizzo con --host",
        "en": "cannot open the preview on {host}:{port} ({detail}) — choose another port with --port (1024 or above) or another address with --host",
    },
    "serve_host_refused": {
        "it": "richiesta rifiutata: l'anteprima risponde solo agli indirizzi di questo computer ({hosts}) — aprila da http://127.0.0.1 con la sua porta",
        "en": "request refused: the preview answers only this computer's addresses ({hosts}) — open it at http://127.0.0.1 with its port",
    },
    "port_invalid": {
        "it": "{value!r} non è un numero di porta valido — usa un numero intero da 1 a 65535",
        "en": "{value!r} is not a valid port number — use a whole number from 1 to 65535",
    },
    # --- social cards: the picture a news item names in its front matter (sitegen.cards) ---
    "fm_image_no_alt": {
        "it": "manca image_alt, la descrizione dell'immagine indicata in image: — aggiungi una riga che dica cosa mostra, per chi non la vede: image_alt: \"Il direttore alla firma dell'accordo\"",
        "en": 'image_alt, the description of the picture named by image:, is missing — add a line saying what it shows, for readers who cannot see it: image_alt: "The director signing the agreement"',
    },
    "fm_image_missing": {
        "it": "l'immagine '{target}' indicata in image: non esiste — controlla il nome del file, scritto rispetto a questo file .md (foto.jpg) o a content/ (/media/foto.jpg)",
        "en": "the picture '{target}' named by image: does not exist — check the file name, written from this .md file (photo.jpg) or from content/ (/media/photo.jpg)",
    },
    "fm_image_outside": {
        "it": "l'immagine '{target}' indicata in image: è fuori dalla cartella content/ (o in una cartella nascosta) — copiala in content/media/ e scrivi image: /media/nome.jpg",
        "en": "the picture '{target}' named by image: is outside the content/ folder (or in a hidden folder) — copy it into content/media/ and write image: /media/name.jpg",
    },
    "fm_image_unreadable": {
        "it": "il file '{target}' indicato in image: non è un'immagine leggibile — salvalo di nuovo come JPEG o PNG",
        "en": "the file '{target}' named by image: is not a readable image — save it again as JPEG or PNG",
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
