"""Messages of the tag vocabulary (``tags:`` in ``config.yaml``, :mod:`sitegen.tags_vocab`) and of
the items' tags (:mod:`sitegen.tags_site`), in Italian and in English."""

from __future__ import annotations

TAGS: dict[str, dict[str, str]] = {
    # --- tags: the vocabulary in config.yaml (issue 13, "tags defined once") -------------
    "tags_bad_key": {
        "it": "la chiave del tag '{value}' in '{key}' non è fatta di minuscole senza accenti, cifre e trattini — scrivila così: {example}",
        "en": "the tag key '{value}' in '{key}' is not made of lowercase letters without accents, digits and hyphens — write it so: {example}",
    },
    "tags_bad_text": {
        "it": "'{key}' deve essere un testo su una riga, non vuoto (ora è {found}) — per esempio: label: \"ricerca\"",
        "en": "'{key}' must be a text on one line, not empty (it is {found}) — for example: label: \"research\"",
    },
    "tags_bad_slug": {
        "it": "'{value}' in '{key}' non può essere un indirizzo — usa minuscole senza accenti, cifre e trattini: {example}",
        "en": "'{value}' in '{key}' cannot be an address — use lowercase letters without accents, digits and hyphens: {example}",
    },
    "tags_duplicate_slug": {
        "it": "l'indirizzo '{slug}' di '{key}' è già usato da {other} (come slug o in former_slugs) — ogni tag ha indirizzi suoi in ogni lingua: cambiane uno",
        "en": "the address '{slug}' of '{key}' is already used by {other} (as slug or in former_slugs) — each tag has its own addresses in each language: change one",
    },
    "tags_duplicate_label": {
        "it": "'{label}' in '{key}' è già il nome o la chiave di {other} — ogni tag ha un nome suo in ogni lingua: cambiane uno",
        "en": "'{label}' in '{key}' is already the label or the key of {other} — each tag has its own label in each language: change one",
    },
    # --- tags: an item's tags ------------------------------------------------------------
    "tag_unknown": {
        "it": "argomento sconosciuto '{tag}'{suggestion} — usa uno degli argomenti definiti in config.yaml (tags): {allowed}; per uno nuovo, aggiungilo lì nelle due lingue",
        "en": "unknown tag '{tag}'{suggestion} — use one of the tags defined in config.yaml (tags): {allowed}; for a new one, add it there in both languages",
    },
    "tag_one_language": {
        "it": "l'argomento '{tag}' è usato solo da notizie in {used} ({count} in tutto, la prima è questa), nessuna in {missing}: la sua pagina non ha la versione in {missing} — aggiungilo a una notizia in {missing}, per esempio alla traduzione di questa",
        "en": "the tag '{tag}' is used by news items in {used} only ({count} in all, this one first), none in {missing}: its page has no version in {missing} — add it to a news item in {missing}, the translation of this one for example",
    },
    "claim_tag_redirect": {
        "it": "il rinvio dal vecchio indirizzo di un tag (former_slugs)",
        "en": "the redirect from a tag's former address (former_slugs)",
    },
}
