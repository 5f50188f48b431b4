//! The root component: owns the state, runs the play clock and the keyboard
//! shortcuts, keeps the URL in step, and lays out the screen.

use super::browser::BrowserPanel;
use super::code_panel::{CodePanel, Cursor};
use super::console::Console;
use super::controls::Controls;
use super::event_list::{visible, EventList};
use super::header::Header;
use super::learner::LearnerPanel;
use super::lesson_picker::{LessonIntro, LessonPicker};
use super::narration::Narration;
use super::network::NetworkPanel;
use super::overlays::{HelpOverlay, ShareDialog};
use super::stage::{Stage, StageData};
use crate::sim::{self, HostId};
use crate::web::download;
use crate::web::i18n::{self, Lang};
use crate::web::query::{share_query, UrlState};
use crate::web::state::{Action, ByteDisplay, Overlay, State, Theme};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The query string and browser language, read once at start.
fn initial_state() -> State {
    let window = web_sys::window();
    let query = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let browser_lang = window
        .as_ref()
        .and_then(|w| w.navigator().language())
        .and_then(|tag| Lang::from_tag(&tag));
    let mut state = State::new(UrlState::parse(&query), browser_lang);
    state.reduced_motion = window
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches());
    state
}

/// The page's address without its query: the base of a share link.
fn page_base() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

fn share_link(state: &State, embed: bool) -> String {
    let run = state.run.borrow();
    format!(
        "{}{}",
        page_base(),
        share_query(
            state.lang,
            state.lesson,
            state.seed,
            run.actions(),
            run.current_step(),
            embed
        )
    )
}

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

    // <html lang> follows the language; the address bar follows the run
    // whenever it is not playing, so reloading or copying it restores it.
    use_effect_with((lang, state.run.rev(), state.playing, state.embed), {
        let state = state.clone();
        move |(lang, _, playing, embed)| {
            if let Some(w) = web_sys::window() {
                if let Some(root) = w.document().and_then(|d| d.document_element()) {
                    let _ =
                        root.set_attribute("lang", if *lang == Lang::Zh { "zh-CN" } else { "en" });
                }
                if !*playing {
                    let link = share_link(&state, *embed);
                    if let Ok(history) = w.history() {
                        let _ = history.replace_state_with_url(
                            &wasm_bindgen::JsValue::NULL,
                            "",
                            Some(&link),
                        );
                    }
                }
            }
        }
    });

    let run = state.run.borrow();
    let world = run.world();
    let step = run.current_step();
    let finished = run.is_finished();
    let data = StageData::of(world);
    let clock = if state.reduced_motion {
        world.now()
    } else {
        state.clock
    };

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

    let server_console: Vec<String> = run
        .console(HostId::SERVER)
        .into_iter()
        .map(String::from)
        .collect();
    let client_console: Vec<String> = data
        .hosts
        .iter()
        .skip(1)
        .flat_map(|h| {
            run.console(h.id)
                .into_iter()
                .map(move |l| format!("{}> {l}", h.name))
        })
        .collect();
    let current_events = run.events_at(step).to_vec();
    let log_len = run.log().len();
    let (listed, more_events) = visible(run.log(), state.hidden, state.event_limit);
    let max_clients = usize::from(world.config().max_clients);
    let exchanges = world.http_exchanges().to_vec();
    let has_browser = state.lesson.info().panels.browser || !exchanges.is_empty();
    drop(run);
    // The programs' texts change only with the program or the language.
    let server_code = data.hosts.first().and_then(|h| h.code.clone());
    let server_title = server_code
        .as_ref()
        .map(|c| c.file.clone())
        .unwrap_or_default();
    let client_title = first_client
        .as_ref()
        .map(|c| c.file.clone())
        .unwrap_or_default();
    let server_source = use_memo(server_code, source_text);
    let client_source = use_memo(first_client, source_text);

    let d = dispatch.clone();
    let Callbacks {
        on_lang,
        on_pick,
        on_select_segment,
        on_learner,
        on_toggle,
        on_jump,
        on_more_events,
        on_mark,
        on_navigate,
        close_overlay,
        ..
    } = (*cbs).clone();
    let toggle_display = {
        let d = d.clone();
        let next = if state.display == ByteDisplay::Text {
            ByteDisplay::Hex
        } else {
            ByteDisplay::Text
        };
        Callback::from(move |_: MouseEvent| d.emit(Action::SetDisplay(next)))
    };
    let toggle_decode = {
        let d = d.clone();
        let next = if state.decode == crate::echo::TextEncoding::Gbk {
            crate::echo::TextEncoding::Utf8
        } else {
            crate::echo::TextEncoding::Gbk
        };
        Callback::from(move |_: MouseEvent| d.emit(Action::SetDecode(next)))
    };
    let toggle_theme = {
        let d = d.clone();
        let next = match state.theme {
            Theme::Auto | Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        };
        Callback::from(move |_: MouseEvent| d.emit(Action::SetTheme(next)))
    };
    let open = |o: Overlay| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::ShowOverlay(Some(o))))
    };
    let download_pcap = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let run = state.run.borrow();
            let bytes = sim::net::pcap::write_pcap(run.log());
            download::save(
                &format!("sockscope-{}.pcap", state.lesson.slug()),
                "application/vnd.tcpdump.pcap",
                &bytes,
            );
        })
    };
    let download_log = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let run = state.run.borrow();
            let json = serde_json::to_string_pretty(run.log()).unwrap_or_default();
            download::save(
                &format!("sockscope-{}-events.json", state.lesson.slug()),
                "application/json",
                json.as_bytes(),
            );
        })
    };

    let theme_class = match state.theme {
        Theme::Auto => None,
        Theme::Light => Some("theme-light"),
        Theme::Dark => Some("theme-dark"),
    };
    html! {
        <div class={classes!("app", state.embed.then_some("embed"), theme_class, state.reduced_motion.then_some("reduced-motion"))}>
            if !state.embed {
                <Header {lang} {on_lang} />
            }
            if !state.problems.is_empty() {
                <div class="notice" role="alert">
                    <span>{ i18n::QUERY_PROBLEM.get(lang) }{" "}<code>{ state.problems.join(", ") }</code></span>
                    <button onclick={d.reform(|_| Action::DismissProblems)}>{ i18n::DISMISS.get(lang) }</button>
                </div>
            }
            <div class="toolbar">
                <LessonPicker {lang} lesson={state.lesson} {on_pick} />
                <div class="tools">
                    <button onclick={toggle_display} aria-label={i18n::BYTES_AS.get(lang)}>
                        { if state.display == ByteDisplay::Text { i18n::SHOW_HEX.get(lang) } else { i18n::SHOW_TEXT.get(lang) } }
                    </button>
                    <button onclick={toggle_decode} aria-label={i18n::DECODE_AS.get(lang)}>
                        { format!("{} {}", i18n::DECODE_AS.get(lang), state.decode.python_name()) }
                    </button>
                    <button onclick={toggle_theme} aria-label={i18n::THEME.get(lang)} title={i18n::THEME.get(lang)}>{ super::controls::icon("theme") }</button>
                    <button onclick={download_pcap}>{ i18n::DOWNLOAD_PCAP.get(lang) }</button>
                    <button onclick={download_log}>{ i18n::DOWNLOAD_LOG.get(lang) }</button>
                    <button class="share" onclick={open(Overlay::Share)}>{ i18n::SHARE.get(lang) }</button>
                    <button class="help" onclick={open(Overlay::Help)} aria-label={i18n::HELP.get(lang)}>{ "?" }</button>
                </div>
            </div>
            <LessonIntro {lang} lesson={state.lesson} />
            <Controls {lang} playing={state.playing} {finished} {step} horizon={state.horizon}
                      speed={state.speed} now={format!("{} ms", clock.millis_text())} dispatch={dispatch.clone()} />
            <Narration {lang} {step} events={current_events} {finished} />
            <main class="workspace">
                <Stage {lang} data={data.clone()} {clock} display={state.display} encoding={state.decode}
                       selected_segment={state.selected_segment} {on_select_segment} mark={state.mark} />
                if has_browser {
                    <div class="http-panels">
                        <BrowserPanel {lang} exchanges={exchanges.clone()} {on_navigate} />
                        <NetworkPanel {lang} {exchanges} mark={state.mark} {on_mark} />
                    </div>
                }
                <div class="panels">
                    <div class="code-panels">
                        if let Some(src) = (*server_source).clone() {
                            <CodePanel title={format!("{} · {server_title}", i18n::SERVER.get(lang))}
                                       source={src} cursors={server_cursors} />
                        }
                        if let Some(src) = (*client_source).clone() {
                            <CodePanel title={format!("{} · {client_title}", i18n::CLIENTS.get(lang))}
                                       source={src} cursors={client_cursors} />
                        }
                    </div>
                    <div class="side">
                        <Console {lang} title={i18n::SERVER_CONSOLE.get(lang)} lines={server_console} />
                        <Console {lang} title={i18n::CLIENT_CONSOLE.get(lang)} lines={client_console} />
                        // In the http lesson the address bar is how the learner acts.
                        if !has_browser {
                            <LearnerPanel {lang} hosts={data.hosts.clone()} {max_clients} on_action={on_learner} />
                        }
                    </div>
                    <EventList {lang} events={listed} total={log_len} more={more_events} on_more={on_more_events} hidden={state.hidden}
                               selected={state.selected_event} {on_toggle} {on_jump} />
                </div>
            </main>
            if state.overlay == Some(Overlay::Help) {
                <HelpOverlay {lang} on_close={close_overlay.clone()} />
            }
            if state.overlay == Some(Overlay::Share) {
                <ShareDialog {lang} link={share_link(&state, false)} on_close={close_overlay} />
            }
        </div>
    }
}

/// A thread's cursor in the code panel: on its line, in its lane's colour.
/// A thread that has not started or has exited has none.
fn cursor(colour: usize, t: &sim::view::ThreadView, label: String) -> Option<Cursor> {
    use sim::os::thread::ThreadState;
    if matches!(t.state, ThreadState::Exited { .. }) {
        return None;
    }
    Some(Cursor {
        line: t.line?,
        label: label.into(),
        color: colour,
        blocked: matches!(t.state, ThreadState::Blocked { .. }),
    })
}

/// A program's text, shared by every render until the program changes.
fn source_text(code: &Option<sim::lessons::code::Script>) -> Option<AttrValue> {
    code.as_ref().map(|c| AttrValue::from(c.source.clone()))
}

/// The app's callbacks, made once so that they compare equal across renders.
#[derive(Clone)]
struct Callbacks {
    dispatch: Callback<Action>,
    on_lang: Callback<Lang>,
    on_pick: Callback<sim::LessonId>,
    on_select_segment: Callback<Option<u64>>,
    on_learner: Callback<sim::Action>,
    on_toggle: Callback<sim::Category>,
    on_jump: Callback<usize>,
    on_more_events: Callback<()>,
    on_mark: Callback<Option<super::network::ByteMark>>,
    on_navigate: Callback<String>,
    close_overlay: Callback<()>,
}

impl Callbacks {
    fn new(dispatcher: UseReducerDispatcher<State>) -> Callbacks {
        let d = Callback::from(move |a: Action| dispatcher.dispatch(a));
        Callbacks {
            on_lang: d.reform(Action::SetLang),
            on_pick: d.reform(Action::SelectLesson),
            on_select_segment: d.reform(Action::SelectSegment),
            on_learner: d.reform(Action::Learner),
            on_toggle: d.reform(Action::ToggleCategory),
            on_jump: d.reform(Action::JumpToEvent),
            on_more_events: d.reform(|_| Action::ShowMoreEvents),
            on_mark: d.reform(Action::Mark),
            on_navigate: d.reform(|url| Action::Learner(sim::Action::Navigate { url })),
            close_overlay: d.reform(|_| Action::ShowOverlay(None)),
            dispatch: d,
        }
    }
}
