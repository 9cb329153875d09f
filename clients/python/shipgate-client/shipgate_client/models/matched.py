from enum import StrEnum


class Matched(StrEnum):
    DRY_RUN = "dry_run"
    QUOTED_NOW = "quoted_now"
    UNMATCHED = "unmatched"

    def __str__(self) -> str:
        return str(self.value)
