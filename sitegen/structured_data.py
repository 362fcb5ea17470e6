"""JSON-LD for search engines: the organisation on every page, article and breadcrumbs on news.

Only facts from the config and the content: an empty config field is left out.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .tags_vocab import resolve
from .urls import absolute

if TYPE_CHECKING:  # pragma: no cover
    from .content import Document
    from .site import Site

# A JSON-LD node: values are text, numbers, lists and other nodes, as json.dumps takes them.
Node = dict[str, Any]


def dumps_for_script(data: object) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped so ``</script>`` cannot break out."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def organization(site: Site) -> Node:
    """IOM as a ``MedicalOrganization``, member of the network."""
    config = site.config
    org, network = config.organization, config.network
    data: Node = {
        "@type": "MedicalOrganization",
        "@id": absolute("/", config.base_url) + "#organization",
        "name": org["name"] or config.site_name[config.default_language],
    }
    optional = {
        "alternateName": org["short_name"],
        "url": org["url"],
        "legalName": org["legal_name"],
        "email": org["email"],
        "telephone": org["phone"],
        "vatID": org["vat_number"],
        "address": org["address"],
    }
    data.update({key: value for key, value in optional.items() if value})
    if network["name"]:
        member = {"@type": "Organization", "name": network["name"]}
        if network["url"]:
            member["url"] = network["url"]
        data["memberOf"] = member
    return data


def json_ld_for(
    site: Site,
    doc: Document | None,
    site_path: str,
    lang: str,
    title: str,
    description: str,
    breadcrumbs: list[Node] | None,
    image: str = "",
) -> str:
    """The page's JSON-LD graph as text for a ``<script type="application/ld+json">``.

    ``image`` is the output file of the page's social card (:mod:`sitegen.cards`): a news
    item's picture as search engines show it, 1200×630 as they ask.
    """
    config = site.config
    org_id, org_json = _organization(site)
    graph: list[Node] = []
    if doc is not None and doc.kind == "news" and doc.meta.date is not None:  # a news item always has a date
        article: Node = {
            "@type": "NewsArticle",
            "headline": title,
            "inLanguage": lang,
            "mainEntityOfPage": absolute(site_path, config.base_url),
            "datePublished": doc.meta.date.isoformat(),
            "dateModified": (doc.meta.updated or doc.meta.date).isoformat(),
            "author": {"@id": org_id},
            "publisher": {"@id": org_id},
        }
        if description:
            article["description"] = description
        keywords = [tag.label for tag in resolve(config.tags, doc.meta.tags, doc.lang)]  # tags: as the page names them
        if keywords:
            article["keywords"] = keywords
        if image:
            article["image"] = [absolute("/" + image, config.base_url)]
        graph.append(article)
    if breadcrumbs:
        graph.append(
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": index,
                        "name": crumb["title"],
                        "item": absolute(crumb["url"], config.base_url),
                    }
                    for index, crumb in enumerate(breadcrumbs, start=1)
                ],
            }
        )
    # Exactly dumps_for_script({"@context": ..., "@graph": [org, *graph]}) (sorted keys, no
    # spaces), with the organisation, the same on every page, encoded once per site.
    parts = [org_json] + [dumps_for_script(item) for item in graph]
    return '{"@context":"https://schema.org","@graph":[' + ",".join(parts) + "]}"


_ORGANIZATION: dict[int, tuple[object, str, str]] = {}


def _organization(site: Site) -> tuple[str, str]:
    """The organisation's ``@id`` and JSON, made once per config (not once per page)."""
    known = _ORGANIZATION.get(id(site.config))
    if known is None or known[0] is not site.config:
        org = organization(site)
        known = (site.config, org["@id"], dumps_for_script(org))
        _ORGANIZATION.clear()  # one config at a time: serve replaces it on config edits
        _ORGANIZATION[id(site.config)] = known
    return known[1], known[2]
