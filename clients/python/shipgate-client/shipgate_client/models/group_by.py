from enum import StrEnum


class GroupBy(StrEnum):
    ACCOUNT = "account"
    LANE = "lane"

    def __str__(self) -> str:
        return str(self.value)
