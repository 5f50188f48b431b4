//! The root component: owns the state, runs the play clock and the keyboard
//! shortcuts, keeps the URL in step, and lays out the screen.
//!
//! The screen, top to bottom: a bar (lessons, tools), the controls and the
//! narration (these stay on screen when the page scrolls), then the
//! programs beside the stage, so that the code lines the threads are on,
//! their lanes and their sockets are seen together; then the consoles (a
//! third column on a wide screen), the browser of the `http` lesson, and the
//! event log.

use super::browser::{address, BrowserPanel};
use super::code_panel::{CodePanel, Cursor};
use super::controls::Controls;
use super::header::Header;
use super::learner::LearnerPanel;
use super::lesson_picker::{LessonIntro, LessonPicker};
use super::narration::{Actor, Narration};
use super::overlays::{HelpOverlay, ShareDialog};
use super::quiz::{QuizCard, QuizScore};
use super::stage::{Stage, StageData};
use crate::echo::TextEncoding;
use crate::sim::event::{BlockReason, ThreadEnd};
use crate::sim::os::thread::ThreadState;
use crate::sim::{self, HostId, LessonId};
use crate::web::i18n::{self, Lang};
use crate::web::query::{EditedCode, UrlState};
use crate::web::state::{Action, ByteDisplay, Interpreter, Overlay, Theme};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

mod callbacks;
mod panels;
mod url;
mod view;

use callbacks::Callbacks;
use url::{initial_state, share_link};
use view::{actor_of, cursor, exception_lines, source_text, thread_errors};

const TICK_MS: u32 = 33;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let lang = state.lang;
    // Callbacks made once: a child whose props did not change is not
    // rendered again, and a fresh callback would count as a change.
    let cbs = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| Callbacks::new(dispatcher))
    };
    let dispatch = cbs.dispatch.clone();

    // The play clock: while playing, a timer dispatches Tick; nothing else.
    use_effect_with(state.playing, {
        let state = state.clone();
        move |playing| {
            let interval = playing.then(|| {
                let mut last = js_sys::Date::now();
                Interval::new(TICK_MS, move || {
                    let now = js_sys::Date::now();
                    let elapsed = (now - last).clamp(0.0, 1000.0) as u64;
                    last = now;
                    state.dispatch(Action::Tick(elapsed));
                })
            });
            move || drop(interval)
        }
    });

    // What is below the fold (the event log), or beside the stage on a wide
    // screen only (the consoles and the graphs), is drawn in the task after
    // the first one: the browser can paint the controls, the programs and
    // the stage before it, and a learner sees them sooner.
    let settled = use_state(|| false);
    use_effect_with((), {
        let settled = settled.clone();
        move |_| {
            let timeout = gloo::timers::callback::Timeout::new(0, move || settled.set(true));
            move || drop(timeout)
        }
    });
    let settled = *settled;

    // The timeline's end is found by playing a copy of the run to its end,
    // which can take longer than drawing the screen. The first time, it
    // waits for that same later task: Yew runs effects in the task that
    // rendered, before the browser paints (it yields first only when the
    // render took over 16 ms), so on a fast machine the first paint would
    // otherwise wait for the whole run.
    use_effect_with(
        (
            state.total.is_none(),
            state.pending.is_some(),
            state.run.rev(),
            settled,
            state.interpreter == Interpreter::Ready,
        ),
        {
            let dispatch = dispatch.clone();
            move |(unknown, pending, _, settled, ready)| {
                if *unknown && !*pending && *settled && *ready {
                    dispatch.emit(Action::Measure);
                }
            }
        },
    );

    // A link's programs are decompressed (by the browser, asynchronously)
    // before its run is replayed.
    use_effect_with(state.pending.as_ref().and_then(|p| p.code.clone()), {
        let dispatch = dispatch.clone();
        move |code| {
            if let Some(code) = code.clone() {
                yew::platform::spawn_local(async move {
                    let loaded = crate::web::compress::decompress(&code).await;
                    dispatch.emit(Action::CodeLoaded(loaded));
                });
            }
        }
    });

    // The interpreter (a module of its own in the split build) is fetched
    // once the first screen is up.
    use_effect_with((), {
        let dispatch = dispatch.clone();
        move |_| {
            yew::platform::spawn_local(async move {
                let ok = crate::sim::python::engine::load().await.is_ok();
                dispatch.emit(Action::InterpreterLoaded(ok));
            });
        }
    });

    // Edited programs are compressed for the link once per change.
    let (edited_server, edited_client) = {
        let run = state.run.borrow();
        (run.setup().server.clone(), run.setup().client.clone())
    };
    use_effect_with(
        (
            edited_server.clone(),
            edited_client.clone(),
            state.code_link.is_none(),
        ),
        {
            let dispatch = dispatch.clone();
            move |(server, client, missing)| {
                let code = EditedCode {
                    server: server.clone(),
                    client: client.clone(),
                };
                if *missing && !code.is_empty() {
                    yew::platform::spawn_local(async move {
                        if let Some(b64) = crate::web::compress::compress(&code).await {
                            dispatch.emit(Action::CodeCompressed(b64));
                        }
                    });
                }
            }
        },
    );

    // Keyboard shortcuts (not while typing in a field).
    use_effect_with((), {
        let state = state.clone();
        move |_| {
            let listener = web_sys::window().map(|w| {
                // Not passive: space must not also scroll the page.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&w, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    let typing = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| {
                            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        });
                    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    let action = match e.key().as_str() {
                        " " => Action::TogglePlay,
                        "ArrowRight" => Action::Step,
                        "ArrowLeft" => Action::StepBack,
                        "Home" => Action::Reset,
                        "?" => Action::ShowOverlay(Some(Overlay::Help)),
                        "Escape" => Action::ShowOverlay(None),
                        _ => return,
                    };
                    e.prevent_default();
                    state.dispatch(action);
                })
            });
            move || drop(listener)
        }
    });

    // Back and Forward: the browser's history holds one entry per lesson.
    use_effect_with((), {
        let dispatch = dispatch.clone();
        move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "popstate", move |_| {
                    let query = web_sys::window()
                        .and_then(|w| w.location().search().ok())
                        .unwrap_or_default();
                    dispatch.emit(Action::LoadUrl(UrlState::parse(&query)));
                })
            });
            move || drop(listener)
        }
    });

    // <html lang> follows the language; the address bar follows the run
    // whenever it is not playing, so reloading or copying it restores it.
    // Another lesson is a new history entry, so Back returns to the last.
    let shown_lesson = use_mut_ref(|| state.lesson);
    use_effect_with(
        (
            lang,
            state.run.clone(),
            state.playing,
            state.embed,
            state.code_link.clone(),
            (
                state.display,
                state.decode,
                state.speed,
                state.request,
                state.tab,
            ),
        ),
        {
            let state = state.clone();
            move |(lang, _, playing, embed, _, _)| {
                if let Some(w) = web_sys::window() {
                    if let Some(root) = w.document().and_then(|d| d.document_element()) {
                        let _ = root
                            .set_attribute("lang", if *lang == Lang::Zh { "zh-CN" } else { "en" });
                    }
                    let changed = *shown_lesson.borrow() != state.lesson;
                    let new_lesson = changed && !state.from_history;
                    if !*playing || changed {
                        let link = share_link(&state, *embed);
                        if let Ok(history) = w.history() {
                            let null = wasm_bindgen::JsValue::NULL;
                            let _ = if new_lesson {
                                history.push_state_with_url(&null, "", Some(&link))
                            } else {
                                history.replace_state_with_url(&null, "", Some(&link))
                            };
                        }
                        *shown_lesson.borrow_mut() = state.lesson;
                    }
                }
            }
        },
    );

    // The programs and the stage fill the window below the top; the top's
    // height is measured when what is in it can change, and on resize.
    let app_ref = use_node_ref();
    let top_ref = use_node_ref();
    let top_key = (
        lang,
        state.lesson,
        state.problems.len() + state.refused.len(),
        state.embed,
    );
    {
        let (app_ref, top_ref) = (app_ref.clone(), top_ref.clone());
        use_effect_with(top_key, move |_| {
            let measure = move || {
                if let (Some(app), Some(top)) = (
                    app_ref.cast::<web_sys::HtmlElement>(),
                    top_ref.cast::<web_sys::HtmlElement>(),
                ) {
                    let _ = app
                        .style()
                        .set_property("--top-h", &format!("{}px", top.offset_height()));
                }
            };
            measure();
            let listener =
                web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }

    let run = state.run.borrow();
    let world = run.world();
    let step = run.current_step();
    let finished = run.is_finished();
    let data = StageData::with_log(world, run.log());
    let clock = if state.reduced_motion {
        world.now()
    } else {
        state.clock
    };
    let hover_colour = state.hover.and_then(|t| data.colour_of(t));

    // One cursor per live thread, on its host's program.
    let threads = data.coloured_threads();
    let server_cursors: Vec<Cursor> = threads
        .iter()
        .filter(|(_, t)| t.host == HostId::SERVER)
        .filter_map(|(c, t)| cursor(*c, t, t.name.clone()))
        .collect();
    // Clients share one text per kind of program; show the first client's
    // program with every client thread whose host runs the same program.
    let first_client = data.hosts.get(1).and_then(|h| h.code.clone());
    let runs_first_client = |host: HostId| {
        first_client.is_some()
            && data
                .hosts
                .iter()
                .find(|h| h.id == host)
                .and_then(|h| h.code.as_ref())
                == first_client.as_ref()
    };
    let client_cursors: Vec<Cursor> = threads
        .iter()
        .filter(|(_, t)| t.host != HostId::SERVER && runs_first_client(t.host))
        .filter_map(|(c, t)| cursor(*c, t, t.host.name()))
        .collect();
    let died = threads.iter().any(|(_, t)| {
        matches!(
            t.state,
            ThreadState::Exited {
                end: ThreadEnd::Exception { .. }
            }
        )
    });
    let raised = if died {
        exception_lines(run.log(), &data)
    } else {
        vec![]
    };
    let server_errors = thread_errors(&threads, &raised, |h| h == HostId::SERVER);
    let client_errors = thread_errors(&threads, &raised, |h| {
        h != HostId::SERVER && runs_first_client(h)
    });

    let current_events = run.events_at(step).to_vec();
    let actors: Vec<Option<Actor>> = current_events
        .iter()
        .map(|e| actor_of(e, &data, lang))
        .collect();
    // Resting until the learner acts, and what they can do: the browser
    // waits on its address bar; a client or the sandbox on the controls.
    let waits_on_learner: Vec<HostId> = data
        .threads
        .iter()
        .filter(|t| {
            matches!(
                t.state,
                ThreadState::Blocked {
                    reason: BlockReason::Learner,
                    ..
                }
            )
        })
        .map(|t| t.host)
        .collect();
    let waiting_for_learner = if !finished {
        None
    } else if waits_on_learner.contains(&HostId::BROWSER) {
        Some(i18n::RESTING_BROWSER)
    } else if state.lesson == LessonId::Sandbox || !waits_on_learner.is_empty() {
        Some(i18n::RESTING)
    } else {
        None
    };
    let max_clients = usize::from(world.config().max_clients);
    let exchanges = world.http_exchanges().to_vec();
    let has_browser = state.lesson.info().panels.browser || !exchanges.is_empty();
    let network = world.network_settings();
    let graphs = world.graphs();
    // The graphs are the lesson's, or appear once the network loses
    // something (a loss rate, or a cut in some connection's cwnd).
    let has_graphs = !graphs.is_empty()
        && (state.lesson.info().panels.congestion
            || network.loss_percent > 0
            || graphs
                .iter()
                .any(|g| g.points.windows(2).any(|w| w[1].cwnd < w[0].cwnd)));
    let address_shown = address(run.log(), &exchanges);
    let paused_at_budget = run.budget_reached() && !finished;
    let now = world.now();
    // The checkpoints, judged on the log so far.
    let checkpoints = state.lesson.info().checkpoints;
    let verdicts: Vec<sim::quiz::Verdict> = if state.quiz.on {
        checkpoints
            .iter()
            .map(|cp| cp.judge(run.log(), finished))
            .collect()
    } else {
        vec![]
    };
    drop(run);
    let (right, quiz_total) = super::quiz::score(checkpoints, &verdicts, &state.quiz);
    // The question asked now, below the verdict of the one answered last.
    let compact = state.quiz.asking.is_some();
    let quiz_card = |i: usize, asking: bool| {
        let (checkpoint, verdict) = (*checkpoints.get(i)?, verdicts.get(i)?.clone());
        Some(html! {
            <QuizCard {lang} index={i} total={quiz_total} {checkpoint} {asking} compact={compact && !asking}
                      reply={state.quiz.reply(i)} {verdict} on_answer={cbs.on_answer.clone()}
                      on_pass={cbs.on_pass.clone()} on_dismiss={cbs.on_dismiss_quiz.clone()} />
        })
    };
    let quiz_cards: Vec<Html> = if state.quiz.on {
        let last = state.quiz.shown.filter(|i| state.quiz.asking != Some(*i));
        [(last, false), (state.quiz.asking, true)]
            .into_iter()
            .filter_map(|(i, asking)| quiz_card(i?, asking))
            .collect()
    } else {
        vec![]
    };
    // The programs' texts change only with the program or the language.
    let server_code = data.hosts.first().and_then(|h| h.code.clone());
    let server_file = server_code
        .as_ref()
        .map(|c| c.file.clone())
        .unwrap_or_else(|| "server.py".into());
    let client_file = first_client
        .as_ref()
        .map(|c| c.file.clone())
        .unwrap_or_else(|| "client.py".into());
    let client_title = if data.hosts.get(1).is_some_and(|h| h.id == HostId::BROWSER) {
        i18n::BROWSER
    } else {
        i18n::CLIENTS
    };
    let server_source = use_memo(server_code, source_text);
    let client_source = use_memo(first_client, source_text);
    // Every server runs its text; the `http` lesson's browser is not run
    // from its text (yet): editing it would change nothing.
    let client_editable = !data.hosts.iter().any(|h| h.id == HostId::BROWSER);

    let d = dispatch.clone();
    let Callbacks {
        on_lang,
        on_pick,
        on_select_segment,
        on_learner,
        on_navigate,
        close_overlay,
        on_hover,
        on_run_server,
        on_run_client,
        on_dismiss_note,
        on_intro,
        on_drop,
        ..
    } = (*cbs).clone();
    let set_display = |to: ByteDisplay| d.reform(move |_: MouseEvent| Action::SetDisplay(to));
    let set_decode = |to: TextEncoding| d.reform(move |_: MouseEvent| Action::SetDecode(to));
    let dark = state.theme == Theme::Dark;
    let toggle_theme = d.reform(move |_: MouseEvent| {
        Action::SetTheme(if dark { Theme::Light } else { Theme::Dark })
    });
    let open = |o: Overlay| d.reform(move |_: MouseEvent| Action::ShowOverlay(Some(o)));
    let theme_class = match state.theme {
        Theme::Auto => None,
        Theme::Light => Some("theme-light"),
        Theme::Dark => Some("theme-dark"),
    };
    let pressed = |on: bool| on.to_string();
    let stage_tools = html! {
        <span class="stage-tools" role="group" aria-label={i18n::BYTES_AS.get(lang)}>
            <button class="show-text" aria-pressed={pressed(state.display == ByteDisplay::Text)} onclick={set_display(ByteDisplay::Text)}>{ i18n::TEXT.get(lang) }</button>
            <button class="show-hex" aria-pressed={pressed(state.display == ByteDisplay::Hex)} onclick={set_display(ByteDisplay::Hex)}>{ i18n::HEX.get(lang) }</button>
            <span class="tools-label" title={i18n::DECODE_HELP.get(lang)}>{ i18n::DECODE_AS.get(lang) }</span>
            <button class="decode-gbk" aria-pressed={pressed(state.decode == TextEncoding::Gbk)} onclick={set_decode(TextEncoding::Gbk)}>{ "GBK" }</button>
            <button class="decode-utf8" aria-pressed={pressed(state.decode == TextEncoding::Utf8)} onclick={set_decode(TextEncoding::Utf8)}>{ "UTF-8" }</button>
        </span>
    };
    // The learner's controls sit above the stage when the learner drives a
    // client (or the sandbox); in a scripted lesson they wait further down.
    let learner_on_top = !has_browser
        && (state.lesson == LessonId::Sandbox
            || data.hosts.iter().any(|h| h.interactive && !h.removed));
    let learner = html! {
        <LearnerPanel {lang} hosts={data.hosts.clone()} {max_clients} {network} on_action={on_learner}
                      note={state.note.clone()} on_dismiss={on_dismiss_note.clone()} />
    };
    let code_panels = html! {
        <>
            if let Some(src) = (*server_source).clone() {
                <CodePanel {lang} title={format!("{} · {server_file}", i18n::SERVER.get(lang))} file={server_file.clone()}
                           source={src} cursors={server_cursors} errors={server_errors}
                           edited={edited_server.is_some()} hover={hover_colour}
                           on_run={Some(on_run_server)} />
            }
            if let Some(src) = (*client_source).clone() {
                <CodePanel {lang} title={format!("{} · {client_file}", client_title.get(lang))} file={client_file.clone()}
                           source={src} cursors={client_cursors} errors={client_errors}
                           edited={edited_client.is_some()} hover={hover_colour}
                           on_run={client_editable.then_some(on_run_client)} />
            }
        </>
    };
    let (side_col, log) = if settled {
        let run = state.run.borrow();
        let side = panels::Side {
            graphs: has_graphs.then_some(graphs),
            exchanges: has_browser.then(|| exchanges.clone()),
            learner: (!learner_on_top && !has_browser).then(|| learner.clone()),
        };
        (
            Some(panels::side_col(&state, &cbs, &run, &data, side)),
            Some(panels::log_section(&state, &cbs, &run)),
        )
    } else {
        (None, None)
    };
    html! {
        <div ref={app_ref} class={classes!("app", state.embed.then_some("embed"), theme_class, state.reduced_motion.then_some("reduced-motion"), has_browser.then_some("with-browser"))}>
            <div class="top" ref={top_ref}>
                <div class="bar">
                    if !state.embed {
                        <Header {lang} {on_lang} />
                    }
                    <LessonPicker {lang} lesson={state.lesson} {on_pick} />
                    <LessonIntro {lang} lesson={state.lesson} open={state.intro_open} on_toggle={on_intro} />
                    <div class="tools">
                        if state.quiz.on && quiz_total > 0 {
                            <QuizScore {lang} {right} total={quiz_total} />
                        }
                        <button class="share" onclick={open(Overlay::Share)}>{ i18n::SHARE.get(lang) }</button>
                        <button class="theme" onclick={toggle_theme} aria-pressed={pressed(dark)}>
                            { super::controls::icon("theme") }{ " " }{ i18n::DARK.get(lang) }
                        </button>
                        <button class="help" onclick={open(Overlay::Help)} aria-label={i18n::HELP.get(lang)} title={i18n::HELP.get(lang)}>{ "?" }</button>
                    </div>
                </div>
                if state.interpreter == Interpreter::Failed {
                    <div class="notice interpreter-failed" role="alert">
                        <p>{ i18n::INTERPRETER_FAILED.get(lang) }</p>
                    </div>
                }
                if !state.problems.is_empty() || !state.refused.is_empty() {
                    <div class="notice" role="alert">
                        <div>
                            if !state.problems.is_empty() {
                                <p class="query-problem">{ i18n::QUERY_PROBLEM.get(lang) }{ i18n::COLON.get(lang) }<code>{ state.problems.join(", ") }</code></p>
                            }
                            if !state.refused.is_empty() {
                                <p class="link-refused">{ i18n::LINK_REFUSED.get(lang) }{ i18n::COLON.get(lang) }{ state.refused.iter().map(|t| t.as_str(lang)).collect::<Vec<_>>().join(i18n::LIST_SEP.get(lang)) }</p>
                            }
                        </div>
                        <button onclick={d.reform(|_| Action::DismissProblems)}>{ i18n::DISMISS.get(lang) }</button>
                    </div>
                }
                <Controls {lang} playing={state.playing} {finished} {step} horizon={state.horizon}
                          total={state.total} open={state.total_open} {paused_at_budget}
                          speed={state.speed} now={format!("{} ms", now.millis_text())} dispatch={dispatch.clone()}
                          waiting_for_python={state.waiting_for_python()} />
                <Narration {lang} {step} events={current_events} {actors} {finished} {waiting_for_learner}
                           intro={state.lesson.info().intro.get(lang)} />
            </div>
            <main class="workspace">
                <div class="code-col">{ code_panels }</div>
                <div class="stage-col">
                    <div class="stage-main">
                        if learner_on_top {
                            { learner.clone() }
                        }
                        <Stage {lang} data={data.clone()} {clock} display={state.display} encoding={state.decode}
                               selected_segment={state.selected_segment} {on_select_segment} mark={state.mark}
                               hover={state.hover} on_hover={on_hover} on_drop={Some(on_drop)} congestion={has_graphs}>{ stage_tools }</Stage>
                        if has_browser {
                            <BrowserPanel {lang} exchanges={exchanges.clone()} {on_navigate} address={address_shown}
                                          note={state.note.clone()} on_dismiss={on_dismiss_note} />
                        }
                    </div>
                    { for side_col }
                </div>
            </main>
            { for log }
            if !quiz_cards.is_empty() {
                <div class="quiz">{ for quiz_cards }</div>
            }
            if state.overlay == Some(Overlay::Help) {
                <HelpOverlay {lang} on_close={close_overlay.clone()} />
            }
            if state.overlay == Some(Overlay::Share) {
                <ShareDialog {lang} link={share_link(&state, false)} on_close={close_overlay} />
            }
        </div>
    }
}
