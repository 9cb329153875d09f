//! A shipment's documents besides its label: what the carrier generated with the booking
//! (written with the confirmation, in `bookings.rs`) or handed out later on request.
//! One per shipment and kind; a later one replaces an earlier one.

use carriers::schema::{Document, DocumentKind};
use sqlx::{Any, Row, Transaction};

use super::{Store, now_ms};

/// A stored document's kind and size, for listing without loading the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    pub kind: DocumentKind,
    pub content_type: String,
    pub size: i64,
}

impl Store {
    pub async fn documents(&self, shipment_id: &str) -> Result<Vec<DocumentInfo>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT kind, content_type, LENGTH(content) AS size FROM shipment_documents \
             WHERE shipment_id = $1 ORDER BY kind",
        )
        .bind(shipment_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .filter_map(|r| {
                let kind: String = match r.try_get("kind") {
                    Ok(k) => k,
                    Err(e) => return Some(Err(e)),
                };
                // The table's CHECK lists the kinds this build knows.
                let kind = DocumentKind::parse(&kind)?;
                Some(Ok(DocumentInfo {
                    kind,
                    content_type: match r.try_get("content_type") {
                        Ok(c) => c,
                        Err(e) => return Some(Err(e)),
                    },
                    size: r.try_get("size").unwrap_or(0),
                }))
            })
            .collect()
    }

    pub async fn document(
        &self,
        shipment_id: &str,
        kind: DocumentKind,
    ) -> Result<Option<Document>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT content_type, content FROM shipment_documents WHERE shipment_id = $1 AND kind = $2",
        )
        .bind(shipment_id)
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Document {
                kind,
                content_type: r.try_get("content_type")?,
                content: r.try_get("content")?,
            })
        })
        .transpose()
    }

    pub async fn save_document(
        &self,
        shipment_id: &str,
        document: &Document,
    ) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        let mut tx = self.writer.begin().await?;
        put_documents(&mut tx, &[(shipment_id, document)], now_ms()).await?;
        tx.commit().await
    }
}

/// Writes documents inside a booking's (or any) transaction.
pub(super) async fn put_documents(
    tx: &mut Transaction<'_, Any>,
    documents: &[(&str, &Document)],
    now: i64,
) -> Result<(), sqlx::Error> {
    for (shipment_id, document) in documents {
        sqlx::query(
            "INSERT INTO shipment_documents (shipment_id, kind, content_type, content, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (shipment_id, kind) DO UPDATE SET \
             content_type = excluded.content_type, content = excluded.content",
        )
        .bind(shipment_id.to_string())
        .bind(document.kind.as_str())
        .bind(document.content_type.clone())
        .bind(document.content.clone())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A trade document the shipper uploaded, as listed: kind, size, and the id its carrier
/// filed it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadInfo {
    pub kind: DocumentKind,
    pub content_type: String,
    pub size: i64,
    pub carrier_document_id: String,
}

impl Store {
    pub async fn uploads(&self, shipment_id: &str) -> Result<Vec<UploadInfo>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT kind, content_type, LENGTH(content) AS size, carrier_document_id \
             FROM shipment_uploads WHERE shipment_id = $1 ORDER BY kind",
        )
        .bind(shipment_id)
        .fetch_all(&self.pool)
        .await?;
        let mut uploads = Vec::new();
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            // The table's CHECK lists the kinds this build knows.
            let Some(kind) = DocumentKind::parse(&kind) else {
                continue;
            };
            uploads.push(UploadInfo {
                kind,
                content_type: r.try_get("content_type")?,
                size: r.try_get("size").unwrap_or(0),
                carrier_document_id: r.try_get("carrier_document_id")?,
            });
        }
        Ok(uploads)
    }

    /// The uploaded document of a kind, with the carrier's id of it.
    pub async fn upload(
        &self,
        shipment_id: &str,
        kind: DocumentKind,
    ) -> Result<Option<(Document, String)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT content_type, content, carrier_document_id FROM shipment_uploads \
             WHERE shipment_id = $1 AND kind = $2",
        )
        .bind(shipment_id)
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok((
                Document {
                    kind,
                    content_type: r.try_get("content_type")?,
                    content: r.try_get("content")?,
                },
                r.try_get("carrier_document_id")?,
            ))
        })
        .transpose()
    }

    /// Keeps an uploaded document; `false` (nothing written) when one of its kind is kept.
    pub async fn save_upload(
        &self,
        shipment_id: &str,
        document: &Document,
        carrier_document_id: &str,
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let done = sqlx::query(
            "INSERT INTO shipment_uploads \
             (shipment_id, kind, content_type, content, carrier_document_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (shipment_id, kind) DO NOTHING",
        )
        .bind(shipment_id)
        .bind(document.kind.as_str())
        .bind(document.content_type.clone())
        .bind(document.content.clone())
        .bind(carrier_document_id)
        .bind(now_ms())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
