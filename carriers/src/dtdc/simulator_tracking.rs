//! DTDC's tracking API (the login, `getTrackDetails`, the pushes it would send) and the
//! rate calculator's pincode lookup, in the sandbox: the other half of
//! [`super::simulator`], whose module docs give the rules.

use serde_json::{Value, json};

use crate::kit::time::IST;
use crate::simulator::journey::{Mark, Place, Scan};
use crate::simulator::rules::is_pincode;
use crate::simulator::sandbox::{Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::Credential;
use crate::simulator::values::text;
use crate::simulator::{Answer, SimRequest, SimResponse};

use super::simulator::{Code, Consignment, DtdcSimulator, DtdcWire};

/// A tracking refusal inside HTTP 200.
pub(super) fn track_failed(number: &str, words: &str) -> SimResponse {
    SimResponse::json(
        200,
        &json!({
            "statusCode": 206, "status": "FAILED",
            "errorDetails": [
                { "name": "strShipmentNo", "value": number },
                { "name": "strError", "value": words },
            ],
        }),
    )
}

/// A scan's date and time as DTDC writes them: IST, `DDMMYYYY` and `HHMM`.
pub(super) fn ist(scan: &Scan<Code>) -> (String, String) {
    (
        IST.format(scan.time, "%d%m%Y"),
        IST.format(scan.time, "%H%M"),
    )
}

impl DtdcSimulator {
    /// The tracking API's admission: the `x-access-token` a login issued.
    pub(super) fn admit_token(&self, request: &SimRequest) -> Result<String, SimResponse> {
        let mut books = self.books();
        let token = request
            .header("x-access-token")
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let credential = token.map_or(Credential::Missing, Credential::Token);
        let account = books.tokens.spend(credential).map_err(DtdcWire::refused)?;
        books.accounts.count(&account);
        Ok(account)
    }

    /// `GET authenticate?username=…&password=…`: the token as bare text.
    pub(super) fn login(&self, request: &SimRequest) -> Answer {
        let given = [
            ("tracking_username", request.query_text("username")),
            ("tracking_password", request.query_text("password")),
        ];
        match self.log_in(&given) {
            Some(token) => Ok(SimResponse::raw(200, "text/plain", token)),
            None => Ok(SimResponse::raw(200, "text/plain", "Not Authorized")),
        }
    }

    /// The tracking answer for one consignment: its header and every scan shown, oldest
    /// first.
    pub(super) fn render(c: &Consignment) -> Value {
        let scans: Vec<Value> = c
            .trip
            .scans()
            .iter()
            .map(|scan| {
                let (code, action, remarks) = scan.step.code;
                let (date, time) = ist(scan);
                let place = c.trip.location(scan.step.place);
                json!({
                    "strCode": code, "strAction": action, "strManifestNo": "",
                    "strOrigin": place, "strDestination": "",
                    "strActionDate": date, "strActionTime": time, "sTrRemarks": remarks,
                })
            })
            .collect();
        let last = c.trip.last();
        let (status, on, at) = last.map_or(("Booked", String::new(), String::new()), |s| {
            let (date, time) = ist(s);
            (s.step.code.1, date, time)
        });
        let booked = c.trip.scans().first().map(ist).unwrap_or_default();
        let attempts = c
            .trip
            .scans()
            .iter()
            .filter(|s| s.step.mark == Mark::Undelivered)
            .count();
        json!({
            "statusCode": 200, "statusFlag": true, "status": "SUCCESS", "errorDetails": null,
            "trackHeader": {
                "strShipmentNo": c.awb, "strRefNo": c.reference, "strCNType": "",
                "strCNProduct": c.product, "strOrigin": c.trip.location(Place::Origin),
                "strBookedDate": booked.0, "strBookedTime": booked.1,
                "strPieces": "1", "strWeightUnit": "KG",
                "strDestination": c.trip.location(Place::Destination),
                "strStatus": status, "strStatusTransOn": on, "strStatusTransTime": at,
                "strNoOfAttempts": attempts.to_string(), "strRtoNumber": "",
            },
            "trackDetails": scans,
        })
    }

    /// `POST getTrackDetails` by AWB (`cnno`) or customer reference (`reference`).
    pub(super) fn track(&self, request: &SimRequest) -> Answer {
        let account = self.admit_token(request)?;
        let body = request.json();
        let number = text(&body, "strcnno").unwrap_or_default();
        let key = match text(&body, "trkType")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "cnno" => Key::Awb,
            "reference" => Key::Reference,
            _ => return Ok(track_failed(&number, "Invalid trkType")),
        };
        // Another account's consignment is DTDC's "Not Authorized", not found.
        let owner = {
            let books = self.books();
            books.store.by(key, &number).map(|c| c.account.clone())
        };
        match owner {
            None => return Ok(track_failed(&number, "No Data Found")),
            Some(owner) if owner != account => {
                return Ok(track_failed(
                    &number,
                    "Not Authorized to view the information",
                ));
            }
            Some(_) => {}
        }
        let found = self.track_each([(key, number.as_str())], Self::render);
        let answer = found
            .into_iter()
            .next()
            .ok_or_else(|| track_failed(&number, "No Data Found"))?;
        reply(answer)
    }

    /// The push DTDC would send now for `awb`: its latest scan shown (see the adapter's
    /// module docs for the format).
    pub fn push_of(&self, awb: &str) -> Option<Value> {
        let books = self.books();
        let c = books.store.by(Key::Awb, awb)?;
        let scan = c.trip.last()?;
        let (code, words, remarks) = scan.step.code;
        let (date, time) = ist(scan);
        let booked = c.trip.scans().first().map(ist).unwrap_or_default();
        Some(json!({
            "shipment": {
                "strShipmentNo": c.awb, "strRefNo": c.reference, "strCNTypeCode": "",
                "strCNProduct": c.product, "strOrigin": c.trip.location(Place::Origin),
                "strBookedOn": booked.0,
            },
            "shipmentStatus": {
                "strAction": code, "strActionDesc": words, "strManifestNo": "",
                "strOrigin": c.trip.location(scan.step.place),
                "strActionDate": date, "strActionTime": time, "strRemarks": remarks,
            },
        }))
    }

    /// `POST PincodeApiCall`: no credentials; `SUCCESS` with the B2C flags, or why not.
    pub(super) fn pincodes(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let (from, to) = (
            text(&body, "orgPincode").unwrap_or_default(),
            text(&body, "desPincode").unwrap_or_default(),
        );
        let message = match (is_pincode(&from), is_pincode(&to)) {
            (false, _) => "ORGPIN is not valid",
            (_, false) => "DESTPIN is not valid",
            _ => "SUCCESS",
        };
        let valid = message == "SUCCESS";
        let served = valid && self.served.serves(&from) && self.served.serves(&to);
        let cod = served && self.served.serves_cod(&to);
        let yes = |b: bool| if b { "YES" } else { "NO" };
        let zone = to.get(..3).unwrap_or_default();
        reply(json!({
            "ZIPCODE_RESP": [{
                "MESSAGE": message, "ORGPIN": from, "DESTPIN": to,
                "SERVFLAG": if served { "Y" } else { "N" },
                "DESTCITY": format!("SANDBOX {zone}"), "DESTSTATE": "SANDBOX",
            }],
            "SERV_LIST": [{
                "NAME": "B2C PRIORITY", "b2C_SERVICEABLE": yes(served), "b2C_COD_Serviceable": yes(cod),
            }],
        }))
    }
}
