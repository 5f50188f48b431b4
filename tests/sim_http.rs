//! The `http` lesson's rules: the server reads until a request is whole,
//! keep-alive reuses one connection, a missing file is 404, a traversal path
//! never reads outside the site, the learner's URLs are checked, and the
//! exchange views (headers, byte spans, sequence numbers, timing) agree with
//! what went over the wire.

use sockscope::sim::event::HttpNote;
use sockscope::sim::http_view::{ExchangeState, HttpExchange};
use sockscope::sim::world::{HttpSpec, World, WorldConfig};
use sockscope::sim::{Action, EventKind, HostId, Lang, LessonId, Run, SeqNumber};

fn lesson() -> Run {
    let mut run = Run::new(LessonId::Http, LessonId::Http.info().default_seed);
    run.play(100_000);
    assert!(run.is_finished());
    run
}

fn visit(run: &mut Run, url: &str) {
    run.apply(Action::Navigate { url: url.into() });
    run.play(100_000);
    assert!(run.is_finished());
}

fn statuses(w: &World) -> Vec<Option<u16>> {
    w.http_exchanges()
        .iter()
        .map(HttpExchange::status)
        .collect()
}

fn notes(run: &Run) -> Vec<(HostId, HttpNote)> {
    run.log()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Http { note } => Some((e.host.unwrap(), note.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn the_lesson_gets_the_page_the_stylesheet_and_a_404_over_one_connection() {
    let run = lesson();
    let w = run.world();
    assert_eq!(statuses(w), vec![Some(200), Some(200), Some(404)]);
    let x = w.http_exchanges();
    assert!(x.iter().all(|x| x.state == ExchangeState::Complete));
    // Keep-alive: one connection (one local port), opened by the first request only.
    assert!(x
        .iter()
        .all(|e| e.local == x[0].local && e.remote == x[0].remote));
    assert_eq!(
        x.iter().map(|e| e.new_connection).collect::<Vec<_>>(),
        vec![true, false, false]
    );
    assert_eq!(x[0].remote.to_string(), "10.0.0.1:80");
    // One SYN from the browser, one handler thread on the server.
    let syns = run
        .log()
        .iter()
        .filter(|e| {
            matches!(&e.kind, EventKind::SegmentSent { segment, .. }
                if segment.flags.syn && !segment.flags.ack)
        })
        .count();
    assert_eq!(syns, 1);
    let handlers = w
        .threads()
        .iter()
        .filter(|t| t.name.contains("handle_connection"))
        .count();
    assert_eq!(handlers, 1);
    // The browser's and the server's terminals.
    assert_eq!(
        run.console(HostId::BROWSER),
        vec![
            "200 OK /",
            "200 OK /style.css",
            "404 Not Found /missing.html"
        ]
    );
    let server = run.console(HostId::SERVER);
    assert_eq!(server.len(), 4, "{server:?}");
    assert!(server[2].ends_with("GET /missing.html 404"));
    assert!(
        server[3].ends_with("closed the connection"),
        "peer FIN: b''"
    );
    // The response bodies are the site's files.
    let page = String::from_utf8(x[0].response.as_ref().unwrap().body.clone()).unwrap();
    assert!(page.contains("<link rel=\"stylesheet\" href=\"/style.css\">"));
    let css = x[1].response.as_ref().unwrap();
    assert_eq!(css.content_type.as_deref(), Some("text/css; charset=utf-8"));
    // A missing file is 404 with an error page, and the connection stayed open for it.
    let missing = x[2].response.as_ref().unwrap();
    assert_eq!(
        (missing.status, missing.reason.as_str()),
        (404, "Not Found")
    );
    assert!(notes(&run).iter().any(|(h, n)| *h == HostId::SERVER
        && matches!(n, HttpNote::Reply { status: 404, file: Some(f), .. } if f == "/missing.html")));
}

#[test]
fn the_date_header_counts_simulated_time_from_the_lesson_epoch() {
    let run = lesson();
    let x = &run.world().http_exchanges()[0];
    let res = x.response.as_ref().unwrap();
    let date = res.headers.iter().find(|h| h.name == "Date").unwrap();
    assert_eq!(date.value, "Tue, 14 Nov 2023 22:13:20 GMT");
    let server = res.headers.iter().find(|h| h.name == "Server").unwrap();
    assert_eq!(server.value, sockscope::http::SERVER_NAME);
}

#[test]
fn a_request_that_arrives_in_pieces_is_read_until_whole() {
    // A browser send buffer of 40 bytes: the request leaves in pieces, each
    // after the previous one is acknowledged.
    let config = WorldConfig {
        http: Some(HttpSpec {
            send_capacity: 40,
            ..HttpSpec::default()
        }),
        ..LessonId::Http.config(3, Lang::En)
    };
    let mut w = World::new(config);
    let mut events = vec![];
    while w.step() {
        events.extend(w.poll_events());
    }
    let incomplete: Vec<usize> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Http {
                note: HttpNote::RequestIncomplete { have },
            } => Some(*have),
            _ => None,
        })
        .collect();
    assert!(
        incomplete.len() >= 3,
        "the server saw partial requests: {incomplete:?}"
    );
    assert!(incomplete.iter().all(|&n| n > 0 && n < 130));
    assert_eq!(statuses(&w), vec![Some(200), Some(200), Some(404)]);
    // The partial-parse narration says it is not an error.
    let e = events
        .iter()
        .find(|e| {
            matches!(
                e.kind,
                EventKind::Http {
                    note: HttpNote::RequestIncomplete { .. }
                }
            )
        })
        .unwrap();
    assert!(e.narration(Lang::En).contains("Not an error"));
    assert!(e.narration(Lang::Zh).contains("不是错误"));
}

#[test]
fn traversal_paths_from_the_address_bar_never_leave_the_site() {
    let mut run = lesson();
    for url in [
        "http://www.example.test/../secret.txt",
        "http://www.example.test/%2e%2e/%2e%2e/etc/passwd",
        "http://www.example.test/a/%2F..%2F..%2Fetc",
        "http://www.example.test/..%5c..%5cwindows",
        "http://www.example.test/%00index.html",
    ] {
        visit(&mut run, url);
        let x = run.world().http_exchanges().last().unwrap().clone();
        assert_eq!(x.url, url);
        assert_eq!(x.status(), Some(400), "{url}");
        let body = &x.response.as_ref().unwrap().body;
        assert!(
            !String::from_utf8_lossy(body).contains("Tea House"),
            "{url}"
        );
    }
    // The server resolved no file for any of them.
    let replies: Vec<HttpNote> = notes(&run)
        .into_iter()
        .filter(|(h, n)| *h == HostId::SERVER && matches!(n, HttpNote::Reply { .. }))
        .map(|(_, n)| n)
        .collect();
    assert_eq!(replies.len(), 3 + 5);
    for n in &replies[3..] {
        assert!(
            matches!(
                n,
                HttpNote::Reply {
                    status: 400,
                    file: None,
                    ..
                }
            ),
            "{n:?}"
        );
    }
}

#[test]
fn a_learner_visit_opens_a_new_connection_that_closes_after_one_exchange() {
    let mut run = lesson();
    visit(
        &mut run,
        "http://www.example.test/about.html?page=1&count=10",
    );
    let w = run.world();
    assert_eq!(
        statuses(w),
        vec![Some(200), Some(200), Some(404), Some(200)]
    );
    let x = &w.http_exchanges()[3];
    assert!(x.new_connection);
    assert_ne!(x.local, w.http_exchanges()[0].local, "a new local port");
    assert_eq!(x.target, "/about.html?page=1&count=10");
    assert_eq!(x.name(), "about.html?page=1&count=10");
    // The browser caches the address: no DNS this time.
    assert_eq!(x.timing.dns_start, None);
    assert!(x.timing.connect_start.is_some());
    // One page only: the browser asks to close, and the server does.
    let req = String::from_utf8(x.request.clone()).unwrap();
    assert!(req.contains("\r\nConnection: close\r\n"), "{req}");
    let res = x.response.as_ref().unwrap();
    assert!(res
        .headers
        .iter()
        .any(|h| h.name == "Connection" && h.value == "close"));
    let server = run.console(HostId::SERVER);
    assert!(server
        .last()
        .unwrap()
        .ends_with("GET /about.html?page=1&count=10 200"));
    // URL parts from the shared parser.
    let url = x.url_parts().unwrap();
    assert_eq!(url.host.text, "www.example.test");
    assert_eq!(url.port, 80);
    assert_eq!(url.params.len(), 2);
    assert_eq!(&x.url[url.params[1].span.clone()], "count=10");
}

#[test]
fn bad_urls_are_ignored_with_a_reason_in_both_languages() {
    let mut run = lesson();
    for (url, en) in [
        ("://www.example.test/", "scheme"),
        ("ftp://www.example.test/", "not supported"),
        ("https://www.example.test/", "TLS"),
        ("http://elsewhere.test/", "only web server"),
        ("http://www.example.test:8080/", "port 8080"),
        ("http://www.example.test/a b", "percent-encoded"),
        ("", "empty"),
    ] {
        run.apply(Action::Navigate { url: url.into() });
        let e = run.log().last().unwrap();
        let EventKind::ActionIgnored { why, .. } = &e.kind else {
            panic!("{url:?} was not ignored: {:?}", e.kind);
        };
        assert!(why.en.contains(en), "{url:?}: {why:?}");
        assert_ne!(why.zh, why.en, "{url:?}: no Chinese reason");
        assert_ne!(e.narration(Lang::Zh), e.narration(Lang::En));
    }
    run.play(1000);
    assert_eq!(run.world().http_exchanges().len(), 3, "nothing was sent");
    // Outside the http lesson there is no browser.
    let mut echo = Run::new(LessonId::Echo, 1);
    echo.apply(Action::Navigate {
        url: "http://www.example.test/".into(),
    });
    assert!(matches!(
        echo.log().last().unwrap().kind,
        EventKind::ActionIgnored { .. }
    ));
}

/// As a browser's address bar does: typed without a scheme, the address is
/// visited over http.
#[test]
fn an_address_typed_without_a_scheme_is_visited_over_http() {
    let mut run = lesson();
    run.play(100_000);
    let before = run.world().http_exchanges().len();
    visit(&mut run, "  www.example.test/about.html?page=1 ");
    let exchanges = run.world().http_exchanges();
    assert_eq!(exchanges.len(), before + 1);
    let x = exchanges.last().unwrap();
    assert_eq!(x.url, "http://www.example.test/about.html?page=1");
    assert_eq!(x.status(), Some(200));
}

#[test]
fn timing_marks_are_in_order() {
    let mut run = lesson();
    visit(&mut run, "http://www.example.test/about.html");
    for x in run.world().http_exchanges() {
        let t = &x.timing;
        let marks = [
            t.dns_start,
            t.dns_end,
            t.connect_start,
            t.connect_end,
            Some(t.request_start),
            t.request_end,
            t.first_byte,
            t.last_byte,
        ];
        let present: Vec<_> = marks.iter().flatten().collect();
        assert!(
            present.windows(2).all(|p| p[0] <= p[1]),
            "exchange {}: {t:?}",
            x.id
        );
        assert!(t.request_end.is_some() && t.first_byte.is_some() && t.last_byte.is_some());
        // Waiting spans at least a round trip on a 2 ms wire.
        assert!(t.waiting().unwrap().total_micros() >= 2_000, "{t:?}");
        assert!(t.total().unwrap() >= t.waiting().unwrap());
    }
    let x = run.world().http_exchanges();
    assert_eq!(x[0].timing.dns().unwrap().total_millis(), 3);
    assert_eq!(
        x[0].timing.connect().unwrap().total_millis(),
        4,
        "one round trip"
    );
    assert!(x[1].timing.dns().is_none() && x[1].timing.connect().is_none());
}

#[test]
fn header_spans_and_sequence_numbers_find_the_bytes_on_the_wire() {
    let run = lesson();
    // Every payload byte on the wire, by (direction, sequence number).
    let mut wire = std::collections::BTreeMap::new();
    for e in run.log() {
        if let EventKind::SegmentSent { segment: s, .. } = &e.kind {
            for (i, b) in s.payload.iter().enumerate() {
                wire.insert((s.src, (s.seq + i).0), *b);
            }
        }
    }
    for x in run.world().http_exchanges() {
        assert_eq!(
            &x.request[x.request_line.clone()],
            b"GET "
                .iter()
                .chain(x.target.as_bytes())
                .chain(b" HTTP/1.1")
                .copied()
                .collect::<Vec<u8>>()
                .as_slice()
        );
        assert!(x
            .request_headers
            .iter()
            .any(|h| h.name == "Host" && h.value == "www.example.test"));
        for h in &x.request_headers {
            assert_eq!(
                &x.request[h.span.clone()],
                format!("{}: {}", h.name, h.value).as_bytes()
            );
            let (start, end) = x.request_seqs(&h.span);
            assert_eq!(end.distance_from(start) as usize, h.span.len());
            for (i, want) in x.request[h.span.clone()].iter().enumerate() {
                assert_eq!(wire.get(&(x.local, (start + i).0)), Some(want));
            }
        }
        let res = x.response.as_ref().unwrap();
        assert_eq!(
            &res.head[res.status_line.clone()],
            format!("HTTP/1.1 {} {}", res.status, res.reason).as_bytes()
        );
        for h in &res.headers {
            assert_eq!(
                &res.head[h.span.clone()],
                format!("{}: {}", h.name, h.value).as_bytes()
            );
            let (start, _) = x.response_seqs(&h.span);
            for (i, want) in res.head[h.span.clone()].iter().enumerate() {
                assert_eq!(wire.get(&(x.remote, (start + i).0)), Some(want));
            }
        }
        // The body follows the head in the stream.
        let (body_start, _) = x.response_seqs(&(res.head.len()..res.total_len()));
        assert_eq!(wire.get(&(x.remote, body_start.0)), res.body.first());
    }
    // Offsets: each request/response starts where the previous one ended.
    let x = run.world().http_exchanges();
    assert_eq!((x[0].request_offset, x[0].response_offset), (0, 0));
    assert_eq!(x[1].request_offset, x[0].request.len() as u64);
    assert_eq!(
        x[1].response_offset,
        x[0].response.as_ref().unwrap().total_len() as u64
    );
    assert_eq!(x[1].request_seq, x[0].request_seq + x[0].request.len(),);
    let _ = SeqNumber(0);
}

#[test]
fn the_site_and_program_sources_are_there_for_the_ui() {
    let run = lesson();
    let w = run.world();
    assert_eq!(
        w.http_site(),
        vec!["/about.html", "/index.html", "/style.css"]
    );
    let hosts = w.hosts();
    let browser = hosts.iter().find(|h| h.id == HostId::BROWSER).unwrap();
    assert_eq!(
        (browser.name.as_str(), browser.ip.to_string().as_str()),
        ("browser", "10.0.0.100")
    );
    for lang in [Lang::En, Lang::Zh] {
        let w = World::new(LessonId::Http.config(3, lang));
        let text = w.source_text(HostId::BROWSER);
        assert!(text.contains("socket.gethostbyname(HOST)"));
        assert!(text.contains("PAGES = [\"/\", \"/style.css\", \"/missing.html\"]"));
        let server = w.source_text(HostId::SERVER);
        assert!(server.contains("server.bind((\"\", 80))"));
        assert!(server.contains("serve_static(request, SITE)"));
    }
}

/// Mid-lesson, the bytes of a response header can be found in the browser's
/// receive buffer (or the server's send buffer) by sequence number.
#[test]
fn header_bytes_can_be_found_in_the_buffers() {
    use sockscope::sim::view::SocketDetail;
    let mut run = Run::new(LessonId::Http, LessonId::Http.info().default_seed);
    let mut found_recv = false;
    let mut found_send = false;
    while run.step() {
        let w = run.world();
        let Some(x) = w.http_exchanges().first() else {
            continue;
        };
        for host in [HostId::BROWSER, HostId::SERVER] {
            for s in w.sockets(host) {
                let SocketDetail::Stream(v) = s.detail else {
                    continue;
                };
                if host == HostId::SERVER {
                    // The server's send buffer holds the response until it is acknowledged.
                    if let Some(i) = v.send_index(x.response_seq) {
                        assert_eq!(&v.send_buffer[i..i + 8], b"HTTP/1.1");
                        found_send = true;
                    }
                    continue;
                }
                if let Some(res) = &x.response {
                    let h = res
                        .headers
                        .iter()
                        .find(|h| h.name == "Content-Type")
                        .unwrap();
                    let (start, _) = x.response_seqs(&h.span);
                    if let Some(i) = v.recv_index(start) {
                        assert_eq!(&v.recv_buffer[i..i + 13], b"Content-Type:");
                        found_recv = true;
                    }
                } else if let Some(i) = v.recv_index(x.response_seq) {
                    assert_eq!(v.recv_buffer[i], b'H');
                    found_recv = true;
                }
            }
        }
    }
    assert!(found_recv && found_send);
}

/// The lesson's world with one more host: a Python client that writes
/// `raw` to the web server and prints what comes back until the server
/// closes. Returns its console, the server's, and the server's notes.
fn raw_exchange(raw: &str) -> (Vec<String>, Vec<String>, Vec<HttpNote>) {
    use sockscope::sim::lessons::code::Script;
    use sockscope::sim::time::Instant;
    use sockscope::sim::world::ClientSpec;
    let source = format!(
        "import socket\n\
         s = socket.create_connection(('10.0.0.1', 80))\n\
         s.sendall({raw})\n\
         data = b''\n\
         while True:\n\
         \x20   chunk = s.recv(4096)\n\
         \x20   if not chunk:\n\
         \x20       break\n\
         \x20   data += chunk\n\
         for head in data.split(b'HTTP/1.1 ')[1:]:\n\
         \x20   print(head.split(b'\\r\\n')[0].decode(), b'Connection: close' in head)\n\
         s.close()\n"
    );
    let client = ClientSpec::python(
        Script {
            file: "raw.py".into(),
            source,
        },
        Instant::from_micros(500),
    );
    let mut config = LessonId::Http.config(5, Lang::En);
    config.clients = vec![client];
    let mut w = World::new(config);
    let mut events = vec![];
    while w.step() {
        events.extend(w.poll_events());
    }
    let console = |h: HostId| -> Vec<String> {
        events
            .iter()
            .filter(|e| e.host == Some(h))
            .filter_map(|e| match &e.kind {
                EventKind::Console { line, .. } => Some(line.clone()),
                _ => None,
            })
            .collect()
    };
    let notes = events
        .iter()
        .filter(|e| e.host == Some(HostId::SERVER))
        .filter_map(|e| match &e.kind {
            EventKind::Http { note } => Some(note.clone()),
            _ => None,
        })
        .collect();
    (console(HostId(1)), console(HostId::SERVER), notes)
}

#[test]
fn a_malformed_request_is_answered_400_and_the_connection_closed() {
    let (client, server, notes) = raw_exchange("b'GARBAGE\\r\\n\\r\\n'");
    assert_eq!(client, vec!["400 Bad Request True"]);
    assert!(
        server.iter().any(|l| l.ends_with(" - - 400")),
        "the handler prints what it could not read as '-': {server:?}"
    );
    let rejected: Vec<_> = notes
        .iter()
        .filter(|n| matches!(n, HttpNote::RequestRejected { status: 400, .. }))
        .collect();
    assert_eq!(rejected.len(), 1, "{notes:?}");
    // Narrated once: no Reply note for the rejected bytes (the browser's
    // three requests have theirs).
    let replies = notes
        .iter()
        .filter(|n| matches!(n, HttpNote::Reply { .. }))
        .count();
    assert_eq!(replies, 3);
    // Other statuses the shared parser gives, each answered and closed.
    for (raw, want) in [
        (
            "b'GET / HTTP/2.0\\r\\n\\r\\n'",
            "505 HTTP Version Not Supported True",
        ),
        (
            "b'GET / HTTP/1.1\\r\\nContent-Length: 99999999\\r\\n\\r\\n'",
            "413 Content Too Large True",
        ),
        (
            "b'GET /' + b'a' * 9000 + b' HTTP/1.1\\r\\n\\r\\n'",
            "414 URI Too Long True",
        ),
    ] {
        let (client, _, _) = raw_exchange(raw);
        assert_eq!(client, vec![want], "{raw}");
    }
}

#[test]
fn keep_alive_serves_pipelined_requests_until_connection_close() {
    let (client, server, notes) = raw_exchange(
        "b'GET /style.css HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' \
         b'GET /about.html HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n' \
         b'GET /index.html HTTP/1.1\\r\\n\\r\\n'",
    );
    // The third request is never answered: the second said close.
    assert_eq!(client, vec!["200 OK False", "200 OK True"]);
    let mine: Vec<&String> = server.iter().filter(|l| l.contains("10.0.0.2")).collect();
    assert_eq!(mine.len(), 2, "{server:?}");
    assert!(mine[0].ends_with("GET /style.css 200") && mine[1].ends_with("GET /about.html 200"));
    let parsed = |path: &str| -> Vec<bool> {
        notes
            .iter()
            .filter_map(|n| match n {
                HttpNote::RequestParsed {
                    target, keep_alive, ..
                } if target == path => Some(*keep_alive),
                _ => None,
            })
            .collect()
    };
    assert_eq!(parsed("/about.html"), vec![false]);
    assert!(parsed("/index.html").is_empty(), "read, never parsed");
}
