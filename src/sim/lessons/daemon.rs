//! The `daemon` lesson. Two handler threads, one daemon and one not, and
//! a main thread that ends early: the process waits for the non-daemon
//! thread (`WaitingForThreads`), and when that one is done the process
//! exits and the daemon thread is stopped mid-conversation (its client
//! reads `b''` without the last line).

use super::code::{lesson_program, DAEMON_CLIENT, DAEMON_SERVER};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "daemon",
    group: Group::Mistakes,
    title: Text::new("守护线程：daemon=True", "Daemon threads: daemon=True"),
    intro: Text::new(
        "服务器给两个客户端各开一个线程：A 是守护线程（daemon=True），要慢慢讲 8 段；B 是普通线程，只讲 3 段。主线程接受完两个连接就结束了，可进程并没有退出：Python 退出前要等所有非守护线程，也就是 B。B 讲完的那一刻，进程退出，而 Python 从不等守护线程：A 不管讲到哪里都被停下，它的 finally 和 close() 都不会执行，由内核关闭它的套接字。客户端 A 只收到两段就读到了 b''，没有“讲完了”那一行。守护线程适合可以随时丢掉的工作；要做完的工作，用非守护线程，或者在主线程里 join() 它。",
        "The server gives each of two clients a thread: A is a daemon (daemon=True) with a slow story of 8 parts; B is an ordinary thread with 3 parts. The main thread ends as soon as it has accepted both, yet the process does not exit: before exiting, Python waits for every non-daemon thread, that is for B. The moment B is done the process exits, and Python never waits for daemon threads: A is stopped wherever it is, no finally and no close() of its own runs, and the kernel closes its socket. Client A reads b'' after only two parts, without the \"done\" line. A daemon thread suits work that may be dropped at any moment; work that must finish belongs in a non-daemon thread, or one the main thread join()s.",
    ),
    default_seed: 4,
    panels: Panels::NONE,
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    let client = lesson_program(DAEMON_CLIENT, lang);
    WorldConfig {
        lang,
        server: ServerSpec::new(lesson_program(DAEMON_SERVER, lang)),
        clients: vec![
            ClientSpec::python(client.clone(), Instant::from_millis(1)),
            ClientSpec::python(client, Instant::from_millis(51)),
        ],
        ..WorldConfig::default()
    }
}
