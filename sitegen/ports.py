"""Port numbers given on the command line, checked where argparse reads them.

A port outside 1-65535 is a usage error (exit 2), in the messages' language; without
this check ``--port 70000`` printed ``:70000`` and the socket layer bound 70000 mod 65536.
"""

from __future__ import annotations

import argparse

from .messages import messages_language, render_message

FIRST_PORT = 1
LAST_PORT = 65535


def port_number(text: str) -> int:
    """``argparse`` type of ``--port``: a whole number from 1 to 65535."""
    try:
        value = int(text, 10)
    except ValueError:
        value = 0
    if not FIRST_PORT <= value <= LAST_PORT:
        # The config is not read yet when the command line is: SITEGEN_LANG, else Italian.
        raise argparse.ArgumentTypeError(render_message("port_invalid", messages_language(None), {"value": text}))
    return value
