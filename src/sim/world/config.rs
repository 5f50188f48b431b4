//! What defines a world before it runs: the lesson's server, clients,
//! browser and site, TCP's knobs, the seed.

use super::*;
use crate::sim::lessons::code::{ClientKind, EchoClient, EchoServer, Script};

/// The server host of a lesson: its program and its kernel's buffer sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSpec {
    pub script: Script,
    pub send_capacity: usize,
    pub recv_capacity: usize,
    /// The command line of its first run after the script's name
    /// (`sys.argv[1:]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Later runs of the same program on the same host, in order: see
    /// [`Restart`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restarts: Vec<Restart>,
}

/// The server's program started again, as `python3 server.py ARGS` typed
/// into its terminal once more: a new process (new interpreter, fds from 3
/// again, a new main thread) on the same host and kernel, so whatever the
/// earlier runs left in the kernel (connections in TIME-WAIT, say) is still
/// there.
///
/// Invariant: one process runs at a time. A restart is due at `at`, or, if
/// the previous run is still alive then, the moment it exits; restarts run
/// in the order listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restart {
    pub at: Instant,
    /// Its command line after the script's name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
}

impl ServerSpec {
    /// A server running `script`, with Linux's default buffers.
    pub fn new(script: Script) -> ServerSpec {
        ServerSpec {
            script,
            send_capacity: DEFAULT_SNDBUF,
            recv_capacity: DEFAULT_RCVBUF,
            args: vec![],
            restarts: vec![],
        }
    }

    /// The course's echo server, in English.
    pub fn echo(server: EchoServer) -> ServerSpec {
        ServerSpec::new(server.script(Lang::En))
    }
}

impl Default for ServerSpec {
    fn default() -> Self {
        ServerSpec::echo(EchoServer::default())
    }
}

/// One client host of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSpec {
    pub script: Script,
    /// Its command line after the script's name (`sys.argv[1:]`).
    pub args: Vec<String>,
    /// When its process starts.
    pub start_at: Instant,
    pub send_capacity: usize,
    pub recv_capacity: usize,
    /// Its program reads the lines the learner types (the page's send,
    /// recv and close buttons).
    pub interactive: bool,
}

impl ClientSpec {
    /// A client running `script` from `start_at`, with Linux's default buffers.
    pub fn python(script: Script, start_at: Instant) -> Self {
        ClientSpec {
            script,
            args: vec![],
            start_at,
            send_capacity: DEFAULT_SNDBUF,
            recv_capacity: DEFAULT_RCVBUF,
            interactive: false,
        }
    }

    /// One of the echo lessons' clients (in English) of the server at
    /// 10.0.0.1:9090.
    pub fn new(kind: ClientKind, messages: &[&str], start_at: Instant) -> Self {
        ClientSpec::echo(kind, messages, Lang::En, start_at)
    }

    /// One of the echo lessons' clients in `lang`.
    pub fn echo(kind: ClientKind, messages: &[&str], lang: Lang, start_at: Instant) -> Self {
        ClientSpec {
            interactive: kind == ClientKind::Interactive,
            args: messages.iter().map(|m| m.to_string()).collect(),
            ..ClientSpec::python(EchoClient::new(kind).script(lang), start_at)
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
            send_capacity: DEFAULT_SNDBUF,
            recv_capacity: DEFAULT_RCVBUF,
            files: SITE
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
        }
    }
}

/// The send buffer a socket starts with: Linux's default (`tcp_wmem`).
pub const DEFAULT_SNDBUF: usize = 16 * 1024;

/// The receive buffer a socket starts with: 65,535 bytes, the largest
/// window the 16-bit field offers without window scaling — about the window
/// Linux offers at first (it can grow past 64 KB by scaling, which this
/// model does not do).
pub const DEFAULT_RCVBUF: usize = 65_535;

/// The port the `http` lesson's web server listens on.
pub const HTTP_PORT: u16 = 80;

/// The most client hosts one run starts (each has its own number and address).
pub const MAX_CLIENT_HOSTS: usize = 32;

/// Seconds since the Unix epoch at simulated time zero (2023-11-14 22:13:20
/// UTC): `time.time()` and the `Date` header of the `http` lesson count
/// from here.
pub const HTTP_EPOCH_UNIX_SECS: u64 = 1_700_000_000;

/// Everything that defines a world before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldConfig {
    pub seed: u64,
    /// One-way latency of the wire.
    pub latency: Duration,
    /// Time one Python statement takes.
    pub cpu: Duration,
    pub tcp: TcpConfig,
    /// The language of the programs (their comments and what they print).
    pub lang: Lang,
    pub server: ServerSpec,
    pub clients: Vec<ClientSpec>,
    /// What a client the learner adds runs (its `start_at` is ignored).
    pub added_client: ClientSpec,
    /// At most this many client hosts (the learner can add some).
    pub max_clients: u8,
    /// The `http` lesson: a static web server instead of the echo server,
    /// and a browser host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpSpec>,
    /// Which segments the network loses.
    #[serde(default)]
    pub loss: Loss,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 1,
            latency: Duration::from_millis(2),
            cpu: Duration::from_micros(50),
            tcp: TcpConfig::default(),
            lang: Lang::En,
            server: ServerSpec::default(),
            clients: vec![],
            added_client: ClientSpec::new(ClientKind::Interactive, &[], Instant::ZERO),
            max_clients: 8,
            http: None,
            loss: Loss::default(),
        }
    }
}
