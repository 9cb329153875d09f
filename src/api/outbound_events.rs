//! Documents the messages shipgate sends to an OMS's webhook endpoints, as OpenAPI 3.1
//! `webhooks`: one entry per event type, each with its own schema (the common
//! `EventMessage` with `type` fixed to that event), the Standard Webhooks headers and what
//! the receiver's answer means.
//!
//! Why in the document: a client generated from it then has the payload types, and an
//! integrator reads what arrives next to what is sent.

use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Type};
use utoipa::openapi::{
    ContentBuilder, PathItem, PathsBuilder, Ref, Required, ResponsesBuilder, Schema,
};
use utoipa::{Modify, openapi};

use crate::oms_webhooks::events::EventType;

pub struct OutboundEvents;

/// `shipment.created` → `ShipmentCreatedEvent`.
fn schema_name(event: EventType) -> String {
    let mut name = String::new();
    for part in event.as_str().split(['.', '_']) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name + "Event"
}

fn header(name: &str, description: &str) -> openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

impl Modify for OutboundEvents {
    fn modify(&self, doc: &mut openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let mut webhooks = PathsBuilder::new();
        for event in EventType::ALL {
            let name = schema_name(event);
            let fixed_type = ObjectBuilder::new()
                .property(
                    "type",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([event.as_str()])),
                )
                .required("type");
            components.schemas.insert(
                name.clone(),
                Schema::AllOf(
                    AllOfBuilder::new()
                        .item(Ref::from_schema_name(event.message_schema()))
                        .item(fixed_type)
                        .description(Some(format!("The body of a `{}` message.", event.as_str())))
                        .build(),
                )
                .into(),
            );
            let operation = OperationBuilder::new()
                .operation_id(Some(format!("on{}", name.trim_end_matches("Event"))))
                .tag("webhooks")
                .summary(Some(format!("`{}`, sent to your endpoint", event.as_str())))
                .description(Some(
                    "Sent as a POST to each enabled endpoint subscribed to this type, signed \
                     per Standard Webhooks: verify `webhook-signature` (`v1,<base64 \
                     HMAC-SHA256 of webhook-id.webhook-timestamp.body>` with the endpoint's \
                     secret; two signatures while a secret is rotated) and refuse a \
                     `webhook-timestamp` far from now. Delivery is at least once: use \
                     `webhook-id` to drop repeats.",
                ))
                .parameter(header(
                    "webhook-id",
                    "The message id, the same on every attempt",
                ))
                .parameter(header(
                    "webhook-timestamp",
                    "Seconds since the epoch when this attempt was signed",
                ))
                .parameter(header(
                    "webhook-signature",
                    "Space-separated `v1,<base64>` signatures",
                ))
                .request_body(Some(
                    RequestBodyBuilder::new()
                        .required(Some(Required::True))
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name(name.clone())))
                                .build(),
                        )
                        .build(),
                ))
                .responses(
                    ResponsesBuilder::new()
                        .response(
                            "2XX",
                            ResponseBuilder::new()
                                .description("Received: the message is not sent again"),
                        )
                        .response(
                            "default",
                            ResponseBuilder::new().description(
                                "Any other answer, or none in time, is retried on the schedule \
                                 (honouring `Retry-After`), then dead-lettered and replayable",
                            ),
                        ),
                )
                .build();
            webhooks = webhooks.path(event.as_str(), PathItem::new(HttpMethod::Post, operation));
        }
        doc.webhooks = Some(webhooks.build());
    }
}
