//! The ClickPost simulator's calls beyond booking and tracking: serviceability, cancel,
//! NDR actions, the Pickup Request API and AWB register (see `simulator.rs` for the
//! rules).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::simulator::journey::{Instruction, Places};
use crate::simulator::rules::is_pincode;
use crate::simulator::sandbox::reply;
use crate::simulator::store::Key;
use crate::simulator::values::{indian_mobile, number, text};
use crate::simulator::{Answer, SimRequest};

use super::simulator::{
    ACCOUNTS, COD_FEE, ClickPostSimulator, JOURNEY, Order, S, Standing, books_free_id_from,
    city_code, field, meta,
};

impl ClickPostSimulator {
    /// Serviceability v1 and v2: the accounts serving the first lane of the list.
    pub(super) fn serviceability(&self, req: &SimRequest) -> Answer {
        self.let_in(req, None)?;
        let v2 = req.route().1.starts_with("/api/v2");
        let body = req.json();
        let lane = body
            .as_array()
            .and_then(|l| l.first())
            .cloned()
            .unwrap_or(Value::Null);
        let (from, to) = (field(&lane, "pickup_pincode"), field(&lane, "drop_pincode"));
        let valid = is_pincode(&from) && is_pincode(&to);
        let bad = || {
            meta(
                400,
                "pickup_pincode and drop_pincode must be 6-digit pincodes",
            )
        };
        if !valid {
            return Err(bad());
        }
        let optional = lane.get("optional").cloned().unwrap_or(Value::Null);
        let service_type = text(&lane, "service_type")
            .or_else(|| text(&optional, "service_type"))
            .unwrap_or_else(|| "FORWARD".into())
            .to_ascii_uppercase();
        let rvp = service_type == "RVP";
        let grams = number(&optional, "weight")
            .filter(|kg| *kg > 0.0 && *kg < 1e6)
            .map(|kg| kg * 1000.0);
        let served = self.served.serves(&from) && self.served.serves(&to);
        let accounts: Vec<Value> = ACCOUNTS
            .iter()
            .filter(|a| served && (!rvp || a.rvp))
            .map(|a| {
                let prepaid = true;
                let cod = a.cod && !rvp && self.served.serves_cod(&to);
                let price = |with_cod: bool| {
                    let charges = grams.and_then(|g| {
                        self.pricing.charges((&from, &to), g, a.account_code, None)
                    })?;
                    let paise = charges.total() + if with_cod { COD_FEE } else { 0 };
                    Some(json!(paise as f64 / 100.0))
                };
                let (p, c) = (price(false), if cod { price(true) } else { None });
                let mut entry = json!({
                    "cp_id": a.cp_id, "account_code": a.account_code,
                    "serviceable": {"PREPAID": prepaid, "COD": cod, "EXCHANGE": false},
                    "comitted_sla": a.sla_days,
                    "shipping_charge": {"PREPAID": p, "COD": c},
                });
                if v2 {
                    entry["serviceable"]["PICKUP"] = json!(true);
                    entry["service_type"] = json!(service_type);
                    entry["shipping_charge"] = json!({});
                }
                entry
            })
            .collect();
        if accounts.is_empty() {
            let answer = json!({"meta": {"status": 400, "success": false, "message": "Pincode not serviceable"}, "result": []});
            return reply(answer);
        }
        reply(
            json!({"meta": {"status": 200, "success": true, "message": "SUCCESS"}, "result": accounts}),
        )
    }

    pub(super) fn cancel(&self, req: &SimRequest) -> Answer {
        self.let_in(req, None)?;
        let waybill = req.query_text("waybill").to_string();
        let mut books = self.books();
        let invalid = || meta(350, "Invalid Waybill/ Waybill cannot be cancelled");
        let order = books.store.by_mut(Key::Awb, &waybill).ok_or_else(invalid)?;
        let code = req.query_text("account_code");
        if !code.is_empty() && !code.eq_ignore_ascii_case(order.account.account_code) {
            return Err(meta(351, "Clickpost Account: Does not exist"));
        }
        if order.trip.is_cancelled() {
            return reply(
                json!({"meta": {"status": 600, "success": true, "message": "ORDER ALREADY CANCELLED"}}),
            );
        }
        order.trip.cancel().map_err(|_| invalid())?;
        Ok(meta(200, "SUCCESS"))
    }

    /// NDR Action Update: each waybill's act applied to its trip.
    pub(super) fn ndr(&self, req: &SimRequest) -> Answer {
        self.let_in(req, None)?;
        let cp_id = req.query_number("cp_id");
        let items = req.json();
        let items = items.as_array().filter(|i| !i.is_empty());
        let items = items.ok_or_else(|| meta(328, "Invalid POST data"))?;
        let mut books = self.books();
        for item in items {
            let (waybill, act) = (field(item, "waybill"), field(item, "act"));
            let data = item.get("action_data").cloned().unwrap_or(Value::Null);
            let fits = match act.as_str() {
                "RE-ATTEMPT" => true,
                "DEFER_DLV" => {
                    chrono::NaiveDate::parse_from_str(&field(&data, "deferred_date"), "%Y-%m-%d")
                        .is_ok()
                }
                "EDIT_DETAILS" => ["name", "add", "phone"]
                    .iter()
                    .any(|k| text(&data, k).is_some()),
                _ => false,
            };
            if !fits {
                return Err(meta(
                    400,
                    &format!("{waybill}: act {act:?} or its action_data is invalid"),
                ));
            }
            let order = books.store.by_mut(Key::Awb, &waybill);
            let order = order.filter(|o| Some(f64::from(o.account.cp_id)) == cp_id);
            let order = order.ok_or_else(|| meta(330, "waybill does not exist"))?;
            S::instruct(&mut order.trip, Instruction::Redeliver).map_err(|_| {
                meta(
                    400,
                    &format!("{waybill}: no failed delivery awaiting action"),
                )
            })?;
        }
        let reference = format!("UPL{}", books.numbers.ids.issue() + 10_575_891);
        reply(
            json!({"meta": {"status": 200, "success": true, "message": "Success"}, "result": {"cp_response": reference}}),
        )
    }

    pub(super) fn pickup(&self, req: &SimRequest) -> Answer {
        self.let_in(req, None)?;
        let body = req.json();
        let date = field(&body, "pickup_date");
        if DateTime::parse_from_rfc3339(&date).is_err() {
            return Err(meta(
                400,
                "pickup_date must be an ISO datetime, e.g. 2015-03-31T12:00:00Z",
            ));
        }
        let cp_id = number(&body, "courier_partner");
        if !ACCOUNTS.iter().any(|a| Some(f64::from(a.cp_id)) == cp_id) {
            return Err(meta(
                316,
                "You Dont Have Credentials For The Courier Partner",
            ));
        }
        let pin = field(&body, "pickup_pincode");
        for (key, ok) in [
            ("pickup_pincode", self.served.serves(&pin)),
            (
                "pickup_phone",
                indian_mobile(&field(&body, "pickup_phone")).is_some(),
            ),
            ("pickup_address", !field(&body, "pickup_address").is_empty()),
            ("items", !field(&body, "items").is_empty()),
        ] {
            if !ok {
                return Err(meta(400, &format!("{key} is missing or invalid")));
            }
        }
        let number = self.books().numbers.ids.issue() + 500;
        let location = format!("{}{}", city_code(&field(&body, "pickup_city")), &pin[..2]);
        reply(
            json!({"meta": {"message": "SUCCESS", "success": true, "status": 200}, "result": {"location": location, "confirmation_number": number.to_string()}}),
        )
    }

    /// AWB register v2: the key in the body.
    pub(super) fn awb_register(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        self.let_in(req, Some(&field(&body, "key")))?;
        let waybill = field(&body, "waybill");
        let cp_id = number(&body, "cp_id");
        let acct = ACCOUNTS.iter().find(|a| Some(f64::from(a.cp_id)) == cp_id);
        let acct = acct.ok_or_else(|| meta(302, "Invalid Courier Partner Id with Field cp_id"))?;
        if waybill.is_empty() {
            return Err(meta(328, "Invalid POST data"));
        }
        let mut books = self.books();
        if books.store.by(Key::Awb, &waybill).is_some() {
            return Err(meta(303, "waybill already registered"));
        }
        let info = body.get("shipment_info").cloned().unwrap_or(Value::Null);
        let reference = text(&info, "reference_number").unwrap_or_else(|| format!("AWB-{waybill}"));
        let Ok(slot) = books.store.vacant(&reference) else {
            return Err(meta(303, "waybill already registered"));
        };
        let order_id = 0;
        let tracking_id = books_free_id_from(&waybill);
        let places = Places::new("Origin_Hub", "Sandbox_Gateway", "Destination_DC");
        let mut trip = JOURNEY.trip(&text(&info, "drop_pincode").unwrap_or_default(), places);
        trip.advance(Utc::now());
        let order = Order {
            awb: waybill.clone(),
            reference,
            order_id,
            tracking_id,
            account: *acct,
            standing: Standing::Placed,
            security_key: format!("reg-{waybill}"),
            sort_code: String::new(),
            label: None,
            trip,
        };
        slot.insert(order, [(Key::Awb, waybill)]);
        reply(json!({
            "meta": {"message": "SUCCESS", "status": 200, "success": true},
            "result": {"consumer_details": {"id": 1}, "shipment_info": {"id": 1}, "tracking_id": tracking_id},
        }))
    }
}
