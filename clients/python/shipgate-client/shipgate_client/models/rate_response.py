from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rate_error import RateError
    from ..models.rate_quote import RateQuote
    from ..models.recommendation import Recommendation


T = TypeVar("T", bound="RateResponse")


@_attrs_define
class RateResponse:
    """
    Attributes:
        quotes (list[RateQuote]):
        errors (list[RateError]):
        recommendation (None | Recommendation | Unset):
    """

    quotes: list[RateQuote]
    errors: list[RateError]
    recommendation: None | Recommendation | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.recommendation import Recommendation  # noqa: PLC0415

        quotes = []
        for quotes_item_data in self.quotes:
            quotes_item = quotes_item_data.to_dict()
            quotes.append(quotes_item)

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        recommendation: dict[str, Any] | None | Unset
        if isinstance(self.recommendation, Unset):
            recommendation = UNSET
        elif isinstance(self.recommendation, Recommendation):
            recommendation = self.recommendation.to_dict()
        else:
            recommendation = self.recommendation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "quotes": quotes,
                "errors": errors,
            }
        )
        if recommendation is not UNSET:
            field_dict["recommendation"] = recommendation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rate_error import RateError  # noqa: PLC0415
        from ..models.rate_quote import RateQuote  # noqa: PLC0415
        from ..models.recommendation import Recommendation  # noqa: PLC0415

        d = dict(src_dict)
        quotes = []
        _quotes = d.pop("quotes")
        for quotes_item_data in _quotes:
            quotes_item = RateQuote.from_dict(quotes_item_data)

            quotes.append(quotes_item)

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = RateError.from_dict(errors_item_data)

            errors.append(errors_item)

        def _parse_recommendation(data: object) -> None | Recommendation | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recommendation_type_0 = Recommendation.from_dict(data)

                return recommendation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Recommendation | Unset, data)

        recommendation = _parse_recommendation(d.pop("recommendation", UNSET))

        rate_response = cls(
            quotes=quotes,
            errors=errors,
            recommendation=recommendation,
        )

        rate_response.additional_properties = d
        return rate_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
