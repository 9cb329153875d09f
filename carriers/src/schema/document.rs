//! Documents besides the label, as a carrier produced them: customs paperwork, proof of
//! delivery, manifests. Some come with the booking (a commercial invoice generated at
//! create), others are fetched later through the `Documents` family.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    CommercialInvoice,
    /// A customs declaration (CN22/CN23 for posts, the carrier's own form otherwise).
    CustomsDeclaration,
    ProofOfDelivery,
    /// A pickup manifest (see [`super::Manifests`]).
    Manifest,
}

/// A document as the carrier produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocumentKind,
    /// `application/pdf`, `image/png`…
    pub content_type: String,
    pub content: Vec<u8>,
}

impl DocumentKind {
    /// The kind's name in the API and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::CommercialInvoice => "commercial_invoice",
            DocumentKind::CustomsDeclaration => "customs_declaration",
            DocumentKind::ProofOfDelivery => "proof_of_delivery",
            DocumentKind::Manifest => "manifest",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentKind> {
        [
            DocumentKind::CommercialInvoice,
            DocumentKind::CustomsDeclaration,
            DocumentKind::ProofOfDelivery,
            DocumentKind::Manifest,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}
