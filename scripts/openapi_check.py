#!/usr/bin/env python3
"""Checks of the OpenAPI document that the clients rely on (scripts/clients.sh):

    scripts/openapi_check.py valid OPENAPI_JSON            it validates as OpenAPI 3.1
    scripts/openapi_check.py complete OPENAPI_JSON PACKAGE  the generated Python client has
        one module per documented operation (the generator skipped none)

Separate, since validating a document this size takes seconds: the check runs it beside
the tests.
"""

import json
import os
import sys

from openapi_spec_validator import OpenAPIV31SpecValidator


def fail(msg):
    print(f"openapi check: {msg}", file=sys.stderr)
    sys.exit(1)


def valid(doc):
    errors = list(OpenAPIV31SpecValidator(doc).iter_errors())
    if errors:
        fail(f"the document is not valid OpenAPI 3.1 ({len(errors)} errors); first: {errors[0].message}")
    print("openapi check: the document is valid OpenAPI 3.1")


def complete(doc, package):
    documented = sum(
        1 for item in doc["paths"].values() for m in item if m in ("get", "put", "post", "delete", "patch")
    )
    generated = sum(
        1
        for _, _, files in os.walk(os.path.join(package, "api"))
        for f in files
        if f.endswith(".py") and f != "__init__.py"
    )
    if generated != documented:
        fail(f"the Python client has {generated} operations, the document {documented}")
    print(f"openapi check: {documented} operations, each in the Python client")


def main():
    args = sys.argv[1:]
    if len(args) < 2 or (args[0], len(args)) not in (("valid", 2), ("complete", 3)):
        fail("usage: openapi_check.py valid OPENAPI_JSON | complete OPENAPI_JSON PACKAGE_DIR")
    with open(args[1]) as f:
        doc = json.load(f)
    if args[0] == "valid":
        valid(doc)
    else:
        complete(doc, args[2])


if __name__ == "__main__":
    main()
