"""The daily digest (`nbaprops digest`, and the worker's morning message): yesterday's graded picks per
system with the rolling record, today's top picks, the health verdict, the open incidents.

Jobs: `_build` (reading one date's digest), `_text` (it in words), `_send` (once per date, recorded).
"""

from nbaprops.ops.digest._build import Digest, SystemRecord, build_digest
from nbaprops.ops.digest._send import DigestSent, digest_channels, digest_sent, send_digest, send_digest_once
from nbaprops.ops.digest._text import digest_text, digest_title

__all__ = [
    "Digest",
    "DigestSent",
    "SystemRecord",
    "build_digest",
    "digest_channels",
    "digest_sent",
    "digest_text",
    "digest_title",
    "send_digest",
    "send_digest_once",
]
