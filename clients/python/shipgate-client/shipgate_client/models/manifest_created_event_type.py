from enum import StrEnum


class ManifestCreatedEventType(StrEnum):
    MANIFEST_CREATED = "manifest.created"

    def __str__(self) -> str:
        return str(self.value)
