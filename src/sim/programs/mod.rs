//! The lessons' Python programs as step machines.
//!
//! A program runs one statement per step: a syscall, a `print`, starting a
//! thread. Each step tells the world which source line it is on, so the code
//! panel can show one cursor per thread. A blocked syscall leaves the program
//! where it is; when the kernel wakes the thread, the same step runs again.

pub(crate) mod http;
pub mod source;
mod texts;

pub use source::{ClientKind, ProgramSource};

use crate::echo;
use crate::sim::event::{Fd, SysError, ThreadEnd, ThreadId};
use crate::sim::net::segment::Endpoint;
use crate::sim::os::thread::Command;
use crate::sim::time::Duration;
use crate::sim::world::{Sys, World};
use http::{Browser, WebHandler, WebMain};

/// What a step asks of the scheduler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Run the next step after a little CPU time.
    Next,
    /// The thread is blocked (the world recorded on what).
    Blocked,
    /// The thread's function ended.
    Exit(ThreadEnd),
}

/// Line numbers of the echo server's statements, looked up in its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerLines {
    socket: u32,
    setsockopt: u32,
    bind: u32,
    listen: u32,
    accept: u32,
    connected: u32,
    start: u32,
    sleep: u32,
    recv: u32,
    message: u32,
    send: u32,
    offline: u32,
    close: u32,
}

impl ServerLines {
    pub(crate) fn of(src: &ProgramSource) -> Self {
        let slow = matches!(
            src,
            ProgramSource::EchoServer {
                sleep_ms: Some(_),
                ..
            }
        );
        ServerLines {
            socket: src.line_of("server = socket.socket("),
            setsockopt: src.line_of("server.setsockopt("),
            bind: src.line_of("server.bind("),
            listen: src.line_of("server.listen("),
            accept: src.line_of("server.accept()"),
            connected: src.line_of("print(\"client connected:\""),
            start: src.line_of("t.start()"),
            sleep: if slow { src.line_of("time.sleep(") } else { 0 },
            recv: src.line_of("conn.recv("),
            message: src.line_of("print(data.decode("),
            send: src.line_of("conn.send("),
            offline: src.line_of("print(\"client offline:\""),
            close: src.line_of("conn.close()"),
        }
    }
}

/// Line numbers of a client's statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientLines {
    socket: u32,
    connect: u32,
    send: u32,
    recv: u32,
    print: u32,
    shutdown: u32,
    input: u32,
    close: u32,
}

impl ClientLines {
    pub(crate) fn of(src: &ProgramSource) -> Self {
        let kind = match src {
            ProgramSource::Client { kind, .. } => *kind,
            _ => ClientKind::Scripted,
        };
        ClientLines {
            socket: src.line_of("client = socket.socket("),
            connect: src.line_of("client.connect("),
            send: src.line_of("client.send("),
            recv: src.line_of("client.recv("),
            print: src.line_of("print(reply.decode("),
            shutdown: if kind == ClientKind::Burst {
                src.line_of("client.shutdown(")
            } else {
                0
            },
            input: if kind == ClientKind::Interactive {
                src.line_of("wait_for_learner()")
            } else {
                0
            },
            close: src.line_of("client.close()"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MainPc {
    Socket,
    Setsockopt,
    Bind,
    Listen,
    Accept,
    PrintConnected,
    Start,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HandlerPc {
    Sleep,
    Recv,
    PrintMessage,
    Send,
    PrintOffline,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientPc {
    Socket,
    Connect,
    Input,
    Send,
    Recv,
    Print,
    Shutdown,
    Close,
}

/// A running program (one per thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Program {
    ServerMain {
        lines: ServerLines,
        pc: MainPcBox,
        fd: Fd,
        served: u32,
        accepted: Option<(Fd, Endpoint)>,
    },
    Handler {
        lines: ServerLines,
        pc: HandlerPcBox,
        conn: Fd,
        peer: Endpoint,
        data: Vec<u8>,
    },
    Client {
        kind: ClientKind,
        lines: ClientLines,
        pc: ClientPcBox,
        fd: Fd,
        next: usize,
        reply: Vec<u8>,
        text: String,
    },
    /// The `http` lesson's web server: main thread and per-connection threads.
    WebMain(WebMain),
    WebHandler(Box<WebHandler>),
    /// The `http` lesson's browser.
    Browser(Box<Browser>),
    /// Placeholder while a program is taken out to run.
    Taken,
}

// Private enums wrapped so the `Program` variants can be built in this module only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MainPcBox(MainPc);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HandlerPcBox(HandlerPc);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientPcBox(ClientPc);

impl Program {
    pub(crate) fn server_main(src: &ProgramSource) -> Program {
        Program::ServerMain {
            lines: ServerLines::of(src),
            pc: MainPcBox(MainPc::Socket),
            fd: 0,
            served: 0,
            accepted: None,
        }
    }

    pub(crate) fn client(src: &ProgramSource) -> Program {
        let kind = match src {
            ProgramSource::Client { kind, .. } => *kind,
            _ => ClientKind::Scripted,
        };
        Program::Client {
            kind,
            lines: ClientLines::of(src),
            pc: ClientPcBox(ClientPc::Socket),
            fd: 0,
            next: 0,
            reply: vec![],
            text: String::new(),
        }
    }

    fn handler(lines: ServerLines, conn: Fd, peer: Endpoint, slow: bool) -> Program {
        let pc = if slow {
            HandlerPc::Sleep
        } else {
            HandlerPc::Recv
        };
        Program::Handler {
            lines,
            pc: HandlerPcBox(pc),
            conn,
            peer,
            data: vec![],
        }
    }

    /// Runs one statement.
    pub(crate) fn step(&mut self, w: &mut World, tid: ThreadId) -> Flow {
        match self {
            Program::ServerMain {
                lines,
                pc,
                fd,
                served,
                accepted,
            } => {
                let l = *lines;
                let (port, backlog, serve, daemon, slow) = w.server_params();
                match pc.0 {
                    MainPc::Socket => {
                        *fd = w.sys_socket(tid, l.socket);
                        pc.0 = MainPc::Setsockopt;
                    }
                    MainPc::Setsockopt => {
                        w.sys_setsockopt(tid, l.setsockopt, *fd);
                        pc.0 = MainPc::Bind;
                    }
                    MainPc::Bind => {
                        w.sys_bind(tid, l.bind, *fd, port);
                        pc.0 = MainPc::Listen;
                    }
                    MainPc::Listen => {
                        w.sys_listen(tid, l.listen, *fd, backlog);
                        pc.0 = if serve == Some(0) {
                            return Flow::Exit(ThreadEnd::Returned);
                        } else {
                            MainPc::Accept
                        };
                    }
                    MainPc::Accept => match w.sys_accept(tid, l.accept, *fd) {
                        Sys::Ready(a) => {
                            *accepted = Some(a);
                            pc.0 = MainPc::PrintConnected;
                        }
                        Sys::Blocked => return Flow::Blocked,
                        Sys::Failed(e) => return Flow::Exit(ThreadEnd::Exception { error: e }),
                    },
                    MainPc::PrintConnected => {
                        let (_, peer) = accepted.expect("accept returned");
                        w.print(tid, l.connected, echo::connected_line(&peer.python()));
                        pc.0 = MainPc::Start;
                    }
                    MainPc::Start => {
                        let (conn, peer) = accepted.take().expect("accept returned");
                        w.spawn(
                            tid,
                            l.start,
                            "handle_client",
                            daemon,
                            Program::handler(l, conn, peer, slow.is_some()),
                        );
                        *served += 1;
                        if serve.is_some_and(|n| *served >= n) {
                            return Flow::Exit(ThreadEnd::Returned);
                        }
                        pc.0 = MainPc::Accept;
                    }
                }
                Flow::Next
            }
            Program::Handler {
                lines,
                pc,
                conn,
                peer,
                data,
            } => {
                let l = *lines;
                let (_, _, _, _, slow) = w.server_params();
                let recv_size = w.server_recv_size();
                match pc.0 {
                    HandlerPc::Sleep => {
                        match w.sys_sleep(tid, l.sleep, slow.unwrap_or(Duration::ZERO)) {
                            Sys::Ready(()) => pc.0 = HandlerPc::Recv,
                            _ => return Flow::Blocked,
                        }
                    }
                    HandlerPc::Recv => match w.sys_recv(tid, l.recv, *conn, recv_size) {
                        Sys::Ready(bytes) => {
                            pc.0 = if bytes.is_empty() {
                                HandlerPc::PrintOffline
                            } else {
                                HandlerPc::PrintMessage
                            };
                            *data = bytes;
                        }
                        Sys::Blocked => return Flow::Blocked,
                        Sys::Failed(e) => return w.uncaught(tid, e),
                    },
                    HandlerPc::PrintMessage => {
                        let text = w.encoding().decode_lossy(data);
                        w.print(tid, l.message, echo::message_line(&text, &peer.python()));
                        pc.0 = HandlerPc::Send;
                    }
                    HandlerPc::Send => {
                        let reply = echo::reply_bytes(&w.reply_text(), w.encoding());
                        match w.sys_send(tid, l.send, *conn, &reply) {
                            Sys::Ready(_) => {
                                pc.0 = if slow.is_some() {
                                    HandlerPc::Sleep
                                } else {
                                    HandlerPc::Recv
                                }
                            }
                            Sys::Blocked => return Flow::Blocked,
                            Sys::Failed(e) => return w.uncaught(tid, e),
                        }
                    }
                    HandlerPc::PrintOffline => {
                        w.print(tid, l.offline, echo::offline_line(&peer.python()));
                        pc.0 = HandlerPc::Close;
                    }
                    HandlerPc::Close => {
                        w.sys_close(tid, l.close, *conn);
                        return Flow::Exit(ThreadEnd::Returned);
                    }
                }
                Flow::Next
            }
            Program::Client {
                kind,
                lines,
                pc,
                fd,
                next,
                reply,
                text,
            } => {
                let l = *lines;
                let messages = w.client_messages(tid);
                match pc.0 {
                    ClientPc::Socket => {
                        *fd = w.sys_socket(tid, l.socket);
                        pc.0 = ClientPc::Connect;
                    }
                    ClientPc::Connect => match w.sys_connect(tid, l.connect, *fd) {
                        Sys::Ready(_) => {
                            pc.0 = match kind {
                                ClientKind::Interactive => ClientPc::Input,
                                _ if messages.is_empty() => ClientPc::Close,
                                _ => ClientPc::Send,
                            };
                            if *kind != ClientKind::Interactive && !messages.is_empty() {
                                *text = messages[0].clone();
                            }
                        }
                        Sys::Blocked => return Flow::Blocked,
                        Sys::Failed(e) => return w.uncaught(tid, e),
                    },
                    ClientPc::Input => match w.sys_input(tid, l.input) {
                        Sys::Ready(Command::Send { text: t }) => {
                            *text = t;
                            pc.0 = ClientPc::Send;
                        }
                        Sys::Ready(Command::Recv) => pc.0 = ClientPc::Recv,
                        Sys::Ready(Command::Close) => pc.0 = ClientPc::Close,
                        // Only the browser is sent URLs.
                        Sys::Ready(Command::Visit { .. }) => {}
                        Sys::Blocked => return Flow::Blocked,
                        Sys::Failed(e) => return w.uncaught(tid, e),
                    },
                    ClientPc::Send => {
                        let bytes = w.encoding().encode(text);
                        match w.sys_send(tid, l.send, *fd, &bytes) {
                            Sys::Ready(_) => {
                                *next += 1;
                                pc.0 = match kind {
                                    ClientKind::Interactive => ClientPc::Input,
                                    ClientKind::Scripted => ClientPc::Recv,
                                    ClientKind::Burst if *next < messages.len() => ClientPc::Send,
                                    ClientKind::Burst => ClientPc::Shutdown,
                                };
                                if *kind == ClientKind::Burst && *next < messages.len() {
                                    *text = messages[*next].clone();
                                }
                            }
                            Sys::Blocked => return Flow::Blocked,
                            Sys::Failed(e) => return w.uncaught(tid, e),
                        }
                    }
                    ClientPc::Shutdown => {
                        w.sys_shutdown(tid, l.shutdown, *fd);
                        pc.0 = ClientPc::Recv;
                    }
                    ClientPc::Recv => match w.sys_recv(tid, l.recv, *fd, 1024) {
                        Sys::Ready(bytes) => {
                            pc.0 = if *kind == ClientKind::Burst && bytes.is_empty() {
                                ClientPc::Close
                            } else {
                                ClientPc::Print
                            };
                            *reply = bytes;
                        }
                        Sys::Blocked => return Flow::Blocked,
                        Sys::Failed(e) => return w.uncaught(tid, e),
                    },
                    ClientPc::Print => {
                        let line = w.encoding().decode_lossy(reply);
                        w.print(tid, l.print, line);
                        pc.0 = match kind {
                            ClientKind::Interactive => ClientPc::Input,
                            ClientKind::Burst => ClientPc::Recv,
                            ClientKind::Scripted if *next < messages.len() => {
                                *text = messages[*next].clone();
                                ClientPc::Send
                            }
                            ClientKind::Scripted => ClientPc::Close,
                        };
                    }
                    ClientPc::Close => {
                        w.sys_close(tid, l.close, *fd);
                        return Flow::Exit(ThreadEnd::Returned);
                    }
                }
                Flow::Next
            }
            Program::WebMain(p) => p.step(w, tid),
            Program::WebHandler(p) => p.step(w, tid),
            Program::Browser(p) => p.step(w, tid),
            Program::Taken => Flow::Exit(ThreadEnd::Returned),
        }
    }
}

impl Program {
    /// The socket only this thread's function holds (a handler's `conn`, a
    /// local variable). When the thread dies of an uncaught exception, CPython
    /// frees its frame and the socket object with it, which closes the fd.
    /// A main thread's sockets are module globals: they live on.
    pub(crate) fn local_socket(&self) -> Option<Fd> {
        match self {
            Program::Handler { conn, .. } => Some(*conn),
            Program::WebHandler(h) => Some(h.conn()),
            _ => None,
        }
    }
}

impl World {
    /// A Python exception nobody catches: the thread prints a traceback
    /// (shortened) to the terminal and dies.
    pub(crate) fn uncaught(&mut self, tid: ThreadId, error: SysError) -> Flow {
        let t = self.thread(tid);
        let (name, main, line) = (t.name.clone(), t.main, t.line.unwrap_or(0));
        // Python prints a bare traceback for the main thread, and names any other.
        let head = if main {
            "Traceback (most recent call last):".to_string()
        } else {
            format!("Exception in thread {name}:")
        };
        self.print(tid, line, head);
        self.print(tid, line, error.python().to_string());
        Flow::Exit(ThreadEnd::Exception { error })
    }
}
