//! What each event says, in the learner's language: the narration line and
//! the event list read these. This file holds [`Event::narration`] and the
//! small helpers every sentence uses; the sentences about system calls are
//! in `calls.rs`, those about TCP (states, segments, congestion, buffers) in
//! `tcp.rs`.

mod calls;
mod tcp;

use super::*;
use calls::*;
use tcp::*;
use Lang::{En, Zh};

/// `ValueError: bad`, or just `KeyboardInterrupt` when there is no message.
fn exception(kind: &str, message: &str) -> String {
    if message.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {message}")
    }
}

/// "process 1101" / "processes 1101 and 1102".
fn pids(pids: &[u32], lang: Lang) -> String {
    let list: Vec<String> = pids.iter().map(u32::to_string).collect();
    match (lang, list.len()) {
        (En, 1) => format!("process {}", list[0]),
        (En, _) => format!("processes {}", list.join(", ")),
        (Zh, _) => format!("进程 {}", list.join("、")),
    }
}

fn fd_nums(fds: &[Fd]) -> String {
    let list: Vec<String> = fds.iter().map(u32::to_string).collect();
    list.join(", ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn quote_bytes(data: &[u8]) -> String {
    // Python's repr of bytes, shortened to 24 of them.
    crate::pyrepr::py_bytes_repr(data, 24)
}

/// Who acts in a thread's event, as the narration names it: the thread,
/// on which host, and for a thread with a connection the peer it serves
/// (`Thread-2 (handle_client) · serving 10.0.0.3:53595`).
pub fn actor(host: &str, thread: &str, serving: Option<Endpoint>, lang: Lang) -> String {
    let who = if thread == "MainThread" {
        format!("{host} · {thread}")
    } else {
        thread.to_string()
    };
    match (serving, lang) {
        (Some(peer), En) => format!("{who} · serving {peer}"),
        (Some(peer), Zh) => format!("{who} · 服务 {peer}"),
        (None, _) => who,
    }
}

impl Event {
    /// A sentence that teaches what happened and why.
    pub fn narration(&self, lang: Lang) -> String {
        let who = self.host.map(|h| h.name()).unwrap_or_default();
        use EventKind::*;
        match &self.kind {
            Call { call } => narrate_call(call, &who, lang),
            Blocked { call, reason } => narrate_block(call, reason, lang),
            Return { call, ret } => narrate_return(call, ret, lang),
            State { from, to } => narrate_state(*from, *to, lang),
            SynQueued { peer, syn_queue, backlog } => if lang == Zh {
                format!("{who} 的内核收到 {peer} 的 SYN，把这个半连接放进 SYN 队列（{syn_queue} 个，backlog {backlog}），并回复 SYN-ACK。程序此时什么也不知道。")
            } else {
                format!("{who}'s kernel got a SYN from {peer}: the half-open connection waits in the SYN queue ({syn_queue}, backlog {backlog}) while the kernel answers SYN-ACK. The program knows nothing yet.")
            },
            AcceptQueued { peer, accept_queue, backlog } => if lang == Zh {
                format!("与 {peer} 的三次握手在内核里完成了：连接进入 accept 队列（{accept_queue} 个，backlog {backlog}），等着 accept() 把它取走。")
            } else {
                format!("The three-way handshake with {peer} finished inside the kernel: the connection moves to the accept queue ({accept_queue}, backlog {backlog}) until accept() takes it.")
            },
            Timer { timer } => match (timer, lang) {
                (TimerKind::SynRetransmit, En) => "No SYN-ACK came back in time: nothing answered our SYN (a server whose accept queue is full drops SYNs without a word). The kernel sends the SYN again. Linux (since 6.5) sends the first five retries 1 s apart, then doubles the wait each time (2 s, 4 s, …); after ten retries, about two minutes, connect() gives up with TimeoutError.".into(),
                (TimerKind::SynRetransmit, Zh) => "迟迟没有收到 SYN-ACK：我们的 SYN 没有得到回应（accept 队列满了的服务器会一声不响地丢掉 SYN）。内核重发 SYN。Linux（6.5 起）前五次重试每次间隔 1 秒，之后每次等待加倍（2 秒、4 秒……）；重试十次、大约两分钟后，connect() 放弃，抛出 TimeoutError。".into(),
                (TimerKind::Persist, En) => "The persist timer fired and the peer's window is still 0. The ACK that will reopen it carries no data, so if the network lost it nobody would send it again, and both sides would wait for ever. So the kernel asks, with a probe the peer answers (at most once per 500 ms); the next probe waits twice as long.".into(),
                (TimerKind::Persist, Zh) => "坚持计时器到点，对方的窗口仍是 0。将来重新打开窗口的那个 ACK 不带数据，万一在网络上丢了，没有人会重发它，双方就会永远互相等待。所以内核主动发一个探测，对方会回答它（每 500 毫秒最多回答一次）；下一次探测的间隔加倍。".into(),
                (TimerKind::DelayedAck, En) => "The delayed-ACK timer fired: no reply carried the ACK in time, so the kernel sends it alone.".into(),
                (TimerKind::DelayedAck, Zh) => "延迟确认计时器到点：没有回复顺带捎上这个 ACK，内核只好单独发送它。".into(),
                (TimerKind::Retransmit, En) => "The retransmission timer expired: no ACK came for the oldest unacknowledged segment within RTO. TCP takes it for lost, and a network that loses segments may be congested: the segment goes again, RTO doubles for the next try, and cwnd falls to one segment.".into(),
                (TimerKind::Retransmit, Zh) => "重传计时器到点：在 RTO 之内，最早那个未确认的报文段没有等到 ACK。TCP 认为它丢了，而会丢包的网络可能已经拥塞：这个报文段重发，下一次的 RTO 加倍，cwnd 降到 1 个报文段。".into(),
                (TimerKind::SynAckRetransmit, En) => "No ACK came back for the SYN-ACK in time: it or the SYN-ACK was lost. The server's kernel sends the SYN-ACK again and doubles the timeout.".into(),
                (TimerKind::SynAckRetransmit, Zh) => "迟迟没有等到 SYN-ACK 的确认：要么 SYN-ACK 丢了，要么那个 ACK 丢了。服务器内核重发 SYN-ACK，并把超时时间加倍。".into(),
                (TimerKind::TimeWait, En) => "TIME-WAIT is over after Linux's fixed 60 s (RFC 9293 asks for twice the maximum segment lifetime, \"2 MSL\"). A repeated FIN would have arrived by now, and late segments of this connection are gone, so the kernel forgets it.".into(),
                (TimerKind::TimeWait, Zh) => "TIME-WAIT 在 Linux 固定的 60 秒后结束（RFC 9293 要求的是两倍最大报文段寿命，即“2 MSL”）。如果对方重发 FIN，早该到了；这条连接迟到的报文段也都消失了，内核可以把它忘掉。".into(),
            },
            DuplicateAck { ack, count } => match lang {
                En => format!("Duplicate ACK {count}: the peer acknowledges {ack} again. It keeps receiving segments, but not the one that starts at {ack}: {}", if *count >= 3 { "three in a row mean that one is lost." } else { "a segment may be lost, or only late; at three in a row TCP will resend it." }),
                Zh => format!("第 {count} 个重复 ACK：对方再次确认 {ack}。它一直在收到报文段，却缺了从 {ack} 开始的那个：{}", if *count >= 3 { "连续三个就说明它丢了。" } else { "可能丢了，也可能只是晚到；连续三个时 TCP 就会重发它。" }),
            },
            GaveUp { retries } => match lang {
                En => format!("{who}'s kernel gives the connection up: the retransmission timer expired {retries} times in a row and nothing was acknowledged (Linux's tcp_retries2 is 15, about 15 minutes of doubling timeouts; this network's loss made every try fail). The connection is CLOSED without a word to the peer, and the program's next call on the socket raises {}.", SysError::TimedOut.python()),
                Zh => format!("{who} 的内核放弃了这个连接：重传计时器连续 {retries} 次到点，什么也没被确认（Linux 的 tcp_retries2 是 15，超时一次次加倍，大约 15 分钟；这个网络的丢包让每一次都失败了）。连接直接进入 CLOSED，不通知对方；程序在这个套接字上的下一次调用会抛出 {}。", SysError::TimedOut.python()),
            },
            OutOfOrder { held, added } => match lang {
                En => format!("{who}'s kernel holds {added} byte{} that arrived ahead of a gap ({held} held in all). recv() cannot read them yet: a byte stream is read in order, so they wait until the missing bytes come.", plural(*added)),
                Zh => format!("{who} 的内核暂存了 {added} 个越过空缺先到的字节（共暂存 {held} 个）。recv() 还读不到它们：字节流必须按顺序读，它们要等缺的字节到了才行。"),
            },
            Congestion { cwnd, ssthresh, phase, cause, flight, mss, .. } => narrate_congestion(*cwnd, *ssthresh, *phase, *cause, *flight, *mss, lang),
            SegmentSent { segment, reason, relative, .. } => narrate_sent(segment, *reason, *relative, lang),
            SegmentDelivered { segment } => {
                let n = segment.payload.len();
                if lang == Zh {
                    format!("报文段 {} 到达 {}{}。", segment.flags, who, if n > 0 { format!("，带着 {n} 个字节") } else { String::new() })
                } else {
                    format!("Segment {} reaches {}{}.", segment.flags, who, if n > 0 { format!(" carrying {n} byte{}", plural(n)) } else { String::new() })
                }
            }
            SegmentDropped { segment, reason } => match (reason, lang) {
                (DropReason::BacklogFull, En) => format!("{who}'s listening socket drops the SYN from {}: backlog + 1 connections already wait in its accept queue for accept(), and there is no room for another. It sends nothing back: the client's kernel will try again after a timeout.", segment.src),
                (DropReason::BacklogFull, Zh) => format!("{who} 的监听套接字丢弃了来自 {} 的 SYN：accept 队列里已有 backlog + 1 个连接在等 accept()，放不下了。它什么也不回：客户端的内核超时后会重试。", segment.src),
                (DropReason::SynQueueFull, En) => format!("{who}'s listening socket drops the SYN from {}: more half-open connections than the backlog already wait for their last ACK, and SYN cookies are off (net.ipv4.tcp_syncookies = 0). The client's kernel will try again after a timeout.", segment.src),
                (DropReason::SynQueueFull, Zh) => format!("{who} 的监听套接字丢弃了来自 {} 的 SYN：等待最后一个 ACK 的半连接已经超过 backlog 个，而且 SYN cookie 关闭了（net.ipv4.tcp_syncookies = 0）。客户端的内核超时后会重试。", segment.src),
                (DropReason::CookieAcceptQueueFull, En) => format!("{who}'s kernel drops this segment from {}: it acknowledges a valid SYN cookie, but backlog + 1 connections already wait for accept(). The kernel kept nothing of this handshake, so nothing is sent again from its side; the client, whose connect() returned, believes it is connected, and its kernel will retransmit until a copy finds room.", segment.src),
                (DropReason::CookieAcceptQueueFull, Zh) => format!("{who} 的内核丢弃了来自 {} 的这个报文段：它确认的是一个有效的 SYN cookie，但已有 backlog + 1 个连接在等 accept()。内核没有保存这次握手的任何东西，所以它这一边什么也不会重发；而客户端的 connect() 已经返回，它以为自己连上了，它的内核会一直重传，直到某一份副本遇到空位。", segment.src),
                (DropReason::AcceptQueueFull, En) => format!("{who}'s kernel drops the ACK that would finish the handshake with {}: backlog + 1 connections already wait for accept(). The connection stays half-open (SYN-RECEIVED) and the SYN-ACK will be sent again; the client, which got its SYN-ACK, believes it is connected.", segment.src),
                (DropReason::AcceptQueueFull, Zh) => format!("{who} 的内核丢弃了本该完成与 {} 握手的 ACK：已有 backlog + 1 个连接在等 accept()。这个连接仍是半连接（SYN-RECEIVED），SYN-ACK 会重发；而客户端收到过 SYN-ACK，以为自己已经连上了。", segment.src),
                (DropReason::NoSocket, En) => format!("No socket on {who} owns port {}: the segment is dropped.", segment.dst.port),
                (DropReason::NoSocket, Zh) => format!("{who} 上没有套接字使用端口 {}：报文段被丢弃。", segment.dst.port),
                (DropReason::NoListener { listening }, En) => format!("No socket on {who} listens on port {}: the SYN is dropped, and the kernel answers RST, so connect() raises ConnectionRefusedError.{}", segment.dst.port, match listening { Some(q) => format!(" ({who} does listen on port {q}: the server and its clients must use the same port.)"), None => String::new() }),
                (DropReason::NoListener { listening }, Zh) => format!("{who} 上没有套接字在监听端口 {}：SYN 被丢弃，内核回 RST，connect() 于是抛出 ConnectionRefusedError。{}", segment.dst.port, match listening { Some(q) => format!("（{who} 在监听的是 {q} 端口：服务器和客户端必须用同一个端口。）"), None => String::new() }),
                (DropReason::OutsideWindow, En) => "The receive buffer has no room for these bytes (the window is 0): they are dropped, and the kernel answers at once with an ACK that repeats the window.".into(),
                (DropReason::OutsideWindow, Zh) => "接收缓冲区没有空间放这些字节（窗口为 0）：它们被丢弃，内核立即回一个 ACK，再次告知窗口大小。".into(),
                (DropReason::AnswerRateLimited, En) => "Another probe less than half a second after the last one this kernel answered: Linux answers a segment outside the window at most once per 500 ms (net.ipv4.tcp_invalid_ratelimit), so this probe gets no ACK. The sender will probe again later.".into(),
                (DropReason::AnswerRateLimited, Zh) => "离上一次得到回应的探测还不到半秒，又来了一个探测：对窗口之外的报文段，Linux 每 500 毫秒最多回应一次（net.ipv4.tcp_invalid_ratelimit），所以这次探测得不到 ACK。发送方稍后会再探测。".into(),
                (DropReason::Lost, En) => format!("The network lost this segment ({} → {}). Neither side is told: the sender finds out only from what does not come back.", segment.src, segment.dst),
                (DropReason::Lost, Zh) => format!("网络丢失了这个报文段（{} → {}）。双方都不会收到通知：发送方只能从“没有回音”中发现。", segment.src, segment.dst),
                (DropReason::DroppedByLearner, En) => format!("You dropped this segment ({} → {}) on the wire, as a lossy network would. Neither side is told: the sender finds out only from what does not come back.", segment.src, segment.dst),
                (DropReason::DroppedByLearner, Zh) => format!("你在线路上丢弃了这个报文段（{} → {}），就像一个会丢包的网络。双方都不会收到通知：发送方只能从“没有回音”中发现。", segment.src, segment.dst),
            },
            Buffer { side, cause, delta, len, capacity } => narrate_buffer(*side, *cause, *delta, *len, *capacity, lang),
            Console { line, stderr: false } => if lang == Zh { format!("{who} 的终端打印：{line}") } else { format!("{who}'s terminal prints: {line}") },
            Console { line, stderr: true } => if lang == Zh { format!("{who} 的终端打印（stderr）：{line}") } else { format!("{who}'s terminal prints (stderr): {line}") },
            Spinning { statements, eof_recvs: 0 } => if lang == Zh {
                format!("这个线程已经连续执行了 {statements} 条语句，一次也没有阻塞：这是一个忙循环。它一直占着 CPU；除了每 5 毫秒的切换间隔，其他线程都拿不到解释器（GIL）。")
            } else {
                format!("This thread has run {statements} statements without blocking once: a busy loop. It keeps the CPU, and but for the 5 ms switch interval no other thread of its process gets the interpreter (the GIL).")
            },
            Spinning { statements, eof_recvs } => if lang == Zh {
                format!("这个线程已经连续执行了 {statements} 条语句，一次也没有阻塞，其中 {eof_recvs} 次 recv() 立即返回了 b''：对方已经关闭，而一个结束了的字节流永远停在结尾，所以 recv() 不再阻塞，每次都马上返回 b''。循环没有检查 b''，就永远停不下来：它空转着占满一个 CPU（top 里是 100%），除了每 5 毫秒的切换间隔还霸占着 GIL。修正：收到 b'' 就退出循环（if not data: break），然后 close() 套接字。")
            } else {
                format!("This thread has run {statements} statements without blocking once, and {eof_recvs} of its recv() calls returned b'' at once: the peer has closed, and a stream that has ended stays at its end, so recv() no longer blocks but returns b'' every time. The loop never checks for b'', so it never stops: it spins, keeping a CPU busy (100% in top) and, but for the 5 ms switch interval, the GIL. The fix: leave the loop when recv() returns b'' (if not data: break), then close() the socket.")
            },
            Ran { code } => if lang == Zh { format!("执行第 {} 行：{}", self.line.unwrap_or(0), code.trim()) } else { format!("Runs line {}: {}", self.line.unwrap_or(0), code.trim()) },
            ThreadStarted { name, daemon } => match (lang, *daemon) {
                (En, true) => format!("Thread {name} starts as a daemon: it serves one client, and it will not keep the process alive on its own."),
                (En, false) if name != "MainThread" => format!("Thread {name} starts. It is not a daemon: when the main thread ends, the process waits for it to end too."),
                (En, false) => format!("Thread {name} starts."),
                (Zh, true) => format!("线程 {name} 以守护线程启动：它专门服务一个客户端，不会独自让进程继续活着。"),
                (Zh, false) if name != "MainThread" => format!("线程 {name} 启动。它不是守护线程：主线程结束后，进程还会等它结束。"),
                (Zh, false) => format!("线程 {name} 启动。"),
            },
            ThreadEnded { name, end } => match (end, lang) {
                (ThreadEnd::Returned, En) => format!("Thread {name} ends: its function returned."),
                (ThreadEnd::Returned, Zh) => format!("线程 {name} 结束：它的函数返回了。"),
                (ThreadEnd::Killed, En) => format!("Daemon thread {name} is stopped wherever it was: its process is exiting (the main thread and every non-daemon thread have ended), and Python does not wait for daemon threads. No finally block and no close() of its own runs: a conversation it was in the middle of is cut off, and the kernel closes its sockets."),
                (ThreadEnd::Killed, Zh) => format!("守护线程 {name} 不管执行到哪里都被停下：它的进程正在退出（主线程和所有非守护线程都结束了），而 Python 不等守护线程。它自己的 finally 块和 close() 都不会执行：正在进行的对话被拦腰截断，它的套接字由内核来关闭。"),
                (ThreadEnd::Terminated, En) => format!("Thread {name} stops where it was: its process is being ended."),
                (ThreadEnd::Terminated, Zh) => format!("线程 {name} 停在原处：它所在的进程被结束了。"),
                (ThreadEnd::Exception { kind, message }, En) => format!("Thread {name} dies of an uncaught {}: the traceback is on {who}'s terminal.", exception(kind, message)),
                (ThreadEnd::Exception { kind, message }, Zh) => format!("线程 {name} 因未捕获的异常结束：{}。回溯信息打印在 {who} 的终端上。", exception(kind, message)),
            },
            ProcessExited => if lang == Zh {
                format!("{who} 的进程结束：主线程结束了，也没有非守护线程。内核像 close() 那样关闭它还开着的每个套接字：发 FIN；如果接收缓冲区里还有没读的字节，就发 RST。对方会读到 b''（或者遇到 ConnectionResetError）。")
            } else {
                format!("{who}'s process exits: its main thread ended and no non-daemon thread remains. The kernel closes every socket it left open, as close() would: a FIN, or an RST if unread bytes are still in a receive buffer. The peer reads b'' (or gets ConnectionResetError).")
            },
            WaitingForThreads { threads } => if lang == Zh {
                format!("主线程执行完了，但 {who} 的进程并不退出：Python 退出之前，threading 会等待（join）每一个非守护线程：{}。守护线程不在等待之列：等这些线程都结束时，守护线程不管执行到哪里都会被停下。", threads.join("、"))
            } else {
                format!("The main thread is done, yet {who}'s process does not exit: before Python exits, threading waits for (joins) every non-daemon thread: {}. Daemon threads are not waited for: when these have ended, any daemon thread is stopped wherever it is.", threads.join(", "))
            },
            SynCookieValid { peer } => if lang == Zh {
                format!("{who} 的内核没有 {peer} 的半连接，但这个报文段确认的是一个有效的 SYN cookie：内核用报文段里的数字（客户端的序列号、cookie 以及 cookie 记下的选项）重建这个连接，它直接进入 accept 队列。")
            } else {
                format!("{who}'s kernel has no half-open connection for {peer}, but this segment acknowledges a valid SYN cookie: the kernel rebuilds the connection from the numbers in the segment (the client's sequence number, the cookie and the options it remembers), and the connection goes straight to the accept queue.")
            },
            PortInUse { port, holder, reuse_addr } => narrate_port_in_use(*port, holder, *reuse_addr, lang),
            ProgramRestarted { argv } => if lang == Zh {
                format!("{who} 上的程序重新启动：python3 {}。这是一个新的进程（新的解释器、新的主线程，文件描述符又从 3 开始），但内核还是原来那个：上一次运行留在内核里的东西（比如处在 TIME-WAIT 的连接）都还在。", argv.join(" "))
            } else {
                format!("The program on {who} is started again: python3 {}. A new process (a new interpreter, a new main thread, fds from 3 again), but the same kernel: whatever the last run left in it (connections in TIME-WAIT, say) is still there.", argv.join(" "))
            },
            ProcessStarted { pid, ppid, name, fds } => {
                let named = |lang: Lang| match (name, lang) {
                    (Some(n), Zh) => format!("（{n}）"),
                    (Some(n), En) => format!(" ({n})"),
                    (None, _) => String::new(),
                };
                let named = named(lang);
                match (lang, fds.is_empty()) {
                    (En, false) => format!("Process {pid}{named} starts on {who}, a child of process {ppid}: a copy of it, with its own copies of fds {}: each names the same socket in both processes, and the kernel keeps a socket open while any fd names it.", fd_nums(fds)),
                    (En, true) => format!("Process {pid}{named} starts on {who}, a child of process {ppid}: a copy of it, with no socket open."),
                    (Zh, false) => format!("进程 {pid}{named} 在 {who} 上启动，是进程 {ppid} 的子进程：它的副本，有自己的一份 fd {}：同一个编号在两个进程里指向同一个套接字；只要还有 fd 指着它，内核就让这个套接字开着。", fd_nums(fds)),
                    (Zh, true) => format!("进程 {pid}{named} 在 {who} 上启动，是进程 {ppid} 的子进程：它的副本，没有打开的套接字。"),
                }
            }
            ChildExited { pid, ppid, code, fds, kept } => {
                let closed = if fds.is_empty() {
                    String::new()
                } else if lang == Zh {
                    format!("内核关闭它的 fd {}。", fd_nums(fds))
                } else {
                    format!(" The kernel closes its fd{} {}.", if fds.len() == 1 { "" } else { "s" }, fd_nums(fds))
                };
                let mut text = match (lang, *code < 0) {
                    (En, false) => format!("Process {pid} exits (exit code {code}).{closed}"),
                    (En, true) => format!("Process {pid} is killed with its parent {ppid} (signal {}).{closed}", -code),
                    (Zh, false) => format!("进程 {pid} 退出（退出码 {code}）。{closed}"),
                    (Zh, true) => format!("进程 {pid} 随父进程 {ppid} 一起被结束（信号 {}）。{closed}", -code),
                };
                for k in kept {
                    let (fd, holders) = (k.fd, &k.held_by);
                    text.push_str(&match (lang, k.listening) {
                        (Zh, true) => format!("fd {fd} 的监听套接字仍然开着：{} 还持有它的 fd。", pids(holders, Zh)),
                        (Zh, false) => format!("fd {fd} 的连接没有关闭，不发 FIN：{} 还持有它的 fd。", pids(holders, Zh)),
                        (En, true) => format!(" The listening socket of its fd {fd} stays open: {} still hold{} an fd naming it.", pids(holders, En), if holders.len() == 1 { "s" } else { "" }),
                        (En, false) => format!(" The connection of its fd {fd} does not close and no FIN goes out: {} still hold{} an fd naming it.", pids(holders, En), if holders.len() == 1 { "s" } else { "" }),
                    });
                }
                text
            }
            ProcessTerminated => if lang == Zh {
                format!("{who} 的进程被结束（就像在它的终端按下 Ctrl-C 或执行 kill）。程序没来得及调用 close()，内核替它关闭每个还开着的套接字：连接照常发出 FIN；如果接收缓冲区里还有没读的数据，就发 RST。")
            } else {
                format!("{who}'s process is ended (as Ctrl-C in its terminal or kill would). The program never called close(), so the kernel closes every socket it left open: a FIN as usual, or an RST if unread data was still in the receive buffer.")
            },
            Action { action } => if lang == Zh { format!("学习者操作：{}", action.describe(Zh)) } else { format!("The learner: {}", action.describe(En)) },
            ActionIgnored { action, why } => if lang == Zh { format!("操作“{}”未执行：{}", action.describe(Zh), why.zh) } else { format!("Not done: {} ({})", action.describe(En), why.en) },
            Dns { name, ip, delay } => if lang == Zh {
                format!("（模拟的）DNS 解析器回答：{name} → {ip}，用了 {delay}。程序连接的是 IP 地址，而不是名字。真实的查询会通过 UDP 53 端口去问 DNS 服务器；这里直接查表，所以线路上看不到它的报文。")
            } else {
                format!("The (mock) DNS resolver answers: {name} → {ip}, after {delay}. Programs connect to IP addresses, not names. A real lookup asks a DNS server over UDP port 53; this one answers from a table, so no packet of it shows on the wire.")
            },
            Http { note } => narrate_http(note, &who, lang),
        }
    }
}

#[cfg(test)]
mod ui_tests {
    use super::*;
    use crate::sim::{LessonId, Run, Setup};

    #[test]
    fn no_step_says_the_same_sentence_twice() {
        for lesson in LessonId::ALL {
            for lang in [En, Zh] {
                let setup = Setup::new(lesson, lesson.info().default_seed).in_lang(lang);
                let mut run = Run::start(setup);
                while run.step() {
                    let said: Vec<String> = run
                        .events_at(run.current_step())
                        .iter()
                        .map(|e| e.narration(lang))
                        .collect();
                    for (i, s) in said.iter().enumerate() {
                        assert!(
                            !said[..i].contains(s),
                            "{lesson:?} {lang:?} step {}: {s}",
                            run.current_step()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_actor_names_the_thread_and_the_peer_it_serves() {
        let peer = Endpoint::new(std::net::Ipv4Addr::new(10, 0, 0, 3), 53595);
        assert_eq!(
            actor("server", "Thread-2 (handle_client)", Some(peer), En),
            "Thread-2 (handle_client) · serving 10.0.0.3:53595"
        );
        assert_eq!(
            actor("server", "Thread-2 (handle_client)", Some(peer), Zh),
            "Thread-2 (handle_client) · 服务 10.0.0.3:53595"
        );
        assert_eq!(
            actor("client-1", "MainThread", None, En),
            "client-1 · MainThread"
        );
    }
}
