//! What a system call says: its call, why it waits, what it returns or
//! the error it fails with, in zh and en.

use super::*;
use crate::sim::tcp::State;
use Lang::{En, Zh};

pub(super) fn narrate_call(call: &Call, who: &str, lang: Lang) -> String {
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
        (Call::Close { fd, held_by, .. }, En) if !held_by.is_empty() => format!("close() drops this process's fd {fd}, and nothing else happens: {} still hold{} an fd naming the same connection (a copy made by fork). The kernel counts the fds that name a socket and closes it, FIN and all, only when the last one is closed, so no FIN is sent now.", pids(held_by, En), if held_by.len() == 1 { "s" } else { "" }),
        (Call::Close { fd, held_by, .. }, Zh) if !held_by.is_empty() => format!("close() 只是去掉这个进程的 fd {fd}，别的什么也没发生：{} 还持有指向同一个连接的 fd（fork 复制出来的）。内核会数一个套接字被几个 fd 指着，只有最后一个关闭时才真正关闭它、发出 FIN，所以现在不发 FIN。", pids(held_by, Zh)),
        (Call::Close { fd, state, unread, .. }, _) => narrate_close(*fd, *state, *unread, lang),
        (Call::Fork { name: None }, En) => "os.fork() asks the kernel for a new process: a copy of this one, its memory (every variable) and its table of open fds. It returns twice: the child's PID in the parent, 0 in the child.".into(),
        (Call::Fork { name: None }, Zh) => "os.fork() 请内核创建一个新进程：这个进程的副本，包括它的内存（每个变量）和打开的 fd 表。它返回两次：在父进程里返回子进程的 PID，在子进程里返回 0。".into(),
        (Call::Fork { name: Some(name) }, En) => format!("start() of {name} forks (multiprocessing's default start method on Linux in Python 3.11): the new process is a copy of this one, its memory and its open fds, and it runs the target function."),
        (Call::Fork { name: Some(name) }, Zh) => format!("{name} 的 start() 调用 fork（Python 3.11 在 Linux 上 multiprocessing 默认的启动方式）：新进程是这个进程的副本，包括内存和打开的 fd，它去执行 target 函数。"),
        (Call::Waitpid { pid, name: Some(name) }, En) => format!("join() of {name} waits until process {pid} has ended, and reaps it (waitpid)."),
        (Call::Waitpid { pid, name: Some(name) }, Zh) => format!("{name} 的 join() 等待进程 {pid} 结束，并回收它（waitpid）。"),
        (Call::Waitpid { pid, name: None }, En) => format!("os.waitpid() waits until child process {pid} has ended, and reaps it."),
        (Call::Waitpid { pid, name: None }, Zh) => format!("os.waitpid() 等待子进程 {pid} 结束，并回收它。"),
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
pub(super) fn fd_list(fds: &[Fd], lang: Lang) -> String {
    let nums: Vec<String> = fds.iter().map(|f| f.to_string()).collect();
    match (nums.split_last(), lang) {
        (None, _) => String::new(),
        (Some((last, [])), _) => format!("fd {last}"),
        (Some((last, rest)), En) => format!("fds {} and {last}", rest.join(", ")),
        (Some(_), Zh) => format!("fd {}", nums.join("、")),
    }
}

pub(super) fn narrate_select(read: &[Fd], write: &[Fd], epoll: bool, lang: Lang) -> String {
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

pub(super) fn narrate_epoll_ctl(
    op: EpollOp,
    fd: Fd,
    (read, write): (bool, bool),
    lang: Lang,
) -> String {
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

pub(super) fn narrate_close(fd: Fd, state: Option<State>, unread: usize, lang: Lang) -> String {
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

pub(super) fn narrate_http(note: &HttpNote, who: &str, lang: Lang) -> String {
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

pub(super) fn narrate_block(call: &Call, reason: &BlockReason, lang: Lang) -> String {
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
        (BlockReason::ChildRunning { pid }, En) => format!("{} blocks: process {pid} is still running.", call.name()),
        (BlockReason::ChildRunning { pid }, Zh) => format!("{} 阻塞：进程 {pid} 还在运行。", call.name()),
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

pub(super) fn narrate_return(call: &Call, ret: &Ret, lang: Lang) -> String {
    match (ret, lang) {
        (Ret::Forked { pid }, En) => format!("{} returned {pid} in the parent: the child's PID. Both processes now run on from here, each with its own copy of the variables and of the fds.", call.name()),
        (Ret::Forked { pid }, Zh) => format!("{} 在父进程里返回 {pid}：子进程的 PID。从这里起两个进程各自往下运行，各有一份变量和 fd 的副本。", call.name()),
        (Ret::Reaped { pid, code }, En) => format!("{} returned: process {pid} has ended (exit code {code}) and is reaped; until then it was a zombie, a finished process whose exit code nobody had collected.", call.name()),
        (Ret::Reaped { pid, code }, Zh) => format!("{} 返回：进程 {pid} 已经结束（退出码 {code}）并被回收；在此之前它是个僵尸进程，已经结束、但退出码还没人来取。", call.name()),
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
pub(super) fn narrate_port_in_use(
    port: u16,
    holder: &PortHolder,
    reuse: bool,
    lang: Lang,
) -> String {
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
pub(super) fn narrate_error(call: &Call, error: SysError, lang: Lang) -> String {
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
pub(super) fn narrate_selected(call: &Call, read: &[Ready], write: &[Ready], lang: Lang) -> String {
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
pub(super) fn fd_label(r: &Ready, lang: Lang) -> String {
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
pub(super) fn ready_text(r: Ready, reading: bool, lang: Lang) -> String {
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
pub(super) fn narrate_received(
    call: &Call,
    data: &[u8],
    shape: Option<RecvShape>,
    lang: Lang,
) -> String {
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
