//! What each event says, in the learner's language: the narration line and
//! the event list read these.

use super::*;
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

/// A segment's sequence and acknowledgement numbers relative to the first
/// sequence number of their direction, as Wireshark shows them (the SYN is
/// 0). The narration then says these, with the raw number where it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relative {
    pub seq: u32,
    pub ack: u32,
}

impl Event {
    /// A sentence that teaches what happened and why.
    pub fn narration(&self, lang: Lang) -> String {
        self.narration_rel(lang, None)
    }

    /// As [`Event::narration`], with a segment's numbers relative (see [`Relative`]).
    pub fn narration_rel(&self, lang: Lang, rel: Option<Relative>) -> String {
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
                (TimerKind::SynRetransmit, En) => "No SYN-ACK came back in time (the server's backlog may be full and it dropped our SYN): the kernel sends the SYN again and doubles the timeout.".into(),
                (TimerKind::SynRetransmit, Zh) => "迟迟没有收到 SYN-ACK（服务器的 backlog 可能满了，丢掉了 SYN）：内核重发 SYN，并把超时时间加倍。".into(),
                (TimerKind::Persist, En) => "The persist timer fired: the peer's window is still zero, so the kernel probes it with one byte to learn when space opens.".into(),
                (TimerKind::Persist, Zh) => "坚持计时器到点：对方的窗口还是 0，内核发一个字节去探测，看对方有没有腾出空间。".into(),
                (TimerKind::TimeWait, En) => "TIME-WAIT is over (2 MSL): any late segment of this connection is gone from the network, so the kernel forgets it.".into(),
                (TimerKind::TimeWait, Zh) => "TIME-WAIT 结束（2 MSL）：这条连接迟到的报文段都已从网络中消失，内核可以把它忘掉了。".into(),
            },
            SegmentSent { segment, reason, .. } => narrate_sent(segment, *reason, lang, rel),
            SegmentDelivered { segment } => {
                let n = segment.payload.len();
                if lang == Zh {
                    format!("报文段 {} 到达 {}{}。", segment.flags, who, if n > 0 { format!("，带着 {n} 个字节") } else { String::new() })
                } else {
                    format!("Segment {} reaches {}{}.", segment.flags, who, if n > 0 { format!(" carrying {n} byte{}", plural(n)) } else { String::new() })
                }
            }
            SegmentDropped { segment, reason } => match (reason, lang) {
                (DropReason::BacklogFull, En) => format!("{who}'s listening socket drops the SYN from {}: its queues already hold `backlog` connections. The client will try again after a timeout.", segment.src),
                (DropReason::BacklogFull, Zh) => format!("{who} 的监听套接字丢弃了来自 {} 的 SYN：队列里已有 backlog 个连接。客户端超时后会重试。", segment.src),
                (DropReason::NoSocket, En) => format!("No socket on {who} owns port {}: the segment is dropped.", segment.dst.port),
                (DropReason::NoSocket, Zh) => format!("{who} 上没有套接字使用端口 {}：报文段被丢弃。", segment.dst.port),
                (DropReason::OutsideWindow, En) => "The receive buffer has no room for these bytes (window 0): they are dropped and the kernel answers with an ACK that repeats the window.".into(),
                (DropReason::OutsideWindow, Zh) => "接收缓冲区没有空间放这些字节（窗口为 0）：它们被丢弃，内核回一个 ACK，再次告知窗口大小。".into(),
                (DropReason::Lost, En) => "The network lost this segment.".into(),
                (DropReason::Lost, Zh) => "网络丢失了这个报文段。".into(),
            },
            Buffer { side, cause, delta, len, capacity } => narrate_buffer(*side, *cause, *delta, *len, *capacity, lang),
            Console { line, stderr: false } => if lang == Zh { format!("{who} 的终端打印：{line}") } else { format!("{who}'s terminal prints: {line}") },
            Console { line, stderr: true } => if lang == Zh { format!("{who} 的终端打印（stderr）：{line}") } else { format!("{who}'s terminal prints (stderr): {line}") },
            Spinning { statements } => if lang == Zh {
                format!("这个线程已经连续执行了 {statements} 条语句，一次也没有阻塞：这是一个忙循环。它一直占着 CPU；除了每 5 毫秒的切换间隔，其他线程都拿不到解释器（GIL）。")
            } else {
                format!("This thread has run {statements} statements without blocking once: a busy loop. It keeps the CPU, and but for the 5 ms switch interval no other thread of its process gets the interpreter (the GIL).")
            },
            Ran { code } => if lang == Zh { format!("执行第 {} 行：{}", self.line.unwrap_or(0), code.trim()) } else { format!("Runs line {}: {}", self.line.unwrap_or(0), code.trim()) },
            ThreadStarted { name, daemon } => match (lang, *daemon) {
                (En, true) => format!("Thread {name} starts as a daemon: it serves one client, and it will not keep the process alive on its own."),
                (En, false) => format!("Thread {name} starts."),
                (Zh, true) => format!("线程 {name} 以守护线程启动：它专门服务一个客户端，不会独自让进程继续活着。"),
                (Zh, false) => format!("线程 {name} 启动。"),
            },
            ThreadEnded { name, end } => match (end, lang) {
                (ThreadEnd::Returned, En) => format!("Thread {name} ends: its function returned."),
                (ThreadEnd::Returned, Zh) => format!("线程 {name} 结束：它的函数返回了。"),
                (ThreadEnd::Killed, En) => format!("Daemon thread {name} ends with its process, wherever it was."),
                (ThreadEnd::Killed, Zh) => format!("守护线程 {name} 随进程一起结束，不管它执行到哪里。"),
                (ThreadEnd::Terminated, En) => format!("Thread {name} stops where it was: its process is being ended."),
                (ThreadEnd::Terminated, Zh) => format!("线程 {name} 停在原处：它所在的进程被结束了。"),
                (ThreadEnd::Exception { kind, message }, En) => format!("Thread {name} dies of an uncaught {}: the traceback is on {who}'s terminal.", exception(kind, message)),
                (ThreadEnd::Exception { kind, message }, Zh) => format!("线程 {name} 因未捕获的异常结束：{}。回溯信息打印在 {who} 的终端上。", exception(kind, message)),
            },
            ProcessExited => if lang == Zh {
                format!("{who} 的进程结束：主线程结束了，也没有非守护线程。内核会关闭它还开着的套接字。")
            } else {
                format!("{who}'s process exits: its main thread ended and no non-daemon thread remains. The kernel closes any socket it left open.")
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
        (Call::Setsockopt, En) => "SO_REUSEADDR lets the server bind its port again right after a restart, even while old connections sit in TIME-WAIT.".into(),
        (Call::Setsockopt, Zh) => "SO_REUSEADDR 让服务器重启后立刻能再绑定同一端口，即使旧连接还处在 TIME-WAIT。".into(),
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
        (Call::Recv { max, .. }, En) => format!("recv({max}) asks for at most {max} bytes from the receive buffer."),
        (Call::Recv { max, .. }, Zh) => format!("recv({max}) 向接收缓冲区要最多 {max} 个字节。"),
        (Call::Shutdown { .. }, En) => "shutdown(SHUT_WR): this side will send nothing more. The kernel sends FIN after the queued bytes, yet the socket can still receive.".into(),
        (Call::Shutdown { .. }, Zh) => "shutdown(SHUT_WR)：这一端不再发送。内核在排队的字节之后发 FIN，但套接字仍然可以接收。".into(),
        (Call::Close { fd }, En) => format!("close() gives fd {fd} back. The kernel keeps the connection until its FIN is sent and acknowledged."),
        (Call::Close { fd }, Zh) => format!("close() 归还 fd {fd}。内核会保留连接，直到 FIN 发出并被确认。"),
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
    }
}

fn narrate_return(call: &Call, ret: &Ret, lang: Lang) -> String {
    match (ret, lang) {
        (Ret::Fd { fd }, En) => format!("{} returned fd {fd}.", call.name()),
        (Ret::Fd { fd }, Zh) => format!("{} 返回 fd {fd}。", call.name()),
        (Ret::Done, En) => format!("{} returned.", call.name()),
        (Ret::Done, Zh) => format!("{} 返回。", call.name()),
        (Ret::Accepted { fd, peer }, En) => format!("accept() returned a new socket, fd {fd}, for {peer}. The listening socket stays open for the next client."),
        (Ret::Accepted { fd, peer }, Zh) => format!("accept() 返回一个新套接字 fd {fd}，对应 {peer}。监听套接字继续开着，等下一个客户端。"),
        (Ret::Connected { local }, En) => format!("connect() returned: the handshake is done, and this end is {local}."),
        (Ret::Connected { local }, Zh) => format!("connect() 返回：握手完成，本端地址是 {local}。"),
        (Ret::Sent { n }, En) => format!("send() returned {n}: the {n} byte{} were copied into the send buffer; the kernel, not the program, will put them on the wire.", plural(*n)),
        (Ret::Sent { n }, Zh) => format!("send() 返回 {n}：这 {n} 个字节已拷贝进发送缓冲区；把它们发到网络上的是内核，不是程序。"),
        (Ret::Received { data }, En) if data.is_empty() => "recv() returned b'': the buffer is drained and the peer sent FIN. Empty bytes mean \"the other side closed\".".into(),
        (Ret::Received { data }, Zh) if data.is_empty() => "recv() 返回 b''：缓冲区已读空，对方发来了 FIN。空字节就表示“对方关闭了”。".into(),
        (Ret::Received { data }, En) => format!("recv() returned {} byte{}: {}. That is whatever was in the buffer, not one \"message\": TCP is a byte stream.", data.len(), plural(data.len()), quote_bytes(data)),
        (Ret::Received { data }, Zh) => format!("recv() 返回 {} 个字节：{}。这是缓冲区里已有的字节，而不是一条“消息”：TCP 是字节流。", data.len(), quote_bytes(data)),
        (Ret::Line { text }, En) => format!("input() returned {}: the line typed into the terminal, without its newline.", crate::pyrepr::py_str_repr(text)),
        (Ret::Line { text }, Zh) => format!("input() 返回 {}：终端里输入的一行，不含换行符。", crate::pyrepr::py_str_repr(text)),
        (Ret::Command { command }, En) => format!("The learner chose: {}.", command.describe(En)),
        (Ret::Command { command }, Zh) => format!("学习者选择：{}。", command.describe(Zh)),
        (Ret::Resolved { ip }, En) => format!("gethostbyname() returned '{ip}': now the browser knows where to connect."),
        (Ret::Resolved { ip }, Zh) => format!("gethostbyname() 返回 '{ip}'：浏览器知道该连接哪里了。"),
        (Ret::Error { error }, En) => format!("{} raised {}.", call.name(), error.python()),
        (Ret::Error { error }, Zh) => format!("{} 抛出 {}。", call.name(), error.python()),
    }
}

fn narrate_state(from: State, to: State, lang: Lang) -> String {
    let why_en = match to {
        State::SynSent => "the SYN is on its way",
        State::SynReceived => "a SYN came in and the SYN-ACK goes back",
        State::Established => "both sides have seen each other's SYN acknowledged: data can flow",
        State::FinWait1 => "this side closed; its FIN follows the queued bytes",
        State::FinWait2 => "our FIN is acknowledged; waiting for the peer's FIN",
        State::CloseWait => "the peer sent FIN; recv() will return b'' once the buffer is drained",
        State::Closing => "both sides sent FIN at once; waiting for the ACK of ours",
        State::LastAck => "we close after the peer did; waiting for the ACK of our FIN",
        State::TimeWait => "both FINs are acknowledged; waiting 2 MSL so stray segments die out",
        State::Closed => "the connection is over",
        State::Listen => "waiting for SYNs",
    };
    let why_zh = match to {
        State::SynSent => "SYN 已发出",
        State::SynReceived => "收到 SYN，回复 SYN-ACK",
        State::Established => "双方的 SYN 都被确认了：可以传数据了",
        State::FinWait1 => "这一端关闭了；FIN 跟在排队的字节后面发出",
        State::FinWait2 => "我们的 FIN 已被确认；等对方的 FIN",
        State::CloseWait => "对方发来 FIN；缓冲区读空后 recv() 会返回 b''",
        State::Closing => "双方同时发了 FIN；等对方确认我们的 FIN",
        State::LastAck => "对方先关，我们后关；等我们 FIN 的确认",
        State::TimeWait => "双方的 FIN 都确认了；等 2 MSL，让迷途的报文段消失",
        State::Closed => "连接结束",
        State::Listen => "等待 SYN",
    };
    if lang == Zh {
        format!("TCP 状态 {from} → {to}：{why_zh}。")
    } else {
        format!("TCP state {from} → {to}: {why_en}.")
    }
}

fn narrate_sent(seg: &Segment, reason: SendReason, lang: Lang, rel: Option<Relative>) -> String {
    let n = seg.payload.len();
    let (a, b) = (seg.src, seg.dst);
    // Relative numbers when known; the SYN's own number is shown raw too,
    // since that it is random is the point.
    let (seq, ack) = match rel {
        Some(r) => (r.seq.to_string(), r.ack.to_string()),
        None => (seg.seq.to_string(), seg.ack.to_string()),
    };
    let syn_seq = match (rel, lang) {
        (Some(r), En) => format!("{} (raw {}: a random start)", r.seq, seg.seq),
        (Some(r), Zh) => format!("{}（原始序号 {}：随机起点）", r.seq, seg.seq),
        (None, En) => format!("{} (a random start)", seg.seq),
        (None, Zh) => format!("{}（随机起点）", seg.seq),
    };
    let own = match (rel, lang) {
        (Some(r), En) => format!("{}, raw {}", r.seq, seg.seq),
        (Some(r), Zh) => format!("{}，原始序号 {}", r.seq, seg.seq),
        (None, _) => seg.seq.to_string(),
    };
    match (reason, lang) {
        (SendReason::Syn, En) => format!("The kernel sends SYN {a} → {b} with seq {syn_seq} and MSS {}: \"I want to talk; my bytes start here\".", seg.mss.unwrap_or(0)),
        (SendReason::Syn, Zh) => format!("内核发送 SYN {a} → {b}，seq {syn_seq}，MSS {}：“我想通信，我的字节从这里开始编号”。", seg.mss.unwrap_or(0)),
        (SendReason::SynRetransmit, En) => format!("The kernel sends the SYN to {b} again (same seq {seq})."),
        (SendReason::SynRetransmit, Zh) => format!("内核再次向 {b} 发送 SYN（seq 不变，{seq}）。"),
        (SendReason::SynAck, En) => format!("The server kernel answers SYN-ACK: it acknowledges the client's SYN (ack {ack}) and sends its own (seq {own}). No program took part."),
        (SendReason::SynAck, Zh) => format!("服务器内核回复 SYN-ACK：确认客户端的 SYN（ack {ack}），同时发出自己的 SYN（seq {own}）。没有程序参与。"),
        (SendReason::Data, En) => format!("The kernel sends {n} byte{} from the send buffer ({a} → {b}), {}: at most MSS and at most the peer's window. They stay in the buffer until acknowledged.", plural(n), quote_bytes(&seg.payload)),
        (SendReason::Data, Zh) => format!("内核从发送缓冲区发出 {n} 个字节（{a} → {b}），{}：不超过 MSS，也不超过对方的窗口。在被确认之前，它们仍留在缓冲区里。", quote_bytes(&seg.payload)),
        (SendReason::Ack, En) if seg.window == 0 => format!("The kernel acknowledges up to {ack} and advertises window 0: its receive buffer is full, so the sender must stop."),
        (SendReason::Ack, Zh) if seg.window == 0 => format!("内核确认到 {ack}，通告窗口 0：接收缓冲区满了，发送方必须停下。"),
        (SendReason::Ack, En) => format!("The kernel acknowledges every byte before {ack} and advertises window {}: the free space in its receive buffer.", seg.window),
        (SendReason::Ack, Zh) => format!("内核确认 {ack} 之前的所有字节，通告窗口 {}：也就是接收缓冲区的空闲空间。", seg.window),
        (SendReason::WindowUpdate, En) => format!("Window update: recv() made room, so the kernel tells the peer it may send {} more bytes.", seg.window),
        (SendReason::WindowUpdate, Zh) => format!("窗口更新：recv() 腾出了空间，内核告诉对方可以再发 {} 个字节。", seg.window),
        (SendReason::ZeroWindowProbe, En) => "Zero-window probe: one byte past the closed window, to make the peer answer with its current window.".into(),
        (SendReason::ZeroWindowProbe, Zh) => "零窗口探测：在关闭的窗口外发一个字节，迫使对方回复当前窗口。".into(),
        (SendReason::Fin, En) => format!("The kernel sends FIN {a} → {b}: every queued byte went out before it, and nothing more will follow."),
        (SendReason::Fin, Zh) => format!("内核发送 FIN {a} → {b}：排队的字节都已在它之前发出，此后不再有数据。"),
        (SendReason::Rst, En) => format!("The kernel sends RST to {b}: the connection is aborted (bytes arrived that nobody will ever read, or no socket matches)."),
        (SendReason::Rst, Zh) => format!("内核向 {b} 发送 RST：连接被中止（到达的字节再也没有人读，或者没有对应的套接字）。"),
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
        (_, BufferCause::AppSend, En) => format!("Send buffer: +{d} from send(), now {len}/{cap} bytes."),
        (_, BufferCause::AppSend, Zh) => format!("发送缓冲区：send() 放入 {d} 字节，现在 {len}/{cap}。"),
        (_, BufferCause::Acked, En) => format!("Send buffer: the ACK says the peer has {d} more byte{}, so their copy is freed; now {len}/{cap}.", plural(d as usize)),
        (_, BufferCause::Acked, Zh) => format!("发送缓冲区：ACK 表明对方又收到了 {d} 个字节，这些副本可以释放了；现在 {len}/{cap}。"),
        (_, BufferCause::Arrived, En) => format!("Receive buffer: +{d} byte{} from the wire, now {len}/{cap}; the window shrinks to {}.", plural(d as usize), cap - len),
        (_, BufferCause::Arrived, Zh) => format!("接收缓冲区：从网络收到 {d} 字节，现在 {len}/{cap}；窗口缩小到 {}。", cap - len),
        (_, BufferCause::AppRecv, En) => format!("Receive buffer: recv() took {d} byte{}, now {len}/{cap}; the window grows to {}.", plural(d as usize), cap - len),
        (_, BufferCause::AppRecv, Zh) => format!("接收缓冲区：recv() 取走 {d} 字节，现在 {len}/{cap}；窗口增大到 {}。", cap - len),
        (BufferSide::Send, BufferCause::Resized, En) => format!("Send buffer capacity is now {cap} bytes ({len} stored)."),
        (BufferSide::Send, BufferCause::Resized, Zh) => format!("发送缓冲区容量改为 {cap} 字节（已存 {len}）。"),
        (BufferSide::Recv, BufferCause::Resized, En) => format!("Receive buffer capacity is now {cap} bytes ({len} stored)."),
        (BufferSide::Recv, BufferCause::Resized, Zh) => format!("接收缓冲区容量改为 {cap} 字节（已存 {len}）。"),
    }
}

#[cfg(test)]
mod tests {
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
