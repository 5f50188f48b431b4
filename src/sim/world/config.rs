//! What defines a world before it runs: the lesson's server, clients,
//! browser and site, TCP's knobs, the seed.

use super::*;

/// The server side of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSpec {
    pub port: u16,
    pub backlog: u32,
    pub recv_size: usize,
    /// The handler sleeps this long before every recv: a slow reader.
    pub sleep: Option<Duration>,
    /// Serve this many clients, then the main thread ends (`None`: forever).
    pub serve: Option<u32>,
    pub daemon: bool,
    pub send_capacity: usize,
    pub recv_capacity: usize,
}

impl Default for ServerSpec {
    fn default() -> Self {
        ServerSpec {
            port: 8080,
            backlog: 128,
            recv_size: 1024,
            sleep: None,
            serve: None,
            daemon: true,
            send_capacity: 2048,
            recv_capacity: 2048,
        }
    }
}

/// One client host of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSpec {
    pub kind: ClientKind,
    pub messages: Vec<String>,
    /// When its process starts.
    pub start_at: Instant,
    pub send_capacity: usize,
    pub recv_capacity: usize,
}

impl ClientSpec {
    pub fn new(kind: ClientKind, messages: &[&str], start_at: Instant) -> Self {
        ClientSpec {
            kind,
            messages: messages.iter().map(|s| s.to_string()).collect(),
            start_at,
            send_capacity: 2048,
            recv_capacity: 2048,
        }
    }
}

/// The browser and the site of the `http` lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpSpec {
    /// The name the browser looks up; the (mock) DNS answers with the
    /// server's address.
    pub host: String,
    /// The paths the browser fetches over its first, keep-alive connection.
    pub pages: Vec<String>,
    /// How long the name lookup takes.
    pub dns_delay: Duration,
    /// When the browser's process starts.
    pub start_at: Instant,
    pub send_capacity: usize,
    pub recv_capacity: usize,
    /// The site the server serves: (URL path, content).
    pub files: Vec<(String, String)>,
}

impl Default for HttpSpec {
    fn default() -> Self {
        HttpSpec {
            host: "www.example.test".into(),
            pages: vec!["/".into(), "/style.css".into(), "/missing.html".into()],
            dns_delay: Duration::from_millis(3),
            start_at: Instant::from_micros(1000),
            send_capacity: 2048,
            recv_capacity: 2048,
            files: SITE
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
        }
    }
}

/// The most client hosts one run starts (each has its own number and address).
pub const MAX_CLIENT_HOSTS: usize = 32;

/// Seconds since the Unix epoch at simulated time zero (2025-06-02 09:00:00
/// UTC): the `Date` header of the `http` lesson counts from here.
pub const HTTP_EPOCH_UNIX_SECS: u64 = 1_748_854_800;

/// Everything that defines a world before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldConfig {
    pub seed: u64,
    /// One-way latency of the wire.
    pub latency: Duration,
    /// Time one Python statement takes.
    pub cpu: Duration,
    pub tcp: TcpConfig,
    pub reply: String,
    pub encoding: TextEncoding,
    pub server: ServerSpec,
    pub clients: Vec<ClientSpec>,
    /// At most this many client hosts (the learner can add some).
    pub max_clients: u8,
    /// The `http` lesson: a static web server instead of the echo server,
    /// and a browser host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpSpec>,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 1,
            latency: Duration::from_millis(2),
            cpu: Duration::from_micros(50),
            tcp: TcpConfig::default(),
            reply: DEFAULT_REPLY.to_string(),
            encoding: TextEncoding::Gbk,
            server: ServerSpec::default(),
            clients: vec![],
            max_clients: 8,
            http: None,
        }
    }
}
