//! What the `http` lesson's programs need from the world: their notes in
//! the log, a connection's sequence numbers for the Network panel, the mock
//! DNS, and the address bar. (The site's files are the server host's
//! [`Host::files`], read by the program's `httpmsg.MemoryFiles`; its `Date`
//! comes from `time.time()`, whose epoch is [`HTTP_EPOCH_UNIX_SECS`].)

use super::*;

impl World {
    /// Moves a thread's cursor to a statement that makes no call.
    pub(crate) fn set_line(&mut self, tid: ThreadId, line: u32) {
        self.thread_mut(tid).line = Some(line);
    }

    /// Logs what a program did with an HTTP message.
    pub(crate) fn http_note(&mut self, tid: ThreadId, line: u32, note: HttpNote) {
        self.log_at_line(tid, line, EventKind::Http { note });
    }

    /// A connected fd's socket, its two ends and initial sequence numbers
    /// (ISS, IRS).
    pub(crate) fn stream_of(
        &self,
        tid: ThreadId,
        fd: Fd,
    ) -> Option<(SockId, Endpoint, Endpoint, SeqNumber, SeqNumber)> {
        let h = self.thread(tid).host;
        let sid = self.fd_sock(tid, fd)?;
        let t = self.kernel(h).tcp(sid)?;
        Some((sid, t.local(), t.remote(), t.iss(), t.irs()))
    }

    /// `socket.gethostbyname(name)`: the mock resolver answers after the
    /// lesson's DNS delay with the server's address. The thread is blocked
    /// in the call meanwhile (no socket is involved: nothing on the wire).
    pub(crate) fn sys_gethostbyname(
        &mut self,
        tid: ThreadId,
        line: u32,
        name: &str,
    ) -> Sys<Ipv4Addr> {
        let call = Call::GetHostByName { name: name.into() };
        let delay = self
            .config
            .http
            .as_ref()
            .map_or(Duration::ZERO, |s| s.dns_delay);
        if self.enter(tid, line, &call, None) {
            let until = self.now + delay;
            self.thread_mut(tid).scheduled = false;
            self.schedule_run(tid, until);
            return self.block(tid, call, None, BlockReason::DnsAnswer { until });
        }
        let ip = host_ip(HostId::SERVER);
        let dns = EventKind::Dns {
            name: name.into(),
            ip,
            delay,
        };
        self.log_at_line(tid, line, dns);
        self.finish(tid, call, None, Ret::Resolved { ip }, ip)
    }
}
