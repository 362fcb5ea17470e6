"""Every message the generator shows an editor, in Italian and in English.

Each entry says what is wrong and, after " — ", how to fix it.  The language is the
config's ``messages_language`` (Italian for this site), overridden by the environment
variable ``SITEGEN_LANG``.  Tests compare the exact wording, so change it here only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("it", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "_warning_prefix": {"it": "avviso: ", "en": "warning: "},
    "_notice_prefix": {"it": "nota: ", "en": "note: "},
    "_decimal_separator": {"it": ",", "en": "."},  # publish: file sizes in attachment labels (1,2 MB)
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
    # --- content helper: drafts and scaffold (issue 15.6) ----------------------------
    "fm_not_one_line": {
        "it": "il campo '{key}' contiene un a capo o una tabulazione — scrivilo su una sola riga, per esempio {key}: nuovo-accordo",
        "en": "the field '{key}' holds a line break or a tab — write it on one line, for example {key}: new-agreement",
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
    # --- content helper: every bad configuration is a message (issue 15.8) -------------
    "_type_per_language": {
        "it": "un testo per lingua (it: ..., en: ...)",
        "en": "a text per language (it: ..., en: ...)",
    },
    "config_control_char": {
        "it": "il valore di '{key}' contiene un carattere di controllo invisibile ({char}) — riscrivilo su una riga, senza a capo, tabulazioni o sequenze \\x..",
        "en": "the value of '{key}' holds an invisible control character ({char}) — write it on one line, without line breaks, tabs or \\x.. escapes",
    },
    "config_base_url_char": {
        "it": "'{key}' contiene un carattere che un indirizzo web non può contenere ({char}: uno spazio, un a capo, virgolette...) — scrivi l'indirizzo senza spazi, per esempio https://example.org/ilsh/",
        "en": "'{key}' holds a character a web address cannot hold ({char}: a space, a line break, quotes...) — write the address without spaces, for example https://example.org/ilsh/",
    },
    "config_bad_segment": {
        "it": "'{key}' = '{value}' non è un nome di cartella valido per gli indirizzi del sito — usa solo lettere minuscole, cifre e trattini (es. notizie)",
        "en": "'{key}' = '{value}' is not a valid folder name for the site's addresses — use only lowercase letters, digits and hyphens (e.g. news)",
    },
    "config_folder_missing": {
        "it": "la cartella {path} indicata da '{key}' non esiste — correggi il percorso dopo '{key}:' o crea la cartella",
        "en": "the folder {path} named by '{key}' does not exist — fix the path after '{key}:' or create the folder",
    },
    "site_empty": {
        "it": "nessuna pagina da pubblicare: la cartella non contiene pagine .md pubblicabili (solo bozze, programmate o scadute?) — aggiungi almeno una pagina in content/<lingua>/ o controlla content_dir",
        "en": "no page to publish: the folder holds no publishable .md page (only drafts, scheduled or expired ones?) — add at least one page under content/<language>/ or check content_dir",
    },
    # --- content helper: one owner per address (issue 15.2) --------------------------
    "address_claimed_twice": {
        "it": "{what} e {other_what} di {other} producono lo stesso indirizzo {url} — rinomina o sposta uno dei due: ogni indirizzo del sito ha un solo proprietario",
        "en": "{what} and {other_what} of {other} make the same address {url} — rename or move one of them: every address of the site has one owner",
    },
    "claim_page": {"it": "la pagina", "en": "the page"},
    "claim_file": {"it": "il file", "en": "the file"},
    "claim_static": {"it": "il file statico", "en": "the static file"},
    "claim_listing": {"it": "l'elenco delle notizie (news_dir)", "en": "the news list (news_dir)"},
    "claim_tags": {"it": "l'elenco dei tag (tags_dir)", "en": "the tag list (tags_dir)"},
    "claim_tag": {"it": "la pagina di un tag", "en": "a tag's page"},
    "claim_search": {"it": "la pagina di ricerca (search_dir)", "en": "the search page (search_dir)"},
    "claim_not_found": {"it": "la pagina 404", "en": "the 404 page"},
    "claim_feed": {"it": "il feed Atom", "en": "the Atom feed"},
    "claim_sitemap": {"it": "la sitemap", "en": "the sitemap"},
    "claim_robots": {"it": "robots.txt", "en": "robots.txt"},
    "claim_headers": {"it": "il file _headers", "en": "the _headers file"},
    "claim_search_index": {"it": "l'indice di ricerca pagefind/ (search)", "en": "the search index pagefind/ (search)"},
    "claim_image_variant": {"it": "una variante di un'immagine", "en": "an image variant"},
    "md_outside_language": {
        "it": "un file .md fuori dalle cartelle delle lingue non viene pubblicato — spostalo in content/<lingua>/ ({languages}), o cambiagli estensione se è un allegato",
        "en": "a .md file outside the language folders is not published — move it into content/<language>/ ({languages}), or change its extension if it is an attachment",
    },
    "path_unaddressable": {
        "it": "il nome contiene '{char}', che un indirizzo web non può contenere (diventerebbe un indirizzo come /?/pagina/) — rinomina il file o la cartella usando lettere, cifre e trattini",
        "en": "the name holds '{char}', which a web address cannot hold (it would give an address like /?/page/) — rename the file or folder with letters, digits and hyphens",
    },
    "path_no_slug": {
        "it": "la cartella '{name}' non ha lettere né cifre e non può diventare parte di un indirizzo — rinominala usando lettere, cifre e trattini",
        "en": "the folder '{name}' has no letters or digits and cannot become part of an address — rename it with letters, digits and hyphens",
    },
    # --- content helper: raw content published only as intended (issue 15.5, 15.4) -------
    "attachment_type_refused": {
        "it": "i file {type} non si pubblicano da content/ (possono eseguire codice nel sito o non sono documenti) — scrivi le pagine in Markdown (.md), metti stili e script in static/; tipi ammessi: {allowed}",
        "en": "{type} files are not published from content/ (they can run code in the site or are not documents) — write pages in Markdown (.md), put styles and scripts in static/; allowed types: {allowed}",
    },
    "attachment_no_extension": {
        "it": "il file non ha estensione e non si pubblica da content/ (non si sa che cosa sia) — dagli l'estensione del suo tipo; tipi ammessi: {allowed}",
        "en": "the file has no extension and is not published from content/ (what it is cannot be told) — give it its type's extension; allowed types: {allowed}",
    },
    "svg_unsafe": {
        "it": "l'immagine SVG contiene {what}, che può eseguire codice o chiamare altri siti — esportala di nuovo senza script, eventi né collegamenti esterni, o usa un PNG",
        "en": "the SVG image holds {what}, which can run code or call other sites — export it again without scripts, events or external links, or use a PNG",
    },
    "image_too_large": {
        "it": "l'immagine '{target}' è troppo grande ({size}, al massimo {limit}) — riducila (per esempio a 3000 pixel di larghezza) e salvala di nuovo: il sito ne mostra al massimo 1600",
        "en": "the image '{target}' is too large ({size}, at most {limit}) — scale it down (to 3000 pixels wide, say) and save it again: the site shows at most 1600",
    },
    "file_not_regular": {
        "it": "non è un file normale (una FIFO, un socket o un dispositivo) e non viene letto — mettici un file vero o toglilo",
        "en": "it is not a regular file (a FIFO, a socket or a device) and is not read — put a real file there or remove it",
    },
    "static_symlink_outside": {
        "it": "il collegamento simbolico punta fuori da static/ ({target}) — copia il file dentro static/",
        "en": "the symbolic link points outside static/ ({target}) — copy the file into static/",
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
        "it": "Genera con le bozze, serve su 127.0.0.1 e rigenera a ogni modifica.",
        "en": "Build with drafts, serve on 127.0.0.1 and rebuild on every change.",
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
        "it": "includi le bozze (draft: true), con un avviso in pagina",
        "en": "include items marked draft: true (with a banner)",
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
        "it": "nascondi le bozze nell'anteprima, come nel sito pubblicato",
        "en": "hide drafts in the preview, as in the published site",
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


def messages_language(configured: str | None = None) -> str:
    """The language for messages: ``SITEGEN_LANG`` wins over the config, Italian by default."""
    env = os.environ.get("SITEGEN_LANG", "").strip().lower()[:2]
    if env in LANGUAGES:
        return env
    return configured if configured in LANGUAGES else "it"


class Localized(dict[str, str]):
    """A message parameter given in each language (e.g. a YAML error's own words)."""

    # dict declares __hash__ = None (unhashable); a frozen Problem needs its parameters hashable
    def __hash__(self) -> int:  # type: ignore[override]  # frozen problems compare their parameters by value
        return hash(tuple(sorted(self.items())))


def render_message(code: str, lang: str, params: Mapping[str, object]) -> str:
    """The text of message ``code`` in ``lang`` with ``params`` filled in."""
    entry = CATALOGUE[code]
    values = {
        key: value.get(lang, value.get("en")) if isinstance(value, Localized) else value
        for key, value in params.items()
    }
    return entry.get(lang, entry["en"]).format(**values)
