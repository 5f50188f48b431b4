//! A share link is user input: whatever actions it carries, at whatever
//! steps, replaying them must not panic and must stay bounded.
use sockscope::echo::TextEncoding;
use sockscope::sim::run::Recorded;
use sockscope::sim::{Action, LessonId, Run, Setup};

fn at(step: u64, action: Action) -> Recorded {
    Recorded {
        step,
        action,
        settled: false,
    }
}

#[test]
fn nonsense_actions_replay_without_panicking() {
    let mut actions = vec![
        at(
            0,
            Action::Send {
                client: 0,
                text: "to the server itself".into(),
            },
        ),
        at(0, Action::RecvNow { client: 255 }),
        at(1, Action::Close { client: 99 }),
        at(
            2,
            Action::SetBuffers {
                target: 200,
                send_capacity: 0,
                recv_capacity: u32::MAX,
            },
        ),
        at(
            3,
            Action::SetBuffers {
                target: 0,
                send_capacity: u32::MAX,
                recv_capacity: 0,
            },
        ),
        at(
            4,
            Action::Navigate {
                url: "javascript:alert(1)".into(),
            },
        ),
        at(
            5,
            Action::SetEncoding {
                encoding: TextEncoding::Utf8,
            },
        ),
        at(u64::MAX, Action::AddClient),
        Recorded {
            step: 7,
            action: Action::AddClient,
            settled: true,
        },
    ];
    for i in 0..40 {
        actions.push(at(10 + i, Action::AddClient));
        actions.push(at(
            10 + i,
            Action::Send {
                client: (i % 50) as u8,
                text: "x".repeat(3000),
            },
        ));
    }
    for lesson in LessonId::ALL {
        let run = Run::replay(Setup::new(lesson, 1), actions.clone(), 5_000);
        assert!(run.current_step() <= 5_000);
        // Buffers were clamped, not allocated at the size asked for.
        for host in run.world().hosts() {
            for s in run.world().sockets(host.id) {
                if let sockscope::sim::view::SocketDetail::Stream(v) = s.detail {
                    assert!(v.send_capacity <= 65_535 && v.recv_capacity <= 65_535);
                    assert!(v.send_capacity >= 1 && v.recv_capacity >= 1);
                }
            }
        }
    }
}

mod random {
    use super::*;
    use proptest::prelude::*;

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::AddClient),
            any::<u8>().prop_map(|client| Action::Close { client }),
            any::<u8>().prop_map(|client| Action::RemoveClient { client }),
            (
                any::<u8>(),
                prop_oneof!["[a-z你好 ]{0,40}", any::<String>()]
            )
                .prop_map(|(client, text)| Action::Send { client, text }),
            any::<u8>().prop_map(|client| Action::RecvNow { client }),
            (any::<u8>(), any::<u32>(), any::<u32>()).prop_map(
                |(target, send_capacity, recv_capacity)| {
                    Action::SetBuffers {
                        target,
                        send_capacity,
                        recv_capacity,
                    }
                }
            ),
            prop_oneof![Just(TextEncoding::Gbk), Just(TextEncoding::Utf8)]
                .prop_map(|encoding| Action::SetEncoding { encoding }),
            "(http://www\\.example\\.test)?/[a-z./%?=&]{0,20}"
                .prop_map(|url| Action::Navigate { url }),
        ]
    }

    fn recorded() -> impl Strategy<Value = Recorded> {
        (0u64..400, action(), any::<bool>()).prop_map(|(step, action, settled)| Recorded {
            step,
            action,
            settled,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Every action reads back from the JSON it writes (the share link's
        /// format), whatever its fields hold.
        #[test]
        fn actions_round_trip_through_their_json(action in action()) {
            let json = serde_json::to_string(&action).unwrap();
            let back: Action = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, action);
        }

        /// The browser reads a share link's actions through `web::json::Tree`:
        /// it reads back any recording serde_json writes, as it was.
        #[cfg(feature = "web")]
        #[test]
        fn a_tree_reads_what_serde_json_writes(actions in proptest::collection::vec(recorded(), 0..8)) {
            let text = serde_json::to_string(&actions).unwrap();
            prop_assert_eq!(super::browser_json::via_tree(&text), Some(actions));
        }

        /// Any recording, any target step, then any seeks: no panic, and the
        /// run's views stay consistent with its step.
        #[test]
        fn any_recording_replays_and_seeks_without_panicking(
            lesson in 0usize..LessonId::ALL.len(),
            actions in proptest::collection::vec(recorded(), 0..12),
            step in 0u64..600,
            seeks in proptest::collection::vec(0u64..600, 0..6),
        ) {
            let lesson = LessonId::ALL[lesson];
            let mut run = Run::replay(Setup::new(lesson, 3), actions, step);
            prop_assert!(run.current_step() <= step);
            for s in seeks {
                run.seek(s);
                prop_assert!(run.current_step() <= s);
                let _ = run.events_at(run.current_step());
                let _ = run.log().len();
                run.step();
                run.step_back();
            }
        }
    }
}

/// `web::json::Tree`, what the browser reads a share link's actions into,
/// against serde_json (the browser's own half, `JSON.parse`, is checked by a
/// wasm test in tests/web.rs).
#[cfg(feature = "web")]
mod browser_json {
    use super::*;
    use serde::Deserialize;
    use serde_json::Value;
    use sockscope::web::json::Tree;

    /// What the browser's half does, from serde_json's reading of the text.
    fn tree(value: &Value) -> Option<Tree> {
        Some(match value {
            Value::Null => Tree::Null,
            Value::Bool(b) => Tree::Bool(*b),
            Value::Number(n) => Tree::number(n.as_f64()?)?,
            Value::String(s) => Tree::Str(s.clone()),
            Value::Array(items) => Tree::Array(items.iter().map(tree).collect::<Option<_>>()?),
            Value::Object(members) => Tree::Object(
                members
                    .iter()
                    .map(|(k, v)| Some((k.clone(), tree(v)?)))
                    .collect::<Option<_>>()?,
            ),
        })
    }

    pub fn via_tree(text: &str) -> Option<Vec<Recorded>> {
        let value: Value = serde_json::from_str(text).ok()?;
        Vec::<Recorded>::deserialize(tree(&value)?).ok()
    }

    #[test]
    fn hostile_action_lists_are_refused_as_serde_json_refuses_them() {
        for bad in [
            "{}",
            "[1]",
            "[null]",
            r#"[{"step":1.5,"action":{"a":"add-client"}}]"#,
            r#"[{"step":-1,"action":{"a":"add-client"}}]"#,
            r#"[{"step":1e300,"action":{"a":"add-client"}}]"#,
            r#"[{"step":"1","action":{"a":"add-client"}}]"#,
            r#"[{"action":{"a":"add-client"}}]"#,
            r#"[{"step":1,"action":{"a":"send","client":300,"text":"x"}}]"#,
            r#"[{"step":1,"action":{"a":"send","client":1}}]"#,
            r#"[{"step":1,"action":{"a":"explode"}}]"#,
            r#"[{"step":1,"action":{"a":"set-encoding","encoding":"ebcdic"}}]"#,
            r#"[{"step":1,"action":{"a":"set-encoding","encoding":{"gbk":1}}}]"#,
            r#"[{"step":1,"action":{"a":"add-client"},"settled":"yes"}]"#,
        ] {
            assert!(serde_json::from_str::<Vec<Recorded>>(bad).is_err(), "{bad}");
            assert_eq!(via_tree(bad), None, "{bad}");
        }
        // Unknown members are ignored by both, and nulls read as absent.
        let ok = r#"[{"step":2,"x":[[{}]],"action":{"a":"close","client":1,"text":null},"settled":true}]"#;
        assert_eq!(via_tree(ok), Some(serde_json::from_str(ok).unwrap()));
    }
}
