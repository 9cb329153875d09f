//! What every Indian carrier's requests share: today's date in India (invoice, NDR and
//! pickup dates), a 10-digit mobile number, and the declared value, in INR and below the
//! e-way bill threshold.

use chrono::{NaiveDate, Utc};

use crate::CarrierError;
use crate::kit::adapter::Result;
use crate::kit::time::IST;
use crate::schema::{Address, Money, Payment, Phone};

/// From this value (Rs 50,000, in paise) goods moved in India need an e-way bill number.
pub const EWAY_BILL_FROM_PAISE: i64 = 5_000_000;

/// Today in India.
pub fn today() -> NaiveDate {
    IST.wall(Utc::now()).date()
}

/// The 10-digit Indian mobile number of `address`' phone: its national digits, the last
/// ten of them when there are more (a leading 0 or 91 dropped).
pub fn mobile(address: &Address) -> String {
    let digits = national_digits(&address.phone);
    match digits.len() {
        n if n > 10 => digits[n - 10..].to_string(),
        _ => digits,
    }
}

/// The digits of a phone number without its country code.
pub fn national_digits(phone: &Phone) -> String {
    phone
        .national()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// The value declared for the goods: the parcels' (`value`), else the cash to collect,
/// else `prepaid` (what the carrier takes for a prepaid booking without a value). INR
/// only; from [`EWAY_BILL_FROM_PAISE`] refused, unsent: such goods need an e-way bill
/// number, which a shipgate request cannot carry yet.
pub fn declared_value(value: Option<Money>, payment: &Payment, prepaid: Money) -> Result<Money> {
    let value = match (value, payment) {
        (Some(v), _) => v,
        (None, Payment::Cod { cod_amount }) => cod_amount.clone(),
        (None, Payment::Prepaid) => prepaid,
    };
    if value.currency.as_str() != "INR" {
        return Err(CarrierError::Unsupported(
            "a declared value in another currency than INR",
        ));
    }
    if value.amount >= EWAY_BILL_FROM_PAISE {
        return Err(CarrierError::Unsupported(
            "goods worth Rs 50,000 or more (they need an e-way bill number, which a shipgate request cannot carry yet)",
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_value_prefers_the_parcels_then_cod_then_the_default() {
        let cod = Payment::Cod {
            cod_amount: Money::inr(12_300),
        };
        let stated = declared_value(Some(Money::inr(500)), &cod, Money::inr(0)).unwrap();
        assert_eq!(stated.amount, 500);
        let from_cod = declared_value(None, &cod, Money::inr(0)).unwrap();
        assert_eq!(from_cod.amount, 12_300);
        let prepaid = declared_value(None, &Payment::Prepaid, Money::inr(100)).unwrap();
        assert_eq!(prepaid.amount, 100);
    }

    #[test]
    fn declared_value_is_inr_below_the_e_way_bill_threshold() {
        let below = Money::inr(EWAY_BILL_FROM_PAISE - 1);
        assert!(declared_value(Some(below), &Payment::Prepaid, Money::inr(0)).is_ok());
        let at = Money::inr(EWAY_BILL_FROM_PAISE);
        match declared_value(Some(at), &Payment::Prepaid, Money::inr(0)) {
            Err(CarrierError::Unsupported(why)) => assert!(why.contains("e-way bill"), "{why}"),
            other => panic!("{other:?}"),
        }
        let mut usd = Money::inr(100);
        usd.currency = crate::schema::Currency::parse("USD").unwrap();
        match declared_value(Some(usd), &Payment::Prepaid, Money::inr(0)) {
            Err(CarrierError::Unsupported(why)) => assert!(why.contains("INR"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn mobile_is_the_last_ten_national_digits() {
        let address = |phone: &str| -> Address {
            serde_json::from_value(serde_json::json!({
                "name": "Asha", "phone": phone, "line1": "1 MG Road", "city": "Pune",
                "postal_code": "411001", "country": "IN"
            }))
            .unwrap()
        };
        assert_eq!(mobile(&address("+919876543210")), "9876543210");
        assert_eq!(mobile(&address("+44 20 7946 0958")), "2079460958");
        assert_eq!(mobile(&address("+1 415 555 0100")), "4155550100");
        assert_eq!(mobile(&address("+91987654")), "987654");
        assert_eq!(
            national_digits(&address("+91 98765-43210").phone),
            "9876543210"
        );
    }

    #[test]
    fn today_is_the_date_in_india() {
        let now = Utc::now();
        let ist = (now + chrono::Duration::minutes(330)).date_naive();
        // Unless midnight in India passes between the two readings.
        assert!(
            today() == ist || today() == (Utc::now() + chrono::Duration::minutes(330)).date_naive()
        );
    }
}
