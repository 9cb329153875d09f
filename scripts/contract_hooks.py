"""Schemathesis extensions for shipgate's contract check (scripts/contract.sh loads this
through SCHEMATHESIS_HOOKS).

`POST /v1/shipments/{id}/documents` takes a raw PDF body, which schemathesis cannot draw
from a schema: it is given real PDFs (a minimal valid one, one with trailing bytes) and
arbitrary bytes, so the route sees both a document it accepts and ones it must refuse.
"""

from hypothesis import strategies as st

import schemathesis

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 288 432]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

schemathesis.openapi.media_type(
    "application/pdf",
    st.one_of(
        st.just(MINIMAL_PDF),
        st.binary(max_size=32).map(lambda tail: MINIMAL_PDF + tail),
        st.binary(max_size=256),
    ),
)
