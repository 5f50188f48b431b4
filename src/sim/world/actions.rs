//! The learner's actions: add or remove a client, make one send, recv or
//! close, resize buffers, switch the encoding, type a URL. An action that
//! cannot apply is logged with the reason, in both languages.

use super::*;

/// Why an action was not done, in both languages.
pub(crate) type Why = Text<String>;

pub(super) fn no_such_client(client: u8) -> Why {
    Text::owned(
        format!("没有 client-{client}"),
        format!("there is no client-{client}"),
    )
}

impl World {
    /// Applies a learner's action now. Actions that cannot apply are logged
    /// as ignored, with the reason, and change nothing else.
    pub fn handle_action(&mut self, action: &Action) {
        self.log.step = self.step;
        self.log.now = self.now;
        self.log.push(
            Origin::learner(),
            EventKind::Action {
                action: action.clone(),
            },
        );
        if let Err(why) = self.try_action(action) {
            self.log.push(
                Origin::learner(),
                EventKind::ActionIgnored {
                    action: action.clone(),
                    why,
                },
            );
        }
    }

    pub(super) fn interactive_main(&self, client: u8) -> Result<ThreadId, Why> {
        let h = HostId(client);
        let host = self
            .find_host(h)
            .filter(|_| client > 0 && h != HostId::BROWSER)
            .ok_or_else(|| no_such_client(client))?;
        if !host.client.as_ref().is_some_and(|c| c.interactive) {
            return Err(Text::owned(
                format!("{} 运行的是写好的脚本，不接受命令", h.name()),
                format!("{} runs a script; it does not take commands", h.name()),
            ));
        }
        let t = self
            .threads
            .iter()
            .find(|t| t.host == h && t.main)
            .expect("every host has a main thread");
        if !t.is_alive() {
            return Err(Text::owned(
                format!("{} 已经退出了", h.name()),
                format!("{} has already exited", h.name()),
            ));
        }
        Ok(t.id)
    }

    /// Types a line into an interactive client's terminal (the page's
    /// buttons stand in for the keyboard): `send <text>`, `recv`, `close`.
    /// A thread waiting in `input()` reads it at once.
    pub(super) fn type_line(&mut self, client: u8, line: String) -> Result<(), Why> {
        self.interactive_main(client)?;
        let h = HostId(client);
        if self.host(h).stdin.iter().any(|l| l == "close") {
            return Err(Text::owned(
                "这个客户端已经在关闭了",
                "that client is already closing",
            ));
        }
        self.host_mut(h).stdin.push_back(line);
        let now = self.now;
        let readers: Vec<ThreadId> = self
            .threads
            .iter()
            .filter(|t| t.host == h && t.is_alive())
            .filter(|t| {
                matches!(
                    t.state,
                    ThreadState::Blocked {
                        reason: BlockReason::Learner,
                        ..
                    }
                )
            })
            .map(|t| t.id)
            .collect();
        for t in readers {
            self.schedule_run(t, now);
        }
        Ok(())
    }

    /// Queues a learner's command for a thread and, if it is waiting for
    /// the learner, wakes it now.
    pub(super) fn hand_to_learner_thread(&mut self, tid: ThreadId, cmd: Command) {
        let now = self.now;
        let t = self.thread_mut(tid);
        t.inbox.push_back(cmd);
        if matches!(
            t.state,
            ThreadState::Blocked {
                reason: BlockReason::Learner,
                ..
            }
        ) {
            self.schedule_run(tid, now);
        }
    }

    pub(super) fn try_action(&mut self, action: &Action) -> Result<(), Why> {
        match action {
            Action::AddClient => {
                let on_stage = self
                    .hosts
                    .iter()
                    .filter(|h| h.client.is_some() && !h.removed)
                    .count();
                if on_stage >= self.config.max_clients as usize {
                    let max = self.config.max_clients;
                    return Err(Text::owned(
                        format!("最多 {max} 个客户端"),
                        format!("at most {max} clients"),
                    ));
                }
                // Every client gets its own number and address, removed ones included.
                if self.client_count() >= MAX_CLIENT_HOSTS {
                    return Err(Text::owned(
                        format!("一次运行最多 {MAX_CLIENT_HOSTS} 个客户端"),
                        format!("at most {MAX_CLIENT_HOSTS} clients in one run"),
                    ));
                }
                // The lesson's client for the learner: in the run's language,
                // or the learner's own program.
                let template = ClientSpec {
                    start_at: self.now,
                    ..self.config.added_client.clone()
                };
                self.add_client_host(template);
                Ok(())
            }
            Action::RemoveClient { client } => {
                let h = HostId(*client);
                let host = self
                    .find_host(h)
                    .filter(|host| host.client.is_some() && h != HostId::BROWSER)
                    .ok_or_else(|| no_such_client(*client))?;
                if host.removed {
                    return Err(Text::owned(
                        format!("{} 已经被移除了", h.name()),
                        format!("{} is already removed", h.name()),
                    ));
                }
                self.host_mut(h).removed = true;
                if self.host(h).process_alive {
                    self.end_process(h, ThreadEnd::Terminated);
                }
                Ok(())
            }
            Action::Close { client } => self.type_line(*client, "close".into()),
            Action::Send { client, text } => {
                if text.is_empty() {
                    return Err(Text::owned(
                        "空消息什么也不会发送",
                        "an empty message sends nothing",
                    ));
                }
                // One line of a terminal: a newline would end it early.
                let text = text.replace(['\n', '\r'], " ");
                self.type_line(*client, format!("send {text}"))
            }
            Action::RecvNow { client } => self.type_line(*client, "recv".into()),
            Action::Navigate { url } => self.navigate(url),
            Action::DropSegment { segment } => {
                let Some(f) = self.network.take(*segment) else {
                    return Err(Text::owned(
                        format!("报文段 #{segment} 不在线路上（已经到达，或从未发出）"),
                        format!("segment #{segment} is not on the wire (it arrived, or never was)"),
                    ));
                };
                self.log.push(
                    Origin::host(f.to),
                    EventKind::SegmentDropped {
                        segment: Box::new(f.segment),
                        reason: DropReason::DroppedByLearner,
                    },
                );
                Ok(())
            }
            Action::SetLoss { percent } => {
                if *percent > 100 {
                    return Err(Text::owned(
                        "丢包率在 0 到 100 之间",
                        "the loss rate is between 0 and 100",
                    ));
                }
                self.network.loss.percent = *percent;
                Ok(())
            }
            Action::SetDelay { ms } => {
                if !(1..=10_000).contains(ms) {
                    return Err(Text::owned(
                        "延迟在 1 到 10000 毫秒之间",
                        "the delay is between 1 and 10000 ms",
                    ));
                }
                self.network.latency = Duration::from_millis(u64::from(*ms));
                Ok(())
            }
            Action::SetBuffers {
                target,
                send_capacity,
                recv_capacity,
            } => {
                let h = HostId(*target);
                if self.find_host(h).is_none() {
                    return Err(Text::owned(
                        format!("没有 {} 这台主机", h.name()),
                        format!("there is no host {}", h.name()),
                    ));
                }
                let (sc, rc) = (
                    (*send_capacity).clamp(1, 65535) as usize,
                    (*recv_capacity).clamp(1, 65535) as usize,
                );
                let k = self.kernel_mut(h);
                k.send_capacity = sc;
                k.recv_capacity = rc;
                let ids: Vec<SockId> = (0..k.sockets.len() as u16)
                    .map(SockId)
                    .filter(|s| k.tcp(*s).is_some())
                    .collect();
                for sid in ids {
                    let mut out = Out::default();
                    if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                        tcp.resize_buffers(sc, rc, &mut out);
                    }
                    self.apply_out(h, sid, out);
                }
                Ok(())
            }
            Action::SetEncoding { encoding } => Err(Text::owned(
                format!(
                    "编码写在程序里：把 ENCODING = \"{0}\" 改进代码里再运行",
                    encoding.python_name()
                ),
                format!(
                    "the encoding is in the programs: edit ENCODING = \"{0}\" into the code and run it",
                    encoding.python_name()
                ),
            )),
        }
    }

    /// Checks a URL typed into the browser's address bar and hands it to the
    /// browser. The server's files are never touched here: what the path
    /// means is decided by the server's resolver, when the request arrives.
    pub(super) fn navigate(&mut self, url: &str) -> Result<(), Why> {
        let Some(spec) = &self.config.http else {
            return Err(Text::owned(
                "这一课没有浏览器",
                "this lesson has no browser",
            ));
        };
        // As a browser's address bar does: `www.example.test/` is visited
        // as `http://www.example.test/`.
        let url = &crate::http::address_bar(url);
        let parsed = Url::parse(url).map_err(|e| Text::owned(e.zh(), e.to_string()))?;
        if parsed.is_https() {
            return Err(Text::owned(
                "https 需要 TLS，本模拟没有实现：请用 http://",
                "https needs TLS, which this simulation does not do: use http://",
            ));
        }
        // The name, or the address DNS gives for it.
        let server_ip = self.find_host(HostId::SERVER).map(|h| h.ip.to_string());
        let by_address = server_ip.as_deref() == Some(parsed.host.text.as_str());
        if !parsed.host.text.eq_ignore_ascii_case(&spec.host) && !by_address {
            return Err(Text::owned(
                format!(
                    "这个模拟网络上只有一个网站服务器：{}（{}）",
                    spec.host,
                    server_ip.as_deref().unwrap_or("")
                ),
                format!(
                    "the only web server on this simulated network is {} ({})",
                    spec.host,
                    server_ip.as_deref().unwrap_or("")
                ),
            ));
        }
        let port = HTTP_PORT;
        if parsed.port != port {
            return Err(Text::owned(
                format!(
                    "那里的 {} 端口没有程序在监听：网站服务器在 {port} 端口",
                    parsed.port
                ),
                format!(
                    "nothing listens on port {} there: the web server is on port {port}",
                    parsed.port
                ),
            ));
        }
        let Some(t) = self
            .threads
            .iter()
            .find(|t| t.host == HostId::BROWSER && t.main)
            .filter(|t| t.is_alive())
            .map(|t| t.id)
        else {
            return Err(Text::owned("浏览器已经退出了", "the browser has exited"));
        };
        self.hand_to_learner_thread(t, Command::Visit { url: url.into() });
        Ok(())
    }
}
