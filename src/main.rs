//! The `sockscope` terminal binary: parses the command line and calls into
//! the library (`sockscope::native`). Nothing else lives here.

use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use sockscope::echo::TextEncoding;
use sockscope::http::Limits;
use sockscope::native::{
    self, AcceptMode, ClientConfig, Console, EchoConfig, Engine, HttpConfig, LoopOptions,
};
use sockscope::sim::lessons::code::LESSON_PORT;

/// See how a TCP client and server talk: real servers and a client for the terminal.
#[derive(Parser)]
#[command(name = "sockscope", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a real server: the echo server or the static web server, on threads or event loops.
    Serve(ServeArgs),
    /// Connect to an echo server, send each message, print each reply.
    Client(ClientArgs),
    /// Run a simulated lesson headless: print its consoles and event log, or write its pcap.
    Sim(SimArgs),
    /// Measure an echo server: round trips per second with many connections.
    #[command(alias = "bench-echo", long_about = BENCH_ABOUT)]
    Bench(BenchArgs),
}

const BENCH_ABOUT: &str = "\
Measure an echo server: round trips per second with many connections.

Opens --connections connections to --addr, then for --seconds each one sends
--message and waits for the whole reply before sending the next (one message
in flight per connection). Prints the round trips completed per second.
The client is an event loop (mio) on --threads threads, so it leaves the
cores to the server.

Compare the two engines of the same server, or any echo server that answers
each message with one reply (a Python one from the course, say):

  sockscope serve --mode echo --engine threads --quiet --port 9090 &
  sockscope bench --addr 127.0.0.1:9090
  sockscope serve --mode echo --engine event-loop --quiet --port 9091 &
  sockscope bench --addr 127.0.0.1:9091

The reply's length is that of sockscope's default reply in --encoding; pass
--reply or --reply-len for a server that answers something else.";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// Replies to every message (the course's TCP server).
    Echo,
    /// A static web server for the files under --root.
    Http,
}

#[derive(Clone, Copy, ValueEnum)]
enum Encoding {
    Gbk,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
}

impl From<Encoding> for TextEncoding {
    fn from(e: Encoding) -> Self {
        match e {
            Encoding::Gbk => TextEncoding::Gbk,
            Encoding::Utf8 => TextEncoding::Utf8,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EngineArg {
    /// A thread per client, blocked in recv (the course's design).
    Threads,
    /// One event loop per core, each serving many non-blocking sockets (mio).
    EventLoop,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AcceptArg {
    /// Each loop has its own listening socket on the port (SO_REUSEPORT).
    Reuseport,
    /// The first loop accepts and hands connections to the loops in turn.
    Handoff,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Which server to run.
    #[arg(long, value_enum)]
    mode: Mode,
    /// How clients are served: a thread each, or event loops.
    #[arg(long, value_enum, default_value = "threads")]
    engine: EngineArg,
    /// event-loop: how many loops (threads) [default: one per core].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    loops: Option<u16>,
    /// event-loop: how new connections reach the loops.
    #[arg(long, value_enum, default_value = "reuseport", hide = true)]
    accept: AcceptArg,
    /// Port to listen on [default: 9090 for echo, 8080 for http; 0 picks a free one].
    #[arg(long)]
    port: Option<u16>,
    /// Address to listen on; 0.0.0.0 lets other machines (a classroom) connect.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Most clients served at once; more wait in the listen backlog.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    max_connections: u32,
    /// Seconds a client may stay silent before it is disconnected
    /// [default: 300 for echo, 15 for http].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    idle_timeout_secs: Option<u64>,
    /// echo: how messages and the reply are encoded.
    #[arg(long, value_enum, default_value = "gbk")]
    encoding: Encoding,
    /// echo: the reply sent for every message [default: the lesson's, in --lang:
    /// 收到，正在处理… or "Got it, working on it…"].
    #[arg(long)]
    reply: Option<String>,
    /// echo: the language of the console lines and the default reply, as the
    /// lesson's server.py in that language prints them.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
    /// http: the directory served as `/` (the built web app by default).
    #[arg(long)]
    root: Option<PathBuf>,
    /// http: longest request line, in bytes (longer gets 414).
    #[arg(long, default_value_t = 8192)]
    max_request_line: usize,
    /// http: largest request head, in bytes (larger gets 431).
    #[arg(long, default_value_t = 16384)]
    max_header_bytes: usize,
    /// Do not print a line per request (http) or per message (echo).
    #[arg(long)]
    quiet: bool,
}

#[derive(clap::Args)]
struct ClientArgs {
    /// Server host name or address.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Server port.
    #[arg(long, default_value_t = LESSON_PORT)]
    port: u16,
    /// How messages are encoded and replies decoded.
    #[arg(long, value_enum, default_value = "gbk")]
    encoding: Encoding,
    /// Seconds to wait for the connection and for each reply.
    #[arg(long, default_value_t = 5)]
    timeout_secs: u64,
    /// The messages to send, one after another.
    #[arg(required = true)]
    messages: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for sockscope::text::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => sockscope::text::Lang::Zh,
            LangArg::En => sockscope::text::Lang::En,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

#[derive(clap::Args)]
struct SimArgs {
    /// The lesson to run (see --list).
    #[arg(long, required_unless_present = "list")]
    lesson: Option<String>,
    /// List the lessons and exit.
    #[arg(long)]
    list: bool,
    /// Random seed [default: the lesson's own].
    #[arg(long)]
    seed: Option<u64>,
    /// Language of titles, narration and the lessons' programs.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Write the simulated wire to this pcap file instead of printing the log.
    #[arg(long)]
    pcap: Option<PathBuf>,
    /// Run this Python file as the server, in place of the lesson's.
    #[arg(long, value_name = "FILE.py")]
    server: Option<PathBuf>,
    /// Run this Python file on a client host of its own, in place of the
    /// lesson's clients; repeat for more clients.
    #[arg(long = "client", value_name = "FILE.py")]
    clients: Vec<PathBuf>,
    /// Lose this percent of all segments (seeded: the same seed loses the same ones).
    #[arg(long, value_name = "PCT", value_parser = clap::value_parser!(u8).range(0..=100))]
    loss: Option<u8>,
    /// The wire's one-way delay in milliseconds [default: the lesson's, 2].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    delay_ms: Option<u32>,
    /// Print the lesson's checkpoints among the events: each question before
    /// the step it asks about, its answer after the event that decides it.
    #[arg(long)]
    quiz: bool,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// The echo server's address.
    #[arg(long, default_value = "127.0.0.1:9090")]
    addr: SocketAddr,
    /// Connections open at once, each with one message in flight.
    #[arg(long, visible_alias = "clients", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    connections: u32,
    /// How long to measure, in seconds.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=3600))]
    seconds: u64,
    /// The message each connection sends (at most 1024 bytes encoded, one recv).
    #[arg(long, default_value = "hello")]
    message: String,
    /// How the message and the reply are encoded.
    #[arg(long, value_enum, default_value = "gbk")]
    encoding: Encoding,
    /// The server's reply text [default: the echo server's in --lang].
    #[arg(long, conflicts_with = "reply_len")]
    reply: Option<String>,
    /// The language of the server's default reply (as `serve --lang`).
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
    /// Bytes of each reply, instead of --reply's length.
    #[arg(long)]
    reply_len: Option<usize>,
    /// Client threads, each an event loop over its share of the connections.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: u16,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Client(args) => client(args),
        Command::Sim(args) => sim(args),
        Command::Bench(args) => bench(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `sockscope sim … | head`: the reader left; that is not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sockscope: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(a: ServeArgs) -> io::Result<()> {
    let engine = match a.engine {
        EngineArg::Threads => {
            if a.loops.is_some() {
                return Err(invalid("--loops is for --engine event-loop"));
            }
            Engine::Threads
        }
        EngineArg::EventLoop => Engine::EventLoop(LoopOptions {
            loops: a.loops.map_or(0, usize::from),
            accept: match a.accept {
                AcceptArg::Reuseport => AcceptMode::ReusePort,
                AcceptArg::Handoff => AcceptMode::Handoff,
            },
        }),
    };
    let console = if a.quiet && a.mode == Mode::Http {
        Console::discard()
    } else {
        Console::stdout()
    };
    // Before listening: a Ctrl-C from then on stops the server cleanly.
    let interrupt = native::Interrupt::install()?;
    let handle = match a.mode {
        Mode::Echo => {
            if a.root.is_some() {
                return Err(invalid("--root is for --mode http"));
            }
            let config = EchoConfig {
                bind: SocketAddr::new(a.bind, a.port.unwrap_or(LESSON_PORT)),
                encoding: a.encoding.into(),
                reply: a
                    .reply
                    .unwrap_or_else(|| sockscope::echo::default_reply(a.lang.into()).to_string()),
                lang: a.lang.into(),
                max_connections: a.max_connections as usize,
                idle_timeout: Some(Duration::from_secs(a.idle_timeout_secs.unwrap_or(300))),
                engine,
            };
            let console = if a.quiet { Console::discard() } else { console };
            let h = native::start_echo(config.clone(), console)?;
            eprintln!(
                "sockscope: echo server on {} ({}, {}), up to {} clients; Ctrl-C stops it",
                h.local_addr(),
                config.encoding,
                engine_text(engine),
                config.max_connections
            );
            h
        }
        Mode::Http => {
            if a.reply.is_some() {
                return Err(invalid("--reply is for --mode echo"));
            }
            let config = HttpConfig {
                bind: SocketAddr::new(a.bind, a.port.unwrap_or(8080)),
                root: a.root.unwrap_or_else(|| PathBuf::from("dist")),
                max_connections: a.max_connections as usize,
                idle_timeout: Duration::from_secs(a.idle_timeout_secs.unwrap_or(15)),
                limits: Limits {
                    max_request_line: a.max_request_line,
                    max_head: a.max_header_bytes,
                    ..Limits::default()
                },
                access_log: !a.quiet,
                engine,
            };
            let h = native::start_http(config.clone(), console).map_err(|e| {
                if config.root == std::path::Path::new("dist")
                    && e.kind() == io::ErrorKind::NotFound
                {
                    io::Error::new(
                        e.kind(),
                        format!("{e} (build the web app first, or pass --root DIR)"),
                    )
                } else {
                    e
                }
            })?;
            eprintln!(
                "sockscope: web server on http://{}/ serving {} ({}); Ctrl-C stops it",
                h.local_addr(),
                config.root.display(),
                engine_text(engine)
            );
            h
        }
    };
    interrupt.shut_down_on_signal(handle);
    Ok(())
}

fn client(a: ClientArgs) -> io::Result<()> {
    let config = ClientConfig {
        host: a.host,
        port: a.port,
        encoding: a.encoding.into(),
        timeout: Duration::from_secs(a.timeout_secs.max(1)),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    native::run_client(&config, &a.messages, &mut out)?;
    out.flush()
}

/// A Python file the learner wrote, named as its traceback will name it.
fn read_script(path: &std::path::Path) -> io::Result<sockscope::sim::lessons::code::Script> {
    let bytes = std::fs::read(path)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display())))?;
    let source = String::from_utf8(bytes).map_err(|_| {
        invalid(&format!(
            "{} is not UTF-8 text (save it as UTF-8, as Python 3 expects)",
            path.display()
        ))
    })?;
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "program.py".into());
    Ok(sockscope::sim::lessons::code::Script { file, source })
}

fn sim(a: SimArgs) -> io::Result<()> {
    use sockscope::native::headless::{self, Format};
    use sockscope::sim::{Lang, LessonId, Setup};
    let lang = match a.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if a.list {
        return headless::write_list(lang, &mut out);
    }
    let slug = a.lesson.unwrap_or_default();
    let lesson = LessonId::from_slug(&slug).ok_or_else(|| {
        let known: Vec<&str> = LessonId::ALL.iter().map(|l| l.slug()).collect();
        invalid(&format!(
            "unknown lesson {slug:?}; the lessons are: {}",
            known.join(", ")
        ))
    })?;
    let mut setup = Setup::new(lesson, a.seed.unwrap_or(lesson.info().default_seed)).in_lang(lang);
    setup.loss = a.loss;
    setup.delay_ms = a.delay_ms;
    if let Some(path) = &a.server {
        setup.server = Some(read_script(path)?);
    }
    for path in &a.clients {
        setup.clients.push(read_script(path)?);
    }
    let run = headless::play_setup(setup);
    if run.budget_reached() {
        eprintln!(
            "sockscope: paused after {} steps: the run never came to rest \
             (a thread that never blocks?)",
            run.current_step()
        );
    }
    if let Some(path) = a.pcap {
        std::fs::write(&path, headless::pcap(&run)).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
        })?;
        eprintln!("sockscope: wrote {}", path.display());
        return Ok(());
    }
    let format = match a.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
    };
    headless::write_report_with(&run, lang, format, a.quiz, &mut out)?;
    out.flush()
}

fn engine_text(engine: Engine) -> String {
    match engine {
        Engine::Threads => "a thread per client".to_string(),
        Engine::EventLoop(o) => {
            let n = match o.loops {
                0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
                n => n,
            };
            format!("{n} event loop{}", if n == 1 { "" } else { "s" })
        }
    }
}

fn bench(a: BenchArgs) -> io::Result<()> {
    let encoding: TextEncoding = a.encoding.into();
    let message = encoding.encode(&a.message);
    if message.len() > native::echo::RECV_SIZE {
        return Err(invalid(&format!(
            "--message is {} bytes encoded; an echo server reads {} at a time",
            message.len(),
            native::echo::RECV_SIZE
        )));
    }
    let reply_len = match a.reply_len {
        Some(n) => n,
        None => {
            let reply = a
                .reply
                .unwrap_or_else(|| sockscope::echo::default_reply(a.lang.into()).to_string());
            sockscope::echo::reply_bytes(&reply, encoding).len()
        }
    };
    let config = native::load::LoadConfig {
        addr: a.addr,
        connections: a.connections as usize,
        duration: Duration::from_secs(a.seconds),
        message,
        reply_len,
        threads: usize::from(a.threads),
    };
    let r = native::load::echo_load(&config)?;
    println!(
        "{} round trips in {:.2} s = {:.0}/s ({} errors, {} connections)",
        r.round_trips,
        r.elapsed.as_secs_f64(),
        r.per_second(),
        r.errors,
        a.connections
    );
    Ok(())
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}
