//! The page's HTML, as `maud` templates: every value is escaped unless a template says
//! otherwise (none does), so a tenant's name or a carrier's location text cannot add
//! markup. No script anywhere; the forms work as plain HTML forms.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use maud::{DOCTYPE, Markup, html};

use super::theme::{self, Rgb};
use super::words;
use crate::store::{EventRecord, TrackedShipment};

/// The three things a buyer may ask for after a failed delivery, as the page offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Reattempt,
    ChangeAddress,
    ChangePhone,
}

impl Choice {
    pub fn parse(text: &str) -> Option<Choice> {
        match text {
            "reattempt" => Some(Choice::Reattempt),
            "change_address" => Some(Choice::ChangeAddress),
            "change_phone" => Some(Choice::ChangePhone),
            _ => None,
        }
    }

    pub fn action(self) -> &'static str {
        match self {
            Choice::Reattempt => "reattempt",
            Choice::ChangeAddress => "change_address",
            Choice::ChangePhone => "change_phone",
        }
    }
}

/// Where the shipment's failed delivery stands, for the page.
pub enum Ndr {
    /// Not waiting after a failed attempt: no forms.
    None,
    /// Waiting: the choices the carrier takes.
    Open {
        choices: Vec<Choice>,
        /// The earliest and latest re-attempt dates.
        dates: (NaiveDate, NaiveDate),
    },
    /// A request for this attempt was sent (by the buyer or the seller).
    Sent { action: String },
}

/// What a POST left to show: the buyer's input and the errors beside its fields.
#[derive(Default)]
pub struct FormState {
    pub choice: Option<Choice>,
    /// The values sent, to fill the form again.
    pub values: BTreeMap<String, String>,
    /// Errors by form field (`date`, `line1`, …); `""` for the form as a whole.
    pub errors: BTreeMap<String, Vec<String>>,
}

pub struct Page<'a> {
    pub tracked: &'a TrackedShipment,
    pub carrier_name: &'a str,
    /// Newest first.
    pub events: &'a [EventRecord],
    pub estimated_delivery: Option<NaiveDate>,
    pub ndr: Ndr,
    pub form_value: String,
    pub form: FormState,
    /// Shown at the top after a request was sent.
    pub notice: Option<String>,
}

fn ist() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 30 * 60).expect("valid offset")
}

/// A time as the buyer reads it: India time for a parcel to India, else UTC, said so.
fn when(t: DateTime<Utc>, india: bool) -> String {
    if india {
        t.with_timezone(&ist())
            .format("%a %-d %b %Y, %H:%M IST")
            .to_string()
    } else {
        t.format("%a %-d %b %Y, %H:%M UTC").to_string()
    }
}

fn colours(tracked: &TrackedShipment) -> (Rgb, Rgb) {
    let b = &tracked.branding;
    (
        b.primary_color
            .as_deref()
            .and_then(Rgb::parse)
            .unwrap_or(theme::DEFAULT_PRIMARY),
        b.accent_color
            .as_deref()
            .and_then(Rgb::parse)
            .unwrap_or(theme::DEFAULT_ACCENT),
    )
}

/// The frame every page shares: head, the tenant's header band, the footer.
fn frame(
    title: &str,
    name: &str,
    logo: Option<String>,
    (primary, accent): (Rgb, Rgb),
    body: Markup,
    footer: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                link rel="stylesheet" href=(theme::stylesheet_path(primary, accent));
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.brand {
                    div.inner {
                        @if let Some(src) = logo {
                            img src=(src) alt={ (name) " logo" };
                        }
                        p.name { (name) }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer { (footer) }
            }
        }
    }
}

/// The tracking page.
pub fn page(p: &Page<'_>) -> Markup {
    let t = p.tracked;
    let s = &t.shipment;
    let name = t
        .branding
        .display_name
        .clone()
        .unwrap_or_else(|| t.tenant_name.clone());
    let logo = match (&t.branding.logo, &t.branding.logo_type) {
        (Some(bytes), Some(kind)) => Some(format!("data:{kind};base64,{}", B64.encode(bytes))),
        _ => None,
    };
    let india = s.request.to.country == "IN";
    let headline = words::headline(s.sub_status);
    let body = html! {
        @if let Some(notice) = &p.notice {
            div.notice role="status" { (notice) }
        }
        // Without open forms (the delivery moved on, or a request was already sent), what
        // a post was refused for shows at the top.
        @if !matches!(p.ndr, Ndr::Open { .. }) {
            @if let Some(list) = p.form.errors.get("") {
                div.alert role="alert" { @for e in list { p { (e) } } }
            }
        }
        section aria-labelledby="status" {
            h1 #status { (headline) }
            dl.meta {
                dt { "Courier" }
                dd { (p.carrier_name) }
                @if let Some(awb) = &s.awb {
                    dt { "Tracking number" }
                    dd { (awb) }
                }
                // Estimated delivery: shown when the shipment has one (issue 20, point 3).
                @if let Some(eta) = p.estimated_delivery {
                    @if !s.is_terminal() {
                        dt { "Expected by" }
                        dd.eta { (eta.format("%A %-d %B %Y")) }
                    }
                }
            }
        }
        (ndr_section(p))
        section aria-labelledby="history" {
            h2 #history { "Tracking history" }
            @if p.events.is_empty() {
                p { "No updates from the courier yet." }
            } @else {
                ol.timeline {
                    @for e in p.events {
                        li {
                            span.what { (words::event(e.event.sub_status)) }
                            span.when {
                                time datetime=(e.event.event_time.to_rfc3339()) {
                                    (when(e.event.event_time, india))
                                }
                            }
                            @if let Some(place) = e.event.location.as_deref().filter(|l| !l.trim().is_empty()) {
                                // Carriers name hubs with underscores (`Bengaluru_Hub`).
                                span.where { (place.replace('_', " ")) }
                            }
                        }
                    }
                }
            }
        }
    };
    let b = &t.branding;
    let footer = html! {
        @if b.support_email.is_some() || b.support_phone.is_some() {
            p {
                "Questions about your order? Contact " (name)
                @if let Some(email) = &b.support_email {
                    ": " a href={ "mailto:" (email) } { (email) }
                }
                @if let Some(phone) = &b.support_phone {
                    @if b.support_email.is_some() { " or " } @else { ": " }
                    a href={ "tel:" (phone.replace(' ', "")) } { (phone) }
                }
                "."
            }
        }
    };
    frame(
        &format!("{headline} · {name}"),
        &name,
        logo,
        colours(t),
        body,
        footer,
    )
}

fn field_errors(form: &FormState, field: &str) -> Markup {
    html! {
        @for e in form.errors.get(field).into_iter().flatten() {
            p.error id={ "err-" (field) } { (e) }
        }
    }
}

/// One labelled input, with its errors beside it; `bounds` are a date field's first and
/// last dates.
fn input(
    form: &FormState,
    mine: bool,
    (field, label, kind): (&str, &str, &str),
    (required, autocomplete): (bool, Option<&str>),
    bounds: Option<(NaiveDate, NaiveDate)>,
) -> Markup {
    let id = format!("f-{field}");
    let invalid = mine && form.errors.contains_key(field);
    let value = if mine {
        form.values.get(field).cloned().unwrap_or_default()
    } else {
        String::new()
    };
    html! {
        label for=(id) { (label) @if !required { " (optional)" } }
        input type=(kind) id=(id) name=(field) value=(value) required[required]
            autocomplete=[autocomplete]
            min=[bounds.map(|b| b.0.to_string())]
            max=[bounds.map(|b| b.1.to_string())]
            aria-invalid=[invalid.then_some("true")]
            aria-describedby=[invalid.then(|| format!("err-{field}"))];
        @if mine { (field_errors(form, field)) }
    }
}

fn ndr_section(p: &Page<'_>) -> Markup {
    let token = p.tracked.shipment.tracking_token.as_deref().unwrap_or("");
    let action = format!("/t/{token}/ndr");
    match &p.ndr {
        Ndr::None => html! {},
        Ndr::Sent { action } => html! {
            section aria-labelledby="ndr" {
                h2 #ndr { "Missed delivery" }
                p { "We have asked the courier for " (words::request(action)) ". "
                    "The tracking history shows what happens next." }
            }
        },
        Ndr::Open { choices, dates } => {
            let form = &p.form;
            let general = form.errors.get("");
            html! {
                section aria-labelledby="ndr" {
                    h2 #ndr { "Missed delivery? Tell us what to do" }
                    @if let Some(list) = general {
                        div.alert role="alert" {
                            @for e in list { p { (e) } }
                        }
                    } @else if !form.errors.is_empty() {
                        div.alert role="alert" { p { "Please correct the fields marked below." } }
                    }
                    @if choices.is_empty() {
                        p { "The courier takes no changes online for this delivery. "
                            "Please contact the seller." }
                    }
                    @for choice in choices {
                        @let mine = form.choice == Some(*choice);
                        @match choice {
                            Choice::Reattempt => {
                                form method="post" action=(action) {
                                    fieldset {
                                        legend { "Deliver again" }
                                        input type="hidden" name="csrf" value=(p.form_value);
                                        input type="hidden" name="action" value="reattempt";
                                        (input(form, mine, ("date", "Delivery date", "date"), (false, None), Some(*dates)))
                                        p.hint { "Between " (dates.0.format("%-d %b")) " and "
                                            (dates.1.format("%-d %b %Y")) "; leave empty for the next working day." }
                                        button type="submit" { "Request re-attempt" }
                                    }
                                }
                            }
                            Choice::ChangeAddress => {
                                form method="post" action=(action) {
                                    fieldset {
                                        legend { "Correct the address" }
                                        input type="hidden" name="csrf" value=(p.form_value);
                                        input type="hidden" name="action" value="change_address";
                                        (input(form, mine, ("line1", "Address line 1", "text"), (true, Some("address-line1")), None))
                                        (input(form, mine, ("line2", "Address line 2", "text"), (false, Some("address-line2")), None))
                                        (input(form, mine, ("landmark", "Landmark", "text"), (false, None), None))
                                        (input(form, mine, ("city", "City", "text"), (true, Some("address-level2")), None))
                                        (input(form, mine, ("state", "State", "text"), (false, Some("address-level1")), None))
                                        (input(form, mine, ("postal_code", "PIN code", "text"), (true, Some("postal-code")), None))
                                        button type="submit" { "Update address" }
                                    }
                                }
                            }
                            Choice::ChangePhone => {
                                form method="post" action=(action) {
                                    fieldset {
                                        legend { "Give another phone number" }
                                        input type="hidden" name="csrf" value=(p.form_value);
                                        input type="hidden" name="action" value="change_phone";
                                        (input(form, mine, ("phone", "Phone number", "tel"), (true, Some("tel")), None))
                                        button type="submit" { "Update phone" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A page with only a message: the unknown link, the limit, the expired form.
pub fn message(title: &str, text: &str) -> Markup {
    let body = html! {
        section {
            h1 { (title) }
            p { (text) }
        }
    };
    frame(
        title,
        "Order tracking",
        None,
        (theme::DEFAULT_PRIMARY, theme::DEFAULT_ACCENT),
        body,
        html! {},
    )
}
