//! What each event says, in the learner's language: the narration line and
//! the event list read these.

use super::*;
use crate::sim::net::segment::{SeqNumber, TcpOptions};
use crate::sim::tcp::State;
use Lang::{En, Zh};

/// `ValueError: bad`, or just `KeyboardInterrupt` when there is no message.
fn exception(kind: &str, message: &str) -> String {
    if message.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {message}")
    }
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
                (TimerKind::Persist, En) => "The persist timer fired and the peer's window is still 0. The ACK that will reopen it carries no data, so if the network lost it nobody would send it again, and both sides would wait for ever. So the kernel asks, with a probe the peer must answer; the next probe waits twice as long.".into(),
                (TimerKind::Persist, Zh) => "坚持计时器到点，对方的窗口仍是 0。将来重新打开窗口的那个 ACK 不带数据，万一在网络上丢了，没有人会重发它，双方就会永远互相等待。所以内核主动发一个对方必须回答的探测；下一次探测的间隔加倍。".into(),
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
                (DropReason::OutsideWindow, En) => "The receive buffer has no room for these bytes (the window is 0): they are dropped, and the kernel answers at once with an ACK that repeats the window.".into(),
                (DropReason::OutsideWindow, Zh) => "接收缓冲区没有空间放这些字节（窗口为 0）：它们被丢弃，内核立即回一个 ACK，再次告知窗口大小。".into(),
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
            ProcessStarted { argv } => if lang == Zh {
                format!("{who} 上的程序重新启动：python3 {}。这是一个新的进程（新的解释器、新的主线程，文件描述符又从 3 开始），但内核还是原来那个：上一次运行留在内核里的东西（比如处在 TIME-WAIT 的连接）都还在。", argv.join(" "))
            } else {
                format!("The program on {who} is started again: python3 {}. A new process (a new interpreter, a new main thread, fds from 3 again), but the same kernel: whatever the last run left in it (connections in TIME-WAIT, say) is still there.", argv.join(" "))
            },
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

fn narrate_call(call: &Call, who: &str, lang: Lang) -> String {
    match (call, lang) {
        (Call::Socket, En) => format!("{who} asks the kernel for a new TCP socket."),
        (Call::Socket, Zh) => format!("{who} 向内核要一个新的 TCP 套接字。"),
        (Call::Setsockopt { option: SockOption::ReuseAddr, .. }, En) => "SO_REUSEADDR lets the server bind its port again right after a restart, even while old connections sit in TIME-WAIT (Linux asks it of both sockets: the new one, and the listener the old connections came from).".into(),
        (Call::Setsockopt { option: SockOption::ReuseAddr, .. }, Zh) => "SO_REUSEADDR 让服务器重启后立刻能再绑定同一端口，即使旧连接还处在 TIME-WAIT（Linux 要求两边都设置：新的套接字，以及旧连接所来自的那个监听套接字）。".into(),
        (Call::Setsockopt { option: SockOption::NoDelay, on: true }, En) => "TCP_NODELAY turns Nagle's algorithm off: small writes go on the wire at once, even while earlier data is unacknowledged.".into(),
        (Call::Setsockopt { option: SockOption::NoDelay, on: true }, Zh) => "TCP_NODELAY 关闭 Nagle 算法：小块数据立即发出，即使之前的数据还没被确认。".into(),
        (Call::Setsockopt { option: SockOption::NoDelay, on: false }, En) => "TCP_NODELAY off: Nagle's algorithm holds a small write back while earlier small data is unacknowledged.".into(),
        (Call::Setsockopt { option: SockOption::NoDelay, on: false }, Zh) => "关闭 TCP_NODELAY：Nagle 算法在之前的小块数据被确认之前，先扣住新的小块数据。".into(),
        (Call::Setsockopt { option: SockOption::Other { level, option }, .. }, En) => format!("setsockopt({level}, {option}, …): an option this simulation accepts and does not model."),
        (Call::Setsockopt { option: SockOption::Other { level, option }, .. }, Zh) => format!("setsockopt({level}, {option}, …)：本模拟接受这个选项，但不模拟它的效果。"),
        (Call::SetBlocking { fd, blocking: false }, En) => format!("setblocking(False) makes fd {fd} non-blocking (the O_NONBLOCK flag): from now on accept(), recv(), send() and connect() on it never wait; where they would have to, they raise BlockingIOError at once."),
        (Call::SetBlocking { fd, blocking: false }, Zh) => format!("setblocking(False) 把 fd {fd} 设为非阻塞（O_NONBLOCK 标志）：从此它上面的 accept()、recv()、send()、connect() 都不再等待；本来要等的时候，立即抛出 BlockingIOError。"),
        (Call::SetBlocking { fd, blocking: true }, En) => format!("setblocking(True) makes fd {fd} blocking again: its calls wait until they can finish."),
        (Call::SetBlocking { fd, blocking: true }, Zh) => format!("setblocking(True) 让 fd {fd} 恢复阻塞：它上面的调用会一直等到能完成为止。"),
        (Call::Bind { port }, En) => format!("bind() claims port {port} on every address of the host."),
        (Call::Bind { port }, Zh) => format!("bind() 占用本机所有地址上的 {port} 端口。"),
        (Call::Listen { backlog }, En) => format!("listen({backlog}) turns the socket into a listening one: from now on the kernel answers SYNs by itself and queues up to {backlog} connections."),
        (Call::Listen { backlog }, Zh) => format!("listen({backlog}) 把套接字变成监听套接字：从此内核自己应答 SYN，最多排队 {backlog} 个连接。"),
        (Call::Accept { .. }, En) => "accept() asks for the next finished connection in the accept queue.".into(),
        (Call::Accept { .. }, Zh) => "accept() 向 accept 队列要下一个已完成握手的连接。".into(),
        (Call::Connect { to, .. }, En) => format!("connect() to {to}: the kernel picks a free local port and starts the three-way handshake."),
        (Call::Connect { to, .. }, Zh) => format!("connect() 连接 {to}：内核选一个空闲的本地端口，开始三次握手。"),
        (Call::Send { len, all: false, .. }, En) => format!("send() is handed {len} byte{}.", plural(*len)),
        (Call::Send { len, all: false, .. }, Zh) => format!("send() 拿到 {len} 个字节。"),
        (Call::Send { len, all: true, .. }, En) => format!("sendall() is handed {len} byte{}: it returns only when every one is in the send buffer.", plural(*len)),
        (Call::Send { len, all: true, .. }, Zh) => format!("sendall() 拿到 {len} 个字节：要等它们全部进了发送缓冲区才返回。"),
        (Call::Recv { max, .. }, En) => format!("recv({max}) asks for at most {max} byte{} from the receive buffer.", plural(*max)),
        (Call::Recv { max, .. }, Zh) => format!("recv({max}) 向接收缓冲区要最多 {max} 个字节。"),
        (Call::Shutdown { .. }, En) => "shutdown(SHUT_WR): this side will send nothing more. The kernel sends FIN after the queued bytes, yet the socket can still receive.".into(),
        (Call::Shutdown { .. }, Zh) => "shutdown(SHUT_WR)：这一端不再发送。内核在排队的字节之后发 FIN，但套接字仍然可以接收。".into(),
        (Call::Close { fd, state, unread }, _) => narrate_close(*fd, *state, *unread, lang),
        (Call::Sleep { duration }, En) => format!("time.sleep({}): the thread does nothing for {duration}, while the kernel keeps receiving for it.", crate::sim::time::python_seconds(duration.total_micros())),
        (Call::Sleep { duration }, Zh) => format!("time.sleep({})：线程 {duration} 内什么也不做，内核照样替它接收数据。", crate::sim::time::python_seconds(duration.total_micros())),
        (Call::Input, En) => "input() reads a line from the terminal.".into(),
        (Call::Input, Zh) => "input() 从终端读一行。".into(),
        (Call::Join { thread }, En) => format!("join() waits until {thread} has ended."),
        (Call::Join { thread }, Zh) => format!("join() 等待 {thread} 结束。"),
        (Call::LockAcquire, En) => "acquire() takes the lock, or waits while another thread holds it.".into(),
        (Call::LockAcquire, Zh) => "acquire() 拿锁；如果别的线程拿着它，就等待。".into(),
        (Call::GetHostByName { name }, En) => format!("{who} asks for the IP address of {name}: TCP connects to an address and a port, so the name in the URL has to be looked up first (DNS)."),
        (Call::GetHostByName { name }, Zh) => format!("{who} 查询 {name} 的 IP 地址：TCP 连接的是地址和端口，所以 URL 里的名字要先查出来（DNS）。"),
        (Call::WaitForUrl, En) => "The browser waits for the learner to type a URL into the address bar.".into(),
        (Call::WaitForUrl, Zh) => "浏览器等待学习者在地址栏里输入 URL。".into(),
        (Call::Select { read, write, epoll }, _) => narrate_select(read, write, *epoll, lang),
        (Call::EpollCreate, En) => "selectors.DefaultSelector() asks the kernel for an epoll instance: a kernel object that will hold the list of sockets to watch. It takes an fd of its own.".into(),
        (Call::EpollCreate, Zh) => "selectors.DefaultSelector() 向内核要一个 epoll 实例：内核里的一个对象，用来记住要盯着哪些套接字。它自己也占一个 fd。".into(),
        (Call::EpollCtl { op, fd, read, write }, _) => narrate_epoll_ctl(*op, *fd, (*read, *write), lang),
    }
}

/// `fd 3`, `fds 3, 5 and 6` (en) / `fd 3、5、6` (zh).
fn fd_list(fds: &[Fd], lang: Lang) -> String {
    let nums: Vec<String> = fds.iter().map(|f| f.to_string()).collect();
    match (nums.split_last(), lang) {
        (None, _) => String::new(),
        (Some((last, [])), _) => format!("fd {last}"),
        (Some((last, rest)), En) => format!("fds {} and {last}", rest.join(", ")),
        (Some(_), Zh) => format!("fd {}", nums.join("、")),
    }
}

fn narrate_select(read: &[Fd], write: &[Fd], epoll: bool, lang: Lang) -> String {
    let mut all: Vec<Fd> = read.to_vec();
    all.extend(write.iter().filter(|f| !read.contains(f)));
    let n = all.len();
    let name = if epoll { "sel.select()" } else { "select()" };
    let watch = match (read.is_empty(), write.is_empty(), lang) {
        (true, true, En) => {
            return format!("{name} has no socket to watch: it only waits for its timeout.")
        }
        (true, true, Zh) => return format!("{name} 没有要盯的套接字：它只是等超时。"),
        (false, true, En) => format!("{} for reading", fd_list(read, En)),
        (true, false, En) => format!("{} for writing", fd_list(write, En)),
        (false, false, En) => format!(
            "{} for reading and {} for writing",
            fd_list(read, En),
            fd_list(write, En)
        ),
        (false, true, Zh) => format!("读：{}", fd_list(read, Zh)),
        (true, false, Zh) => format!("写：{}", fd_list(write, Zh)),
        (false, false, Zh) => format!("读：{}；写：{}", fd_list(read, Zh), fd_list(write, Zh)),
    };
    match lang {
        En if n == 1 => format!("{name} hands the kernel its one socket to watch ({watch}) and returns when it is ready. Given more sockets, the same call waits for all of them at once."),
        Zh if n == 1 => format!("{name} 把它唯一的套接字交给内核盯着（{watch}），就绪时返回。套接字多了以后，同一个调用会同时等所有套接字。"),
        En => format!("{name} hands the kernel {n} sockets to watch at once ({watch}). It returns as soon as any of them is ready, so one thread can wait for every client, where the threaded server needs a thread blocked in recv() per client."),
        Zh => format!("{name} 把 {n} 个套接字一起交给内核盯着（{watch}）。只要其中任何一个就绪，它就返回：一个线程就能同时等所有客户端，而多线程服务器要为每个客户端让一个线程阻塞在 recv() 上。"),
    }
}

fn narrate_epoll_ctl(op: EpollOp, fd: Fd, (read, write): (bool, bool), lang: Lang) -> String {
    let what = match (read, write, lang) {
        (true, true, En) => "reading and writing",
        (true, false, En) => "reading",
        (false, true, En) => "writing",
        (false, false, En) => "nothing",
        (true, true, Zh) => "可读和可写",
        (true, false, Zh) => "可读",
        (false, true, Zh) => "可写",
        (false, false, Zh) => "什么也不",
    };
    match (op, lang) {
        (EpollOp::Add, En) => format!("register() adds fd {fd} to the epoll instance's list, watched for {what}. It does not wait: the next sel.select() watches fd {fd} too."),
        (EpollOp::Add, Zh) => format!("register() 把 fd {fd} 加进 epoll 实例的关注列表，关注它是否{what}。这一步并不等待：下一次 sel.select() 也会盯着 fd {fd}。"),
        (EpollOp::Mod, En) => format!("modify() changes what fd {fd} is watched for: {what}."),
        (EpollOp::Mod, Zh) => format!("modify() 改变对 fd {fd} 的关注：现在关注它是否{what}。"),
        (EpollOp::Del, En) => format!("unregister() takes fd {fd} off the list: sel.select() no longer watches it. (Do it before close(): the number may soon name a new socket.)"),
        (EpollOp::Del, Zh) => format!("unregister() 把 fd {fd} 从关注列表里去掉：sel.select() 不再盯着它。（要在 close() 之前做：这个编号很快可能分给新的套接字。）"),
    }
}

fn narrate_close(fd: Fd, state: Option<State>, unread: usize, lang: Lang) -> String {
    use State::*;
    match (state, lang) {
        (_, En) if unread > 0 => format!("close() gives fd {fd} back with {unread} unread byte{} in the receive buffer. Linux does not pretend they were read: it aborts the connection with RST instead of the polite FIN.", plural(unread)),
        (_, Zh) if unread > 0 => format!("close() 归还 fd {fd}，但接收缓冲区里还有 {unread} 个字节没读。Linux 不会假装它们被读过：它用 RST 中止连接，而不是礼貌地发 FIN。"),
        (Some(Listen), En) => format!("close() gives fd {fd} back: the port stops listening, and any connection still waiting in its queues is reset."),
        (Some(Listen), Zh) => format!("close() 归还 fd {fd}：这个端口不再监听，还在队列里等待的连接都会被重置。"),
        (Some(Established), En) => format!("close() gives fd {fd} back at once. The connection lives on in the kernel: its FIN follows any bytes still queued, and the kernel finishes the close on its own."),
        (Some(Established), Zh) => format!("close() 立即归还 fd {fd}。连接在内核里继续存在：FIN 跟在仍在排队的字节之后发出，剩下的关闭过程由内核自己完成。"),
        (Some(CloseWait), En) => format!("close() gives fd {fd} back. The peer has already closed; now this side's FIN goes too, and the connection ends when it is acknowledged."),
        (Some(CloseWait), Zh) => format!("close() 归还 fd {fd}。对方已经关闭；现在这一端的 FIN 也发出，它被确认后连接就结束了。"),
        (Some(FinWait1 | FinWait2 | Closing | LastAck), En) => format!("close() gives fd {fd} back. This side already sent its FIN (shutdown); the kernel finishes the close on its own."),
        (Some(FinWait1 | FinWait2 | Closing | LastAck), Zh) => format!("close() 归还 fd {fd}。这一端早已发出 FIN（shutdown）；剩下的关闭过程由内核自己完成。"),
        (Some(TimeWait), En) => format!("close() gives fd {fd} back. The connection has finished closing already: it is in TIME-WAIT and stays there 60 s inside the kernel, whatever the program does."),
        (Some(TimeWait), Zh) => format!("close() 归还 fd {fd}。连接的关闭过程已经完成：它处在 TIME-WAIT，不管程序做什么，都会在内核里再待 60 秒。"),
        (_, En) => format!("close() gives fd {fd} back; no connection is left to close."),
        (_, Zh) => format!("close() 归还 fd {fd}；没有需要关闭的连接了。"),
    }
}

fn narrate_http(note: &HttpNote, who: &str, lang: Lang) -> String {
    let conn = |keep: bool, lang: Lang| match (keep, lang) {
        (true, En) => "keep-alive: the connection stays open for the next request",
        (false, En) => "Connection: close: the connection ends after this exchange",
        (true, Zh) => "keep-alive：连接保持打开，留给下一个请求",
        (false, Zh) => "Connection: close：这次交换之后连接就结束",
    };
    match (note, lang) {
        (HttpNote::RequestBuilt { method, target, len, keep_alive }, En) => format!("The browser writes an HTTP request of {len} bytes, plain text: the request line \"{method} {target} HTTP/1.1\", header lines such as Host, and a blank line that ends the head ({})." , conn(*keep_alive, En)),
        (HttpNote::RequestBuilt { method, target, len, keep_alive }, Zh) => format!("浏览器写好一个 {len} 字节的 HTTP 请求，全是文本：请求行 \"{method} {target} HTTP/1.1\"、Host 等请求头，以及结束头部的空行（{}）。", conn(*keep_alive, Zh)),
        (HttpNote::RequestIncomplete { have }, En) => format!("parse_request: the {have} bytes so far are only the beginning of a request (no blank line yet). Not an error: the server reads on."),
        (HttpNote::RequestIncomplete { have }, Zh) => format!("parse_request：目前的 {have} 个字节只是一个请求的开头（还没有空行）。这不是错误：服务器接着读。"),
        (HttpNote::RequestParsed { method, target, len, keep_alive }, En) => format!("parse_request found a whole request in the first {len} bytes: {method} {target} ({}).", conn(*keep_alive, En)),
        (HttpNote::RequestParsed { method, target, len, keep_alive }, Zh) => format!("parse_request 在前 {len} 个字节里找到一个完整的请求：{method} {target}（{}）。", conn(*keep_alive, Zh)),
        (HttpNote::RequestRejected { status, why }, En) => format!("parse_request rejects the bytes ({why}): the server answers {status} and closes the connection."),
        (HttpNote::RequestRejected { status, why }, Zh) => format!("parse_request 拒绝了这些字节（{why}）：服务器回复 {status} 并关闭连接。"),
        (HttpNote::Reply { status, reason, file: Some(f), content_type, body_len, .. }, En) if *status == 200 => format!("serve_static finds {f} among the site's files: 200 {reason}, {body_len} bytes of {}.", content_type.as_deref().unwrap_or("data")),
        (HttpNote::Reply { status, reason, file: Some(f), content_type, body_len, .. }, Zh) if *status == 200 => format!("serve_static 在网站文件里找到 {f}：200 {reason}，{body_len} 字节的 {}。", content_type.as_deref().unwrap_or("数据")),
        (HttpNote::Reply { status: 404, reason, file, .. }, En) => format!("serve_static: there is no {} among the site's files, so the answer is 404 {reason}, with a small error page as the body.", file.as_deref().unwrap_or("such file")),
        (HttpNote::Reply { status: 404, reason, file, .. }, Zh) => format!("serve_static：网站文件里没有 {}，所以回答 404 {reason}，响应体是一个小小的错误页面。", file.as_deref().unwrap_or("这个文件")),
        (HttpNote::Reply { status, reason, .. }, En) => format!("serve_static answers {status} {reason}: the target does not name a file under the site's root, and nothing outside it is ever read."),
        (HttpNote::Reply { status, reason, .. }, Zh) => format!("serve_static 回答 {status} {reason}：这个目标不对应网站根目录下的文件，根目录之外的东西一概不读。"),
        (HttpNote::ResponseIncomplete { have }, En) => format!("parse_response: {have} bytes are not a whole response yet. The head ends at a blank line and Content-Length says how many body bytes follow, so {who} knows it must read on."),
        (HttpNote::ResponseIncomplete { have }, Zh) => format!("parse_response：{have} 个字节还不是完整的响应。头部以空行结束，Content-Length 说明后面还有多少字节的响应体，所以 {who} 知道要接着读。"),
        (HttpNote::ResponseParsed { status, reason, head_len, body_len }, En) => format!("parse_response: a whole response, {status} {reason}: a {head_len}-byte head and the {body_len} body bytes its Content-Length announced. The next bytes on this connection belong to the next response."),
        (HttpNote::ResponseParsed { status, reason, head_len, body_len }, Zh) => format!("parse_response：完整的响应，{status} {reason}：{head_len} 字节的头部，加上 Content-Length 预告的 {body_len} 字节响应体。这条连接上之后的字节属于下一个响应。"),
    }
}

fn narrate_block(call: &Call, reason: &BlockReason, lang: Lang) -> String {
    match (reason, lang) {
        (BlockReason::AcceptQueueEmpty, En) => "accept() blocks: the accept queue is empty. The thread sleeps until the kernel finishes a handshake.".into(),
        (BlockReason::AcceptQueueEmpty, Zh) => "accept() 阻塞：accept 队列是空的。线程睡眠，直到内核完成一次握手。".into(),
        (BlockReason::Handshake, En) => "connect() blocks until the SYN-ACK comes back.".into(),
        (BlockReason::Handshake, Zh) => "connect() 阻塞，直到收到 SYN-ACK。".into(),
        (BlockReason::SendBufferFull { copied, total }, En) => format!("send() blocks: the send buffer is full. {copied} of {total} bytes are copied so far; the rest waits until an ACK frees space."),
        (BlockReason::SendBufferFull { copied, total }, Zh) => format!("send() 阻塞：发送缓冲区满了。已拷贝 {copied}/{total} 字节，其余的要等 ACK 腾出空间。"),
        (BlockReason::RecvBufferEmpty, En) => "recv() blocks: the receive buffer is empty and the peer has not closed. The thread sleeps until bytes arrive.".into(),
        (BlockReason::RecvBufferEmpty, Zh) => "recv() 阻塞：接收缓冲区是空的，对方也没有关闭。线程睡眠，直到有字节到达。".into(),
        (BlockReason::Sleeping { until }, En) => format!("The thread sleeps until {until}."),
        (BlockReason::Sleeping { until }, Zh) => format!("线程睡到 {until}。"),
        (BlockReason::DnsAnswer { until }, En) => format!("gethostbyname() blocks until the resolver answers (at {until}): the program cannot connect to a name, only to an IP address."),
        (BlockReason::DnsAnswer { until }, Zh) => format!("gethostbyname() 阻塞，等解析器回答（{until} 时）：程序不能连接一个名字，只能连接 IP 地址。"),
        (BlockReason::Learner, En) if *call == Call::WaitForUrl => "The address bar waits for you: type another path or query of www.example.test and go.".into(),
        (BlockReason::Learner, Zh) if *call == Call::WaitForUrl => "地址栏在等你：输入 www.example.test 的另一个路径或查询参数，然后访问。".into(),
        (BlockReason::Learner, En) => format!("{} waits for you: type a message and send it, press recv, or close.", call.name()),
        (BlockReason::Learner, Zh) => format!("{} 在等你：输入消息并发送、按 recv，或关闭。", call.name()),
        (BlockReason::ThreadRunning { until: None }, En) => "join() blocks: the thread has not ended yet.".into(),
        (BlockReason::ThreadRunning { until: None }, Zh) => "join() 阻塞：那个线程还没有结束。".into(),
        (BlockReason::ThreadRunning { until: Some(t) }, En) => format!("join() blocks until the thread ends, or until {t} at the latest."),
        (BlockReason::ThreadRunning { until: Some(t) }, Zh) => format!("join() 阻塞，直到那个线程结束，最晚到 {t}。"),
        (BlockReason::LockHeld, En) => "The thread waits for a lock another thread holds.".into(),
        (BlockReason::LockHeld, Zh) => "线程在等另一个线程持有的锁。".into(),
        (BlockReason::Select { until }, _) => {
            let writing = matches!(call, Call::Select { write, .. } if !write.is_empty());
            match (until, lang) {
                (None, En) => format!("{} blocks: none of its sockets is ready (no handshake in an accept queue, no bytes or FIN in a receive buffer{}). The thread sleeps on all of them at once; whichever changes first wakes it.", call.name(), if writing { ", no room in a send buffer" } else { "" }),
                (None, Zh) => format!("{} 阻塞：它的套接字都没有就绪（accept 队列里没有连接，接收缓冲区里没有字节也没有 FIN{}）。线程同时睡在所有这些套接字上；哪个先有变化，就由哪个叫醒它。", call.name(), if writing { "，发送缓冲区也没有空间" } else { "" }),
                (Some(t), En) => format!("{} blocks: none of its sockets is ready yet. The thread sleeps on all of them at once, until one changes or, at the latest, until {t}.", call.name()),
                (Some(t), Zh) => format!("{} 阻塞：它的套接字都还没有就绪。线程同时睡在所有这些套接字上，直到其中一个有变化，最晚到 {t}。", call.name()),
            }
        }
    }
}

fn narrate_return(call: &Call, ret: &Ret, lang: Lang) -> String {
    match (ret, lang) {
        (Ret::Fd { fd }, En) => format!("{} returned fd {fd}.", call.name()),
        (Ret::Fd { fd }, Zh) => format!("{} 返回 fd {fd}。", call.name()),
        (Ret::Done, En) if matches!(call, Call::Send { all: true, .. }) => "sendall() returned None: every byte is in the send buffer. Putting them on the wire is the kernel's job from here.".into(),
        (Ret::Done, Zh) if matches!(call, Call::Send { all: true, .. }) => "sendall() 返回 None：所有字节都进了发送缓冲区。接下来由内核把它们发到网络上。".into(),
        (Ret::Done, En) => format!("{} returned.", call.name()),
        (Ret::Done, Zh) => format!("{} 返回。", call.name()),
        (Ret::Accepted { fd, peer }, En) => format!("accept() returned a new socket, fd {fd}, for {peer}. The listening socket stays open for the next client."),
        (Ret::Accepted { fd, peer }, Zh) => format!("accept() 返回一个新套接字 fd {fd}，对应 {peer}。监听套接字继续开着，等下一个客户端。"),
        (Ret::Connected { local }, En) => format!("connect() returned: the SYN-ACK came and this side sent the handshake's last ACK, so for the client the connection is open; this end is {local}. The server's kernel counts it only when that ACK arrives and finds room in the accept queue, and its program learns of it from accept(), maybe much later."),
        (Ret::Connected { local }, Zh) => format!("connect() 返回：SYN-ACK 到了，这一端也发出了握手的最后一个 ACK，所以对客户端来说连接已经建立；本端地址是 {local}。服务器的内核要等这个 ACK 到达、并且 accept 队列还有空位，才算有了这个连接；服务器程序则要等 accept() 才知道，可能要晚得多。"),
        (Ret::Sent { n }, En) => format!("send() returned {n}: the {n} byte{} were copied into the send buffer; the kernel, not the program, will put them on the wire.", plural(*n)),
        (Ret::Sent { n }, Zh) => format!("send() 返回 {n}：这 {n} 个字节已拷贝进发送缓冲区；把它们发到网络上的是内核，不是程序。"),
        (Ret::Received { data, .. }, En) if data.is_empty() => "recv() returned b'': the buffer is drained and the peer sent FIN. Empty bytes mean the other side will send nothing more: it closed, or only shut down its sending half (shutdown(SHUT_WR)) and still reads. From now on every recv() returns b'' at once: a reading loop must stop here.".into(),
        (Ret::Received { data, .. }, Zh) if data.is_empty() => "recv() 返回 b''：缓冲区已读空，对方发来了 FIN。空字节表示对方不会再发送了：它关闭了连接，或者只是关掉了发送的一半（shutdown(SHUT_WR)），仍然在读。从现在起每次 recv() 都会立即返回 b''：读数据的循环必须在这里停下。".into(),
        (Ret::Received { data, shape }, _) => narrate_received(call, data, *shape, lang),
        (Ret::Line { text }, En) => format!("input() returned {}: the line typed into the terminal, without its newline.", crate::pyrepr::py_str_repr(text)),
        (Ret::Line { text }, Zh) => format!("input() 返回 {}：终端里输入的一行，不含换行符。", crate::pyrepr::py_str_repr(text)),
        (Ret::Command { command }, En) => format!("The learner chose: {}.", command.describe(En)),
        (Ret::Command { command }, Zh) => format!("学习者选择：{}。", command.describe(Zh)),
        (Ret::Resolved { ip }, En) => format!("gethostbyname() returned '{ip}': now the browser knows where to connect."),
        (Ret::Resolved { ip }, Zh) => format!("gethostbyname() 返回 '{ip}'：浏览器知道该连接哪里了。"),
        (Ret::Selected { read, write }, _) => narrate_selected(call, read, write, lang),
        (Ret::Error { error: SysError::InProgress }, En) => format!("connect() on a non-blocking socket does not wait: the SYN is on its way, and it raises {} at once. The handshake goes on in the kernel; select() reports the socket writable when it is done.", SysError::InProgress.python()),
        (Ret::Error { error: SysError::InProgress }, Zh) => format!("非阻塞套接字上的 connect() 不等待：SYN 已经发出，它立即抛出 {}。握手在内核里继续；完成后 select() 会报告这个套接字可写。", SysError::InProgress.python()),
        (Ret::Error { error: SysError::WouldBlock }, En) => format!("{} would have to wait, and the socket is non-blocking: it raises {} at once instead. The program should call it when select() says the socket is ready.", call.name(), SysError::WouldBlock.python()),
        (Ret::Error { error: SysError::WouldBlock }, Zh) => format!("{} 本来要等待，但套接字是非阻塞的：它立即抛出 {}。程序应该在 select() 说这个套接字就绪之后再调用它。", call.name(), SysError::WouldBlock.python()),
        (Ret::Error { error }, _) => narrate_error(call, *error, lang),
    }
}

/// Why `bind()` finds its port taken: the holder, and SO_REUSEADDR on
/// each side (Linux lets a socket bind over a connection only if both set
/// it, never over a listener).
fn narrate_port_in_use(port: u16, holder: &PortHolder, reuse: bool, lang: Lang) -> String {
    match holder {
        PortHolder::Listener => match lang {
            En => format!("Port {port} already has a listening socket: nobody else may bind it, SO_REUSEADDR or not. bind() will fail with [Errno 98]."),
            Zh => format!("{port} 端口上已经有一个监听套接字：别人都不能再绑定它，设不设 SO_REUSEADDR 都一样。bind() 将以 [Errno 98] 失败。"),
        },
        PortHolder::Bound => match lang {
            En => format!("Another socket has already bound port {port}. bind() will fail with [Errno 98]."),
            Zh => format!("另一个套接字已经绑定了 {port} 端口。bind() 将以 [Errno 98] 失败。"),
        },
        PortHolder::Connection { state, peer, reuse_addr: old, time_wait_left } => {
            let left = time_wait_left.map(|d| crate::sim::time::decimal(d.total_micros(), 6, 1));
            let (what_en, what_zh) = match (state, &left) {
                (State::TimeWait, Some(left)) => (
                    format!("a connection with {peer} that is over but sits in TIME-WAIT for {left} s more (the side that closed first keeps it 60 s, so that a late segment of it cannot be taken for part of a new connection)"),
                    format!("一个与 {peer} 的连接：它已经结束，但还要在 TIME-WAIT 里待 {left} 秒（先关闭的一方要保留它 60 秒，免得它迟到的报文段被当成新连接的一部分）"),
                ),
                _ => (format!("a connection with {peer} ({state})"), format!("一个与 {peer} 的连接（{state}）")),
            };
            let (why_en, why_zh) = match (reuse, *old) {
                (false, _) => (
                    "This socket did not set SO_REUSEADDR before bind(), so the kernel refuses".to_string(),
                    "这个套接字在 bind() 之前没有设置 SO_REUSEADDR，所以内核拒绝".to_string(),
                ),
                (true, false) => (
                    "This socket set SO_REUSEADDR, but the old connection did not have it (a connection inherits it from the listening socket it came from), and Linux asks it of both, so the kernel refuses".to_string(),
                    "这个套接字设置了 SO_REUSEADDR，可旧连接没有（连接从它所属的监听套接字继承这个选项），而 Linux 要求两边都有，所以内核拒绝".to_string(),
                ),
                (true, true) => (String::new(), String::new()),
            };
            match lang {
                En => format!("Port {port} is still held by {what_en}. {why_en}: bind() will fail with [Errno 98] Address already in use."),
                Zh => format!("{port} 端口还被占着：{what_zh}。{why_zh}：bind() 将以 [Errno 98] Address already in use 失败。"),
            }
        }
    }
}

/// A call that failed: what Python raises, and why the kernel said so.
fn narrate_error(call: &Call, error: SysError, lang: Lang) -> String {
    let raised = match lang {
        En => format!("{} raised {}.", call.name(), error.python()),
        Zh => format!("{} 抛出 {}。", call.name(), error.python()),
    };
    let why = match (call, error, lang) {
        (Call::Recv { .. } | Call::Send { .. }, SysError::ConnectionReset, En) => " An RST came: the peer's kernel aborted the connection (its program closed it with bytes still unread, or it has no connection for our segment any more). Bytes in flight or unread are gone; the socket is dead, and the program should close it.",
        (Call::Recv { .. } | Call::Send { .. }, SysError::ConnectionReset, Zh) => "对方的内核发来了 RST，中止了连接（对方程序关闭时还有字节没读，或者它那里已经没有这个连接了）。在途的和没读的字节都丢了；这个套接字已经不能用了，程序应当 close() 它。",
        (Call::Send { .. }, SysError::BrokenPipe, En) => " This connection can no longer carry our bytes. Typically the peer closed first (its FIN came), our bytes reached it anyway, and its kernel answered RST: nobody there reads any more. Writing then is a broken pipe (Linux also sends the signal SIGPIPE, which Python ignores). The error is reported once: the next recv() returns b''.",
        (Call::Send { .. }, SysError::BrokenPipe, Zh) => "这个连接已经不能再传送我们的字节了。典型的情形是：对方先关闭（它的 FIN 来过），我们的字节照样到了那边，它的内核回了 RST：那边已经没有人读了。这时再写就是“管道破裂”（Linux 还会发 SIGPIPE 信号，Python 忽略了它）。这个错误只报告一次：下一次 recv() 返回 b''。",
        (Call::Bind { port }, SysError::AddrInUse, En) => return format!("{raised} Another socket still holds port {port}: a listening socket, or a connection on that port, even one in TIME-WAIT (which lasts 60 s after the side that closed first has closed). Linux lets a new socket bind over connections, never over a listener, and only if both the new socket and the old one set SO_REUSEADDR before bind()."),
        (Call::Bind { port }, SysError::AddrInUse, Zh) => return format!("{raised}还有别的套接字占着 {port} 端口：一个监听套接字，或者这个端口上的连接，哪怕它处在 TIME-WAIT（先关闭的一方关闭后还要持续 60 秒）。Linux 允许新套接字绑定到有连接的端口上（有监听套接字的端口永远不行），但新旧两个套接字都要在 bind() 之前设置 SO_REUSEADDR。"),
        (Call::Connect { .. }, SysError::ConnectionRefused, En) => " The server's kernel answered our SYN with RST: no socket listens on that port.",
        (Call::Connect { .. }, SysError::ConnectionRefused, Zh) => "服务器的内核用 RST 回答了我们的 SYN：那个端口上没有套接字在监听。",
        (Call::Connect { .. }, SysError::TimedOut, En) => " No SYN-ACK ever came, through every retry of the SYN.",
        (Call::Connect { .. }, SysError::TimedOut, Zh) => "SYN 重试了一次又一次，始终没有等到 SYN-ACK。",
        _ => "",
    };
    format!("{raised}{why}")
}

/// What `select()` found, fd by fd, and why each is ready.
fn narrate_selected(call: &Call, read: &[Ready], write: &[Ready], lang: Lang) -> String {
    let name = call.name();
    if read.is_empty() && write.is_empty() {
        return match lang {
            En => format!(
                "{name} returned with nothing ready: its timeout ran out before any socket was."
            ),
            Zh => format!("{name} 返回，没有任何套接字就绪：超时先到了。"),
        };
    }
    let mut parts: Vec<String> = read.iter().map(|r| ready_text(*r, true, lang)).collect();
    parts.extend(write.iter().map(|r| ready_text(*r, false, lang)));
    let mut fds: Vec<Fd> = read.iter().map(|r| r.fd).collect();
    for r in write {
        if !fds.contains(&r.fd) {
            fds.push(r.fd);
        }
    }
    let n = fds.len();
    match lang {
        En if n == 1 => format!("{name} returned 1 ready fd: {}. The one thread now serves it without waiting; the threaded server would have woken the thread blocked on that socket instead.", parts.join("; ")),
        En => format!("{name} returned {n} ready fds: {}. The one thread now serves them in turn, without waiting; the threaded server would have woken a separate thread for each.", parts.join("; ")),
        Zh if n == 1 => format!("{name} 返回，1 个 fd 就绪：{}。接下来由这一个线程处理它，不必等待；多线程服务器则要唤醒阻塞在这个套接字上的那个线程。", parts.join("；")),
        Zh => format!("{name} 返回，{n} 个 fd 就绪：{}。接下来由这一个线程依次处理，都不必等待；多线程服务器则要为每一个分别唤醒一个线程。", parts.join("；")),
    }
}

/// `fd 5 (peer 10.0.0.2:49152)`, `fd 4 (listening)`: the fd and what it is.
/// In Chinese it carries the space before the words that follow it.
fn fd_label(r: &Ready, lang: Lang) -> String {
    let fd = r.fd;
    match (r.peer, r.why, lang) {
        (Some(p), _, En) => format!("fd {fd} (peer {p})"),
        (Some(p), _, Zh) => format!("fd {fd}（对端 {p}）"),
        (None, Readiness::Accept { .. }, En) => format!("fd {fd} (listening)"),
        (None, Readiness::Accept { .. }, Zh) => format!("fd {fd}（监听套接字）"),
        // A space before the Chinese that follows, none after （…）.
        (None, _, En) => format!("fd {fd}"),
        (None, _, Zh) => format!("fd {fd} "),
    }
}

/// Why one fd is ready (for reading when `reading`).
fn ready_text(r: Ready, reading: bool, lang: Lang) -> String {
    let fd = fd_label(&r, lang);
    match (r.why, lang) {
        (Readiness::Accept { queued }, En) => format!("{fd} is readable: {queued} finished handshake{} wait{} in its accept queue, so accept() returns at once", plural(queued), if queued == 1 { "s" } else { "" }),
        (Readiness::Accept { queued }, Zh) => format!("{fd}可读：accept 队列里有 {queued} 个已完成握手的连接，accept() 会立即返回"),
        (Readiness::Data { bytes }, En) => format!("{fd} is readable: {bytes} byte{} wait{} in its receive buffer, so recv() returns at once", plural(bytes), if bytes == 1 { "s" } else { "" }),
        (Readiness::Data { bytes }, Zh) => format!("{fd}可读：接收缓冲区里有 {bytes} 个字节在等，recv() 会立即返回"),
        (Readiness::Eof, En) => format!("{fd} is readable: the peer's FIN has come, so recv() returns b'' at once"),
        (Readiness::Eof, Zh) => format!("{fd}可读：对方的 FIN 到了，recv() 会立即返回 b''"),
        (Readiness::Error { error }, En) => format!("{fd} is {} because the connection failed: the next call raises {}", if reading { "readable" } else { "writable" }, error.python()),
        (Readiness::Error { error }, Zh) => format!("{fd}{}，因为连接出错了：下一次调用会抛出 {}", if reading { "可读" } else { "可写" }, error.python()),
        (Readiness::Hangup, En) => format!("{fd} is {}: it is not connected (Linux reports a hang-up), so calls on it return at once", if reading { "readable" } else { "writable" }),
        (Readiness::Hangup, Zh) => format!("{fd}{}：它没有连接（Linux 报告挂断），在它上面的调用都会立即返回", if reading { "可读" } else { "可写" }),
        (Readiness::Room { free, capacity }, En) => format!("{fd} is writable: {free} of the {capacity} bytes of its send buffer are free, so send() copies at once"),
        (Readiness::Room { free, capacity }, Zh) => format!("{fd}可写：发送缓冲区 {capacity} 字节中有 {free} 字节空闲，send() 会立即拷贝"),
        (Readiness::SendShut, En) => format!("{fd} is writable: this side has shut down sending, so send() fails at once"),
        (Readiness::SendShut, Zh) => format!("{fd}可写：这一端已经关闭了发送，send() 会立即失败"),
    }
}

/// recv()'s result, said the way it came about: cut by the size asked for
/// or all that had arrived; one send() whole, one split, or several merged.
fn narrate_received(call: &Call, data: &[u8], shape: Option<RecvShape>, lang: Lang) -> String {
    let n = data.len();
    let max = match call {
        Call::Recv { max, .. } => *max,
        _ => n,
    };
    let head = match lang {
        En => format!(
            "recv() returned {n} byte{}: {}.",
            plural(n),
            quote_bytes(data)
        ),
        Zh => format!("recv() 返回 {n} 个字节：{}。", quote_bytes(data)),
    };
    let Some(sh) = shape else { return head };
    let left = sh.waiting.saturating_sub(n);
    let amount = match (left > 0, lang) {
        (true, En) => format!(" It asked for at most {max}, so it took the first {n} of the {} waiting; {} in the buffer for the next recv().", sh.waiting, if left == 1 { "the other one stays".to_string() } else { format!("the other {left} stay") }),
        (true, Zh) => format!("它最多要 {max} 个，所以从等着的 {} 个里取走前 {n} 个；其余 {left} 个留在缓冲区，等下一次 recv()。", sh.waiting),
        (false, En) => format!(" That is all that had arrived: it asked for up to {max}, and {n} {} waiting.", if n == 1 { "was" } else { "were" }),
        (false, Zh) => format!("这就是已到达的全部：它最多要 {max} 个，缓冲区里只有 {n} 个。"),
    };
    let writes = sh.ends + u32::from(!sh.to_end);
    let boundaries = match (sh.ends, sh.from_start, sh.to_end, lang) {
        (1, true, true, En) => " They are exactly what one send() handed over, because they arrived together and nothing else was waiting, not because TCP keeps messages.".to_string(),
        (1, true, true, Zh) => "它们恰好是一次 send() 交出的字节：因为它们一起到达、缓冲区里也没有别的，而不是因为 TCP 保留消息边界。".to_string(),
        (1, false, true, En) => " They are the rest of what one send() handed over: its beginning came with an earlier recv().".to_string(),
        (1, false, true, Zh) => "它们是一次 send() 交出的字节的后半部分：前面的部分已由更早的 recv() 读走。".to_string(),
        (0, _, _, En) if left > 0 => " They are only part of what one send() handed over; the rest of it is still in the buffer.".to_string(),
        (0, _, _, En) => " They are only part of what one send() handed over: it crossed the network in pieces, and the rest comes with a later recv().".to_string(),
        (0, _, _, Zh) if left > 0 => "它们只是一次 send() 交出的字节的一部分；其余的还在缓冲区里。".to_string(),
        (0, _, _, Zh) => "它们只是一次 send() 交出的字节的一部分：它被拆成几段穿过网络，剩下的要由后面的 recv() 读到。".to_string(),
        (_, _, _, En) => format!(" They come from {writes} send() calls, run together{}: TCP is a byte stream and keeps no boundaries between sends.", if sh.to_end { "" } else { ", the last one only in part" }),
        (_, _, _, Zh) => format!("它们来自 {writes} 次 send()，首尾相连{}：TCP 是字节流，不保留两次 send() 之间的边界。", if sh.to_end { "" } else { "，最后一次只有一部分" }),
    };
    format!("{head}{amount}{boundaries}")
}

fn narrate_state(from: State, to: State, lang: Lang) -> String {
    let why_en = match to {
        State::SynSent => "the SYN is on its way",
        State::SynReceived => "a SYN arrived at the listening port; a new half-open connection, a copy of the listening socket, answers SYN-ACK (Linux's ss lists it as SYN-RECV)",
        State::Established if from == State::SynSent => "the SYN-ACK acknowledged our SYN and brought the peer's, so this side may send now; the handshake's last ACK goes back at once, and the server is established when it arrives",
        State::Established => "the ACK of our SYN-ACK arrived: the handshake is complete on this side too, and data can flow both ways",
        State::FinWait1 => "this side closed; its FIN follows the queued bytes",
        State::FinWait2 => "our FIN is acknowledged; waiting for the peer's FIN",
        State::CloseWait => "the peer sent FIN; recv() will return b'' once the buffer is drained, and this side may still send until it closes",
        State::Closing => "both sides sent FIN at once; waiting for the ACK of ours",
        State::LastAck => "we close after the peer did; waiting for the ACK of our FIN",
        State::TimeWait => "both FINs are acknowledged, yet this side waits 60 s (Linux's fixed TIME-WAIT): if our last ACK is lost, the peer sends its FIN again and this side can still answer it; and late segments of this connection die out before the same ports can carry a new one",
        State::Closed => "the connection is over",
        State::Listen => "waiting for SYNs",
    };
    let why_zh = match to {
        State::SynSent => "SYN 已发出",
        State::SynReceived => "监听端口收到 SYN；一个新的半连接（监听套接字的副本）回复 SYN-ACK（Linux 的 ss 把它显示为 SYN-RECV）",
        State::Established if from == State::SynSent => "SYN-ACK 确认了我们的 SYN，也带来了对方的 SYN，所以这一端现在就可以发送；握手的最后一个 ACK 立即发回，服务器收到它才算建立连接",
        State::Established => "我们 SYN-ACK 的确认到了：这一端的握手也完成了，双方都可以传数据",
        State::FinWait1 => "这一端关闭了；FIN 跟在排队的字节后面发出",
        State::FinWait2 => "我们的 FIN 已被确认；等对方的 FIN",
        State::CloseWait => "对方发来 FIN；缓冲区读空后 recv() 会返回 b''，而这一端在关闭之前仍然可以发送",
        State::Closing => "双方同时发了 FIN；等对方确认我们的 FIN",
        State::LastAck => "对方先关，我们后关；等我们 FIN 的确认",
        State::TimeWait => "双方的 FIN 都确认了，但这一端还要等 60 秒（Linux 固定的 TIME-WAIT）：万一我们最后的 ACK 丢了，对方会重发 FIN，这一端仍能回答；同时让这条连接迟到的报文段消失，之后同样的端口才能承载新连接",
        State::Closed => "连接结束",
        State::Listen => "等待 SYN",
    };
    if lang == Zh {
        format!("TCP 状态 {from} → {to}：{why_zh}。")
    } else {
        format!("TCP state {from} → {to}: {why_en}.")
    }
}

use crate::sim::tcp::state::{LINUX_MIN_RCVBUF, LINUX_MIN_SNDBUF};

/// `seq 123456 (relative 1)`: the raw number and Wireshark's relative one.
fn numbered(raw: SeqNumber, rel: Option<u32>, lang: Lang) -> String {
    match (rel, lang) {
        (Some(r), En) => format!("{raw} (relative {r})"),
        (Some(r), Zh) => format!("{raw}（相对值 {r}）"),
        (None, _) => raw.to_string(),
    }
}

/// The options a SYN offers, named for the narration.
fn offered(o: &TcpOptions, lang: Lang) -> String {
    let mut v = vec![];
    if o.sack_permitted {
        v.push(if lang == Zh {
            "SACK 许可"
        } else {
            "SACK-permitted"
        });
    }
    if o.timestamps.is_some() {
        v.push(if lang == Zh {
            "时间戳"
        } else {
            "timestamps"
        });
    }
    if o.window_scale.is_some() {
        v.push(if lang == Zh {
            "窗口缩放"
        } else {
            "window scale"
        });
    }
    match (v.split_last(), lang) {
        (None, _) => String::new(),
        (Some((last, [])), _) => last.to_string(),
        (Some((last, rest)), En) => format!("{} and {last}", rest.join(", ")),
        (Some((last, rest)), Zh) => format!("{}和{last}", rest.join("、")),
    }
}

fn narrate_sent(seg: &Segment, reason: SendReason, rel: Option<Relative>, lang: Lang) -> String {
    let n = seg.payload.len();
    let (a, b) = (seg.src, seg.dst);
    let seq = numbered(seg.seq, rel.map(|r| r.seq), lang);
    let ack = numbered(seg.ack, rel.map(|r| r.ack), lang);
    let mss = seg.options.mss.unwrap_or(0);
    let mss_note = match (mss < 88, lang) {
        (true, En) => format!(" MSS {mss} is teaching-sized: Linux derives 1460 from an Ethernet link's 1500-byte MTU and accepts nothing below 88."),
        (true, Zh) => format!("MSS {mss} 是为教学缩小的值：Linux 根据以太网 1500 字节的 MTU 算出 1460，而且不接受小于 88 的值。"),
        (false, _) => String::new(),
    };
    let psh = |lang: Lang| {
        match (seg.flags.psh, lang) {
        (true, En) => " PSH marks the last segment of what was queued: the receiver hands it to the program without waiting for more.",
        (true, Zh) => "PSH 表示这是排队数据的最后一段：接收方不必再等，直接交给程序。",
        (false, _) => "",
    }
    };
    match (reason, lang) {
        (SendReason::Syn, En) => format!("The kernel sends [SYN] {a} → {b}. SYN (synchronize) asks to open a connection and carries this side's initial sequence number, {} (random; Wireshark counts from it, so it shows as relative 0). Its options say what this side can do: MSS {mss}, the largest payload it accepts{}.{mss_note}", seg.seq, match offered(&seg.options, En) { o if o.is_empty() => String::new(), o => format!(", and it offers {o}") }),
        (SendReason::Syn, Zh) => format!("内核发送 [SYN] {a} → {b}。SYN（同步）请求建立连接，并带上这一端的初始序列号 {}（随机选取；Wireshark 从它开始计数，所以显示为相对值 0）。选项说明这一端的能力：MSS {mss}，即它能接收的最大载荷{}。{mss_note}", seg.seq, match offered(&seg.options, Zh) { o if o.is_empty() => String::new(), o => format!("；它还提议使用{o}") }),
        (SendReason::SynCookie, En) => format!("The SYN queue is full, yet the server's kernel does not drop the SYN from {b}: it answers [SYN, ACK] with a SYN cookie (Linux's default, net.ipv4.tcp_syncookies = 1). Its sequence number {} is a keyed hash of the two addresses and ports and the client's sequence number, with the client's MSS folded in, and the kernel keeps nothing of this handshake: it will not send this SYN-ACK again. Only an ACK that comes back acknowledging that number + 1 makes the connection.", seg.seq),
        (SendReason::SynCookie, Zh) => format!("SYN 队列满了，但服务器内核并不丢弃来自 {b} 的 SYN：它用 SYN cookie 回复 [SYN, ACK]（Linux 的默认做法，net.ipv4.tcp_syncookies = 1）。它的序列号 {} 是两端地址、端口和客户端序列号的加密散列，里面还折叠进了客户端的 MSS；内核不保存这次握手的任何东西，也不会重发这个 SYN-ACK。只有回来的 ACK 确认了这个数加 1，连接才会建立。", seg.seq),
        (SendReason::SynAckRetransmit, En) => format!("The server's kernel sends the SYN-ACK to {b} again (same seq {seq})."),
        (SendReason::SynAckRetransmit, Zh) => format!("服务器内核再次向 {b} 发送 SYN-ACK（seq 不变，{seq}）。"),
        (SendReason::Retransmit, En) => format!("Retransmission: the kernel sends {n} byte{} from seq {seq} again{}, from the copy it kept in the send buffer. The program is not involved: its send() returned long ago.", plural(n), if seg.flags.fin { " with the FIN" } else { "" }),
        (SendReason::Retransmit, Zh) => format!("重传：内核从发送缓冲区里留着的副本中，再次发出从 seq {seq} 开始的 {n} 个字节{}。程序并不参与：它的 send() 早就返回了。", if seg.flags.fin { "（带着 FIN）" } else { "" }),
        (SendReason::FastRetransmit, En) => format!("Fast retransmit: the kernel sends {n} byte{} from seq {seq} again at once, without waiting for the timer: the duplicate ACKs show that later segments arrived, so this one, not the network as a whole, is the problem.", plural(n)),
        (SendReason::FastRetransmit, Zh) => format!("快速重传：内核不等计时器，立即再次发出从 seq {seq} 开始的 {n} 个字节：重复 ACK 说明后面的报文段都到了，出问题的只是这一个，而不是整个网络。"),
        (SendReason::SynRetransmit, En) => format!("The kernel sends the SYN to {b} again (same seq {}).", seg.seq),
        (SendReason::SynRetransmit, Zh) => format!("内核再次向 {b} 发送 SYN（seq 不变，{}）。", seg.seq),
        (SendReason::SynAck, En) => format!("The server's kernel answers [SYN, ACK], with no program involved. ACK {ack} acknowledges the client's SYN, which used up one sequence number; SYN offers the server's own initial number, {seq}. It repeats the options the client offered.{mss_note}"),
        (SendReason::SynAck, Zh) => format!("服务器内核回复 [SYN, ACK]，没有任何程序参与。ACK {ack} 确认客户端的 SYN（SYN 占用一个序列号）；SYN 给出服务器自己的初始序列号 {seq}。客户端提供的选项它也一一回应。{mss_note}"),
        (SendReason::Data, En) => format!("The kernel sends {n} byte{} from the send buffer ({a} → {b}), seq {seq}: at most MSS and at most the peer's window. ACK {ack} rides along, as on every segment after the SYN.{} The bytes stay in the buffer until acknowledged.", plural(n), psh(En)),
        (SendReason::Data, Zh) => format!("内核从发送缓冲区发出 {n} 个字节（{a} → {b}），seq {seq}：不超过 MSS，也不超过对方的窗口。ACK {ack} 顺带捎上，SYN 之后的每个报文段都是如此。{}这些字节在被确认之前仍留在缓冲区里。", psh(Zh)),
        (SendReason::DataFin, En) => format!("The kernel sends the last {n} byte{} from the send buffer ({a} → {b}), seq {seq}, with FIN on the same segment: nothing more will follow. (A FIN also uses one sequence number.)", plural(n)),
        (SendReason::DataFin, Zh) => format!("内核从发送缓冲区发出最后 {n} 个字节（{a} → {b}），seq {seq}，同一个报文段上带着 FIN：此后不再有数据。（FIN 也占用一个序列号。）"),
        (SendReason::Ack, En) if seg.window == 0 => format!("The kernel sends a bare ACK {ack}: every byte before it has arrived. It advertises window 0: the receive buffer is full, so the sender must stop."),
        (SendReason::Ack, Zh) if seg.window == 0 => format!("内核发送一个单独的 ACK {ack}：它之前的字节都收到了。它通告窗口 0：接收缓冲区满了，发送方必须停下。"),
        (SendReason::Ack, En) => format!("The kernel sends a bare ACK {ack}: every byte before it has arrived. Window {}: the free space in its receive buffer.", seg.window),
        (SendReason::Ack, Zh) => format!("内核发送一个单独的 ACK {ack}：它之前的字节都收到了。窗口 {}：接收缓冲区的空闲空间。", seg.window),
        (SendReason::WindowUpdate, En) => format!("Window update: recv() made room, and the peer cannot know until told, so the kernel sends ACK {ack} with window {}: the peer may send that many bytes again.", seg.window),
        (SendReason::WindowUpdate, Zh) => format!("窗口更新：recv() 腾出了空间，但对方不被告知就不会知道，所以内核发送 ACK {ack}，窗口 {}：对方又可以发这么多字节了。", seg.window),
        (SendReason::ZeroWindowProbe, En) => format!("Zero-window probe: an empty segment with seq {seq}, one before the oldest unacknowledged byte, a byte the peer already has. TCP answers such a segment with an ACK, and that ACK shows the current window. Wireshark labels the probe a keep-alive."),
        (SendReason::ZeroWindowProbe, Zh) => format!("零窗口探测：一个空报文段，seq {seq}，比最早未确认的字节还早一个，也就是对方已经收到的字节。TCP 对这样的报文段必须回一个 ACK，而这个 ACK 会带出当前的窗口。Wireshark 把这种探测标成 keep-alive。"),
        (SendReason::Fin, En) => format!("The kernel sends [FIN, ACK] {a} → {b}, seq {seq}: every queued byte went out before it, and nothing more will follow. The FIN uses one sequence number."),
        (SendReason::Fin, Zh) => format!("内核发送 [FIN, ACK] {a} → {b}，seq {seq}：排队的字节都已在它之前发出，此后不再有数据。FIN 占用一个序列号。"),
        (SendReason::Rst, En) => format!("The kernel sends {} to {b}: the connection is aborted (bytes arrived that nobody will ever read, or no socket matches).", rst_label(seg)),
        (SendReason::Rst, Zh) => format!("内核向 {b} 发送 {}：连接被中止（到达的字节再也没有人读，或者没有对应的套接字）。", rst_label(seg)),
    }
}

/// An RST as Wireshark lists it: with ACK when it acknowledges something
/// (Linux's reset of a live connection does), bare otherwise.
fn rst_label(seg: &Segment) -> &'static str {
    if seg.flags.ack {
        "[RST, ACK]"
    } else {
        "[RST]"
    }
}

fn narrate_congestion(
    cwnd: u32,
    ssthresh: Option<u32>,
    phase: crate::sim::tcp::congestion::Phase,
    cause: CongestionCause,
    flight: usize,
    mss: u16,
    lang: Lang,
) -> String {
    use crate::sim::tcp::congestion::Phase;
    let th = match (ssthresh, lang) {
        (Some(t), _) => t.to_string(),
        (None, En) => "unset".to_string(),
        (None, Zh) => "未设".to_string(),
    };
    let bytes = cwnd as usize * usize::from(mss);
    match (cause, lang) {
        (CongestionCause::Acked, En) => match phase {
            Phase::SlowStart => format!("Slow start: each segment acknowledged adds one to the congestion window, now {cwnd} segments (about {bytes} bytes), so it doubles every round trip until ssthresh ({th})."),
            _ => format!("Congestion avoidance: the window grows by one segment per round trip, now {cwnd} (ssthresh {th}): TCP probes gently for more room."),
        },
        (CongestionCause::Acked, Zh) => match phase {
            Phase::SlowStart => format!("慢启动：每确认一个报文段，拥塞窗口加 1，现在是 {cwnd} 个报文段（约 {bytes} 字节），所以每个往返翻一番，直到 ssthresh（{th}）。"),
            _ => format!("拥塞避免：窗口每个往返只加 1 个报文段，现在是 {cwnd}（ssthresh {th}）：TCP 小心地试探更多空间。"),
        },
        (CongestionCause::FastRetransmit, En) => format!("Three duplicate ACKs: a segment is lost, but later ones got through, so the network still delivers. Reno halves its estimate: ssthresh = {th} (half of the segments in flight), cwnd = ssthresh + 3 = {cwnd} for the three that left the network; fast recovery begins."),
        (CongestionCause::FastRetransmit, Zh) => format!("三个重复 ACK：丢了一个报文段，但后面的都到了，说明网络还在传送。Reno 把估计减半：ssthresh = {th}（在途报文段的一半），cwnd = ssthresh + 3 = {cwnd}（那三个已离开网络的）；进入快速恢复。"),
        (CongestionCause::DupAck, En) => format!("Another duplicate ACK in recovery: one more segment has left the network, so cwnd grows to {cwnd} and new data may go."),
        (CongestionCause::DupAck, Zh) => format!("恢复期间又一个重复 ACK：又有一个报文段离开了网络，cwnd 增加到 {cwnd}，可以发新数据了。"),
        (CongestionCause::PartialAck, En) => format!("A partial ACK: the resent segment arrived, but the ACK stops short of everything sent before the loss, so the next hole is lost too. It goes at once (NewReno) and recovery goes on; cwnd {cwnd}."),
        (CongestionCause::PartialAck, Zh) => format!("部分确认：重发的报文段到了，但 ACK 没有覆盖丢包前发出的全部数据，说明下一个空缺也丢了。它立即重发（NewReno），恢复继续；cwnd {cwnd}。"),
        (CongestionCause::RecoveryDone, En) => format!("Everything sent before the loss is acknowledged: fast recovery ends with cwnd = ssthresh = {cwnd} segments, and congestion avoidance goes on from there."),
        (CongestionCause::RecoveryDone, Zh) => format!("丢包前发出的数据都被确认了：快速恢复结束，cwnd = ssthresh = {cwnd} 个报文段，之后从这里继续拥塞避免。"),
        (CongestionCause::Timeout, En) => format!("A timeout is the worst sign: nothing came back at all. ssthresh = {th} (half of the segments that were in flight, {flight} bytes, but at least 2), and cwnd starts again from 1 segment: slow start."),
        (CongestionCause::Timeout, Zh) => format!("超时是最坏的信号：什么都没有回来。ssthresh = {th}（原来在途报文段数的一半，共 {flight} 字节，但至少为 2），cwnd 从 1 个报文段重新开始：慢启动。"),
    }
}

fn narrate_buffer(
    side: BufferSide,
    cause: BufferCause,
    delta: i64,
    len: usize,
    cap: usize,
    lang: Lang,
) -> String {
    let d = delta.unsigned_abs();
    match (side, cause, lang) {
        (_, BufferCause::AppSend, En) => format!("Send buffer: +{d} from send(), now {len}/{cap} bytes.{}", small_send(cap, En)),
        (_, BufferCause::AppSend, Zh) => format!("发送缓冲区：send() 放入 {d} 字节，现在 {len}/{cap}。{}", small_send(cap, Zh)),
        (_, BufferCause::Acked, En) => format!("Send buffer: the ACK says the peer has {d} more byte{}, so their copy is freed; now {len}/{cap}.", plural(d as usize)),
        (_, BufferCause::Acked, Zh) => format!("发送缓冲区：ACK 表明对方又收到了 {d} 个字节，这些副本可以释放了；现在 {len}/{cap}。"),
        (_, BufferCause::Arrived, En) => format!("Receive buffer: +{d} byte{} from the wire, now {len}/{cap}. {} bytes are free: the window this side will advertise in its next segment.{}", plural(d as usize), cap - len, small_recv(cap, En)),
        (_, BufferCause::Arrived, Zh) => format!("接收缓冲区：从网络收到 {d} 字节，现在 {len}/{cap}。空闲 {} 字节：这一端下一个报文段要通告的窗口。{}", cap - len, small_recv(cap, Zh)),
        (_, BufferCause::AppRecv, En) => format!("Receive buffer: recv() took {d} byte{}, now {len}/{cap}, so {} bytes are free. The peer learns of the space only from the next segment this side sends.", plural(d as usize), cap - len),
        (_, BufferCause::AppRecv, Zh) => format!("接收缓冲区：recv() 取走 {d} 字节，现在 {len}/{cap}，空闲 {} 字节。对方要等这一端发出下一个报文段才知道有了空间。", cap - len),
        (BufferSide::Send, BufferCause::Resized, En) => format!("Send buffer capacity is now {cap} bytes ({len} stored)."),
        (BufferSide::Send, BufferCause::Resized, Zh) => format!("发送缓冲区容量改为 {cap} 字节（已存 {len}）。"),
        (BufferSide::Recv, BufferCause::Resized, En) => format!("Receive buffer capacity is now {cap} bytes ({len} stored)."),
        (BufferSide::Recv, BufferCause::Resized, Zh) => format!("接收缓冲区容量改为 {cap} 字节（已存 {len}）。"),
    }
}

/// Said beside a send buffer Linux would not allow.
fn small_send(cap: usize, lang: Lang) -> String {
    match (cap < LINUX_MIN_SNDBUF, lang) {
        (true, En) => format!(
            " ({cap} bytes is teaching-sized: Linux's smallest send buffer is {LINUX_MIN_SNDBUF}.)"
        ),
        (true, Zh) => format!(
            "（{cap} 字节是为教学缩小的值：Linux 的发送缓冲区最小是 {LINUX_MIN_SNDBUF} 字节。）"
        ),
        (false, _) => String::new(),
    }
}

/// Said beside a receive buffer Linux would not allow.
fn small_recv(cap: usize, lang: Lang) -> String {
    match (cap < LINUX_MIN_RCVBUF, lang) {
        (true, En) => format!(" ({cap} bytes is teaching-sized: Linux's smallest receive buffer is {LINUX_MIN_RCVBUF}.)"),
        (true, Zh) => format!("（{cap} 字节是为教学缩小的值：Linux 的接收缓冲区最小是 {LINUX_MIN_RCVBUF} 字节。）"),
        (false, _) => String::new(),
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
