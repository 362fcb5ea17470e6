"""PyYAML's error texts in Italian, so that an Italian message is Italian throughout.

libyaml and PyYAML describe a syntax error in two English phrases (a context such as
"while parsing a block mapping" and a problem such as "could not find expected ':'").
The common ones are translated here; an unknown phrase is shown as PyYAML wrote it.
"""

from __future__ import annotations

import re

from .messages import Localized

PHRASES_IT = {
    "mapping values are not allowed in this context": "qui non può iniziare un altro campo 'nome: valore'",
    "mapping values are not allowed here": "qui non può iniziare un altro campo 'nome: valore'",
    "could not find expected ':'": "manca il ':' dopo il nome del campo",
    "did not find expected key": "manca il nome di un campo (rientro sbagliato?)",
    "did not find expected node content": "manca un valore",
    "did not find expected ',' or ']'": "manca una ',' o la ']' che chiude l'elenco",
    "did not find expected ',' or '}'": "manca una ',' o la '}' che chiude il gruppo",
    "found unexpected end of stream": "il testo finisce prima del previsto (virgolette non chiuse?)",
    "found unknown escape character": "dopo '\\' c'è un carattere non ammesso",
    "block sequence entries are not allowed in this context": "qui non può iniziare un elemento di elenco '- '",
    "found character that cannot start any token": "c'è un carattere che non può iniziare un valore (una tabulazione? usa spazi)",
    "found a tab character that violates indentation": "c'è una tabulazione dove serve uno spazio",
    "found a tab character where an indentation space is expected": "c'è una tabulazione dove serve uno spazio",
    "found unexpected ':'": "c'è un ':' inatteso",
    "expected <block end>, but found '<block mapping start>'": "il rientro di questa riga non corrisponde a quello delle precedenti",
    "expected <block end>, but found '<scalar>'": "il rientro di questa riga non corrisponde a quello delle precedenti",
    "expected <block end>, but found '-'": "un elemento di elenco '- ' non è allineato",
    "while scanning a simple key": "leggendo il nome di un campo",
    "while parsing a block mapping": "leggendo i campi",
    "while parsing a block collection": "leggendo un elenco",
    "while parsing a flow sequence": "leggendo un elenco tra [ ]",
    "while parsing a flow mapping": "leggendo un gruppo tra { }",
    "while scanning a quoted scalar": "leggendo un testo tra virgolette",
    "while scanning a plain scalar": "leggendo un valore",
    "while parsing a block node": "leggendo un valore",
    "while parsing a flow node": "leggendo un valore",
    "while scanning for the next token": "leggendo la riga",
    "while scanning a block scalar": "leggendo un testo su più righe",
    "while parsing a flow sequence or mapping": "leggendo un elenco o un gruppo",
}
_CHARACTER = re.compile(r"^found character '(.+)' that cannot start any token$")


def _phrase_it(text: str) -> str:
    if text in PHRASES_IT:
        return PHRASES_IT[text]
    character = _CHARACTER.match(text)
    if character:
        if character.group(1) in ("\\t", "\t"):
            return "c'è una tabulazione: nel front matter usa solo spazi"
        return f"il carattere '{character.group(1)}' non può iniziare un valore (mettilo tra virgolette)"
    return text


def yaml_detail(context: str | None, problem: str | None) -> Localized:
    """The two phrases of a YAML error as one detail, in English and in Italian."""
    problem = problem or "?"
    english = f"{context}, {problem}" if context else problem
    italian = f"{_phrase_it(context)}, {_phrase_it(problem)}" if context else _phrase_it(problem)
    return Localized(it=italian, en=english)
