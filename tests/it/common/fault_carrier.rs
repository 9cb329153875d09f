//! A Delhivery that breaks on demand, over real TCP: the fault-injection tests point the
//! gateway's Delhivery account at it.
//!
//! Behind it runs the real Delhivery simulator, so "normal" is Delhivery's wire format with
//! its rules (a reused `order` is refused, lookups by `ref_ids` find a booking whose answer
//! was lost). The HTTP/1.1 server is written by hand on a `TcpStream` rather than with
//! actix-web because some faults live below HTTP: a connection reset (SO_LINGER 0, then
//! close) after the request was read, or a connection that is accepted and never answered.
//! Each answer closes its connection (`Connection: close`), so a fault never leaks into the
//! next request through a kept-alive socket.
//!
//! Faults can strike before the simulator acts (nothing booked) or after (booked, but the
//! gateway never hears it): the second is the one that makes retries dangerous. Those that
//! live at HTTP level (error pages, slow and cut-off answers) are the simulator kit's
//! faults; this stand-in adds the ones below HTTP. Every booking is recorded with its
//! `products_desc`, which the tests set to the order reference, so a test can prove that
//! no order got two AWBs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use carriers::Simulator;
use carriers::delhivery::simulator::DelhiverySimulator;
use carriers::simulator::faults::{self, Fault, Spoil};
use carriers::simulator::{SimRequest, SimResponse};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A string every broken answer carries, so tests can prove no raw carrier body reaches
/// a client.
pub const MARKER: &str = faults::NOTE;

/// How the carrier answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Behaviour {
    Normal,
    /// Reads the request and never answers (until the client hangs up).
    Hang,
    /// Reads the request, then resets the connection (RST, no answer).
    Reset {
        after_booking: bool,
    },
    /// The simulator acts at once; its answer comes this much later.
    Slow(Duration),
    /// A plain-text error with this status.
    Status {
        status: u16,
        after_booking: bool,
    },
    /// An HTML error page (a proxy's, or the carrier's CDN's) with this status.
    Html {
        status: u16,
        after_booking: bool,
    },
    /// The simulator acts; its JSON answer is cut in half (200, `application/json`).
    Truncated,
    /// Every other request answers normally, the rest behave as given.
    Flapping(Box<Behaviour>),
}

impl Behaviour {
    /// The kit's fault for a behaviour that lives at HTTP level (`None` below it).
    fn fault(&self) -> Option<Fault> {
        let spoiled = |after_booking: bool, spoil| Fault {
            acts: after_booking,
            delay: Duration::ZERO,
            spoil: Some(spoil),
        };
        match *self {
            Behaviour::Normal => Some(Fault::slow(Duration::ZERO)),
            Behaviour::Slow(delay) => Some(Fault::slow(delay)),
            Behaviour::Status {
                status,
                after_booking,
            } => Some(spoiled(after_booking, Spoil::Text(status))),
            Behaviour::Html {
                status,
                after_booking,
            } => Some(spoiled(after_booking, Spoil::Page(status))),
            Behaviour::Truncated => Some(Fault::lost(Spoil::Truncated)),
            Behaviour::Hang | Behaviour::Reset { .. } | Behaviour::Flapping(_) => None,
        }
    }
}

/// One AWB the carrier issued.
#[derive(Debug, Clone)]
pub struct Booking {
    pub awb: String,
    /// The `order` shipgate sent (its shipment id).
    pub order: String,
    /// `products_desc`: the parcel description (tests put the order reference there).
    pub tag: String,
}

struct Rule {
    path_contains: String,
    behaviour: Behaviour,
    seen: AtomicUsize,
}

#[derive(Default)]
struct Inner {
    rules: Mutex<Vec<Arc<Rule>>>,
    bookings: Mutex<Vec<Booking>>,
    requests: Mutex<Vec<(String, String)>>,
}

#[derive(Clone)]
pub struct FaultCarrier {
    inner: Arc<Inner>,
    sim: Arc<DelhiverySimulator>,
    url: String,
}

impl FaultCarrier {
    pub async fn start() -> FaultCarrier {
        Self::start_on(0).await
    }

    /// On a given port: a carrier that was down (connection refused) comes up.
    pub async fn start_on(port: u16) -> FaultCarrier {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let carrier = FaultCarrier {
            inner: Arc::default(),
            sim: Arc::new(DelhiverySimulator::new()),
            url,
        };
        let server = carrier.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(server.clone().connection(stream));
            }
        });
        carrier
    }

    /// The base URL to give the gateway's Delhivery account.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request behaves so from now on.
    pub fn set(&self, behaviour: Behaviour) {
        self.set_for("", behaviour);
    }

    /// Requests whose path contains `path_contains` behave so from now on (replacing an
    /// earlier rule for the same text; the others answer as before).
    pub fn set_for(&self, path_contains: &str, behaviour: Behaviour) {
        let mut rules = self.inner.rules.lock().unwrap();
        rules.retain(|r| r.path_contains != path_contains);
        if path_contains.is_empty() {
            rules.clear();
        }
        rules.push(Arc::new(Rule {
            path_contains: path_contains.into(),
            behaviour,
            seen: AtomicUsize::new(0),
        }));
    }

    pub fn bookings(&self) -> Vec<Booking> {
        self.inner.bookings.lock().unwrap().clone()
    }

    /// AWBs issued per tag (order reference).
    pub fn awbs_by_tag(&self) -> BTreeMap<String, Vec<String>> {
        let mut by_tag: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for b in self.bookings() {
            by_tag.entry(b.tag).or_default().push(b.awb);
        }
        by_tag
    }

    /// Requests seen, as (method, path).
    pub fn requests(&self) -> Vec<(String, String)> {
        self.inner.requests.lock().unwrap().clone()
    }

    fn behaviour_for(&self, path: &str) -> Behaviour {
        let rule = {
            let rules = self.inner.rules.lock().unwrap();
            rules
                .iter()
                .rev()
                .find(|r| path.contains(&r.path_contains))
                .cloned()
        };
        let Some(rule) = rule else {
            return Behaviour::Normal;
        };
        match &rule.behaviour {
            Behaviour::Flapping(bad) => {
                if rule.seen.fetch_add(1, Ordering::SeqCst) % 2 == 0 {
                    Behaviour::Normal
                } else {
                    (**bad).clone()
                }
            }
            other => other.clone(),
        }
    }

    async fn connection(self, mut stream: TcpStream) {
        let Some(request) = read_request(&mut stream, &self.url).await else {
            return;
        };
        self.inner
            .requests
            .lock()
            .unwrap()
            .push((request.method.clone(), request.path.clone()));
        let behaviour = self.behaviour_for(&request.path);
        if let Some(fault) = behaviour.fault() {
            let real = fault.acts.then(|| self.simulate(&request));
            tokio::time::sleep(fault.delay).await;
            let answer = match fault.answer(real.as_ref()) {
                Some(spoiled) => spoiled,
                None => real.unwrap_or_else(|| self.simulate(&request)),
            };
            return write(&mut stream, answer).await;
        }
        match behaviour {
            Behaviour::Hang => {
                // Until the client gives up (reads 0) or, at worst, a minute.
                let mut buf = [0u8; 256];
                let _ = tokio::time::timeout(Duration::from_secs(60), async {
                    while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
                })
                .await;
            }
            Behaviour::Reset { after_booking } => {
                if after_booking {
                    self.simulate(&request);
                }
                // SO_LINGER 0: closing sends RST instead of FIN.
                let _ = stream.set_zero_linger();
                drop(stream);
            }
            _ => {
                unreachable!("HTTP-level behaviours are faults; flapping resolved by behaviour_for")
            }
        }
    }

    /// Lets the simulator act, recording any AWB it issues.
    fn simulate(&self, request: &SimRequest) -> SimResponse {
        let response = self.sim.handle(request);
        if request.path.contains("create.json")
            && let Some(booking) = booking_of(request, &response)
        {
            self.inner.bookings.lock().unwrap().push(booking);
        }
        response
    }
}

fn booking_of(request: &SimRequest, response: &SimResponse) -> Option<Booking> {
    let answer: Value = serde_json::from_slice(&response.body).ok()?;
    let package = answer["packages"].get(0)?;
    if package["status"] != "Success" {
        return None;
    }
    let data = url::form_urlencoded::parse(&request.body)
        .find(|(k, _)| k == "data")
        .map(|(_, v)| v.into_owned())?;
    let data: Value = serde_json::from_str(&data).ok()?;
    let shipment = &data["shipments"][0];
    Some(Booking {
        awb: package["waybill"].as_str()?.to_string(),
        order: shipment["order"].as_str().unwrap_or_default().to_string(),
        tag: shipment["products_desc"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    })
}

/// Reads one HTTP/1.1 request with a `Content-Length` body (what the gateway sends).
async fn read_request(stream: &mut TcpStream, base_url: &str) -> Option<SimRequest> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_string();
    let target = start.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(SimRequest::new(&method, &target, headers, body, base_url))
}

async fn write(stream: &mut TcpStream, response: SimResponse) {
    let head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&response.body).await;
    let _ = stream.shutdown().await;
}
