from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.duties_payer import DutiesPayer
from ..models.export_reason import ExportReason
from ..models.incoterm import Incoterm
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customs_item import CustomsItem


T = TypeVar("T", bound="Customs")


@_attrs_define
class Customs:
    """Customs content, checked: present on a request only when it crosses a border.

    Attributes:
        contents (ExportReason): Why the goods cross the border (a carrier's "contents type" or "purpose of shipment").
        incoterm (Incoterm): An Incoterms 2020 rule: who bears costs and risks up to where. `DAP` (the seller
            delivers, the buyer pays import duties) and `DDP` (the seller pays duties too) are the
            two parcel carriers use; the others are accepted for the carriers that take them.
        duties_payer (DutiesPayer): Who pays import duties and taxes.
        items (list[CustomsItem]):
        invoice_number (None | str | Unset):
    """

    contents: ExportReason
    incoterm: Incoterm
    duties_payer: DutiesPayer
    items: list[CustomsItem]
    invoice_number: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contents = self.contents.value

        incoterm = self.incoterm.value

        duties_payer = self.duties_payer.value

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        invoice_number: None | str | Unset
        if isinstance(self.invoice_number, Unset):
            invoice_number = UNSET
        else:
            invoice_number = self.invoice_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contents": contents,
                "incoterm": incoterm,
                "duties_payer": duties_payer,
                "items": items,
            }
        )
        if invoice_number is not UNSET:
            field_dict["invoice_number"] = invoice_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customs_item import CustomsItem  # noqa: PLC0415

        d = dict(src_dict)
        contents = ExportReason(d.pop("contents"))

        incoterm = Incoterm(d.pop("incoterm"))

        duties_payer = DutiesPayer(d.pop("duties_payer"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = CustomsItem.from_dict(items_item_data)

            items.append(items_item)

        def _parse_invoice_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        invoice_number = _parse_invoice_number(d.pop("invoice_number", UNSET))

        customs = cls(
            contents=contents,
            incoterm=incoterm,
            duties_payer=duties_payer,
            items=items,
            invoice_number=invoice_number,
        )

        customs.additional_properties = d
        return customs

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
