"""Hand a stored file to the browser after the view has checked who asks.

The view decides (permission, 404 for another customer's file); this decides how the bytes go:
- `KABINET_X_ACCEL_REDIRECT` set (nginx in front): an empty response with `X-Accel-Redirect` to the
  internal location, and nginx sends the file as it sends static files;
- object storage with signed URLs (django-storages S3, `querystring_auth`): a redirect to a URL
  signed for a minute, with the download name;
- else Django streams it from the storage (`FileResponse`), never reading it whole into memory.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseBase, HttpResponseRedirect

SIGNED_URL_SECONDS = 60


def stored_file_response(name: str, filename: str, content_type: str) -> HttpResponseBase:
    disposition = f'attachment; filename="{filename}"'
    prefix = getattr(settings, "KABINET_X_ACCEL_REDIRECT", "")
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    elif getattr(default_storage, "querystring_auth", False):
        url = default_storage.url(  # type: ignore[call-arg]
            name,
            parameters={"ResponseContentDisposition": disposition},
            expire=SIGNED_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    # what the page cache keeps instead of the bytes (portal/pagecache.py)
    setattr(response, "kabinet_stored", (name, filename, content_type))  # noqa: B010
    return response
