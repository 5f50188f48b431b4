//! The lessons, as data the UI and the command line share.

use super::programs::ClientKind;
use super::tcp::TcpConfig;
use super::time::{Duration, Instant};
use super::world::{ClientSpec, HttpSpec, ServerSpec, World, WorldConfig};
use serde::{Deserialize, Serialize};

/// Which lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LessonId {
    Echo,
    MultiClient,
    Buffers,
    ByteStream,
    Http,
    Sandbox,
}

/// What the lesson picker shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LessonInfo {
    pub id: LessonId,
    /// The id in URLs and on the command line: `multi-client`.
    pub slug: &'static str,
    pub title_en: &'static str,
    pub title_zh: &'static str,
    /// What to watch.
    pub intro_en: &'static str,
    pub intro_zh: &'static str,
    pub default_seed: u64,
}

const LESSONS: [LessonInfo; 6] = [
    LessonInfo {
        id: LessonId::Echo,
        slug: "echo",
        title_en: "One client, one server",
        title_zh: "一个客户端，一个服务器",
        intro_en: "Watch the server's main thread block in accept() while the kernel alone completes the three-way handshake. Then follow each message: send() only copies bytes into the send buffer, the kernel puts them on the wire, and recv() takes them out of the receive buffer on the other side. At the end, close() turns into FIN segments and the four RFC 9293 closing states.",
        intro_zh: "看服务器主线程阻塞在 accept() 上，而三次握手完全由内核完成。再跟着每条消息走：send() 只是把字节拷进发送缓冲区，由内核发到网络上，另一端的 recv() 再从接收缓冲区取出。最后，close() 变成 FIN 报文段，连接经过 RFC 9293 的关闭状态。",
        default_seed: 7,
    },
    LessonInfo {
        id: LessonId::MultiClient,
        slug: "multi-client",
        title_en: "Three clients, one thread each",
        title_zh: "三个客户端，各一个线程",
        intro_en: "Three clients connect almost at once. The main thread only accepts and starts a daemon thread per client; each of those threads blocks in its own recv(), so a slow client never holds up the others. The console shows whose message is whose by the (IP, port) pair accept() returned.",
        intro_zh: "三个客户端几乎同时连接。主线程只负责 accept 并为每个客户端启动一个守护线程；这些线程各自阻塞在自己的 recv() 上，一个慢客户端不会拖住其他人。控制台用 accept() 返回的 (IP, 端口) 区分每条消息来自谁。",
        default_seed: 11,
    },
    LessonInfo {
        id: LessonId::Buffers,
        slug: "buffers",
        title_en: "Full buffers and the zero window",
        title_zh: "缓冲区满了：零窗口",
        intro_en: "Buffers of 16 bytes, segments of 8, and a server that sleeps before each recv(). Watch the server's receive buffer fill and its window fall to zero, the client's send() block on a full send buffer, the client's kernel probe the closed window, and one recv() on the server reopen it with a window update.",
        intro_zh: "缓冲区只有 16 字节，报文段 8 字节，服务器每次 recv() 前先睡一会儿。看服务器的接收缓冲区被填满、窗口降到 0，客户端的 send() 因发送缓冲区满而阻塞，客户端内核探测关闭的窗口，直到服务器一次 recv() 用窗口更新把它重新打开。",
        default_seed: 3,
    },
    LessonInfo {
        id: LessonId::ByteStream,
        slug: "byte-stream",
        title_en: "A byte stream, not messages",
        title_zh: "字节流，而不是消息",
        intro_en: "The client sends three messages back to back; the server reads 8 bytes at a time, after a pause. TCP keeps no message boundaries: two sends come out of one recv(), one send takes several recv() calls, and a cut can fall in the middle of a two-byte GBK character, which prints as \u{FFFD}.",
        intro_zh: "客户端一口气发出三条消息；服务器停一会儿后每次只读 8 个字节。TCP 不保留消息边界：两次 send 的内容被一次 recv() 读出，一次 send 要几次 recv() 才读完，切口还可能落在两字节的 GBK 字符中间，于是打印出 \u{FFFD}。",
        default_seed: 5,
    },
    LessonInfo {
        id: LessonId::Http,
        slug: "http",
        title_en: "A browser asks, a web server answers: HTTP",
        title_zh: "浏览器请求，网站服务器响应：HTTP",
        intro_en: "The browser turns the name www.example.test into an address (DNS), opens a TCP connection to port 80, and writes a request message: plain text, a request line, headers, a blank line. The threaded static web server reads until its parser has a whole request, finds the file, and answers with a status line, headers and the file as the body; the browser reads until Content-Length bytes of body have come. The stylesheet follows over the same keep-alive connection, and a missing page gets 404. Then type your own URL into the address bar.",
        intro_zh: "浏览器先把名字 www.example.test 变成地址（DNS），再与 80 端口建立 TCP 连接，写出一个请求报文：纯文本，一行请求行、若干请求头、一个空行。多线程的静态网站服务器一直读到解析器认出完整的请求，找到文件，回复状态行、响应头，文件本身作为响应体；浏览器则一直读到 Content-Length 说的字节数到齐。样式表走同一个 keep-alive 连接，不存在的页面得到 404。最后，在地址栏里输入你自己的 URL 试试。",
        default_seed: 80,
    },
    LessonInfo {
        id: LessonId::Sandbox,
        slug: "sandbox",
        title_en: "Sandbox",
        title_zh: "沙盒",
        intro_en: "Only the server runs. Add clients, type messages, call recv when you like, shrink the buffers, close. Try sending several messages without reading the replies, with small buffers.",
        intro_zh: "这里只运行服务器。你可以添加客户端、输入消息、随时调用 recv、缩小缓冲区、关闭连接。试试把缓冲区调小，连发几条消息却不读回复。",
        default_seed: 1,
    },
];

impl LessonId {
    pub const ALL: [LessonId; 6] = [
        LessonId::Echo,
        LessonId::MultiClient,
        LessonId::Buffers,
        LessonId::ByteStream,
        LessonId::Http,
        LessonId::Sandbox,
    ];

    pub fn info(self) -> &'static LessonInfo {
        &LESSONS[self as usize]
    }

    pub fn slug(self) -> &'static str {
        self.info().slug
    }

    pub fn from_slug(slug: &str) -> Option<LessonId> {
        LessonId::ALL.into_iter().find(|l| l.slug() == slug)
    }

    /// The lesson's world configuration for a seed.
    pub fn config(self, seed: u64) -> WorldConfig {
        let base = WorldConfig {
            seed,
            ..WorldConfig::default()
        };
        let at = Instant::from_micros;
        match self {
            LessonId::Echo => WorldConfig {
                clients: vec![ClientSpec::new(
                    ClientKind::Scripted,
                    &["你好", "how are you?"],
                    at(1000),
                )],
                ..base
            },
            LessonId::MultiClient => WorldConfig {
                clients: vec![
                    ClientSpec::new(ClientKind::Scripted, &["我是一号", "bye"], at(1000)),
                    ClientSpec::new(ClientKind::Scripted, &["我是二号", "bye"], at(1150)),
                    ClientSpec::new(ClientKind::Scripted, &["我是三号", "bye"], at(1300)),
                ],
                ..base
            },
            LessonId::Buffers => WorldConfig {
                tcp: TcpConfig {
                    mss: 8,
                    ..TcpConfig::default()
                },
                server: ServerSpec {
                    sleep: Some(Duration::from_secs(1)),
                    recv_capacity: 16,
                    ..ServerSpec::default()
                },
                clients: vec![ClientSpec {
                    send_capacity: 16,
                    ..ClientSpec::new(
                        ClientKind::Burst,
                        &["The quick brown fox jumps over the lazy dog"],
                        at(1000),
                    )
                }],
                ..base
            },
            LessonId::ByteStream => WorldConfig {
                server: ServerSpec {
                    sleep: Some(Duration::from_millis(500)),
                    recv_size: 8,
                    ..ServerSpec::default()
                },
                clients: vec![ClientSpec::new(
                    ClientKind::Burst,
                    &["你好", "hello", "ab一二三"],
                    at(1000),
                )],
                ..base
            },
            LessonId::Http => WorldConfig {
                server: ServerSpec {
                    port: 80,
                    ..ServerSpec::default()
                },
                http: Some(HttpSpec::default()),
                ..base
            },
            LessonId::Sandbox => base,
        }
    }

    /// A fresh world for the lesson.
    pub fn world(self, seed: u64) -> World {
        World::new(self.config(seed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_match_serde() {
        for l in LessonId::ALL {
            assert_eq!(LessonId::from_slug(l.slug()), Some(l));
            assert_eq!(l.info().id, l);
            let json = serde_json::to_string(&l).unwrap();
            assert_eq!(json, format!("\"{}\"", l.slug()));
        }
    }

    #[test]
    fn every_lesson_reaches_a_natural_end() {
        for l in LessonId::ALL {
            let mut w = l.world(l.info().default_seed);
            let mut steps = 0;
            while w.step() {
                steps += 1;
                assert!(steps < 20_000, "{l:?} does not end");
            }
            assert!(w.is_finished());
        }
    }
}
