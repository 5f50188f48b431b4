//! The `processes` lesson. The course's echo server with a process per
//! client (`multiprocessing.Process`, forked): each child has its own PID
//! and its own fd table, whose copies name the same sockets as the
//! parent's; the parent must close its copy of each connection, or the
//! client never sees FIN.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "processes",
    group: Group::Further,
    title: Text::new(
        "每个客户端一个进程",
        "One process per client",
    ),
    intro: Text::new(
        "同一个回显服务器，这次为每个客户端启动一个进程（multiprocessing.Process），而不是线程。p.start() 会 fork：子进程是父进程的副本，有自己的 PID、自己的变量，还有自己的一张 fd 表，但表里的 fd 和父进程的指向同一个套接字。内核只在最后一个指向它的 fd 关闭时才关闭连接、发出 FIN。所以父进程 fork 之后要 conn.close() 关掉自己那份。试试删掉最后一行 conn.close() 再运行：子进程关闭了它的 fd、退出了，最后一个客户端却一直阻塞在 recv() 里，等不到 FIN。（前一个客户端还能收到 FIN，只是因为下一次 accept() 给 conn 重新赋值时，Python 释放了旧的套接字对象。）",
        "The same echo server, now with a process per client (multiprocessing.Process) instead of a thread. p.start() forks: the child is a copy of the parent, with its own PID, its own variables and its own fd table, whose fds name the same sockets as the parent's. The kernel closes a connection, and sends FIN, only when the last fd naming it is closed. So after the fork the parent must conn.close() its own copy. Try deleting the last line, conn.close(), and run it again: the child closes its fd and exits, yet the last client stays blocked in recv(), waiting for a FIN that never comes. (The earlier client still gets its FIN only because the next accept() rebinds conn and Python frees the old socket object.)",
    ),
    default_seed: 5,
    panels: Panels::NONE,
    checkpoints: &[],
    config,
};

fn config(lang: Lang) -> WorldConfig {
    let client = |messages: &[&str], at: u64| {
        ClientSpec::echo(ClientKind::Burst, messages, lang, Instant::from_micros(at))
    };
    WorldConfig {
        lang,
        server: ServerSpec::new(EchoServer::default().processes_script(lang)),
        clients: vec![client(&["我是一号"], 1000), client(&["我是二号"], 1150)],
        added_client: ClientSpec::echo(ClientKind::Interactive, &[], lang, Instant::ZERO),
        ..WorldConfig::default()
    }
}
