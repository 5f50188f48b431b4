//! The stream graph of each connection that sent data: cwnd, bytes in
//! flight and the peer's window over simulated time, drawn as steps (the
//! values hold until the next change), the way Wireshark's TCP stream
//! graphs show a capture. The points come from the core
//! ([`crate::sim::tcp::graph`]); this only scales and draws them.

use crate::sim::view::{ConnectionGraph, HostView};
use crate::sim::Instant;
use crate::web::i18n::{self, Lang};
use yew::prelude::*;

const W: f64 = 320.0;
const H: f64 = 110.0;

#[derive(Properties, PartialEq)]
pub struct GraphsProps {
    pub lang: Lang,
    pub graphs: Vec<ConnectionGraph>,
    pub hosts: Vec<HostView>,
    pub now: Instant,
}

/// `(x, y)` corners of a step line through `values` at `times`, held to `end`.
fn steps(times: &[f64], values: &[f64], end: f64) -> String {
    let mut out = String::new();
    for (i, (&t, &v)) in times.iter().zip(values).enumerate() {
        if i > 0 {
            // Hold the previous value until this instant.
            out.push_str(&format!("{t:.1},{:.1} ", values[i - 1]));
        }
        out.push_str(&format!("{t:.1},{v:.1} "));
    }
    if let Some(&v) = values.last() {
        out.push_str(&format!("{end:.1},{v:.1}"));
    }
    out
}

fn one(g: &ConnectionGraph, hosts: &[HostView], now: Instant, by_time: bool, lang: Lang) -> Html {
    let Some(first) = g.points.first() else {
        return Html::default();
    };
    let t0 = first.at.0;
    let last = g.points.last().map_or(t0, |p| p.at.0);
    // Time across: up to now, but not far past the last change (a
    // connection that waits 60 s in TIME-WAIT would squeeze its story
    // into a sliver at the left).
    let end = now.0.min(last + (last - t0) / 10 + 1_000).max(t0 + 1);
    let span = (end - t0) as f64;
    // Bytes up: what the sender controls (cwnd, flight, ssthresh); a peer
    // window far above them is drawn along the top and named below.
    let own = g
        .points
        .iter()
        .flat_map(|p| [p.cwnd, p.flight, p.ssthresh.unwrap_or(0)])
        .max()
        .unwrap_or(1)
        .max(1);
    let peer_max = g.points.iter().map(|p| p.peer_window).max().unwrap_or(0);
    let top = if peer_max <= own.saturating_mul(2) {
        own.max(peer_max)
    } else {
        own + own / 5
    };
    let clipped = peer_max > top;
    let x = |at: Instant| (at.0.saturating_sub(t0) as f64 / span * W).min(W);
    let y = |b: u32| H - f64::from(b.min(top)) / f64::from(top) * (H - 4.0);
    // Across: simulated time, or each change in turn (evenly spaced, so a
    // burst of changes within a millisecond can be read).
    let n = g.points.len().max(2) - 1;
    let times: Vec<f64> = if by_time {
        g.points.iter().map(|p| x(p.at)).collect()
    } else {
        (0..g.points.len())
            .map(|i| i as f64 / n as f64 * (W - 8.0))
            .collect()
    };
    let line = |f: &dyn Fn(&crate::sim::tcp::graph::GraphPoint) -> u32| {
        let v: Vec<f64> = g.points.iter().map(|p| y(f(p))).collect();
        steps(&times, &v, W)
    };
    // ssthresh only where it is set, and only below the top (it starts infinite).
    let ssthresh: Vec<(f64, f64)> = g
        .points
        .iter()
        .zip(&times)
        .filter_map(|(p, &t)| p.ssthresh.filter(|&s| s <= top).map(|s| (t, y(s))))
        .collect();
    let ssthresh_line = (!ssthresh.is_empty()).then(|| {
        let (ts, vs): (Vec<f64>, Vec<f64>) = ssthresh.into_iter().unzip();
        steps(&ts, &vs, W)
    });
    let name = hosts
        .iter()
        .find(|h| h.id == g.host)
        .map(|h| h.name.clone())
        .unwrap_or_default();
    let from = format!("{name} {}:{}", g.local.ip, g.local.port);
    let to = format!("{}:{}", g.remote.ip, g.remote.port);
    let label = i18n::graph_label(lang, &from, &to);
    let mut axis = if by_time {
        i18n::graph_axis(lang, top, span / 1e6)
    } else {
        i18n::graph_axis_changes(lang, top, g.points.len(), (last - t0) as f64 / 1e6)
    };
    if clipped {
        axis.push_str(&i18n::graph_peer_above(lang, peer_max));
    }
    html! {
        <figure class="stream-graph" data-host={g.host.0.to_string()}>
            <figcaption>{ &label }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none" role="img"
                 aria-label={format!("{label}: {axis}")}>
                <line class="axis" x1="0" y1={H.to_string()} x2={W.to_string()} y2={H.to_string()} />
                <polyline class="peer-window" points={line(&|p| p.peer_window)} />
                if let Some(points) = ssthresh_line { <polyline class="ssthresh" {points} /> }
                <polyline class="flight" points={line(&|p| p.flight)} />
                <polyline class="cwnd" points={line(&|p| p.cwnd)} />
            </svg>
            <div class="graph-axis">{ axis }</div>
        </figure>
    }
}

#[function_component(CongestionGraphs)]
pub fn congestion_graphs(props: &GraphsProps) -> Html {
    let lang = props.lang;
    let by_time = use_state(|| false);
    let toggle = {
        let by_time = by_time.clone();
        Callback::from(move |_: MouseEvent| by_time.set(!*by_time))
    };
    html! {
        <section class="graphs" aria-label={i18n::GRAPH_TITLE.get(lang)}>
            <h3 title={i18n::GRAPH_HELP.get(lang)}>{ i18n::GRAPH_TITLE.get(lang) }</h3>
            <div class="graph-legend" title={i18n::GRAPH_HELP.get(lang)}>
                <span class="key cwnd">{ i18n::GRAPH_CWND.get(lang) }</span>
                <span class="key flight">{ i18n::GRAPH_FLIGHT.get(lang) }</span>
                <span class="key peer-window">{ i18n::GRAPH_PEER_WINDOW.get(lang) }</span>
                <span class="key ssthresh">{ i18n::GRAPH_SSTHRESH.get(lang) }</span>
                <button class="graph-axis-toggle" onclick={toggle} aria-pressed={(*by_time).to_string()}
                        title={i18n::GRAPH_AXIS_HELP.get(lang)}>{ i18n::GRAPH_BY_TIME.get(lang) }</button>
            </div>
            { for props.graphs.iter().map(|g| one(g, &props.hosts, props.now, *by_time, lang)) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::steps;

    #[test]
    fn a_step_line_holds_each_value_until_the_next_change() {
        assert_eq!(
            steps(&[0.0, 10.0], &[5.0, 2.0], 20.0),
            "0.0,5.0 10.0,5.0 10.0,2.0 20.0,2.0"
        );
        assert_eq!(steps(&[], &[], 20.0), "");
    }
}
