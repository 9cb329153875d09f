from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dispute_view import DisputeView
    from ..models.weight_discrepancy_view import WeightDiscrepancyView


T = TypeVar("T", bound="ShipmentWeight")


@_attrs_define
class ShipmentWeight:
    """A shipment's charged weight and its disputes.

    Attributes:
        disputes (list[DisputeView]): Oldest first.
        weight_discrepancy (None | Unset | WeightDiscrepancyView):
    """

    disputes: list[DisputeView]
    weight_discrepancy: None | Unset | WeightDiscrepancyView = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.weight_discrepancy_view import WeightDiscrepancyView  # noqa: PLC0415

        disputes = []
        for disputes_item_data in self.disputes:
            disputes_item = disputes_item_data.to_dict()
            disputes.append(disputes_item)

        weight_discrepancy: dict[str, Any] | None | Unset
        if isinstance(self.weight_discrepancy, Unset):
            weight_discrepancy = UNSET
        elif isinstance(self.weight_discrepancy, WeightDiscrepancyView):
            weight_discrepancy = self.weight_discrepancy.to_dict()
        else:
            weight_discrepancy = self.weight_discrepancy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "disputes": disputes,
            }
        )
        if weight_discrepancy is not UNSET:
            field_dict["weight_discrepancy"] = weight_discrepancy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dispute_view import DisputeView  # noqa: PLC0415
        from ..models.weight_discrepancy_view import WeightDiscrepancyView  # noqa: PLC0415

        d = dict(src_dict)
        disputes = []
        _disputes = d.pop("disputes")
        for disputes_item_data in _disputes:
            disputes_item = DisputeView.from_dict(disputes_item_data)

            disputes.append(disputes_item)

        def _parse_weight_discrepancy(data: object) -> None | Unset | WeightDiscrepancyView:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                weight_discrepancy_type_0 = WeightDiscrepancyView.from_dict(data)

                return weight_discrepancy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WeightDiscrepancyView, data)

        weight_discrepancy = _parse_weight_discrepancy(d.pop("weight_discrepancy", UNSET))

        shipment_weight = cls(
            disputes=disputes,
            weight_discrepancy=weight_discrepancy,
        )

        shipment_weight.additional_properties = d
        return shipment_weight

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
