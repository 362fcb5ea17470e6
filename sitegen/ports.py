"""Port numbers given on the command line, checked where argparse reads them.

A port outside 1-65535 is a usage error (exit 2), in the messages' language; without
this check ``--port 70000`` printed ``:70000`` and the socket layer bound 70000 mod 65536.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .messages import messages_language, render_message

FIRST_PORT = 1
LAST_PORT = 65535


def port_type(lang: str) -> Callable[[str], int]:
    """``argparse`` type of ``--port`` with its message in ``lang``: a whole number from 1 to 65535."""

    def port_number(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            value = 0
        if not FIRST_PORT <= value <= LAST_PORT:
            raise argparse.ArgumentTypeError(render_message("port_invalid", lang, {"value": text}))
        return value

    port_number.__name__ = "port"  # argparse names the type in its fallback message
    return port_number


def port_number(text: str) -> int:
    """``--port`` checked with the messages in SITEGEN_LANG's language (else Italian)."""
    return port_type(messages_language(None))(text)
