//! Browser unit tests (wasm-bindgen-test in headless Chromium): components
//! rendered into a real DOM, fed from the real simulation core.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

use sockscope::echo::TextEncoding;
use sockscope::sim::{LessonId, Run};
use sockscope::web::components::buffer::{BufferProps, BufferView};
use sockscope::web::components::code_panel::{CodePanel, CodePanelProps, Cursor};
use sockscope::web::components::header::{Header, HeaderProps};
use sockscope::web::components::stage::{Stage, StageData, StageProps};
use sockscope::web::i18n::Lang;
use sockscope::web::state::ByteDisplay;
use yew::{BaseComponent, Callback};

fn mount() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// Renders a component with props and waits for Yew to have drawn it.
async fn render<C: BaseComponent>(props: C::Properties) -> web_sys::Element {
    let root = mount();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(std::time::Duration::from_millis(20)).await;
    root
}

fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn header_shows_the_name_and_a_labelled_language_switch() {
    let root = render::<Header>(HeaderProps {
        lang: Lang::En,
        on_lang: Callback::noop(),
    })
    .await;
    assert_eq!(texts(&root, ".brand"), vec!["sockscope"]);
    let switch = root.query_selector(".lang-switch").unwrap().unwrap();
    assert_eq!(
        switch.get_attribute("aria-label").unwrap(),
        "Switch to Chinese"
    );
    assert_eq!(switch.text_content().unwrap().trim(), "中文");
}

#[wasm_bindgen_test]
async fn a_buffer_draws_one_cell_per_byte_and_marks_a_cut_character() {
    // "a你" in GBK is 3 bytes; keep 2: 'a' and the first half of 你.
    let bytes = TextEncoding::Gbk.encode("a你")[..2].to_vec();
    let props = BufferProps {
        lang: Lang::En,
        title: "receive buffer".into(),
        bytes,
        capacity: 4,
        display: ByteDisplay::Text,
        encoding: TextEncoding::Gbk,
        receive: true,
        highlight: None,
    };
    let root = render::<BufferView>(props).await;
    assert_eq!(texts(&root, ".cell.filled"), vec!["a", "?"]);
    assert_eq!(root.query_selector_all(".cell.cut").unwrap().length(), 1);
    assert_eq!(free_cells(&root), vec![2]);
    assert_eq!(texts(&root, ".buffer-summary"), vec!["2/4 · window 2"]);
}

/// How many free cells each `.cell.free` element draws.
fn free_cells(root: &web_sys::Element) -> Vec<usize> {
    let list = root.query_selector_all(".cell.free").unwrap();
    (0..list.length())
        .map(|i| {
            let el: web_sys::Element = list.item(i).unwrap().dyn_into().unwrap();
            el.get_attribute("data-free").unwrap().parse().unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn free_space_is_drawn_a_few_cells_to_an_element() {
    let props = BufferProps {
        lang: Lang::En,
        title: "send buffer".into(),
        bytes: b"hi".to_vec(),
        capacity: 20,
        display: ByteDisplay::Text,
        encoding: TextEncoding::Utf8,
        receive: false,
        highlight: None,
    };
    let root = render::<BufferView>(props).await;
    assert_eq!(texts(&root, ".cell.filled"), vec!["h", "i"]);
    // 18 free bytes: every one drawn, eight to an element.
    assert_eq!(free_cells(&root), vec![8, 8, 2]);
    assert_eq!(texts(&root, ".buffer-summary"), vec!["2/20"]);
}

#[wasm_bindgen_test]
async fn a_full_receive_buffer_says_so() {
    let props = BufferProps {
        lang: Lang::Zh,
        title: "接收缓冲区".into(),
        bytes: b"abcd".to_vec(),
        capacity: 4,
        display: ByteDisplay::Hex,
        encoding: TextEncoding::Utf8,
        receive: true,
        highlight: None,
    };
    let root = render::<BufferView>(props).await;
    assert_eq!(texts(&root, ".cell.filled"), vec!["61", "62", "63", "64"]);
    assert!(root.query_selector(".buffer.full").unwrap().is_some());
    assert_eq!(texts(&root, ".badge.warn"), vec!["满"]);
}

#[wasm_bindgen_test]
async fn the_code_panel_puts_each_cursor_on_its_line() {
    let props = CodePanelProps {
        title: "server.py".into(),
        source: "import socket\nconn = s.accept()  # waits\nprint(conn)".into(),
        cursors: vec![
            Cursor {
                line: 2,
                label: "MainThread".into(),
                color: 0,
                blocked: true,
            },
            Cursor {
                line: 3,
                label: "Thread-1".into(),
                color: 1,
                blocked: false,
            },
        ],
        lang: Lang::En,
        file: "server.py".into(),
        errors: vec![],
        edited: false,
        on_run: None,
        hover: None,
    };
    let root = render::<CodePanel>(props).await;
    assert_eq!(texts(&root, ".code-text .ln"), vec!["1\n2\n3\n"]);
    assert_eq!(
        texts(&root, ".code-text .src"),
        vec!["import socket\nconn = s.accept()  # waits\nprint(conn)\n"]
    );
    // One row per line that has a cursor, at that line.
    let rows = root.query_selector_all(".code-line.current").unwrap();
    let at: Vec<String> = (0..rows.length())
        .map(|i| {
            let el: web_sys::Element = rows.item(i).unwrap().dyn_into().unwrap();
            el.get_attribute("data-line").unwrap()
        })
        .collect();
    assert_eq!(at, vec!["2", "3"]);
    assert_eq!(
        texts(&root, ".code-line.current .cursor"),
        vec!["MainThread", "Thread-1"]
    );
    assert_eq!(texts(&root, ".cursor.blocked"), vec!["MainThread"]);
    assert_eq!(texts(&root, ".comment"), vec!["# waits"]);
}

#[wasm_bindgen_test]
async fn the_stage_draws_what_the_simulation_holds() {
    let mut run = Run::new(
        LessonId::MultiClient,
        LessonId::MultiClient.info().default_seed,
    );
    run.play(10_000);
    let world = run.world();
    let props = StageProps {
        lang: Lang::En,
        data: StageData::of(world),
        clock: world.now(),
        display: ByteDisplay::Text,
        encoding: TextEncoding::Gbk,
        selected_segment: None,
        on_select_segment: Callback::noop(),
        mark: None,
        hover: None,
        on_hover: Callback::noop(),
        children: Default::default(),
        on_drop: None,
        congestion: false,
    };
    let root = render::<Stage>(props).await;
    // One row per client, one lane per thread the server ever ran.
    assert_eq!(root.query_selector_all(".conn-row").unwrap().length(), 3);
    let lanes = texts(&root, ".host.server .lane-name");
    assert_eq!(
        lanes.len(),
        world.threads().iter().filter(|t| t.host.0 == 0).count()
    );
    assert_eq!(lanes[0], "MainThread");
    assert!(texts(&root, ".host.client strong")
        .iter()
        .any(|n| n == "client-3"));
}

#[wasm_bindgen_test]
fn the_browsers_gbk_decoder_gives_the_build_time_table() {
    // The browser build reads index gb18030 from the browser's own decoder;
    // it must be exactly the table encoding_rs gave when building.
    assert_eq!(
        sockscope::gbk::index_checksum(),
        sockscope::gbk::INDEX_CHECKSUM
    );
    let bytes = TextEncoding::Gbk.encode("你好，世界");
    assert_eq!(bytes[..4], [0xC4, 0xE3, 0xBA, 0xC3]);
    assert_eq!(
        TextEncoding::Gbk.decode_strict(&bytes).as_deref(),
        Some("你好，世界")
    );
    // A character cut in two becomes U+FFFD, as in Python with errors="replace".
    assert_eq!(
        TextEncoding::Gbk.decode_lossy(&[0xC4, 0xE3, 0xBA]),
        "你\u{FFFD}"
    );
}

#[wasm_bindgen_test]
fn share_links_are_read_by_the_browsers_json_parse_as_serde_json_reads_them() {
    use sockscope::sim::run::Recorded;
    use sockscope::sim::Action;
    use sockscope::web::json;
    use sockscope::web::query::{share_query, Share, UrlState, ViewQuery};

    let mut run = Run::new(LessonId::Sandbox, 7);
    for _ in 0..30 {
        run.step();
    }
    run.apply(Action::AddClient);
    run.apply(Action::Send {
        client: 1,
        text: "你好 \"quoted\" \\ \u{1F600}".into(),
    });
    run.apply(Action::SetEncoding {
        encoding: TextEncoding::Gbk,
    });
    run.apply(Action::SetBuffers {
        target: 0,
        send_capacity: 4_000_000_000,
        recv_capacity: 8,
    });
    while run.step() {}
    let actions = run.actions().to_vec();
    assert_eq!(actions.len(), 4);

    let written = serde_json::to_string(&actions).unwrap();
    assert_eq!(
        json::from_str::<Vec<Recorded>>(&written),
        Some(actions.clone())
    );
    // Members in any order, unknown ones, and nulls for absent fields.
    let reordered = r#"[{"action":{"client":2,"a":"close","url":null},"extra":[{}],"step":9}]"#;
    assert_eq!(
        json::from_str::<Vec<Recorded>>(reordered),
        Some(vec![Recorded {
            step: 9,
            action: Action::Close { client: 2 },
            settled: false
        }])
    );

    // Where JavaScript cannot tell the difference, the browser is lenient.
    let lenient = r#"[{"step":1e1,"action":{"a":"close","client":1.0,"client":2}}]"#;
    assert_eq!(
        json::from_str::<Vec<Recorded>>(lenient),
        Some(vec![Recorded {
            step: 10,
            action: Action::Close { client: 2 },
            settled: false
        }])
    );

    // A whole share link round trip.
    let query = share_query(&Share {
        lang: Lang::Zh,
        lesson: LessonId::Sandbox,
        seed: 7,
        actions: &actions,
        step: 12,
        code: None,
        view: ViewQuery::default(),
        embed: true,
        quiz: None,
    });
    let back = UrlState::parse(&query);
    assert_eq!(back.actions, actions);
    assert!(back.problems.is_empty(), "{:?}", back.problems);

    // Hostile action lists are refused, not half-read, and never panic.
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    for bad in [
        "",
        "[",
        "{}",
        "[1]",
        deep.as_str(),
        r#"[{"step":1.5,"action":{"a":"add-client"}}]"#,
        r#"[{"step":-1,"action":{"a":"add-client"}}]"#,
        r#"[{"step":1e300,"action":{"a":"add-client"}}]"#,
        r#"[{"step":1,"action":{"a":"send","client":300,"text":"x"}}]"#,
        r#"[{"step":1,"action":{"a":"send","client":1}}]"#,
        r#"[{"step":1,"action":{"a":"explode"}}]"#,
        r#"[{"step":1,"action":{"a":"set-encoding","encoding":"ebcdic"}}]"#,
    ] {
        assert_eq!(json::from_str::<Vec<Recorded>>(bad), None, "{bad}");
        let state = UrlState::parse(&format!("?actions={bad}"));
        assert!(
            state.actions.is_empty() && state.problems == ["actions=…"],
            "{bad}"
        );
    }
}

#[wasm_bindgen_test]
async fn edited_programs_survive_the_links_compression_and_garbage_does_not_panic() {
    use sockscope::sim::lessons::code::Script;
    use sockscope::web::compress::{compress, decompress};
    use sockscope::web::query::EditedCode;

    let code = EditedCode {
        server: Some(Script {
            file: "server.py".into(),
            source: "# 服务器\nimport socket\nprint('你好', 1 + 1)\n".repeat(20),
        }),
        client: None,
    };
    let b64 = compress(&code).await.expect("the browser compresses");
    assert!(b64
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert!(b64.len() < code.to_json().len() / 2, "{} chars", b64.len());
    assert_eq!(decompress(&b64).await, Some(code));
    for bad in [
        "",
        "AAAA",
        "not base64!",
        "q1ZKLkpNLElNUbJSKs7PTVWyUlIqz8ksSlXSUcpMUbIyNDIzMLA",
    ] {
        assert_eq!(decompress(bad).await, None, "{bad}");
    }
}
