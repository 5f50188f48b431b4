//! A learner's action taken after a run had settled must replay the same way
//! after seeking back past it: the run goes on past the action's step.
use sockscope::sim::{Action, LessonId, Run, Setup};

fn json(run: &Run) -> String {
    serde_json::to_string(run.log()).unwrap()
}

#[test]
fn seeking_back_past_an_action_on_a_settled_run_replays_it() {
    let mut run = Run::new(LessonId::Sandbox, 1);
    run.apply(Action::AddClient);
    while run.step() {}
    let settled = run.current_step();
    run.apply(Action::Send {
        client: 1,
        text: "hi".into(),
    });
    let mut straight = run.clone();
    straight.play(10_000);

    // As the browser does it: the learner scrubs back, then presses "step".
    for back in [settled / 2, settled - 8, settled - 1] {
        run.seek(back);
        for _ in 0..(settled - back + 3) {
            run.step();
        }
        assert!(
            run.current_step() > settled,
            "from {back}: stopped at {} (settled at {settled})",
            run.current_step()
        );
    }
    // Scrubbing the timeline one step at a time lands on the same worlds.
    run.seek(settled / 2);
    for s in settled / 2..=settled {
        run.seek(s);
        let mut fresh = straight.clone();
        fresh.seek(s);
        assert_eq!(json(&run), json(&fresh), "at step {s}");
        assert_eq!(
            format!("{:?}", run.world().sockets(sockscope::sim::HostId::SERVER)),
            format!(
                "{:?}",
                fresh.world().sockets(sockscope::sim::HostId::SERVER)
            ),
            "at step {s}"
        );
    }
    run.play(10_000);
    assert_eq!(run.current_step(), straight.current_step());
    assert_eq!(json(&run), json(&straight));

    let replayed = Run::replay(
        Setup::new(LessonId::Sandbox, 1),
        run.actions().to_vec(),
        straight.current_step(),
    );
    assert_eq!(replayed.current_step(), straight.current_step());
    assert_eq!(json(&replayed), json(&straight));
}
