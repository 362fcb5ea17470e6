"""Messages of the generator, part 1 of the catalogue: what an editor writes (files, front matter, the site, templates, config, addresses, raw content).

Each entry says what is wrong and, after " — ", how to fix it, in Italian and in English
(see :mod:`sitegen.messages`, which joins the parts and renders them).  Tests compare the
exact wording, so change it here only.
"""

from __future__ import annotations

CONTENT: dict[str, dict[str, str]] = {
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
    # --- schedule: drafts and scheduled items checked at every build (issue 11) -------------
    "moment_at": {"it": "{day} alle {time}", "en": "{day} at {time}"},
    "unpublished_scheduled": {
        "it": "programmata per il {when_it}: {problem_it}",
        "en": "scheduled for {when_en}: {problem_en}",
    },
    "stage_unpublished": {"it": "bozze e programmate", "en": "drafts and scheduled"},
    "unpublished_draft": {"it": "bozza, non pubblicata: {problem_it}", "en": "draft, not published: {problem_en}"},
    # --- schedule: friendlier messages where editors stumbled (issue 11) ---------------------
    "link_missing_near": {
        "it": "il collegamento '{target}' porta a una pagina che non esiste — forse intendevi {near}?",
        "en": "the link '{target}' leads to a page that does not exist — did you mean {near}?",
    },
    "link_other_folder": {
        "it": "il collegamento '{target}' cerca il file nella cartella di questa pagina, ma il file è in un'altra cartella — scrivi il percorso da qui: {near}",
        "en": "the link '{target}' looks for the file in this page's folder, but the file is in another folder — write the path from here: {near}",
    },
    "file_name_differs": {
        "it": "il file '{target}' non esiste, ma c'è '{near}', che cambia solo per maiuscole o estensione — scrivi il nome esatto: {near}",
        "en": "the file '{target}' does not exist, but '{near}' does, which differs only in letter case or extension — write the exact name: {near}",
    },
    "anchor_missing_ids": {
        "it": "il collegamento '{target}' punta a un'ancora '#{anchor}' che non esiste in quella pagina — usa l'id di un titolo esistente: {ids}",
        "en": "the link '{target}' points to an anchor '#{anchor}' that does not exist on that page — use the id of an existing heading: {ids}",
    },
    "translation_missing_near": {
        "it": "la traduzione '{key}' non ha la pagina in {missing}, dove c'è invece la chiave '{near}' — se è la stessa pagina, usa la stessa translation_key nei due file",
        "en": "translation '{key}' has no page in {missing}, which has the key '{near}' instead — if it is the same page, use the same translation_key in both files",
    },
}
