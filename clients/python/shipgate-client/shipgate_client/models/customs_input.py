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
    from ..models.customs_item_input import CustomsItemInput


T = TypeVar("T", bound="CustomsInput")


@_attrs_define
class CustomsInput:
    """Customs content as the OMS sends it. Text is trimmed before it is checked.

    Attributes:
        contents (ExportReason): Why the goods cross the border (a carrier's "contents type" or "purpose of shipment").
        items (list[CustomsItemInput]): What is inside, one entry per kind of goods: 1 to 100 items. Their unit values
            are in one currency (the parcels' declared values' and the COD amount's, when
            given), and the items (quantity × weight) weigh no more than the parcels.
        incoterm (Incoterm | None | Unset):
        duties_payer (DutiesPayer | None | Unset):
        invoice_number (None | str | Unset): The commercial invoice's number, printed on the customs documents: at most
            50
            characters. Example: INV-2026-0042.
    """

    contents: ExportReason
    items: list[CustomsItemInput]
    incoterm: Incoterm | None | Unset = UNSET
    duties_payer: DutiesPayer | None | Unset = UNSET
    invoice_number: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contents = self.contents.value

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        incoterm: None | str | Unset
        if isinstance(self.incoterm, Unset):
            incoterm = UNSET
        elif isinstance(self.incoterm, Incoterm):
            incoterm = self.incoterm.value
        else:
            incoterm = self.incoterm

        duties_payer: None | str | Unset
        if isinstance(self.duties_payer, Unset):
            duties_payer = UNSET
        elif isinstance(self.duties_payer, DutiesPayer):
            duties_payer = self.duties_payer.value
        else:
            duties_payer = self.duties_payer

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
                "items": items,
            }
        )
        if incoterm is not UNSET:
            field_dict["incoterm"] = incoterm
        if duties_payer is not UNSET:
            field_dict["duties_payer"] = duties_payer
        if invoice_number is not UNSET:
            field_dict["invoice_number"] = invoice_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customs_item_input import CustomsItemInput  # noqa: PLC0415

        d = dict(src_dict)
        contents = ExportReason(d.pop("contents"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = CustomsItemInput.from_dict(items_item_data)

            items.append(items_item)

        def _parse_incoterm(data: object) -> Incoterm | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                incoterm_type_0 = Incoterm(data)

                return incoterm_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Incoterm | None | Unset, data)

        incoterm = _parse_incoterm(d.pop("incoterm", UNSET))

        def _parse_duties_payer(data: object) -> DutiesPayer | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                duties_payer_type_0 = DutiesPayer(data)

                return duties_payer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DutiesPayer | None | Unset, data)

        duties_payer = _parse_duties_payer(d.pop("duties_payer", UNSET))

        def _parse_invoice_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        invoice_number = _parse_invoice_number(d.pop("invoice_number", UNSET))

        customs_input = cls(
            contents=contents,
            items=items,
            incoterm=incoterm,
            duties_payer=duties_payer,
            invoice_number=invoice_number,
        )

        customs_input.additional_properties = d
        return customs_input

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
