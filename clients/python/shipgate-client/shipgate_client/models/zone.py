from enum import StrEnum


class Zone(StrEnum):
    METRO_TO_METRO = "metro_to_metro"
    REST_OF_INDIA = "rest_of_india"
    SPECIAL = "special"
    WITHIN_CITY = "within_city"
    WITHIN_STATE = "within_state"

    def __str__(self) -> str:
        return str(self.value)
