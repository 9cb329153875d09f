//! Logging in once for many calls.
//!
//! Most carriers want a token first: a login call with a user and password (Shiprocket,
//! XpressBees, Blue Dart), or OAuth2 client credentials (FedEx, UPS, USPS, DHL). A
//! [`Session`] holds the token while it is young enough, puts it on every request, and
//! when the carrier refuses it (a 401, which means the call was not executed, so sending
//! it again is safe even for a booking) logs in again and sends the call once more.
//!
//! Shared safely between concurrent calls: one login at a time. Under load, a token the
//! carrier stops accepting meets hundreds of calls at once; if each logged in, a carrier
//! that keeps a bounded number of live tokens (or throttles logins) would refuse the
//! newest tokens too. So the slot is an async mutex held across the login: the first
//! caller logs in, the others wait for it and use its token, and a caller whose token was
//! refused logs in only if nobody has replaced that token meanwhile.
//!
//! A carrier with a fixed API key needs no session: its requests carry the key as a
//! marked secret ([`crate::wire::HttpRequest::secret_header`]).

use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use zeroize::Zeroizing;

use crate::CarrierError;
use crate::carrier::{Operation, Transport};
use crate::wire::{HttpRequest, HttpResponse};

/// A token and how long the carrier says it lives (when it says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub value: String,
    pub expires_in: Option<Duration>,
}

/// How a carrier logs in: the call, reading its answer, and putting the token on a call.
/// Pure, like the rest of an adapter: the session does the I/O.
pub trait Login: Send + Sync {
    fn request(&self) -> Result<HttpRequest, CarrierError>;
    fn parse(&self, resp: &HttpResponse) -> Result<Token, CarrierError>;
    /// Puts the token on a call; a bearer `Authorization` header unless the carrier
    /// wants it elsewhere. The token itself is marked secret, so it is masked wherever it
    /// shows, not only in this header.
    fn authorize(&self, request: HttpRequest, token: &str) -> HttpRequest {
        request
            .secret(token)
            .header("authorization", format!("Bearer {token}"))
    }
}

/// The most times one call is sent (see [`Session::send`]): a token refused, then its
/// replacement refused too, is the carrier refusing the credentials.
pub const MAX_ATTEMPTS: usize = 2;

/// The token held, wiped from memory when replaced or when the session goes. No `Debug`:
/// nothing can print it by accident.
struct Cached {
    token: Zeroizing<String>,
    good_until: Instant,
}

/// A carrier account's token, shared by all its calls.
pub struct Session {
    login: Box<dyn Login>,
    slot: Mutex<Option<Cached>>,
    /// Lifetime assumed when the login answer does not give one.
    default_life: Duration,
}

impl Session {
    /// `default_life`: how long a token lives when the carrier's answer does not say.
    pub fn new(login: impl Login + 'static, default_life: Duration) -> Session {
        Session {
            login: Box::new(login),
            slot: Mutex::new(None),
            default_life,
        }
    }

    /// Sends `request` with the token; on a 401 gets a fresh token (one login for all
    /// callers) and sends it once more. A second 401 is returned for the adapter to read
    /// as the carrier's refusal.
    pub async fn send(
        &self,
        t: &dyn Transport,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse, CarrierError> {
        let mut refused: Option<String> = None;
        let mut attempt = 1;
        loop {
            let token = self.token(t, refused.as_deref()).await?;
            let resp = t
                .send(op, self.login.authorize(request.clone(), &token))
                .await?;
            if resp.status != 401 {
                return Ok(resp);
            }
            if attempt == MAX_ATTEMPTS {
                self.forget(&token).await;
                return Ok(resp);
            }
            tracing::info!(
                operation = op.as_str(),
                attempt,
                "the carrier refused the token; trying with a fresh one"
            );
            refused = Some(token);
            attempt += 1;
        }
    }

    /// A token young enough to use, logging in when there is none. `refused`: a token the
    /// carrier has just refused, replaced unless another caller already has.
    pub async fn token(
        &self,
        t: &dyn Transport,
        refused: Option<&str>,
    ) -> Result<String, CarrierError> {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref()
            && cached.good_until > Instant::now()
            && Some(cached.token.as_str()) != refused
        {
            return Ok(cached.token.to_string());
        }
        self.log_in_to(&mut slot, t, Operation::Login).await
    }

    /// Logs in now, whatever token is held, and keeps the new token: a check of the
    /// credentials themselves (a cached token proves nothing about them), sent as `op`.
    pub async fn log_in(&self, t: &dyn Transport, op: Operation) -> Result<(), CarrierError> {
        let mut slot = self.slot.lock().await;
        self.log_in_to(&mut slot, t, op).await.map(drop)
    }

    /// Logs in, the token held in `slot` (dropped first, so a refused login leaves none).
    async fn log_in_to(
        &self,
        slot: &mut Option<Cached>,
        t: &dyn Transport,
        op: Operation,
    ) -> Result<String, CarrierError> {
        *slot = None;
        let resp = t.send(op, self.login.request()?).await?;
        let token = self.login.parse(&resp)?;
        let life = token.expires_in.unwrap_or(self.default_life);
        *slot = Some(Cached {
            token: Zeroizing::new(token.value.clone()),
            good_until: Instant::now() + reuse_for(life),
        });
        Ok(token.value)
    }

    /// Forgets `token` if it is still the one held.
    async fn forget(&self, token: &str) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| c.token.as_str() == token) {
            *slot = None;
        }
    }
}

/// How long a token is reused: its life less a tenth (a day of Shiprocket's ten days, six
/// minutes of an OAuth2 hour), so a call never leaves with a token about to die.
pub fn reuse_for(life: Duration) -> Duration {
    life - life / 10
}

/// OAuth2 client credentials (RFC 6749 §4.4): a form POST to the token endpoint with the
/// client id and secret, answered with `access_token` and `expires_in`.
pub struct ClientCredentials {
    pub token_path: String,
    pub client_id: String,
    pub client_secret: String,
    /// Sent as `scope` when set.
    pub scope: Option<String>,
    /// Where the client id and secret go.
    pub auth: ClientAuth,
}

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1): both are in
/// use, FedEx and USPS take the form fields, UPS the Basic header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` as form fields.
    #[default]
    Form,
    /// `Authorization: Basic base64(client_id:client_secret)`, the form carrying only the
    /// grant type (and scope).
    Basic,
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    expires_in: Option<crate::kit::lenient::Loose>,
}

impl Login for ClientCredentials {
    fn request(&self) -> Result<HttpRequest, CarrierError> {
        let mut form = vec![("grant_type", "client_credentials")];
        if self.auth == ClientAuth::Form {
            form.push(("client_id", self.client_id.as_str()));
            form.push(("client_secret", self.client_secret.as_str()));
        }
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        let request = HttpRequest::post(self.token_path.clone())
            .form(&form)?
            .secret(&self.client_secret);
        Ok(match self.auth {
            ClientAuth::Form => request,
            ClientAuth::Basic => {
                use base64::Engine;
                let pair = format!("{}:{}", self.client_id, self.client_secret);
                let basic = base64::engine::general_purpose::STANDARD.encode(pair);
                request.secret_header("authorization", format!("Basic {basic}"))
            }
        })
    }

    fn parse(&self, resp: &HttpResponse) -> Result<Token, CarrierError> {
        if !resp.is_success() {
            resp.fail_on_server_error()?;
            let body = crate::kit::error_body::read(resp);
            return Err(CarrierError::rejected(
                "login_failed",
                format!(
                    "the carrier refused the client credentials: {}",
                    body.message
                        .unwrap_or_else(|| format!("HTTP {}", resp.status))
                ),
                resp.status,
            ));
        }
        let answer: TokenAnswer = resp.json()?;
        let value = answer
            .access_token
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| CarrierError::bad_response("token answer without access_token"))?;
        let expires_in = answer
            .expires_in
            .and_then(|e| e.number())
            .filter(|s| *s > 0.0 && *s < 1e9)
            .map(Duration::from_secs_f64);
        Ok(Token { value, expires_in })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use async_trait::async_trait;

    use super::*;

    /// Lets other callers run between the two halves of a call, then answers a login (a
    /// call to the token path, whatever its operation) with the next numbered token
    /// (counted in `logins`); `None` for any other call.
    async fn answer_login(request: &HttpRequest, logins: &AtomicUsize) -> Option<HttpResponse> {
        tokio::task::yield_now().await;
        (request.path == login().token_path).then(|| {
            let n = logins.fetch_add(1, Ordering::SeqCst) + 1;
            HttpResponse::new(
                200,
                format!(r#"{{"access_token":"t{n}","expires_in":"3600"}}"#),
            )
        })
    }

    /// A carrier that issues numbered tokens, accepts only the newest, and counts logins.
    #[derive(Default)]
    struct Carrier {
        logins: AtomicUsize,
        calls: AtomicUsize,
    }

    #[async_trait]
    impl Transport for Carrier {
        async fn send(
            &self,
            _op: Operation,
            request: HttpRequest,
        ) -> Result<HttpResponse, CarrierError> {
            if let Some(login) = answer_login(&request, &self.logins).await {
                return Ok(login);
            }
            self.calls.fetch_add(1, Ordering::SeqCst);
            let newest = format!("Bearer t{}", self.logins.load(Ordering::SeqCst));
            Ok(
                if request.header_value("authorization") == Some(newest.as_str()) {
                    HttpResponse::new(200, "{}")
                } else {
                    HttpResponse::new(401, r#"{"message":"Token expired"}"#)
                },
            )
        }
    }

    fn login() -> ClientCredentials {
        ClientCredentials {
            token_path: "/oauth/token".into(),
            client_id: "id".into(),
            client_secret: "s3cret".into(),
            scope: None,
            auth: ClientAuth::Form,
        }
    }

    #[test]
    fn the_client_authenticates_by_form_fields_or_by_basic_header() {
        let form = login().request().unwrap();
        let body = String::from_utf8(form.body.clone().unwrap()).unwrap();
        assert!(body.contains("client_id=id") && body.contains("client_secret=s3cret"));
        assert_eq!(form.header_value("authorization"), None);
        let basic = ClientCredentials {
            auth: ClientAuth::Basic,
            ..login()
        }
        .request()
        .unwrap();
        let body = String::from_utf8(basic.body.clone().unwrap()).unwrap();
        assert_eq!(body, "grant_type=client_credentials");
        // base64("id:s3cret")
        assert_eq!(
            basic.header_value("authorization"),
            Some("Basic aWQ6czNjcmV0")
        );
    }

    /// Sends `n` calls at once (all spawned before any is awaited); each must succeed.
    async fn all_succeed(carrier: &Arc<Carrier>, session: &Arc<Session>, n: usize) {
        let calls: Vec<_> = (0..n)
            .map(|_| {
                let (carrier, session) = (carrier.clone(), session.clone());
                tokio::spawn(async move {
                    session
                        .send(carrier.as_ref(), Operation::Track, HttpRequest::get("/x"))
                        .await
                        .unwrap()
                        .status
                })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap(), 200);
        }
    }

    #[tokio::test]
    async fn concurrent_calls_share_one_login() {
        let carrier = Arc::new(Carrier::default());
        let session = Arc::new(Session::new(login(), Duration::from_secs(60)));
        all_succeed(&carrier, &session, 50).await;
        assert_eq!(carrier.logins.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_refused_token_is_replaced_once_for_everyone() {
        let carrier = Arc::new(Carrier::default());
        let session = Arc::new(Session::new(login(), Duration::from_secs(60)));
        session
            .send(carrier.as_ref(), Operation::Track, HttpRequest::get("/x"))
            .await
            .unwrap();
        // The carrier moves on to a token the session has never seen.
        carrier.logins.fetch_add(1, Ordering::SeqCst);
        all_succeed(&carrier, &session, 50).await;
        // The first login, the carrier's jump, and exactly one login after it.
        assert_eq!(carrier.logins.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn log_in_replaces_a_good_token_for_the_calls_after() {
        let carrier = Arc::new(Carrier::default());
        let session = Arc::new(Session::new(login(), Duration::from_secs(60)));
        all_succeed(&carrier, &session, 1).await;
        let op = Operation::CheckAccount;
        session.log_in(carrier.as_ref(), op).await.unwrap();
        assert_eq!(
            carrier.logins.load(Ordering::SeqCst),
            2,
            "not the cached one"
        );
        // The carrier accepts only its newest token: the calls after carry it.
        all_succeed(&carrier, &session, 3).await;
        assert_eq!(carrier.logins.load(Ordering::SeqCst), 2);
    }

    /// A carrier whose tokens are good for a number of calls, or never (`budget` 0: the
    /// credentials are refused).
    struct Budgeted {
        budget: usize,
        logins: AtomicUsize,
        calls: std::sync::Mutex<std::collections::HashMap<String, usize>>,
    }

    #[async_trait]
    impl Transport for Budgeted {
        async fn send(
            &self,
            _op: Operation,
            request: HttpRequest,
        ) -> Result<HttpResponse, CarrierError> {
            if let Some(login) = answer_login(&request, &self.logins).await {
                return Ok(login);
            }
            let token = request
                .header_value("authorization")
                .unwrap_or("")
                .to_string();
            let mut calls = self.calls.lock().unwrap();
            let used = calls.entry(token).or_default();
            *used += 1;
            Ok(if *used <= self.budget {
                HttpResponse::new(200, "{}")
            } else {
                HttpResponse::new(401, "{}")
            })
        }
    }

    fn budgeted(budget: usize) -> Arc<Budgeted> {
        Arc::new(Budgeted {
            budget,
            logins: AtomicUsize::new(0),
            calls: Default::default(),
        })
    }

    #[tokio::test]
    async fn refused_credentials_are_tried_a_bounded_number_of_times() {
        let carrier = budgeted(0);
        let session = Session::new(login(), Duration::from_secs(60));
        let resp = session
            .send(carrier.as_ref(), Operation::Track, HttpRequest::get("/x"))
            .await
            .unwrap();
        assert_eq!(resp.status, 401);
        assert_eq!(carrier.logins.load(Ordering::SeqCst), MAX_ATTEMPTS);
        assert_eq!(
            carrier.calls.lock().unwrap().values().sum::<usize>(),
            MAX_ATTEMPTS
        );
    }

    #[test]
    fn client_credentials_mark_their_secret_and_read_the_expiry() {
        let request = login().request().unwrap();
        let body = String::from_utf8(request.body.clone().unwrap()).unwrap();
        assert!(body.contains("grant_type=client_credentials"), "{body}");
        assert!(request.secrets().iter().any(|s| s == "s3cret"));
        assert!(!request.masked(&body).contains("s3cret"));
        let token = login()
            .parse(&HttpResponse::new(
                200,
                r#"{"access_token":"abc","token_type":"bearer","expires_in":3599}"#,
            ))
            .unwrap();
        assert_eq!(token.expires_in, Some(Duration::from_secs(3599)));
        let refused = login()
            .parse(&HttpResponse::new(
                401,
                r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
            ))
            .unwrap_err();
        assert!(
            refused.to_string().contains("Client authentication failed"),
            "{refused}"
        );
        assert_eq!(
            reuse_for(Duration::from_secs(3600)),
            Duration::from_secs(3240)
        );
    }
}
