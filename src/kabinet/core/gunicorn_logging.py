"""gunicorn's access log without the tokens of token-bearing links.

A password reset key or an invitation token in the request line, the path, the query or the
Referer (a page opened from such a link sends it as the Referer of its styles and scripts) would
otherwise sit in every access log. `kabinet serve` passes `--logger-class` with this class; a
deployment's gunicorn command does the same (docs/deploy.md).
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from kabinet.core.redaction import mask_token_paths


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_token_paths(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
